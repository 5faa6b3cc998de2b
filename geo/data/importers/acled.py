"""ACLED exports: their columns, and their dates mapped to ISO days."""

from __future__ import annotations

from typing import Final

import pandas as pd

from geo.core.model import INCIDENT_COLUMNS
from geo.data.importers.rows import column_text
from geo.data.importers.text import ISO_DATE_PREFIX

FORMAT_ACLED: Final[str] = "ACLED export"
#: The columns of an ACLED export (2023- "new" format), in order.
ACLED_COLUMNS: Final[tuple[str, ...]] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
#: Columns only ACLED has (used to tell an ACLED export from a file in our schema).
ACLED_MARKERS: Final[frozenset[str]] = frozenset(ACLED_COLUMNS) - frozenset(INCIDENT_COLUMNS)
ACLED_REQUIRED: Final[tuple[str, ...]] = (
    "event_id_cnty", "event_date", "event_type", "latitude", "longitude",
)
_ACLED_DATE_FORMATS: Final[tuple[str, ...]] = ("%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y")


def map_acled(raw: pd.DataFrame) -> tuple[pd.DataFrame, None, list[str]]:
    out = pd.DataFrame(index=raw.index)
    for col in INCIDENT_COLUMNS:
        out[col] = column_text(raw, col)
    out["event_date"] = normalise_acled_dates(out["event_date"])
    out["url"] = ""
    ignored = [c for c in raw.columns if c not in INCIDENT_COLUMNS]
    return out, None, ignored


def normalise_acled_dates(values: pd.Series) -> pd.Series:
    """ACLED dates to ISO: ``2024-12-08`` stays, ``08 December 2024`` becomes ``2024-12-08``.

    Values that match no format are kept as they are, so that validation names them.
    """
    text = values.fillna("").astype(str).str.strip()
    iso = text.str.extract(ISO_DATE_PREFIX, expand=False)
    out = iso.where(iso.notna(), text)
    todo = iso.isna() & (text != "")
    for fmt in _ACLED_DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            out.loc[ok[ok].index] = parsed[ok].dt.strftime("%Y-%m-%d")
            todo.loc[ok[ok].index] = False
    return out.astype(object)
