"""The map legend: a control listing the status styles and incident types (escaped HTML), and
the CSS of the legend and popups; and the element that hides place labels below the label zoom."""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import Template

from geo.core import styles
from geo.core.vocabulary import LABEL_MIN_ZOOM
from geo.render.elements import BoxControl, ScriptElement
from geo.render.popups import esc


class Legend(BoxControl):
    """The legend control (bottom left), built from geo.core.styles (escaped HTML)."""

    def __init__(self, legend_html: str) -> None:
        super().__init__(legend_html, "bottomleft", "map-legend")


class LabelZoom(ScriptElement):
    """Hides place labels below the label zoom (the CSS class ``hide-labels`` on the map)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            function labels() {
                map.getContainer().classList.toggle(
                    'hide-labels', map.getZoom() < {{ this.label_min_zoom }});
            }
            map.on('zoomend', labels); labels();
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "LabelZoom"
        self.label_min_zoom = LABEL_MIN_ZOOM


def legend_html(event_types: Iterable[str]) -> str:
    rows = []
    for label, style in styles.legend_entries():
        dash = style.get("dashArray") or ""
        rows.append(
            f"<div><svg width='28' height='10'><line x1='0' y1='5' x2='28' y2='5' "
            f"stroke='{esc(style['color'])}' stroke-width='3' stroke-dasharray='{esc(dash)}'/>"
            f"</svg> {esc(label)}</div>"
        )
    for event_type in sorted(set(event_types)):
        rows.append(
            f"<div><span class='dot' style='background:{esc(styles.event_color(event_type))}'>"
            f"</span> {esc(event_type)}</div>"
        )
    return (
        "<style>.map-legend{background:rgba(255,255,255,.92);padding:6px 8px;font:12px/1.35 "
        "sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:230px}"
        ".map-legend .dot{display:inline-block;width:10px;height:10px;border-radius:50%;"
        "border:1px solid #222}.pp{font:12px/1.4 sans-serif}.pp ul.src{margin:2px 0 0 16px;"
        "padding:0}.leaflet-popup-content{max-height:300px;overflow-y:auto}</style>"
        "<b>Status on the chosen date</b>" + "".join(rows)
        + "<div><svg width='28' height='14'><circle cx='14' cy='7' r='6' fill='none' "
        "stroke='#555' stroke-dasharray='3 3'/></svg> Location uncertainty: "
        + " / ".join(f"{m / 1000:g}" for m in styles.PRECISION_RADIUS_M.values()) + " km</div>"
        + "<div style='margin-top:4px;color:#555'>Marker size: fatalities</div>"
    )
