"""The map legend: a control naming each layer shown with its swatch, then the status styles and
the incident types (escaped HTML), and the CSS of the legend and popups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from geo.core import styles
from geo.core.vocabulary import GROUP_LABELS
from geo.render.elements import BoxControl
from geo.render.popups import esc

#: The legend starts folded (a click on "Legend" opens it) on maps lower than this, where it
#: would cover the middle of the map (the side-by-side maps of the briefing, say).
LEGEND_FOLD_BELOW_PX: Final[int] = 640


class Legend(BoxControl):
    """The legend control (bottom left), built from geo.core.styles (escaped HTML)."""

    def __init__(self, legend_html: str) -> None:
        super().__init__(legend_html, "bottomleft", "map-legend")


def _swatch(style: dict[str, Any]) -> str:
    """A small filled box in a layer's outline, fill and fill opacity."""
    return (f"<svg width='28' height='14'><rect x='1.5' y='1.5' width='25' height='11' "
            f"fill='{esc(style.get('fillColor', style['color']))}' "
            f"fill-opacity='{float(style.get('fillOpacity', 0.2)):g}' "
            f"stroke='{esc(style['color'])}' stroke-width='2'/></svg>")


def _line(style: dict[str, Any]) -> str:
    dash = style.get("dashArray") or ""
    return (f"<svg width='28' height='10'><line x1='0' y1='5' x2='28' y2='5' "
            f"stroke='{esc(style['color'])}' stroke-width='{float(style.get('weight', 3)):g}' "
            f"stroke-dasharray='{esc(dash)}'/></svg>")


def legend_html(event_types: Iterable[str], groups: Iterable[str] = ()) -> str:
    """The legend: each layer group shown (``groups``) with its swatch, then the status styles
    (dash and weight), location uncertainty and the incident types."""
    layers = [f"<div>{_swatch(style)} {esc(GROUP_LABELS[group])}</div>"
              for group, style in styles.layer_legend_entries(groups)]
    rows = [f"<div>{_line(style)} {esc(label)}</div>" for label, style in styles.legend_entries()]
    for event_type in sorted(set(event_types)):
        rows.append(
            f"<div><span class='dot' style='background:{esc(styles.event_color(event_type))}'>"
            f"</span> {esc(event_type)}</div>"
        )
    return (
        f"<details open data-fold-below='{LEGEND_FOLD_BELOW_PX}'><summary>Legend</summary>"
        "<style>.map-legend{background:rgba(255,255,255,.92);padding:6px 8px;font:12px/1.35 "
        "sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:250px;"
        "max-height:60vh;overflow-y:auto}.map-legend summary{cursor:pointer;font-weight:bold}"
        ".map-legend .dot{display:inline-block;width:10px;height:10px;border-radius:50%;"
        "border:1px solid #222}.map-legend b{display:block;margin-top:3px}"
        ".pp{font:12px/1.4 sans-serif}.pp ul.src{margin:2px 0 0 16px;"
        "padding:0}.leaflet-popup-content{max-height:300px;overflow-y:auto}</style>"
        + ("<b>Layers</b>" + "".join(layers) if layers else "")
        + "<b>Status on the chosen date</b>" + "".join(rows)
        + "<div><svg width='28' height='14'><circle cx='14' cy='7' r='6' fill='none' "
        "stroke='#555' stroke-dasharray='3 3'/></svg> Location uncertainty: "
        + " / ".join(f"{m / 1000:g}" for m in styles.PRECISION_RADIUS_M.values()) + " km</div>"
        + "<div style='margin-top:4px;color:#555'>Marker size: fatalities</div></details>"
    )
