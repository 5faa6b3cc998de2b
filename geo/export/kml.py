"""The description balloon of each KML placemark: what the live map's popup says of an item
(status on the date, dates, basis, confidence, notes) and its sources as links, as escaped
HTML (Google Earth renders a description's HTML; GDAL escapes it once more as XML text)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from geo.core import styles
from geo.core.dates import date_text
from geo.core.model import is_blank
from geo.render.popups import esc, sources_html


def _status(row: Mapping[str, Any]) -> str:
    label = styles.STATUS_LABELS.get(row["status_on_date"], row["status_on_date"])
    disputed = " · <b>disputed</b>" if row.get("disputed_on_date") == "true" else ""
    return f"Status on {esc(row['as_of'])}: <b>{esc(label)}</b>{disputed}"


def _dates(row: Mapping[str, Any]) -> str:
    start = row.get("date_text") or row.get("valid_from")
    if row.get("item") == "incident":
        return f"Date: {esc(start)}"
    end = "open" if is_blank(row.get("valid_to")) else esc(date_text(row["valid_to"]))
    return f"Valid: {esc(start)} – {end}"


def _saved(row: Mapping[str, Any]) -> str:
    """A user annotation's version, author and time of saving; blank for other items."""
    if row.get("item") != "annotation":
        return ""
    when = f" at {esc(row['saved_at'])}" if not is_blank(row.get("saved_at")) else ""
    return (f"<small>User annotation · version {esc(row.get('version'))} · saved by "
            f"<span dir='auto'>{esc(row.get('author'))}</span>{when}</small>")


def kml_description(row: Mapping[str, Any]) -> str:
    """The description of one row of :func:`geo.export.data.export_frame` (every value a
    string; ``sources`` is JSON text): name, status, dates, basis and confidence, notes,
    sources (publisher — title — date, linked when the URL is http(s)), credit and licence;
    for a user annotation, its version, author and time of saving."""
    parts = [
        f"<b>{esc(row['name'])}</b>",
        f"<span dir='auto' lang='ar'>{esc(row['name_ar'])}</span>"
        if not is_blank(row.get("name_ar")) else "",
        _status(row),
        f"<i>{esc(row['status_note'])}</i>" if not is_blank(row.get("status_note")) else "",
        _dates(row),
        f"Basis: {esc(row['basis'])} · confidence: {esc(row['confidence'] or 'not given')}",
        esc(row.get("notes")),
        "Sources:" + sources_html(json.loads(row["sources"] or "[]")),
        "<small>" + " · ".join(esc(row.get(k)) for k in ("attribution", "licence")
                               if not is_blank(row.get(k))) + "</small>",
        _saved(row),
    ]
    return "<br>".join(p for p in parts if p)
