"""Validating loaders for the datasets in ``data/``.

Each loader returns a :class:`geo.core.model.LoadResult`: the clean data plus every rejected item
with its reasons. Loaders take paths or text and never touch streamlit; the app caches them at
its boundary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from geo.core.crs import WGS84
from geo.core.model import (
    INCIDENT_COLUMNS,
    INCIDENT_EXTRA_COLUMNS,
    DatasetError,
    LoadResult,
    Rejected,
    check_feature_properties,
    check_timeline_entry,
    is_blank,
    parse_date,
)
from geo.data.coverage import NO_COVERAGE, load_coverage
from geo.data.feature_checks import check_feature_extras, position_reasons, unlocated_reasons
from geo.data.incidents import incident_frame, load_incidents_csv

DATA_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "data"
ACCEPTED_CRS_NAMES: Final[frozenset[str]] = frozenset(
    {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "urn:ogc:def:crs:EPSG::4326",
     WGS84}
)
FEATURE_COLUMNS: Final[tuple[str, ...]] = (
    "id", "layer", "name", "name_ar", "status", "disputed", "valid_from", "valid_to",
    "date_precision", "basis", "confidence", "sources", "status_changes", "notes", "attribution",
    "licence",
    # Arabic name's source field; location of positions; schematic areas; the source's own
    # placement inside the Golan (see geo.data.audit). Absent properties load as None.
    "name_ar_source", "geo_precision", "located", "location_precision_reported", "area_km2",
    "area_label", "cut_at_lon", "inside_golan_per_source", "inside_golan_note",
    # Map labels (geo.core.labels): English and Hebrew names with their source fields, a
    # place's population and feature code, a band's distance, the summit's height.
    "name_en", "name_en_source", "name_he", "name_he_source", "population", "feature_code",
    "limit_km", "elevation_m",
)
#: Properties of a position that is listed but not drawn (data/positions_unlocated.geojson).
UNLOCATED_COLUMNS: Final[tuple[str, ...]] = (*FEATURE_COLUMNS, "location_area",
                                             "location_area_id")


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


def _features(
    items: list[Any], dataset: str, rejected: list[Rejected]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The items of a FeatureCollection that are GeoJSON Features, each with its place in the
    file ("feature 3"); every other item is added to ``rejected`` as it comes, so that
    rejections stay in file order."""
    for index, item in enumerate(items):
        label = f"feature {index + 1}"
        if isinstance(item, dict) and item.get("type") == "Feature":
            yield label, item
        else:
            rejected.append(Rejected(dataset, label, ("not a GeoJSON Feature",)))


def load_feature_collection(source: str | Path | bytes, dataset: str) -> LoadResult:
    """Load one FeatureCollection of layer features. Raises DatasetError if unreadable."""
    features = parse_feature_collection(_read_text(source), dataset)
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for label, feature in _features(features, dataset, rejected):
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            rejected.append(Rejected(dataset, label, ("properties is not a JSON object",)))
            continue
        if isinstance(props.get("id"), str) and props["id"].strip():
            label = props["id"]
        reasons = [*check_feature_properties(props), *check_feature_extras(props),
                   *position_reasons(props)]
        geom = None
        try:
            geom = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, AttributeError,
                shapely.errors.ShapelyError) as exc:
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
            [None if is_blank(v) else str(parse_date(v)) for v in frame[col]],
            index=frame.index, dtype=object,
        )
    frame["disputed"] = frame["disputed"].fillna(False).astype(bool)
    frame["date_precision"] = frame["date_precision"].fillna("day")
    for col in ("name_ar", "notes", "name_ar_source", "area_label", "name_en", "name_en_source",
                "name_he", "name_he_source",
                "location_precision_reported", "inside_golan_note"):
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
# Positions reported but not placed (data/positions_unlocated.geojson)


def load_unlocated_positions(
    source: str | Path | bytes, dataset: str, feature_ids: Iterable[str] = ()
) -> LoadResult:
    """Positions that are reported but not placed: valid layer features with a null geometry,
    ``located`` false and the area they are reported in (``location_area`` in words,
    ``location_area_id`` a layer feature). They are listed on the sources page, never drawn.
    Returns their properties (:data:`UNLOCATED_COLUMNS` and ``dataset``) in file order."""
    features = parse_feature_collection(_read_text(source), dataset)
    known = set(feature_ids)
    rows: list[dict[str, Any]] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for label, feature in _features(features, dataset, rejected):
        if not isinstance(feature.get("properties"), dict):
            rejected.append(Rejected(dataset, label, ("properties is not a JSON object",)))
            continue
        ident = feature["properties"].get("id")
        label = ident if isinstance(ident, str) and ident.strip() else label
        reasons = unlocated_reasons(feature, known)
        if label in seen:
            reasons.append(f"duplicate id {label!r}")
        seen.add(label)
        if reasons:
            rejected.append(Rejected(dataset, label, tuple(reasons)))
            continue
        props = feature["properties"]
        rows.append({**{col: props.get(col) for col in UNLOCATED_COLUMNS}, "dataset": dataset})
    return LoadResult(rows, rejected)


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
    """Load every dataset in data/: ``layers``, ``incidents``, ``timeline``, ``unlocated``
    (positions listed but not drawn) and ``coverage`` (how far the record reaches). Whole-file
    failures become rejected items too, with empty data."""
    layers = load_layers(data_dir)
    results: dict[str, LoadResult] = {"layers": layers}
    ids = list(layers.data["id"])
    empty_incidents = incident_frame(
        pd.DataFrame(columns=[*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS]))
    loaders: dict[str, tuple[Path, Callable[..., LoadResult], tuple[Any, ...], Any]] = {
        "incidents": (data_dir / "incidents.csv", load_incidents_csv, (), empty_incidents),
        "timeline": (data_dir / "timeline.json", load_timeline, (ids,), []),
        "unlocated": (data_dir / "positions_unlocated.geojson", load_unlocated_positions,
                      (ids,), []),
        "coverage": (data_dir / "coverage.json", load_coverage, (), NO_COVERAGE),
    }
    for name, (path, loader, extra, empty) in loaders.items():
        try:
            results[name] = loader(path, path.name, *extra)
        except (DatasetError, OSError, UnicodeDecodeError) as exc:
            results[name] = LoadResult(empty, [Rejected(path.name, "(whole file)", (str(exc),))])
    return results
