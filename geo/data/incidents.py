"""Incidents in our schema: the incident rules, the CSV loader and the typed frame.

:func:`incident_reasons` is the one set of incident rules: it gives every row of a table the
reasons it is refused, column by column. :func:`load_incidents_csv` reads ``data/incidents.csv``
(or any CSV in our columns) and :func:`validate_incident_rows` checks its rows; the importers
map uploads to our columns and check them with the same rules (:func:`split_rows` names each
refused row by its number in the file). :func:`incident_frame` types the rows kept and adds
point geometry.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.crs import WGS84
from geo.core.model import (
    INCIDENT_COLUMNS,
    INCIDENT_EXTRA_COLUMNS,
    INCIDENT_REQUIRED,
    MAX_CELL_CHARS,
    MAX_FATALITIES,
    REGION_BOUNDS,
    DatasetError,
    LoadResult,
    Rejected,
    as_number,
    is_blank,
    is_http_url,
    parse_date,
)

#: Rows parsed at a time: the parser's Python strings for one chunk at most are alive at once.
CSV_CHUNK_ROWS: Final[int] = 100_000


def _csv_buffer(source: str | Path | bytes) -> io.IOBase:
    """The CSV for pandas, without a text copy of a whole file (a str in a StringIO costs four
    bytes a character). Bytes must decode as UTF-8 (a UnicodeDecodeError says they do not, as
    when the other loaders read text); one leading BOM is dropped, like "utf-8-sig" does."""
    if isinstance(source, str):
        return io.StringIO(source)
    data = source.read_bytes() if isinstance(source, Path) else source
    data.decode("utf-8-sig")  # the check only: the text is not kept
    return io.BytesIO(data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data)


def _read_csv(source: str | Path | bytes) -> pd.DataFrame:
    """Every cell as text; the file's bytes are released before validation starts."""
    with _csv_buffer(source) as buffer:
        chunks = pd.read_csv(buffer, dtype=str, keep_default_na=False, chunksize=CSV_CHUNK_ROWS)
        with chunks:
            return pd.concat(list(chunks), ignore_index=True)


def load_incidents_csv(source: str | Path | bytes, dataset: str) -> LoadResult:
    """Load incidents in our schema (ACLED-compatible columns).

    Raises DatasetError if unreadable."""
    try:
        frame = _read_csv(source)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(f"{dataset}: not a readable CSV ({exc})") from None
    missing = [c for c in INCIDENT_REQUIRED if c not in frame]
    if missing:
        raise DatasetError(f"{dataset}: missing required columns: {', '.join(missing)}")
    return validate_incident_rows(frame, dataset)


def validate_incident_rows(frame: pd.DataFrame, dataset: str) -> LoadResult:
    """Validate the rows of a CSV in our column names (its row 1 is the header) by the incident
    rules (:func:`incident_reasons`); build the clean GeoDataFrame."""
    table, ignored = incident_table(frame)
    rows = range(2, len(table) + 2)
    clean, rejected = split_rows(table, incident_reasons(table), dataset, rows, "row")
    return LoadResult(clean, rejected, ignored)


