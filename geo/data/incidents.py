"""Incidents in our schema: the CSV loader, row validation and the typed frame.

:func:`load_incidents_csv` reads ``data/incidents.csv`` (or any CSV in our columns);
:func:`validate_incident_rows` checks rows already in our column names (the importers map
uploads to them first); :func:`incident_frame` types validated rows and adds point geometry.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
from collections.abc import Callable
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
    check_incident,
    is_blank,
    is_http_url,
    parse_date,
)

_INCIDENT_DTYPES: Final[dict[str, str]] = {c: "string" for c in INCIDENT_COLUMNS}


#: Rows parsed at a time: the parser's Python strings for one chunk at most are alive at once.
CSV_CHUNK_ROWS: Final[int] = 100_000


def _csv_buffer(source: str | Path | bytes) -> io.IOBase:
    """The CSV for pandas, without a text copy of a whole file (a str in a StringIO costs four
    bytes a character). Bytes must decode as UTF-8 as in :func:`_read_text`, which raises the
    same UnicodeDecodeError; one leading BOM is dropped, like "utf-8-sig" does."""
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
    """Validate incident rows already in our column names; build the clean GeoDataFrame.

    The rules are those of :func:`geo.core.model.check_incident`. A vectorised pass finds the rows
    that plainly pass them (:func:`plainly_valid`); only the other rows, and duplicates, go
    through ``check_incident`` one by one, which gives the reasons of every rejected row.
    """
    known = set(INCIDENT_COLUMNS) | set(INCIDENT_EXTRA_COLUMNS)
    ignored = [c for c in frame.columns if c not in known]
    for col in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS):
        if col not in frame:
            frame[col] = ""
    frame = frame[[*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS]].fillna("")
    idents = pd.Series(
        _per_value(frame["event_id_cnty"], lambda v: str(v or "").strip(), object),
        index=frame.index,
    )
    duplicate = ((idents != "") & idents.duplicated(keep="first")).to_numpy()
    suspect = np.flatnonzero(~plainly_valid(frame) | duplicate)
    keep = np.ones(len(frame), dtype=bool)
    rejected: list[Rejected] = []
    rows = frame.iloc[suspect].to_dict("records") if suspect.size else []
    for pos, row in zip(suspect.tolist(), rows, strict=True):
        reasons = check_incident(row)
        ident = idents.iat[pos]
        if duplicate[pos]:
            reasons.append(f"duplicate event_id_cnty {ident!r}")
        if reasons:
            label = f"row {pos + 2} ({ident or 'no id'})"
            rejected.append(Rejected(dataset, label, tuple(reasons)))
            keep[pos] = False
    clean = frame if keep.all() else frame.loc[keep]
    return LoadResult(incident_frame(clean), rejected, ignored)


def _strings(values: pd.Series) -> bool:
    return bool(len(values)) and pd.api.types.infer_dtype(values, skipna=False) == "string"


def _per_value(values: pd.Series, check: Callable[[Any], Any], dtype: Any) -> np.ndarray:
    """``check`` of every value, computed once per distinct value when all are strings."""
    if _strings(values):
        codes, uniques = pd.factorize(values)
        if not (codes < 0).any():
            return np.asarray([check(u) for u in uniques.tolist()], dtype=dtype)[codes]
    return np.asarray([check(v) for v in values.tolist()], dtype=dtype)


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


def _fatalities_ok(value: Any) -> bool:
    if is_blank(value):
        return True
    number = as_number(value)
    return number is not None and number == int(number) and 0 <= number <= MAX_FATALITIES


def _precision_ok(value: Any) -> bool:
    return is_blank(value) or as_number(value) in (1.0, 2.0, 3.0)


def _short(value: Any) -> bool:
    return not (isinstance(value, str) and len(value) > MAX_CELL_CHARS)


def plainly_valid(frame: pd.DataFrame, today: dt.date | None = None) -> np.ndarray:
    """Rows that :func:`geo.core.model.check_incident` accepts, found column by column with its own
    scalar rules (each distinct value checked once). True implies ``check_incident`` gives no
    reason; a row found False is checked again one by one, for its reasons.
    ``tests/geo/test_io_fast.py`` holds the two to the same rules."""
    today = today or dt.date.today()
    ok = np.ones(len(frame), dtype=bool)
    for key in INCIDENT_REQUIRED:
        ok &= ~_per_value(frame[key], is_blank, bool)

    def dated(value: Any) -> bool:
        day = parse_date(value)
        return day is not None and day <= today

    ok &= _per_value(frame["event_date"], dated, bool)
    lat, lon = _numbers(frame["latitude"]), _numbers(frame["longitude"])
    west, south, east, north = REGION_BOUNDS
    with np.errstate(invalid="ignore"):
        ok &= (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    ok &= _per_value(frame["fatalities"], _fatalities_ok, bool)
    for key in ("geo_precision", "time_precision"):
        ok &= _per_value(frame[key], _precision_ok, bool)
    for key in frame.columns:
        column = frame[key]
        if _strings(column):
            ok &= (column.str.len() <= MAX_CELL_CHARS).to_numpy(dtype=bool)
        else:
            ok &= _per_value(column, _short, bool)
    good_url = _matching(frame["url"], _PLAIN_HTTP_URL)
    others = frame["url"].mask(good_url, "")
    blank_url = ~good_url & _per_value(others, is_blank, bool)
    ok &= good_url | blank_url | _per_value(others, is_http_url, bool)
    ok &= ~(_per_value(frame["source"], is_blank, bool) & blank_url)
    return ok


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
