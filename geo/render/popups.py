"""Escaped HTML for the tooltips and popups of map features and incidents.

Every string that reaches a tooltip or popup is HTML-escaped here, and source links are only
emitted for http(s) URLs. Popups carry the caveats where they matter: dates no more precise than
their source ("May 2025", "about 3 Feb 2026"), sources that are a republisher's copy, how
precisely a position or incident is placed, where an Arabic name comes from, and the rounded,
schematic area of a schematic polygon.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from geo.core import styles
from geo.core.dates import date_text, entry_precision, incident_precision
from geo.core.model import is_blank, safe_url

#: Shown after a source whose page is a republisher's or mirror's copy (data/SOURCES.md).
VIA_REPUBLISHER: Final[str] = "via republisher"


def esc(value: Any) -> str:
    return "" if is_blank(value) else html.escape(str(value), quote=True)


def is_true(value: Any) -> bool:
    """A flag from JSON (true) or from a CSV cell ("true")."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def sources_html(sources: Any) -> str:
    items = []
    for src in sources if isinstance(sources, list) else []:
        if not isinstance(src, Mapping):
            continue
        label = " — ".join(
            esc(src.get(k)) for k in ("publisher", "title", "date") if not is_blank(src.get(k))
        )
        url = safe_url(src.get("url"))
        via = f" <i>({VIA_REPUBLISHER})</i>" if is_true(src.get("via_republisher")) else ""
        if url:
            items.append(
                f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
                f"{label or esc(url)}</a>{via}</li>"
            )
        else:
            doc = esc(src.get("document"))
            items.append(f"<li>{label}{' (' + doc + ')' if doc else ''}{via}</li>")
    return f"<ul class='src'>{''.join(items)}</ul>" if items else "<i>no source</i>"


#: Languages whose names a popup shows beside the English name, with their label.
NAME_LANGUAGES: Final[dict[str, str]] = {"ar": "Arabic", "he": "Hebrew"}


def arabic_html(name: Any, source: Any = None, of_place: bool = False, lang: str = "ar") -> str:
    """An Arabic (or, with ``lang="he"``, Hebrew) name in its own direction, with the source
    field it was taken from; ``of_place``: the name of the place an item is placed at
    (positions, incidents), not of the item itself."""
    if is_blank(name):
        return ""
    language = NAME_LANGUAGES[lang]
    what = f"the place's {language} name" if of_place else language
    where = f" <small>({what}: {esc(source)})</small>" if not is_blank(source) else ""
    return f"<span dir='auto' lang='{esc(lang)}'>{esc(name)}</span>{where}"


def title_html(row: Mapping[str, Any]) -> str:
    """The feature's name, with its English name where the source gives another one."""
    english = row.get("name_en")
    other = (f" ({esc(english)})" if not is_blank(english)
             and str(english).strip() != str(row["name"]).strip() else "")
    return f"<b>{esc(row['name'])}</b>{other}"


#: The terrain model a popup's elevation comes from (geo.data.dem, data/SOURCES.md).
ELEVATION_LABEL: Final[str] = "Ground at this point (SRTM 90 m)"


def elevation_html(row: Mapping[str, Any]) -> str:
    """A point's elevation from the terrain model (``dem_elevation_m``, sampled by
    geo.render.map); nothing for a row without one (not a point)."""
    if "dem_elevation_m" not in row:
        return ""
    value = row["dem_elevation_m"]
    if is_blank(value):
        return f"{ELEVATION_LABEL}: no terrain data here (none east of 36° E)"
    return f"{ELEVATION_LABEL}: {float(value):,.0f} m"


def location_html(geo_precision: Any, reported: Any = None) -> str:
    """How precisely a point is placed: the label of its geo_precision and its circle."""
    if is_blank(geo_precision):
        return ""
    code = int(geo_precision)
    radius = styles.PRECISION_RADIUS_M[code] / 1000
    text = (f"Location: {esc(styles.PRECISION_LABELS[code])} (precision {code}; circle "
            f"{radius:g} km)")
    if not is_blank(reported):
        text += f" · the source places it at {esc(reported)} level"
    return text


def feature_dates(row: Mapping[str, Any]) -> str:
    precision = entry_precision(row)
    until = row.get("valid_to")
    end = "open" if is_blank(until) else esc(date_text(until))
    return f"{esc(date_text(row['valid_from'], precision))} – {end}"


