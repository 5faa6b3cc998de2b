"""UCDP GED (with a header row, or an interim release without one): columns and mapping."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pandas as pd

from geo.core.model import is_http_url
from geo.data.importers.rows import column_text
from geo.data.importers.text import ISO_DATE_PREFIX, is_number

FORMAT_UCDP: Final[str] = "UCDP GED"
FORMAT_UCDP_NO_HEADER: Final[str] = "UCDP GED (no header row)"

#: The columns of UCDP GED (global releases and candidate/interim releases), in file order.
#: Interim releases are sometimes published without a header row; they are read by position.
#: (Published GED headers put ``high`` before ``low``; only ``best`` is used here.)
UCDP_GED_COLUMNS: Final[tuple[str, ...]] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)
assert len(UCDP_GED_COLUMNS) == 49 and len(set(UCDP_GED_COLUMNS)) == 49
UCDP_REQUIRED: Final[tuple[str, ...]] = (
    "id", "date_start", "type_of_violence", "latitude", "longitude",
)
#: UCDP columns this importer reads; every other column is reported as ignored.
UCDP_USED: Final[tuple[str, ...]] = (
    "id", "type_of_violence", "side_a", "side_b", "source_article", "source_office",
    "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "date_prec", "date_start", "best",
)
UCDP_VIOLENCE: Final[dict[int, str]] = {
    1: "UCDP: state-based",
    2: "UCDP: non-state",
    3: "UCDP: one-sided",
}
#: UCDP date_prec (1 exact day … 5 year) to ACLED time_precision (1 day, 2 week, 3 month).
UCDP_DATE_PREC: Final[dict[int, str]] = {1: "1", 2: "2", 3: "2", 4: "3", 5: "3"}
#: UCDP where_prec (1 exact place … 7 country) to ACLED geo_precision (1 town, 2 near, 3 region).
UCDP_WHERE_PREC: Final[dict[int, str]] = {1: "1", 2: "2", 3: "2", 4: "3", 5: "3", 6: "3", 7: "3"}
#: Columns only UCDP GED has (used to recognise a GED file even when columns are missing).
UCDP_MARKERS: Final[frozenset[str]] = frozenset(UCDP_GED_COLUMNS) - frozenset(
    {"id", "year", "latitude", "longitude", "country", "region"}
)


def looks_like_ged_row(fields: Sequence[str]) -> bool:
    """A data row of UCDP GED: numeric id and year, numeric latitude/longitude, a start date."""
    if len(fields) != len(UCDP_GED_COLUMNS):
        return False
    get = dict(zip(UCDP_GED_COLUMNS, fields, strict=True)).get
    return (
        is_number(get("id"))
        and bool(re.fullmatch(r"\s*\d{4}\s*", get("year") or ""))
        and is_number(get("latitude"))
        and is_number(get("longitude"))
        and bool(ISO_DATE_PREFIX.match(get("date_start") or ""))
    )


def _code_map(
    values: pd.Series, mapping: Mapping[int, str], column: str, allowed: str
) -> tuple[pd.Series, list[str | None]]:
    """Map integer codes; returns the mapped values and a reason (or None) per row."""
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.where(numbers.notna() & (numbers == numbers.round()))
    mapped = whole.map({float(code): label for code, label in mapping.items()})
    def reason(ok: bool, value: Any) -> str | None:
        if ok:
            return None
        text = str(value).strip()
        return f"missing {column}" if not text else f"{column} {text[:20]!r} is not {allowed}"

    reasons = [
        reason(ok, v) for ok, v in zip(mapped.notna().tolist(), values.tolist(), strict=True)
    ]
    return mapped.fillna("").astype(object), reasons


def map_ucdp(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[list[str]], list[str]]:
    text = {col: column_text(raw, col) for col in UCDP_USED}
    out = pd.DataFrame(index=raw.index)
    ident = text["id"].str.replace(r"\.0+$", "", regex=True)
    out["event_id_cnty"] = ("UCDP-" + ident).where(ident != "", "")
    start = text["date_start"].str.extract(ISO_DATE_PREFIX, expand=False)
    out["event_date"] = start.where(start.notna(), text["date_start"]).astype(object)
    time_precision, date_reasons = _code_map(text["date_prec"], UCDP_DATE_PREC, "date_prec", "1-5")
    out["time_precision"] = time_precision
    violence, violence_reasons = _code_map(
        text["type_of_violence"], UCDP_VIOLENCE, "type_of_violence", "1, 2 or 3"
    )
    out["event_type"] = violence.where(
        violence != "", "UCDP: type_of_violence " + text["type_of_violence"]
    )
    out["sub_event_type"] = ""
    out["actor1"] = text["side_a"]
    out["actor2"] = text["side_b"]
    out["admin1"] = text["adm_1"]
    out["admin2"] = text["adm_2"]
    out["admin3"] = ""
    out["location"] = text["where_coordinates"]
    out["latitude"] = text["latitude"]
    out["longitude"] = text["longitude"]
    geo_precision, where_reasons = _code_map(
        text["where_prec"], UCDP_WHERE_PREC, "where_prec", "1-7"
    )
    out["geo_precision"] = geo_precision
    out["source"] = text["source_office"].where(text["source_office"] != "", "UCDP GED")
    out["notes"] = text["source_headline"]
    out["fatalities"] = text["best"].str.replace(r"\.0+$", "", regex=True)
    article = text["source_article"]
    looks_like_url = article.str.match(r"^https?://\S+$")
    out["url"] = article.where(looks_like_url, "").map(lambda u: u if is_http_url(u) else "")
    pre = [
        [r for r in reasons if r]
        for reasons in zip(date_reasons, violence_reasons, where_reasons, strict=True)
    ]
    ignored = [c for c in raw.columns if c not in UCDP_USED]
    return out.astype(object), pre, ignored