def incident_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` in the incident columns, in schema order (a column it lacks is blank, a
    missing value is ""), and the names of its other columns, which are ignored."""
    columns = [*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS]
    ignored = [c for c in frame.columns if c not in set(columns)]
    return frame.reindex(columns=columns, fill_value="").fillna(""), ignored


def event_ids(table: pd.DataFrame) -> pd.Series:
    """The event id of every row, stripped ("" when there is none)."""
    ids = _per_value(table["event_id_cnty"], lambda v: str(v or "").strip(), object)
    return pd.Series(ids, index=table.index, dtype=object)


def split_rows(
    table: pd.DataFrame, reasons: pd.Series, dataset: str, rows: Sequence[int], unit: str
) -> tuple[gpd.GeoDataFrame, list[Rejected]]:
    """The rows of ``table`` without reasons, typed (:func:`incident_frame`), and a
    :class:`Rejected` for every other row, named by ``unit`` and its number in the file
    (``rows``, in table order), which it also carries as ``row``."""
    refused = reasons.map(bool).to_numpy(dtype=bool)
    idents = event_ids(table)
    rejected = [
        Rejected(dataset, f"{unit} {rows[pos]} ({idents.iat[pos][:60] or 'no id'})",
                 reasons.iat[pos], row=rows[pos])
        for pos in np.flatnonzero(refused).tolist()
    ]
    return incident_frame(table.loc[~refused] if refused.any() else table), rejected


def _strings(values: pd.Series) -> bool:
    return bool(len(values)) and pd.api.types.infer_dtype(values, skipna=False) == "string"


def _per_value(values: pd.Series, check: Callable[[Any], Any], dtype: Any) -> np.ndarray:
    """``check`` of every value, computed once per distinct value when all are strings."""
    if _strings(values):
        codes, uniques = pd.factorize(values)
        if not (codes < 0).any():
            return np.asarray([check(u) for u in uniques.tolist()], dtype=dtype)[codes]
    return np.asarray([check(v) for v in values.tolist()], dtype=dtype)


def _flags(values: pd.Series, check: Callable[[Any], bool]) -> np.ndarray:
    return _per_value(values, check, bool)


def _number(value: Any) -> float:
    number = as_number(value)
    return np.nan if number is None else number


#: Plain decimals ("33.12345", "-7", "0"): every correctly rounded reader (Python's float(),
#: which as_number uses, and Arrow's) gives the same double, so they are converted at once.
_PLAIN_DECIMAL: Final[str] = r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?"
#: URLs that is_http_url certainly accepts (http(s), a plain host, printable ASCII after it).
_PLAIN_HTTP_URL: Final[str] = r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?"


def _matching(values: pd.Series, pattern: str) -> np.ndarray:
    if not _strings(values):
        return np.zeros(len(values), dtype=bool)
    return values.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)


def _numbers(values: pd.Series) -> np.ndarray:
    """:func:`geo.core.model.as_number` of every value, as floats (NaN where it gives None)."""
    plain = _matching(values, _PLAIN_DECIMAL)
    if not plain.any():
        return _per_value(values, _number, float)
    out = np.empty(len(values), dtype=float)
    chosen = values[plain]
    arrow = isinstance(chosen.dtype, pd.StringDtype) and chosen.dtype.storage == "pyarrow"
    out[plain] = chosen.astype("float64[pyarrow]" if arrow else float).to_numpy(dtype=float)
    if not plain.all():
        out[~plain] = _per_value(values[~plain], _number, float)
    return out


def _too_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > MAX_CELL_CHARS


def incident_reasons(table: pd.DataFrame, today: dt.date | None = None) -> pd.Series:
    """The incident rules: for every row of ``table`` (as :func:`incident_table` gives it), the
    reasons it is not a usable incident, in a fixed order; an empty tuple when it is one.

    Each rule is checked column by column (each distinct text once); reasons are written out
    only for the rows that break a rule. A row that lacks a required field gets only the
    "missing" reasons (and "duplicate"). Of the rows that share an event id, the first is
    kept and the others are duplicates.
    """
    today = today or dt.date.today()
    found: defaultdict[int, list[str]] = defaultdict(list)

    incomplete = np.zeros(len(table), dtype=bool)
    for key in INCIDENT_REQUIRED:
        missing = _flags(table[key], is_blank)
        for p in _where(missing):
            found[p].append(f"missing {key}")
        incomplete |= missing
    checked = ~incomplete

    dates = table["event_date"]
    for p in _where(checked & _flags(dates, lambda v: parse_date(v) is None)):
        found[p].append(f"event_date is not a date: {str(dates.iat[p])[:40]!r}")
    for p in _where(checked & _flags(dates, lambda v: (d := parse_date(v)) is not None
                                     and d > today)):
        found[p].append(f"event_date {parse_date(dates.iat[p])} is in the future")

    lat, lon = _numbers(table["latitude"]), _numbers(table["longitude"])
    west, south, east, north = REGION_BOUNDS
    with np.errstate(invalid="ignore"):
        numeric = checked & ~(np.isnan(lat) | np.isnan(lon))
        on_earth = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        inside = (south <= lat) & (lat <= north) & (west <= lon) & (lon <= east)
        swapped = (south <= lon) & (lon <= north) & (west <= lat) & (lat <= east)

    def point(p: int) -> str:
        return f"lat {float(lat[p])}, lon {float(lon[p])}"

    for p in _where(checked & ~numeric):
        found[p].append("latitude/longitude are not numbers")
    for p in _where(numeric & ~on_earth):
        found[p].append(f"coordinates out of range: {point(p)}")
    outside = numeric & on_earth & ~inside
    for p in _where(outside & swapped):
        found[p].append(f"latitude and longitude look swapped ({point(p)}): "
                        "the point falls outside the region")
    for p in _where(outside & ~swapped):
        found[p].append(f"coordinates fall outside the region: {point(p)}")

    deaths = table["fatalities"]
    count = _numbers(deaths)
    given = checked & ~_flags(deaths, is_blank)
    with np.errstate(invalid="ignore"):
        whole = given & np.isfinite(count) & (count == np.trunc(count))
    for p in _where(given & ~whole):
        found[p].append(f"fatalities is not a whole number: {str(deaths.iat[p])[:20]!r}")
    for p in _where(whole & (count < 0)):
        found[p].append(f"fatalities is negative: {int(count[p])}")
    for p in _where(whole & (count > MAX_FATALITIES)):
        found[p].append(f"fatalities {str(deaths.iat[p]).strip()[:24]} is implausibly large "
                        f"for one event (more than {MAX_FATALITIES:,})")

    for key in ("geo_precision", "time_precision"):
        codes = table[key]
        wrong = ~_flags(codes, is_blank) & ~np.isin(_numbers(codes), (1.0, 2.0, 3.0))
        for p in _where(checked & wrong):
            found[p].append(f"{key} {str(codes.iat[p])[:20]!r} is not 1, 2 or 3")

    for key in table.columns:
        cells = table[key]
        too_long = ((cells.str.len() > MAX_CELL_CHARS).to_numpy(dtype=bool) if _strings(cells)
                    else _flags(cells, _too_long))
        for p in _where(checked & too_long):
            found[p].append(f"{str(key)[:40]} is {len(cells.iat[p]):,} characters long; the "
                            f"limit is {MAX_CELL_CHARS:,}")

    url = table["url"]
    plain_url = _matching(url, _PLAIN_HTTP_URL)
    others = url.mask(plain_url, "")
    no_url = ~plain_url & _flags(others, is_blank)
    for p in _where(checked & ~plain_url & ~no_url & ~_flags(others, is_http_url)):
        found[p].append(f"url is not an http(s) URL: {str(url.iat[p])[:80]!r}")
    for p in _where(checked & no_url & _flags(table["source"], is_blank)):
        found[p].append("no source: give a source name or a url")

    idents = event_ids(table)
    for p in _where(((idents != "") & idents.duplicated(keep="first")).to_numpy(dtype=bool)):
        found[p].append(f"duplicate event_id_cnty {idents.iat[p]!r}")

    reasons = pd.Series([()] * len(table), index=table.index, dtype=object)
    for pos, listed in found.items():
        reasons.iat[pos] = tuple(listed)
    return reasons


def _where(mask: np.ndarray) -> list[int]:
    """The positions where ``mask`` is true."""
    return [int(p) for p in np.flatnonzero(mask)]


def incident_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Type the columns of validated incident rows and add point geometry."""
    out = frame.copy()

    def numbers(column: str) -> pd.Series:
        # The validator's own reading (as_number), so that every value it let through converts
        # (Arabic-Indic digits, padded cells); blanks become NaN.
        return pd.Series(_numbers(out[column]), index=out.index)

    out["latitude"] = numbers("latitude")
    out["longitude"] = numbers("longitude")
    out["fatalities"] = numbers("fatalities").astype("Int64")
    out["geo_precision"] = numbers("geo_precision").fillna(1).astype(int)
    out["time_precision"] = numbers("time_precision").fillna(1).astype(int)
    # Dates stay ISO strings: GeoDataFrame.to_json cannot serialise date columns.
    out["event_date"] = pd.to_datetime(
        out["event_date"].astype(str).str.strip(), format="%Y-%m-%d"
    ).dt.strftime("%Y-%m-%d")
    geometry = gpd.points_from_xy(out["longitude"], out["latitude"], crs=WGS84)
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geometry, crs=WGS84)