def feature_tooltip(row: Mapping[str, Any]) -> str:
    status = styles.STATUS_LABELS.get(row["status_on_date"], row["status_on_date"])
    disputed = " · disputed" if row.get("disputed_on_date") else ""
    names = "".join(f"<br>{arabic_html(row.get(f'name_{lang}'), lang=lang)}"
                    for lang in NAME_LANGUAGES if not is_blank(row.get(f"name_{lang}")))
    return f"{title_html(row)}{names}<br>{esc(status)}{disputed}"


def feature_popup(row: Mapping[str, Any]) -> str:
    note = row.get("status_note") or ""
    parts = [
        title_html(row),
        arabic_html(row.get("name_ar"), row.get("name_ar_source"),
                    of_place=row.get("layer") == "position"),
        arabic_html(row.get("name_he"), row.get("name_he_source"), lang="he"),
        f"Status on this date: <b>{esc(styles.STATUS_LABELS.get(row['status_on_date']))}</b>"
        + (" · <b>disputed</b>" if row.get("disputed_on_date") else ""),
        f"Valid: {feature_dates(row)}",
        location_html(row.get("geo_precision"), row.get("location_precision_reported")),
        elevation_html(row),
        f"Area: {esc(row.get('area_label'))}" if not is_blank(row.get("area_label")) else "",
        f"Basis: {esc(row['basis'])} · confidence: {esc(row['confidence'])}",
        f"<i>{esc(note)}</i>" if note else "",
        esc(row.get("notes")),
        "Sources:" + sources_html(row.get("sources")),
        f"<small>{esc(row.get('attribution'))} · {esc(row.get('licence'))}</small>",
    ]
    return "<div class='pp'>" + "<br>".join(p for p in parts if p) + "</div>"


def incident_date(row: Mapping[str, Any]) -> str:
    """The event's date as precisely as it is known ("May 2025", "about 3 Feb 2026")."""
    return date_text(row["event_date"], incident_precision(row.get("time_precision")))


def incident_tooltip(row: Mapping[str, Any]) -> str:
    fat: Any = row.get("fatalities")  # a number, NaN, None or blank text
    fat_text = "not reported" if is_blank(fat) or pd.isna(fat) else str(int(fat))
    precision = styles.PRECISION_LABELS.get(int(row.get("geo_precision") or 1), "")
    return (
        f"<b>{esc(incident_date(row))}</b> · {esc(row['event_type'])}<br>"
        f"{esc(row.get('location'))}<br>fatalities: {fat_text} · location: {esc(precision)}"
    )


def _district(row: Mapping[str, Any]) -> str:
    admin2, reported = row.get("admin2"), row.get("admin2_reported")
    if is_blank(admin2):
        return ""
    text = f"District: {esc(admin2)} (from the point)"
    if not is_blank(reported) and str(reported).strip() != str(admin2).strip():
        text += f" · the report says {esc(reported)}"
    return text


#: A popup's box and the line break between its parts.
POPUP_OPEN: Final[str] = "<div class='pp'>"
POPUP_BREAK: Final[str] = "<br>"
POPUP_CLOSE: Final[str] = "</div>"


def popup_html(tooltip: str, details: str) -> str:
    """An incident's popup: its tooltip, then its details (both escaped HTML). The map sends
    the two apart and the browser joins them the same way (geo.render.elements.GeoJsonLayer),
    so that the tooltip's text is sent once."""
    return f"{POPUP_OPEN}{tooltip}{POPUP_BREAK}{details}{POPUP_CLOSE}"


def incident_details(row: Mapping[str, Any]) -> str:
    """What an incident's popup shows below its tooltip, as escaped HTML."""
    src = [{"publisher": row.get("source"), "title": row.get("source_title"),
            "date": row.get("source_date"), "url": row.get("url"),
            "via_republisher": row.get("source_via_republisher")}]
    parts = [
        arabic_html(row.get("place_ar"), row.get("place_ar_source"), of_place=True),
        f"{esc(row.get('sub_event_type'))}: {esc(row.get('actor1'))}"
        + (f" vs {esc(row.get('actor2'))}" if not is_blank(row.get("actor2")) else ""),
        _district(row),
        elevation_html(row),
        esc(row.get("notes")),
        f"Basis: {esc(row.get('basis') or 'reported')} · confidence: "
        f"{esc(row.get('confidence') or 'unrated')}",
        f"<i>{esc(row.get('confidence_note'))}</i>" if row.get("confidence_note") else "",
        "Source:" + sources_html(src),
        f"<small>id {esc(row['event_id_cnty'])}</small>",
    ]
    return POPUP_BREAK.join(p for p in parts if p)


def incident_popup(row: Mapping[str, Any]) -> str:
    return popup_html(incident_tooltip(row), incident_details(row))
