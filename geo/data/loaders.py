"""Validating loaders for the datasets in ``data/``.

Each loader returns a :class:`geo.core.model.LoadResult`: the clean data plus every rejected item
with its reasons. Loaders take paths or text and never touch streamlit; the app caches them at
its boundary.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from geo.core.crs import WGS84
from geo.core.model import (
    INCIDENT_COLUMNS,
    INCIDENT_EXTRA_COLUMNS,
    INCIDENT_REQUIRED,
    MAX_CELL_CHARS,
    MAX_FATALITIES,
    REGION_BOUNDS,
    LoadResult,
    Rejected,
    as_number,
    check_feature_properties,
    check_incident,
    check_timeline_entry,
    is_blank,
    is_http_url,
    parse_date,
)

DATA_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "data"
ACCEPTED_CRS_NAMES: Final[frozenset[str]] = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "EPSG:4326",
    }
)
FEATURE_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "layer",
    "name",
    "name_ar",
    "status",
    "disputed",
    "valid_from",
    "valid_to",
    "date_precision",
    "basis",
    "confidence",
    "sources",
    "status_changes",
    "notes",
    "attribution",
    "licence",
)


class DatasetError(ValueError):
    """A whole file could not be read (not one bad item: those are rejected, not raised)."""


# ---------------------------------------------------------------------------------------------
# Layer features (GeoJSON FeatureCollections)


def _read_text(source: str | Path | bytes) -> str:
    if isinstance(source, bytes):
        return source.decode("utf-8-sig")
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8-sig")
    return source


def parse_feature_collection(text: str, dataset: str) -> list[Mapping[str, Any]]:
    """Parse GeoJSON text into its feature list, or raise DatasetError with a clear reason."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{dataset}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise DatasetError(
            f"{dataset}: the JSON is nested too deeply to be GeoJSON (hundreds of levels of "
            "brackets)"
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise DatasetError(f"{dataset}: expected a GeoJSON FeatureCollection, found {kind!r}")
    crs = doc.get("crs")
    if crs is not None:
        if isinstance(crs, dict):
            name = (crs.get("properties") or {}).get("name")
        else:
            name = crs if isinstance(crs, str) else None
        if name not in ACCEPTED_CRS_NAMES:
            raise DatasetError(
                f"{dataset}: coordinates must be WGS84 lon/lat (EPSG:4326); the file declares "
                f"CRS {name!r}. Reproject it first."
            )
    features = doc.get("features")
    if not isinstance(features, list):
        raise DatasetError(f"{dataset}: 'features' is not a list")
    return features


def geometry_problems(geom: Any) -> list[str]:
    """Reasons a geometry cannot be used (empty list when fine)."""
    if geom is None or geom.is_empty:
        return ["empty geometry"]
    reasons: list[str] = []
    if shapely.has_z(geom):
        reasons.append("3D geometry: coordinates must be 2D lon/lat")
    if not geom.is_valid:
        reasons.append(f"invalid geometry: {explain_validity(geom)}")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        reasons.append("coordinates are not lon/lat degrees (out of range)")
    return reasons


def load_feature_collection(source: str | Path | bytes, dataset: str) -> LoadResult:
    """Load one FeatureCollection of layer features. Raises DatasetError if unreadable."""
    features = parse_feature_collection(_read_text(source), dataset)
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for index, feature in enumerate(features):
        label = f"feature {index + 1}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            rejected.append(Rejected(dataset, label, ("not a GeoJSON Feature",)))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            rejected.append(Rejected(dataset, label, ("properties is not a JSON object",)))
            continue
        if isinstance(props.get("id"), str) and props["id"].strip():
            label = props["id"]
        reasons = check_feature_properties(props)
        geom = None
        try:
            geom = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as exc:
            reasons.append(f"unreadable geometry: {exc}")
        else:
            reasons += geometry_problems(geom)
        if label in seen:
            reasons.append(f"duplicate id {label!r}")
        if reasons:
            rejected.append(Rejected(dataset, label, tuple(reasons)))
            continue
        seen.add(label)
        rows.append({col: props.get(col) for col in FEATURE_COLUMNS})
        geoms.append(geom)
    frame = gpd.GeoDataFrame(rows, columns=list(FEATURE_COLUMNS), geometry=geoms, crs=WGS84)
    frame = _normalise_feature_frame(frame, dataset)
    return LoadResult(frame, rejected)


def _normalise_feature_frame(frame: gpd.GeoDataFrame, dataset: str) -> gpd.GeoDataFrame:
    # Validated dates may be padded (" 2024-12-08") and valid_to may be blank (open): store
    # plain ISO strings and None, since geo.core.timeline compares them as strings.
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.Series(
            [None if is_blank(v) else parse_date(v).isoformat() for v in frame[col]],
            index=frame.index, dtype=object,
        )
    frame["disputed"] = frame["disputed"].fillna(False).astype(bool)
    frame["date_precision"] = frame["date_precision"].fillna("day")
    for col in ("name_ar", "notes"):
        frame[col] = frame[col].fillna("")
    frame["status_changes"] = [c if isinstance(c, list) else [] for c in frame["status_changes"]]
    frame["dataset"] = dataset
    return frame


