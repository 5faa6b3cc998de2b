"""Write the bad-input corpus: files that an upload of incidents must refuse clearly.

    .venv/bin/python tests/data/bad/make_corpus.py [--out DIR]

Every file is generated here, deterministically (fixed dates, seeds, ZIP and gzip timestamps,
GeoPackage timestamps through GDAL's OGR_CURRENT_DATE), together with ``manifest.json``: for
each file, what :func:`geo.data.importers.import_incidents` must do with it, and what it covers.

Outcomes in the manifest:

* ``"error"``: the whole file is refused; the message contains ``message``;
* ``"rejected"``: the file is read, ``accepted`` rows are kept and ``rejected`` rows are
  refused, each reason in ``reasons`` appearing in at least one refusal;
* ``"note"``: the file is read (``accepted``/``rejected`` as above) and the summary shown to
  the user contains ``note`` (a repaired or reinterpreted input: Latin-1, UTF-16, reprojected
  coordinates, dropped heights).

``max_bytes`` (optional) is the size limit to import with, so that "too big" is tested without
committing a big file. Files larger than the committed corpus allows (a 5 MB cell) are made at
test time by ``tests/geo/data/test_bad_corpus.py``. The whole corpus stays well under 2 MB.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import gzip
import io
import json
import random
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from geo.data.importers import ACLED_COLUMNS, UCDP_GED_COLUMNS  # noqa: E402

#: The corpus is committed: keep it small.
MAX_CORPUS_BYTES = 2_000_000
#: Longer than the csv module's field limit (131,072) and the validator's (100,000).
HUGE_CELL = 150_000
FIXED_DATE = "2025-06-01T00:00:00.000Z"
ZIP_TIME = (2025, 6, 1, 0, 0, 0)

OUR_COLUMNS = ("event_id_cnty", "event_date", "event_type", "latitude", "longitude", "source",
               "notes", "fatalities")


# ---------------------------------------------------------------------------------------------
# Building blocks


def row(ident: str, **over: Any) -> dict[str, str]:
    """A valid incident in the dashboard schema (a point near Quneitra)."""
    base = {
        "event_id_cnty": ident, "event_date": "2025-03-14",
        "event_type": "Explosions/Remote violence", "latitude": "33.1256",
        "longitude": "35.8244", "source": "SANA", "notes": f"Test incident {ident}.",
        "fatalities": "0",
    }
    return {**base, **{k: str(v) for k, v in over.items()}}


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] = OUR_COLUMNS,
           delimiter: str = ",", header: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=delimiter,
                            extrasaction="ignore", lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def acled(ident: str, **over: Any) -> dict[str, str]:
    """A valid row of an ACLED export (31 columns)."""
    base = {c: "" for c in ACLED_COLUMNS}
    base.update(
        event_id_cnty=ident, event_date="14 March 2025", year="2025", time_precision="1",
        disorder_type="Political violence", event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Israel (2022-)", inter1="State forces",
        actor2="Civilians (Syria)", inter2="Civilians", interaction="State forces-Civilians",
        civilian_targeting="Civilian targeting", iso="760", region="Middle East",
        country="Syria", admin1="Quneitra", admin2="Quneitra", admin3="Khan Arnabah",
        location="Khan Arnabah", latitude="33.18378", longitude="35.89158",
        geo_precision="1", source="SANA", source_scale="National",
        notes=f"Shelling reported near Khan Arnabah ({ident}).", fatalities="0",
        timestamp="1741996800",
    )
    base.update({k: str(v) for k, v in over.items()})
    return base


def ged(ident: int, **over: Any) -> dict[str, str]:
    """A valid row of UCDP GED (49 columns)."""
    base = {c: "" for c in UCDP_GED_COLUMNS}
    base.update(
        id=str(ident), relid=f"SYR-2025-1-{ident}", year="2025", active_year="true",
        code_status="Clear", type_of_violence="1", conflict_name="Syria: Government",
        side_a="Government of Israel", side_b="Government of Syria", number_of_sources="1",
        source_article="https://www.reuters.com/world/example", source_office="Reuters",
        source_date="2025-03-14", source_headline="Israeli troops in Quneitra",
        where_prec="1", where_coordinates="Al Qunaytirah town",
        adm_1="Quneitra governorate", adm_2="Quneitra district", latitude="33.12595",
        longitude="35.82461", geom_wkt="POINT (35.82461 33.12595)", priogrid_gid="178000",
        country="Syria", country_id="652", region="Middle East", event_clarity="1",
        date_prec="1", date_start="2025-03-14 00:00:00.000",
        date_end="2025-03-14 00:00:00.000", deaths_a="0", deaths_b="0",
        deaths_civilians="0", deaths_unknown="0", best="0", high="0", low="0", gwnoa="666",
    )
    base.update({k: str(v) for k, v in over.items()})
    return base


def props(ident: str, **over: Any) -> dict[str, Any]:
    """Incident properties for a GeoJSON feature or a GeoPackage row (no coordinates)."""
    base: dict[str, Any] = row(ident, **over)
    base.pop("latitude")
    base.pop("longitude")
    return base


def feature(properties: Mapping[str, Any], geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": dict(properties), "geometry": geometry}


def point(lon: float = 35.8244, lat: float = 33.1256, *more: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat, *more]}


def collection(*features: Mapping[str, Any], **members: Any) -> bytes:
    doc = {"type": "FeatureCollection", **members, "features": list(features)}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def zipped(name: str, content: bytes, *more: tuple[str, bytes], encrypted: bool = False) -> bytes:
    """A ZIP archive of ``name`` (and ``more`` members), deflated, with fixed timestamps;
    ``encrypted`` sets the member's encryption flag (its bytes stay plain)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in ((name, content), *more):
            info = zipfile.ZipInfo(member, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    out = bytearray(buffer.getvalue())
    if encrypted:  # bit 0 of the flags, in the local header (at 6) and the central one (at 8)
        for magic, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = out.index(magic) + offset
            out[at] |= 0x1
    return bytes(out)


def acled_csv(*idents: str) -> bytes:
    return to_csv([acled(i) for i in idents], ACLED_COLUMNS).encode()


BOWTIE = {"type": "Polygon", "coordinates": [[[35.80, 33.10], [35.90, 33.20], [35.90, 33.10],
                                              [35.80, 33.20], [35.80, 33.10]]]}
LINE = {"type": "LineString", "coordinates": [[35.80, 33.10], [35.90, 33.20]]}


def gpkg(frame_rows: list[dict[str, Any]], geometries: list[Any], crs: str | None = "EPSG:4326",
         layer: str = "incidents") -> bytes:
    """A small GeoPackage, byte-for-byte reproducible (fixed timestamps, 512-byte pages)."""
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import shape

    geoms = [shape(g) if isinstance(g, dict) else g for g in geometries]
    frame = gpd.GeoDataFrame(frame_rows, geometry=geoms, crs=crs)
    if crs not in (None, "EPSG:4326"):
        frame = gpd.GeoDataFrame(frame_rows, geometry=geoms, crs="EPSG:4326").to_crs(crs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.gpkg"
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
        try:
            pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG",
                                    layer_options={"SPATIAL_INDEX": "NO"})
        finally:  # a process-wide GDAL option: do not leave it to other writers
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        _compact(path)
        return path.read_bytes()


def _compact(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA page_size=512")
        con.execute("VACUUM")
    finally:
        con.close()


def plain_sqlite() -> bytes:
    """A valid SQLite database that is not a GeoPackage (no gpkg_* tables)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plain.sqlite"
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE incidents (event_id_cnty TEXT, latitude REAL, longitude REAL)")
        con.execute("INSERT INTO incidents VALUES ('SQL-1', 33.1256, 35.8244)")
        con.commit()
        con.close()
        _compact(path)
        return path.read_bytes()


def random_bytes(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(count))


# ---------------------------------------------------------------------------------------------
# The corpus: (file name, what it covers, how to make it, expected outcome)

Entry = tuple[str, str, Callable[[], bytes], dict[str, Any]]


def error(message: str, **extra: Any) -> dict[str, Any]:
    return {"outcome": "error", "message": message, **extra}


def rejected(accepted: int, refused: int, *reasons: str) -> dict[str, Any]:
    return {"outcome": "rejected", "accepted": accepted, "rejected": refused,
            "reasons": list(reasons)}


def noted(accepted: int, refused: int, note: str) -> dict[str, Any]:
    return {"outcome": "note", "accepted": accepted, "rejected": refused, "note": note}


def _good(n: int, prefix: str = "OK") -> list[dict[str, str]]:
    return [row(f"{prefix}-{i}") for i in range(1, n + 1)]


LATIN1_ROWS = [row("LAT-1", notes="Café near Quneitra; Khân Arnabah"),
               row("LAT-2", notes="Déjà vu: troupes à Hadar")]

CORPUS: list[Entry] = [
    # --- empty and structural ---------------------------------------------------------------
    ("empty.csv", "a file of zero bytes",
     lambda: b"", error("the file is empty")),
    ("blank_lines.csv", "only blank lines and whitespace",
     lambda: b"\n  \r\n\t\n\n", error("the file is empty")),
    ("header_only.csv", "a header row and no data",
     lambda: to_csv([]).encode(), error("the file has a header but no data rows")),
    ("semicolons.csv", "semicolon-delimited (European Excel)",
     lambda: to_csv(_good(2), delimiter=";").encode(),
     error("separated by semicolons, not commas")),
    ("tabs.csv", "tab-delimited text saved as .csv",
     lambda: to_csv(_good(2), delimiter="\t").encode(), error("separated by tabs, not commas")),
    ("pipes.csv", "pipe-delimited",
     lambda: to_csv(_good(2), delimiter="|").encode(), error("separated by pipes (|)")),
    ("excel_sep_semicolon.csv", "Excel's 'sep=;' first line, then semicolons",
     lambda: ("sep=;\n" + to_csv(_good(2), delimiter=";")).encode(),
     error("separated by semicolons")),
    ("excel_sep_comma.csv", "Excel's 'sep=,' first line before a good header",
     lambda: ("sep=,\n" + to_csv(_good(2))).encode(),
     noted(2, 0, "Skipped Excel's 'sep=,' first line")),
    ("unclosed_quote.csv", "a quote that is never closed swallows the rest of the file",
     lambda: (to_csv(_good(1)) + 'Q-2,2025-03-14,Battles,33.1,35.8,SANA,"never closed,0\n'
              + to_csv(_good(2, "AFTER"), header=False)).encode(),
     rejected(1, 1, "has 7 fields; expected 8")),
    ("duplicate_columns.csv", "the same column twice",
     lambda: (b"event_id_cnty,event_date,event_type,latitude,longitude,latitude\n"
              b"D-1,2025-03-14,Battles,33.1,35.8,33.2\n"),
     error("duplicate column name(s): latitude")),
    ("missing_columns.csv", "our schema without latitude and longitude",
     lambda: to_csv(_good(2), ("event_id_cnty", "event_date", "event_type", "source",
                               "notes")).encode(),
     error("lacks the required column(s) latitude, longitude")),
    ("unrecognised_columns.csv", "a CSV of something else entirely",
     lambda: b"name,colour,size\nbox,red,3\ncrate,blue,5\n", error("unrecognised columns")),
    ("html_page.csv", "an HTML page saved as .csv",
     lambda: b"<!doctype html><html><body><table><tr><td>1</td><td>2</td></tr></table>"
             b"</body></html>\n", error("unrecognised columns")),
    # --- encodings ----------------------------------------------------------------------------
    ("latin1.csv", "Latin-1 (Windows) encoding with accented names",
     lambda: to_csv(LATIN1_ROWS).encode("latin-1"), noted(2, 0, "decoded as Latin-1")),
    ("utf16_bom.csv", "UTF-16 LE with a byte-order mark (Excel 'Unicode text')",
     lambda: codecs.BOM_UTF16_LE + to_csv(_good(2)).encode("utf-16-le"),
     noted(2, 0, "Decoded as UTF-16")),
    ("utf16_no_bom.csv", "UTF-16 LE without a byte-order mark",
     lambda: to_csv(_good(2)).encode("utf-16-le"),
     error("UTF-16 text without a byte-order mark")),
    ("bom_missing_columns.csv",
     "UTF-8 BOM in front of a header lacking columns (the BOM must not hide event_id_cnty)",
     lambda: codecs.BOM_UTF8 + to_csv(_good(1), ("event_id_cnty", "event_date", "notes",
                                                 "source")).encode(),
     error("lacks the required column(s) event_type, latitude, longitude")),
    ("double_bom.csv", "two UTF-8 BOMs (a file re-saved twice) and one row without a type",
     lambda: codecs.BOM_UTF8 * 2 + to_csv([*_good(2), row("BOM-3", event_type="")]).encode(),
     rejected(2, 1, "missing event_type")),
    ("other_8bit.csv", "bytes that are neither UTF-8, UTF-16 nor Latin-1 text",
     lambda: b"event_id_cnty,event_date\n" + bytes(range(0x80, 0xA0)) * 20 + b"\n",
     error("not UTF-8, UTF-16 or Latin-1")),
    # --- rows: identifiers, coordinates, dates, numbers ---------------------------------------
    ("duplicate_ids.csv", "the same event id on two rows",
     lambda: to_csv([*_good(2), row("OK-1", notes="copy")]).encode(),
     rejected(2, 1, "duplicate event_id_cnty 'OK-1'")),
    ("swapped_latlon.csv", "latitude and longitude exchanged",
     lambda: to_csv([*_good(1), row("SW-1", latitude="35.8244", longitude="33.1256"),
                     row("SW-2", latitude="35.89158", longitude="33.18378")]).encode(),
     rejected(1, 2, "latitude and longitude look swapped", "falls outside the region")),
    ("out_of_range.csv", "coordinates beyond ±90/±180, and a point far outside the region",
     lambda: to_csv([*_good(1), row("OR-1", latitude="133.1", longitude="35.8"),
                     row("OR-2", latitude="33.1", longitude="235.8"),
                     row("OR-3", latitude="40.71", longitude="-74.0")]).encode(),
     rejected(1, 3, "coordinates out of range", "coordinates fall outside the region")),
    ("nan_coordinates.csv", "NaN, inf, empty, decimal-comma and text coordinates",
     lambda: to_csv([*_good(1), row("NAN-1", latitude="NaN"), row("NAN-2", longitude=""),
                     row("NAN-3", latitude="inf"), row("NAN-4", latitude="33,1256"),
                     row("NAN-5", longitude="east")]).encode(),
     rejected(1, 5, "latitude/longitude are not numbers", "missing longitude")),
    ("utm_in_csv.csv", "UTM metres in the latitude/longitude columns",
     lambda: to_csv([row("UTM-1", latitude="3665000", longitude="735000")]).encode(),
     rejected(0, 1, "coordinates out of range")),
    ("bad_dates.csv", "dates that are not dates",
     lambda: to_csv([*_good(1), row("BD-1", event_date="2025-13-45"),
                     row("BD-2", event_date="yesterday"), row("BD-3", event_date="14/03/2025"),
                     row("BD-4", event_date="2025-02-30")]).encode(),
     rejected(1, 4, "event_date is not a date")),
    ("future_dates.csv", "events dated in the future",
     lambda: to_csv([*_good(1), row("FU-1", event_date="2099-01-01"),
                     row("FU-2", event_date="2999-12-31")]).encode(),
     rejected(1, 2, "is in the future")),
    ("bad_fatalities.csv", "negative, fractional, text and absurdly large fatalities",
     lambda: to_csv([*_good(1), row("FA-1", fatalities="-3"), row("FA-2", fatalities="2.5"),
                     row("FA-3", fatalities="many"),
                     row("FA-4", fatalities="99999999999999999999999")]).encode(),
     rejected(1, 4, "fatalities is negative: -3", "fatalities is not a whole number",
              "implausibly large")),
    ("numbers_with_underscores.csv", "Python-style 1_000 numbers (float() would accept them)",
     lambda: to_csv([row("US-1", latitude="3_3.1256")]).encode(),
     rejected(0, 1, "latitude/longitude are not numbers")),
    ("huge_notes.csv", f"a {HUGE_CELL:,}-character notes cell (beyond the CSV cell limit)",
     lambda: to_csv([*_good(1), row("HUGE-1", notes="x" * HUGE_CELL)]).encode(),
     error("has a cell longer than 131,072 characters")),
    ("too_big.csv", "a file over the size limit (imported with max_bytes=1000)",
     lambda: to_csv(_good(20)).encode(),
     error("the limit is 1 KB", max_bytes=1000)),
    # --- ACLED and UCDP -----------------------------------------------------------------------
    ("acled_text_in_numbers.csv", "ACLED export with words in numeric fields",
     lambda: to_csv([acled("AC-1"), acled("AC-2", latitude="thirty-three"),
                     acled("AC-3", fatalities="several"), acled("AC-4", geo_precision="high"),
                     acled("AC-5", time_precision="daily")], ACLED_COLUMNS).encode(),
     rejected(1, 4, "latitude/longitude are not numbers", "fatalities is not a whole number",
              "geo_precision 'high' is not 1, 2 or 3", "time_precision 'daily' is not 1, 2 or 3")),
    ("acled_without_coordinates.csv", "ACLED export lacking latitude and longitude",
     lambda: to_csv([acled("AC-1")], [c for c in ACLED_COLUMNS
                                      if c not in ("latitude", "longitude")]).encode(),
     error("looks like an ACLED export but lacks the column(s) latitude, longitude")),
    ("acled_ragged_rows.csv", "ACLED export with a row cut short",
     lambda: (to_csv([acled("AC-1")], ACLED_COLUMNS)
              + "AC-2,14 March 2025,2025,1,Political violence\n").encode(),
     rejected(1, 1, "has 5 fields; expected 31")),
    ("acled_bad_dates.csv", "ACLED dates in an unknown format",
     lambda: to_csv([acled("AC-1"), acled("AC-2", event_date="March 14th, 2025"),
                     acled("AC-3", event_date="14.03.2025")], ACLED_COLUMNS).encode(),
     rejected(1, 2, "event_date is not a date")),
    ("ucdp_48_columns.csv", "UCDP GED without a header, one column short (48, not 49)",
     lambda: to_csv([{k: v for k, v in ged(600001).items() if k != "gwnob"},
                     {k: v for k, v in ged(600002).items() if k != "gwnob"}],
                    UCDP_GED_COLUMNS[:-1], header=False).encode(),
     error("has 48 columns; a UCDP GED file without a header must have 49")),
    ("ucdp_wrong_field_count.csv", "UCDP GED with a header, one row with an extra field",
     lambda: (to_csv([ged(600001)], UCDP_GED_COLUMNS)
              + to_csv([ged(600002)], UCDP_GED_COLUMNS, header=False).rstrip("\n")
              + ",surplus\n").encode(),
     rejected(1, 1, "has 50 fields; expected 49")),
    ("ucdp_bad_codes.csv", "UCDP GED with unknown violence and precision codes",
     lambda: to_csv([ged(600001), ged(600002, type_of_violence="9"),
                     ged(600003, where_prec="x"), ged(600004, date_prec="0")],
                    UCDP_GED_COLUMNS).encode(),
     rejected(1, 3, "type_of_violence '9' is not 1, 2 or 3", "where_prec 'x' is not 1-7",
              "date_prec '0' is not 1-5")),
    ("ucdp_without_date_start.csv", "UCDP GED header lacking date_start",
     lambda: to_csv([ged(600001)], [c for c in UCDP_GED_COLUMNS
                                    if c != "date_start"]).encode(),
     error("looks like UCDP GED but lacks the column(s) date_start")),
    # --- GeoJSON ------------------------------------------------------------------------------
    ("not_json.geojson", "text that is not JSON",
     lambda: b"type: FeatureCollection\nfeatures: []\n",
     error("not a GeoJSON file (it does not start with '{')")),
    ("truncated.geojson", "JSON cut off mid-way",
     lambda: collection(feature(props("T-1"), point()))[:-40], error("not valid JSON")),
    ("single_feature.geojson", "a Feature, not a FeatureCollection",
     lambda: json.dumps(feature(props("F-1"), point())).encode(),
     error("expected a GeoJSON FeatureCollection, found 'Feature'")),
    ("json_list.json", "a JSON list",
     lambda: b'[{"event_id_cnty": "L-1"}]',
     error("expected a GeoJSON FeatureCollection, found 'list'")),
    ("features_not_a_list.geojson", "'features' is an object",
     lambda: b'{"type": "FeatureCollection", "features": {"0": null}}',
     error("'features' is not a list")),
    ("empty_collection.geojson", "a FeatureCollection with no features",
     lambda: collection(), error("the FeatureCollection has no features")),
    ("no_incident_properties.geojson", "points with properties of another kind",
     lambda: collection(feature({"name": "Hadar", "population": 9000}, point())),
     error("the features have none of the incident properties")),
    ("mixed_geometry.geojson", "points mixed with lines, polygons, multipoints and collections",
     lambda: collection(
         feature(props("MX-1"), point()), feature(props("MX-2"), LINE),
         feature(props("MX-3"), BOWTIE),
         feature(props("MX-4"), {"type": "MultiPoint", "coordinates": [[35.8, 33.1]]}),
         feature(props("MX-5"), {"type": "GeometryCollection", "geometries": [point()]}),
         {"type": "Topology"}),
     rejected(1, 5, "geometry is a LineString, not a Point", "geometry is a MultiPoint",
              "not a GeoJSON Feature")),
    ("self_intersecting.geojson", "a self-intersecting (bow-tie) polygon as an incident",
     lambda: collection(feature(props("SI-1"), point()), feature(props("SI-2"), BOWTIE)),
     rejected(1, 1, "geometry is a Polygon, not a Point")),
    ("bad_point_coordinates.geojson", "points with null, text, NaN and missing coordinates",
     lambda: collection(
         feature(props("PC-1"), point()),
         feature(props("PC-2"), {"type": "Point", "coordinates": [None, 33.1]}),
         feature(props("PC-3"), {"type": "Point", "coordinates": ["35.8", "east"]}),
         feature(props("PC-4"), {"type": "Point", "coordinates": [35.8]}),
         feature(props("PC-5"), {"type": "Point"}),
         feature(props("PC-6"), None)),
     rejected(1, 5, "point coordinates are not [longitude, latitude] numbers",
              "no geometry and no latitude/longitude")),
    ("crs_utm36n.geojson", "a non-WGS84 CRS (UTM 36N metres), declared",
     lambda: collection(feature(props("CRS-1"), point(735000.0, 3665000.0)),
                        crs={"type": "name",
                             "properties": {"name": "urn:ogc:def:crs:EPSG::32636"}}),
     error("coordinates must be WGS84 lon/lat (EPSG:4326)")),
    ("projected_no_crs.geojson", "UTM metres without a declared CRS",
     lambda: collection(feature(props("PRJ-1"), point(735000.0, 3665000.0))),
     rejected(0, 1, "coordinates out of range")),
    ("swapped_points.geojson", "GeoJSON points written [lat, lon]",
     lambda: collection(feature(props("GS-1"), point()),
                        feature(props("GS-2"), point(33.1256, 35.8244))),
     rejected(1, 1, "latitude and longitude look swapped")),
    ("points_3d.geojson", "3D points (a height as a third coordinate)",
     lambda: collection(feature(props("Z-1"), point(35.8244, 33.1256, 950.0)),
                        feature(props("Z-2"), point(35.8916, 33.1838, 880.0))),
     noted(2, 0, "have a third (height) coordinate; it was ignored")),
    ("deep_nesting.geojson", "JSON nested thousands of levels deep",
     lambda: b"[" * 20_000 + b"]" * 20_000, error("nested too deeply")),
    ("huge_property.geojson", f"a {HUGE_CELL:,}-character notes property",
     lambda: collection(feature(props("HP-1"), point()),
                        feature(props("HP-2", notes="y" * HUGE_CELL), point())),
     rejected(1, 1, f"notes is {HUGE_CELL:,} characters long; the limit is 100,000")),
    ("wrong_types.geojson", "properties of the wrong JSON types",
     lambda: collection(feature(props("WT-1"), point()),
                        feature({**props("WT-2"), "event_date": 20250314}, point()),
                        feature({**props("WT-3"), "fatalities": True}, point()),
                        feature({**props("WT-4"), "event_type": None}, point())),
     rejected(1, 3, "event_date is not a date", "fatalities is not a whole number",
              "missing event_type")),
    # --- binary files where text or a GeoPackage was expected --------------------------------
    ("zip_named.geojson", "a ZIP archive of one GeoJSON, named .geojson (read from the archive)",
     lambda: zipped("incidents.geojson", collection(feature(props("ZP-1"), point()))),
     noted(1, 0, "Read incidents.geojson from the ZIP archive.")),
    # --- ZIP archives (ACLED and UCDP bulk downloads) ----------------------------------------
    ("acled_export.zip", "an ACLED export zipped with a README and macOS metadata",
     lambda: zipped("2025-01-01-2025-06-01-Syria.csv", acled_csv("ZA-1", "ZA-2"),
                    ("README.txt", b"ACLED export."), ("__MACOSX/._2025.csv", b"\x00\x05")),
     noted(2, 0, "(1 other file(s) ignored: README.txt)")),
    ("zip_bomb.zip", "a ZIP member that expands a thousand times (20 MB of zeros)",
     lambda: zipped("incidents.csv", b"0" * 20_000_000),
     error("would expand more than 100 times")),
    ("zip_too_big.zip", "a ZIP member over the size limit once uncompressed",
     lambda: zipped("incidents.csv", acled_csv(*(f"ZB-{i}" for i in range(40)))),
     error("uncompressed; the limit is", max_bytes=4_000)),
    ("zip_two_files.zip", "a ZIP archive of two CSV files",
     lambda: zipped("a.csv", acled_csv("ZT-1"), ("b.csv", acled_csv("ZT-2"))),
     error("holds 2 data files (a.csv, b.csv); upload one at a time")),
    ("zip_nested.zip", "a ZIP archive holding another ZIP archive",
     lambda: zipped("inner.zip", zipped("incidents.csv", acled_csv("ZN-1"))),
     error("holds another archive (inner.zip)")),
    ("zip_nested_renamed.zip", "a ZIP archive holding a ZIP archive named .csv",
     lambda: zipped("incidents.csv", zipped("incidents.csv", acled_csv("ZR-1"))),
     error("is itself an archive")),
    ("zip_traversal.zip", "a ZIP member whose path leaves the archive's folder",
     lambda: zipped("../../incidents.csv", acled_csv("ZP-1")),
     error("a path that leaves the archive's folder (..)")),
    ("zip_absolute.zip", "a ZIP member with an absolute path",
     lambda: zipped("/tmp/incidents.csv", acled_csv("ZP-2")), error("has an absolute path")),
    ("zip_no_data.zip", "a ZIP archive without a data file",
     lambda: zipped("README.txt", b"Nothing here."),
     error("holds no CSV, GeoJSON or GeoPackage file (it holds README.txt)")),
    ("zip_encrypted.zip", "a password-protected ZIP member",
     lambda: zipped("incidents.csv", acled_csv("ZE-1"), encrypted=True),
     error("is password-protected")),
    ("workbook.csv", "an Excel workbook (.xlsx) renamed .csv",
     lambda: zipped("xl/workbook.xml", b"<workbook/>"), error("this is an Excel workbook")),
    ("gzipped.csv", "a gzip-compressed CSV",
     lambda: gzip.compress(to_csv(_good(2)).encode(), mtime=0),
     error("this is gzip-compressed")),
    ("report.csv", "a PDF renamed .csv",
     lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
     error("this is a PDF, not a data file")),
    ("random_bytes.csv", "random binary data",
     lambda: random_bytes(4096, seed=7), error("this is a binary file")),
    ("garbage.gpkg", "text named .gpkg",
     lambda: b"this is not a GeoPackage\n" * 10,
     error("named .gpkg but is not a GeoPackage (SQLite) file")),
    ("sqlite_header_only.gpkg", "the SQLite magic followed by zeros",
     lambda: b"SQLite format 3\x00" + b"\x00" * 1000, error("not a readable GeoPackage")),
    ("plain_sqlite.gpkg", "a valid SQLite database that is not a GeoPackage",
     plain_sqlite, error("not a readable GeoPackage")),
    ("truncated.gpkg", "a GeoPackage cut off after 3 KB",
     lambda: gpkg([props(f"TR-{i}") for i in range(1, 40)], [point()] * 39)[:3072],
     error("not a readable GeoPackage")),
    ("no_incident_fields.gpkg", "a GeoPackage of other data",
     lambda: gpkg([{"name": "Hadar", "population": 9000}], [point()], layer="places"),
     error("the features have none of the incident properties")),
    ("empty_layer.gpkg", "a GeoPackage whose layer has no rows",
     lambda: gpkg([], [], layer="incidents"), error("has no features")),
    ("mixed_geometry.gpkg", "a GeoPackage layer mixing points, lines and a bow-tie polygon",
     lambda: gpkg([props("GM-1"), props("GM-2"), props("GM-3")], [point(), LINE, BOWTIE]),
     rejected(1, 2, "geometry is a LineString, not a Point", "geometry is a Polygon, not a Point")),
    ("points_3d.gpkg", "a GeoPackage of 3D points",
     lambda: gpkg([props("GZ-1"), props("GZ-2")],
                  [point(35.8244, 33.1256, 950.0), point(35.8916, 33.1838, 880.0)]),
     noted(2, 0, "have a third (height) coordinate; it was ignored")),
    ("utm36n.gpkg", "a GeoPackage in UTM 36N (reprojected to WGS84, with a note)",
     lambda: gpkg([props("GU-1"), props("GU-2", event_date="2099-01-01")],
                  [point(), point()], crs="EPSG:32636"),
     noted(1, 1, "Reprojected from EPSG:32636 to WGS84")),
]


def build(out: Path) -> dict[str, dict[str, Any]]:
    """Write every corpus file and manifest.json into ``out``; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    names = [name for name, *_ in CORPUS]
    assert len(names) == len(set(names)), "duplicate corpus file names"
    manifest: dict[str, dict[str, Any]] = {}
    for name, covers, make, expected in CORPUS:
        (out / name).write_bytes(make())
        manifest[name] = {"covers": covers, **expected}
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for stale in out.iterdir():  # files of an earlier corpus that is no longer generated
        if stale.is_file() and stale.name not in manifest and stale.name not in (
            "manifest.json", Path(__file__).name
        ):
            stale.unlink()
    total = sum((out / n).stat().st_size for n in manifest)
    assert total < MAX_CORPUS_BYTES, f"corpus is {total:,} bytes; keep it under 2 MB"
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    args = parser.parse_args(argv)
    manifest = build(args.out)
    total = sum((args.out / n).stat().st_size for n in manifest)
    print(f"{len(manifest)} files, {total:,} bytes, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
