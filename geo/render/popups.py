"""Escaped HTML for the tooltips and popups of map features and incidents.

Every string that reaches a tooltip or popup is HTML-escaped here, and source links are only
emitted for http(s) URLs.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from geo.core import styles
from geo.core.model import is_blank, safe_url


def esc(value: Any) -> str:
    return "" if is_blank(value) else html.escape(str(value), quote=True)


def sources_html(sources: Any) -> str:
    items = []
    for src in sources if isinstance(sources, list) else []:
        if not isinstance(src, Mapping):
            continue
        label = " — ".join(
            esc(src.get(k)) for k in ("publisher", "title", "date") if not is_blank(src.get(k))
        )
        url = safe_url(src.get("url"))
        if url:
            items.append(
                f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
                f"{label or esc(url)}</a></li>"
            )
        else:
            doc = esc(src.get("document"))
            items.append(f"<li>{label}{' (' + doc + ')' if doc else ''}</li>")
    return f"<ul class='src'>{''.join(items)}</ul>" if items else "<i>no source</i>"


def feature_tooltip(row: Mapping[str, Any]) -> str:
    status = styles.STATUS_LABELS.get(row["status_on_date"], row["status_on_date"])
    disputed = " · disputed" if row.get("disputed_on_date") else ""
    arabic = f"<br><span dir='rtl'>{esc(row.get('name_ar'))}</span>" if row.get("name_ar") else ""
    return f"<b>{esc(row['name'])}</b>{arabic}<br>{esc(status)}{disputed}"


def feature_popup(row: Mapping[str, Any]) -> str:
    until = row.get("valid_to")
    dates = f"{esc(row['valid_from'])} – {esc(until) if not is_blank(until) else 'open'}"
    note = row.get("status_note") or ""
    parts = [
        f"<b>{esc(row['name'])}</b>",
        f"<span dir='rtl'>{esc(row.get('name_ar'))}</span>" if row.get("name_ar") else "",
        f"Status on this date: <b>{esc(styles.STATUS_LABELS.get(row['status_on_date']))}</b>"
        + (" · <b>disputed</b>" if row.get("disputed_on_date") else ""),
        f"Valid: {dates} ({esc(row.get('date_precision'))} precision)",
        f"Basis: {esc(row['basis'])} · confidence: {esc(row['confidence'])}",
        f"<i>{esc(note)}</i>" if note else "",
        esc(row.get("notes")),
        "Sources:" + sources_html(row.get("sources")),
        f"<small>{esc(row.get('attribution'))} · {esc(row.get('licence'))}</small>",
    ]
    return "<div class='pp'>" + "<br>".join(p for p in parts if p) + "</div>"


def incident_tooltip(row: Mapping[str, Any]) -> str:
    fat: Any = row.get("fatalities")  # a number, NaN, None or blank text
    fat_text = "not reported" if is_blank(fat) or pd.isna(fat) else str(int(fat))
    precision = styles.PRECISION_LABELS.get(int(row.get("geo_precision") or 1), "")
    return (
        f"<b>{esc(row['event_date'])}</b> · {esc(row['event_type'])}<br>"
        f"{esc(row.get('location'))}<br>fatalities: {fat_text} · location: {esc(precision)}"
    )


def incident_popup(row: Mapping[str, Any]) -> str:
    src = [{"publisher": row.get("source"), "title": row.get("source_title"),
            "date": row.get("source_date"), "url": row.get("url")}]
    parts = [
        incident_tooltip(row),
        f"{esc(row.get('sub_event_type'))}: {esc(row.get('actor1'))}"
        + (f" vs {esc(row.get('actor2'))}" if not is_blank(row.get("actor2")) else ""),
        esc(row.get("notes")),
        f"Basis: {esc(row.get('basis') or 'reported')} · confidence: "
        f"{esc(row.get('confidence') or 'unrated')}",
        f"<i>{esc(row.get('confidence_note'))}</i>" if row.get("confidence_note") else "",
        "Source:" + sources_html(src),
        f"<small>id {esc(row['event_id_cnty'])}</small>",
    ]
    return "<div class='pp'>" + "<br>".join(p for p in parts if p) + "</div>"