def empty_features() -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(columns=[*FEATURE_COLUMNS, "dataset"], geometry=[], crs=WGS84)
    return frame


def load_layers(data_dir: Path = DATA_DIR) -> LoadResult:
    """Load every ``data/layers/*.geojson`` and check that ids are unique across files."""
    frames: list[gpd.GeoDataFrame] = []
    rejected: list[Rejected] = []
    for path in sorted((data_dir / "layers").glob("*.geojson")):
        try:
            result = load_feature_collection(path, path.name)
        except (DatasetError, OSError, UnicodeDecodeError) as exc:
            rejected.append(Rejected(path.name, "(whole file)", (str(exc),)))
            continue
        frames.append(result.data)
        rejected += result.rejected
    if not frames:
        return LoadResult(empty_features(), rejected)
    merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)
    dup = merged["id"].duplicated(keep="first")
    for _, row in merged[dup].iterrows():
        rejected.append(
            Rejected(row["dataset"], row["id"], (f"duplicate id {row['id']!r} across files",))
        )
    return LoadResult(merged[~dup].reset_index(drop=True), rejected)


# ---------------------------------------------------------------------------------------------
# Incidents (CSV in our schema)

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
    """Load incidents in our schema (ACLED-compatible columns). Raises DatasetError if unreadable."""
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


# ---------------------------------------------------------------------------------------------
# Timeline (JSON list of entries)


def read_json_list(source: str | Path | bytes, dataset: str, what: str) -> list[Any]:
    """Parse a JSON file that must hold a list, or raise DatasetError saying why not."""
    try:
        doc = json.loads(_read_text(source))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{dataset}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, list):
        raise DatasetError(f"{dataset}: expected a JSON list of {what}")
    return doc


def checked_items(
    doc: list[Any], dataset: str, noun: str, check: Callable[[dict[str, Any]], list[str]]
) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """The items of a JSON list that are objects, pass ``check`` and have an id not seen
    before, in file order; every other item is rejected with its reasons (labelled by its id,
    else by ``noun`` and position)."""
    clean: list[dict[str, Any]] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for index, item in enumerate(doc):
        if not isinstance(item, dict):
            rejected.append(Rejected(dataset, f"{noun} {index + 1}", ("not an object",)))
            continue
        label = str(item.get("id") or f"{noun} {index + 1}")
        reasons = check(item)
        if label in seen:
            reasons.append(f"duplicate id {label!r}")
        seen.add(label)
        if reasons:
            rejected.append(Rejected(dataset, label, tuple(reasons)))
        else:
            clean.append(item)
    return clean, rejected


def load_timeline(
    source: str | Path | bytes, dataset: str, feature_ids: Iterable[str] = ()
) -> LoadResult:
    """Load timeline entries; each ``changes`` id must resolve to a known layer feature."""
    doc = read_json_list(source, dataset, "timeline entries")
    known = set(feature_ids)

    def check(entry: dict[str, Any]) -> list[str]:
        reasons = check_timeline_entry(entry)
        if not reasons:
            unresolved = [c for c in entry.get("changes", []) if c not in known]
            if unresolved:
                reasons.append(f"unknown feature ids in changes: {', '.join(unresolved)}")
        return reasons

    clean, rejected = checked_items(doc, dataset, "entry", check)
    clean.sort(key=lambda e: (e["date"], e["id"]))
    return LoadResult(clean, rejected)


# ---------------------------------------------------------------------------------------------
# Everything in data/


def load_all(data_dir: Path = DATA_DIR) -> dict[str, LoadResult]:
    """Load every dataset in data/. Whole-file failures become rejected items too."""
    layers = load_layers(data_dir)
    results: dict[str, LoadResult] = {"layers": layers}
    ids = list(layers.data["id"])
    loaders = {
        "incidents": (data_dir / "incidents.csv", load_incidents_csv, ()),
        "timeline": (data_dir / "timeline.json", load_timeline, (ids,)),
    }
    for name, (path, loader, extra) in loaders.items():
        try:
            results[name] = loader(path, path.name, *extra)
        except (DatasetError, OSError, UnicodeDecodeError) as exc:
            empty: Any = [] if name == "timeline" else incident_frame(
                pd.DataFrame(columns=[*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS])
            )
            results[name] = LoadResult(empty, [Rejected(path.name, "(whole file)", (str(exc),))])
    return results


def write_csv_rows(rows: Iterable[Mapping[str, Any]], columns: Iterable[str]) -> str:
    """Write rows as CSV text (used by build scripts and exports)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if is_blank(v) else v) for k, v in row.items()})
    return buffer.getvalue()
