"""What the pages do with a chart's spec once built, without Altair: move its date rule, read
the event picked on it. The Map page's first run imports no Altair (its charts come with the
next run; see ui.mapview), and a date change only moves the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

#: The name of the negotiation track's click selection (geo.render.charts.timeline_chart).
SELECTION: Final[str] = "pick"


def at_date(spec: Mapping[str, Any], current: dt.date) -> dict[str, Any]:
    """A chart's spec (``to_dict()`` of :func:`timeline_chart` or :func:`weekly_chart`) with its
    date rule, the last layer, moved to ``current``: a date change re-sends the chart without
    building and validating it again. ``spec`` is not modified."""
    layers = list(spec["layer"])
    layers[-1] = {**layers[-1], "data": {"values": [{"date": current.isoformat()}]}}
    return {**spec, "layer": layers}


def picked_id(selection_state: Any) -> str | None:
    """The event id chosen on the chart, from streamlit's selection state."""
    try:
        picked = selection_state["selection"][SELECTION]
    except (KeyError, TypeError):
        return None
    if isinstance(picked, list) and picked and isinstance(picked[0], Mapping):
        value = picked[0].get("id")
        return str(value) if value else None
    return None
