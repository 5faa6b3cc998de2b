"""The naive baseline the benchmark compares against: what a first folium + streamlit-folium
dashboard does with incidents, one ``folium.CircleMarker`` with a popup per incident.

It uses nothing of geo.render.map (no aggregation, no shared styles, no pre-serialised JSON).
"""

from __future__ import annotations

import html

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.core.styles import event_color
from geo.render.assets import localise


class JQueryStandIn(MacroElement):
    """folium's popups call jQuery's ``$(html)[0]``. jQuery is not vendored (the app never
    uses it) and no CDN is reachable, so the baseline gets this stand-in for that one call,
    run before the markers (st_folium does not run scripts put in the page header)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.$ = window.$ || function(h) {
            var t = document.createElement('template');
            t.innerHTML = h.trim();
            return [t.content.firstChild];
        };
        {% endmacro %}
    """)


def naive_map(incidents: pd.DataFrame) -> folium.Map:
    """One CircleMarker per incident, each with a tooltip and an HTML popup."""
    fmap = folium.Map(location=[33.05, 35.85], zoom_start=10)
    for row in incidents.itertuples(index=False):
        popup = (
            f"<b>{html.escape(str(row.event_date))}</b> {html.escape(str(row.event_type))}<br>"
            f"{html.escape(str(row.location))}<br>{html.escape(str(row.notes))}<br>"
            f"fatalities: {html.escape(str(row.fatalities))} · source: "
            f"{html.escape(str(row.source))}"
        )
        folium.CircleMarker(
            location=[row.latitude, row.longitude], radius=5, color="#222222", weight=1,
            fill=True, fill_color=event_color(str(row.event_type)), fill_opacity=0.85,
            className="incident", tooltip=html.escape(str(row.event_type)),
            popup=folium.Popup(popup, max_width=300),
        ).add_to(fmap)
    return fmap


def naive_page(incidents: pd.DataFrame) -> folium.Map:
    """:func:`naive_map` with its assets served locally (geo.render.assets.localise, as the
    app's)."""
    fmap = localise(naive_map(incidents))
    fmap.add_child(JQueryStandIn(), name="jquery_stand_in")
    fmap._children.move_to_end("jquery_stand_in", last=False)
    return fmap
