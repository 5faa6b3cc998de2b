"""Importing uploads: ACLED, UCDP GED (with and without header), our CSV/GeoJSON/GeoPackage,
and a clear IncidentImportError (never anything else) for files that cannot be used."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS
from geo.data import importers
from geo.data.importers import (
    FORMAT_ACLED,
    FORMAT_CSV,
    FORMAT_GEOJSON,
    FORMAT_GPKG,
    FORMAT_UCDP,
    FORMAT_UCDP_NO_HEADER,
    UCDP_GED_COLUMNS,
    ImportResult,
    IncidentImportError,
    import_incidents,
    normalise_acled_dates,
)

DATA = Path(__file__).resolve().parents[2] / "data"


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _by_id(result: ImportResult) -> dict[str, dict]:
    return {row["event_id_cnty"]: row for row in result.data.to_dict("records")}


def _csv(rows: list[dict], columns: list[str] | tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------
# ACLED


@pytest.fixture(scope="module")
def acled() -> ImportResult:
    return import_incidents(_read("acled_bom.csv"), "acled_bom.csv")


def test_acled_with_bom_and_text_inter_is_recognised(acled: ImportResult) -> None:
    assert _read("acled_bom.csv").startswith(codecs.BOM_UTF8)
    assert acled.format == FORMAT_ACLED
    assert acled.rows_read == 6
    assert acled.accepted == 4
    assert set(acled.data.columns) >= set(INCIDENT_COLUMNS) | {"geometry"}
    assert {"inter1", "interaction", "disorder_type", "timestamp"} <= set(acled.ignored_columns)
    assert "event_id_cnty" not in acled.ignored_columns


def test_acled_dates_in_both_formats_become_iso(acled: ImportResult) -> None:
    rows = _by_id(acled)
    assert rows["SYR100001"]["event_date"] == "2024-12-08"  # "08 December 2024"
    assert rows["SYR100002"]["event_date"] == "2025-01-12"  # "2025-01-12"
    assert rows["SYR100003"]["event_date"] == "2025-09-16"  # "16 September 2025"


def test_acled_values_are_mapped(acled: ImportResult) -> None:
    row = _by_id(acled)["SYR100002"]
    assert row["latitude"] == pytest.approx(33.18378)
    assert row["longitude"] == pytest.approx(35.89158)
    assert row["fatalities"] == 1
    assert row["url"] == ""
    assert row["source"] == "SANA; Enab Baladi"
    assert "\n" in row["notes"] and '"Khan Arnabah"' in row["notes"]  # quoted multi-line cell
    assert pd.isna(_by_id(acled)["ISR200001"]["fatalities"])  # blank = not reported


def test_acled_bad_rows_are_rejected_with_row_numbers_and_reasons(acled: ImportResult) -> None:
    assert [r.item for r in acled.rejected] == ["row 6 (SYR100004)", "row 7 (SYR100005)"]
    assert "event_date is not a date" in acled.rejected[0].reason
    assert "look swapped" in acled.rejected[1].reason
    assert "4 of 6" in acled.summary and "2 rejected" in acled.summary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-12-08", "2024-12-08"),
        ("08 December 2024", "2024-12-08"),
        ("8 December 2024", "2024-12-08"),
        ("08 Dec 2024", "2024-12-08"),
        (" 16 September 2025 ", "2025-09-16"),
        ("Decembre 8th", "Decembre 8th"),  # kept, so that validation names it
        ("", ""),
    ],
)
def test_normalise_acled_dates(raw: str, expected: str) -> None:
    assert normalise_acled_dates(pd.Series([raw])).iloc[0] == expected


def test_acled_numeric_and_text_interaction_codes_both_import(make_incident) -> None:
    rows = []
    for i, inter in enumerate(["State forces", "1", "17", "Rebel group-Civilians"]):
        row = {c: "" for c in importers.ACLED_COLUMNS}
        row.update({k: v for k, v in make_incident().items() if k in row})
        row.update(event_id_cnty=f"SYR{i}", inter1=inter, interaction=inter, iso="760")
        rows.append(row)
    result = import_incidents(_csv(rows, importers.ACLED_COLUMNS), "acled.csv")
    assert result.format == FORMAT_ACLED
    assert result.accepted == 4 and not result.rejected


def test_broken_acled_names_the_missing_columns() -> None:
    with pytest.raises(IncidentImportError, match=r"ACLED.*latitude, longitude"):
        import_incidents(_read("acled_broken.csv"), "acled_broken.csv")


# ---------------------------------------------------------------------------------------------
# UCDP GED


def test_ged_column_list_is_the_49_official_columns() -> None:
    assert len(UCDP_GED_COLUMNS) == 49 == len(set(UCDP_GED_COLUMNS))
    assert UCDP_GED_COLUMNS[:3] == ("id", "relid", "year")
    assert UCDP_GED_COLUMNS[29:31] == ("latitude", "longitude")
    assert UCDP_GED_COLUMNS[-2:] == ("gwnoa", "gwnob")


@pytest.fixture(scope="module")
def ged() -> ImportResult:
    return import_incidents(_read("ucdp_ged_header.csv"), "ucdp_ged_header.csv")


def test_ged_with_header_maps_every_field(ged: ImportResult) -> None:
    assert ged.format == FORMAT_UCDP
    rows = _by_id(ged)
    first, second, third = rows["UCDP-500001"], rows["UCDP-500002"], rows["UCDP-500003"]
    assert first["event_date"] == "2024-12-20"  # from "2024-12-20 00:00:00.000"
    assert first["event_type"] == "UCDP: state-based"
    assert second["event_type"] == "UCDP: one-sided"
    assert third["event_type"] == "UCDP: non-state"
    assert (first["time_precision"], second["time_precision"], third["time_precision"]) == (1, 2, 3)
    assert (first["geo_precision"], second["geo_precision"], third["geo_precision"]) == (1, 2, 3)
    assert first["actor1"] == "Government of Israel"
    assert first["actor2"] == "Government of Syria"
    assert first["admin1"] == "Quneitra governorate" and first["admin2"] == "Quneitra district"
    assert first["location"] == "Al Qunaytirah town"
    assert first["notes"] == "Israeli troops in Quneitra"
    assert first["source"] == "Reuters"
    assert third["source"] == "UCDP GED"  # blank source_office: the dataset itself
    assert (first["fatalities"], second["fatalities"], third["fatalities"]) == (0, 2, 3)


def test_ged_url_only_when_source_article_is_a_web_address(ged: ImportResult) -> None:
    rows = _by_id(ged)
    assert rows["UCDP-500001"]["url"] == "https://www.reuters.com/world/example-ged-1"
    assert rows["UCDP-500002"]["url"] == ""  # "Agence France Presse,2025-02-11,…"


def test_ged_rejects_unknown_codes_and_future_dates(ged: ImportResult) -> None:
    reasons = {r.item: r.reason for r in ged.rejected}
    assert reasons == {
        "row 5 (UCDP-500004)": "where_prec '9' is not 1-7",
        "row 6 (UCDP-500005)": "event_date 2099-03-01 is in the future",
    }
    assert "UCDP-500004" not in _by_id(ged)


def test_ged_without_header_is_read_by_position(ged: ImportResult) -> None:
    result = import_incidents(_read("ucdp_ged_noheader.csv"), "ged_interim.csv")
    assert result.format == FORMAT_UCDP_NO_HEADER
    assert result.rows_read == 3 and result.accepted == 3
    cols = [c for c in result.data.columns if c != "geometry"]
    expected = ged.data[ged.data["event_id_cnty"].isin(result.data["event_id_cnty"])]
    pd.testing.assert_frame_equal(
        pd.DataFrame(result.data[cols]).reset_index(drop=True),
        pd.DataFrame(expected[cols]).reset_index(drop=True),
    )


def test_broken_ged_files_give_clear_messages() -> None:
    with pytest.raises(IncidentImportError, match=r"UCDP GED.*date_start"):
        import_incidents(_read("ucdp_ged_broken.csv"), "ucdp_ged_broken.csv")
    with pytest.raises(IncidentImportError, match=r"has 48 columns.*must have 49"):
        import_incidents(_read("ucdp_ged_noheader_broken.csv"), "ged_interim.csv")


def test_ged_row_with_wrong_field_count_is_rejected_in_file_order() -> None:
    lines = _read("ucdp_ged_header.csv").decode().splitlines()
    lines.insert(2, "1,2,3")
    result = import_incidents("\n".join(lines).encode(), "ged.csv")
    assert result.rejected[0].item == "row 3"
    assert result.rejected[0].reason == "has 3 fields; expected 49"
    assert [r.item.split(" (")[0] for r in result.rejected] == ["row 3", "row 6", "row 7"]


# ---------------------------------------------------------------------------------------------
# Our own schema: CSV, GeoJSON, GeoPackage


def test_our_csv_with_bom(test_data_dir: Path) -> None:
    result = import_incidents((test_data_dir / "incidents_bom.csv").read_bytes(), "mine.csv")
    assert result.format == FORMAT_CSV
    assert result.accepted == 2 and not result.rejected and not result.ignored_columns


def test_our_csv_reports_unknown_columns_as_ignored(make_incident) -> None:
    row = make_incident(colour="red")
    result = import_incidents(_csv([row], list(row)), "mine.csv")
    assert result.ignored_columns == ["colour"]
    assert "colour" in result.summary


def test_utf16_with_bom_and_latin1_are_decoded(make_incident) -> None:
    row = make_incident(location="Quneitra — Hadar", notes="Café")
    text = _csv([row], list(row)).decode()
    result = import_incidents(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "u16.csv")
    assert result.accepted == 1 and result.data["notes"][0] == "Café"
    latin = _csv([make_incident(notes="Café crème")], list(row)).decode().encode("latin-1")
    result = import_incidents(latin, "latin.csv")
    assert result.accepted == 1 and result.data["notes"][0] == "Café crème"
    assert "Latin-1" in result.summary


def _feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def test_geojson_points_with_our_properties(make_incident) -> None:
    good = make_incident(event_id_cnty="G1")
    del good["latitude"], good["longitude"]
    no_geometry = make_incident(event_id_cnty="G2")
    line = make_incident(event_id_cnty="G3")
    doc = {"type": "FeatureCollection", "features": [
        _feature(good, {"type": "Point", "coordinates": [35.82461, 33.12595]}),
        _feature(no_geometry, None),
        _feature(line, {"type": "LineString", "coordinates": [[35.8, 33.1], [35.9, 33.2]]}),
        {"type": "Nope"},
    ]}
    result = import_incidents(json.dumps(doc).encode(), "incidents.geojson")
    assert result.format == FORMAT_GEOJSON
    assert list(result.data["event_id_cnty"]) == ["G1", "G2"]
    assert result.data["latitude"][0] == pytest.approx(33.12595)
    assert {r.item: r.reason for r in result.rejected} == {
        "feature 3 (G3)": "geometry is a LineString, not a Point",
        "feature 4 (no id)": "not a GeoJSON Feature",
    }


def test_gpkg_is_read_from_bytes_and_reprojected(tmp_path: Path, make_incident) -> None:
    rows = [make_incident(event_id_cnty="P1"), make_incident(event_id_cnty="P2")]
    frame = pd.DataFrame(rows).drop(columns=["latitude", "longitude"])
    gdf = gpd.GeoDataFrame(
        frame, geometry=[Point(35.82461, 33.12595), LineString([(35.8, 33.1), (35.9, 33.2)])],
        crs="EPSG:4326",
    ).to_crs("EPSG:32636")
    path = tmp_path / "mine.gpkg"
    pyogrio.write_dataframe(gdf, path, layer="incidents", driver="GPKG")
    result = import_incidents(path.read_bytes(), "mine.gpkg")
    assert result.format == FORMAT_GPKG
    assert list(result.data["event_id_cnty"]) == ["P1"]
    assert result.data["latitude"][0] == pytest.approx(33.12595, abs=1e-7)
    assert result.data["longitude"][0] == pytest.approx(35.82461, abs=1e-7)
    assert any("Reprojected" in n for n in result.notes)
    assert result.rejected[0].reason == "geometry is a LineString, not a Point"


def test_extra_columns_of_our_schema_are_kept(make_incident) -> None:
    row = make_incident()
    result = import_incidents(_csv([row], list(row)), "mine.csv")
    assert set(INCIDENT_EXTRA_COLUMNS) <= set(result.data.columns)
    assert result.data["source_title"][0] == "Example report"


# ---------------------------------------------------------------------------------------------
# Files that cannot be used


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "a,b\n1,2\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "the file is empty"),
        (b"  \n\n ", "blank.csv", "the file is empty"),
        (b"event_id_cnty;event_date;event_type;latitude;longitude\nA;2025-01-01;B;33;35\n",
         "semi.csv", "separated by semicolons, not commas"),
        (b"event_id_cnty\tevent_date\tevent_type\nA\t2025-01-01\tB\n", "tabs.csv",
         "separated by tabs"),
        ("event_id_cnty,event_date\nA,2025\n".encode("utf-16-le"), "u16.csv",
         "UTF-16 text without a byte-order mark"),
        (_zip("incidents.csv"), "incidents.zip", "incidents.zip: unrecognised columns ('a', 'b')"),
        (_zip("xl/workbook.xml"), "incidents.xlsx", "Excel workbook"),
        (_zip("incidents.csv")[:40], "cut.zip", "damaged ZIP archive (File is not a zip file)"),
        (gzip.compress(b"a,b\n1,2\n"), "incidents.csv.gz", "gzip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.pdf", "PDF"),
        (bytes(range(256)) * 4, "random.bin", "binary file"),
        (b"name,colour,size\nx,red,3\n", "other.csv", "unrecognised columns"),
        (b"This is a letter.\nIt has sentences, and commas.\n", "letter.txt",
         "unrecognised columns"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "page.html",
         "unrecognised columns"),
        (b"event_id_cnty,event_date,notes\nA,2025-01-01,x\n", "partial.csv",
         "lacks the required column(s) event_type, latitude, longitude"),
        (b"event_id_cnty,event_date,event_type,latitude,longitude\n", "header_only.csv",
         "header but no data rows"),
        (b'{"type": "Feature"}', "one.geojson", "expected a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": [', "cut.geojson", "not valid JSON"),
        (b'{"type": "FeatureCollection", "features": []}', "none.geojson", "no features"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "broken.gpkg", "not a readable GeoPackage"),
        (b"a,b\n1,2\n", "fake.gpkg", "not a GeoPackage"),
        (b'event_id_cnty,event_id_cnty,event_date,event_type,latitude,longitude\n1,2,3,4,5,6\n',
         "dup.csv", "duplicate column name"),
    ],
)
def test_unusable_files_raise_a_clear_message(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(IncidentImportError) as caught:
        import_incidents(data, filename)
    assert message in str(caught.value)
    assert str(caught.value).startswith(Path(filename).name + ":")


def test_crs_other_than_wgs84_in_geojson(test_data_dir: Path) -> None:
    with pytest.raises(IncidentImportError, match="must be WGS84"):
        import_incidents((test_data_dir / "utm36n.geojson").read_bytes(), "utm36n.geojson")


def test_too_big() -> None:
    with pytest.raises(IncidentImportError, match=r"the file is 2 KB; the limit is 100 bytes"):
        import_incidents(_read("acled_bom.csv"), "acled_bom.csv", max_bytes=100)


@pytest.mark.parametrize(
    ("size", "limit", "text"),
    [
        (51_234_567, 50_000_000, "the file is 51.2 MB; the limit is 50 MB"),
        (2_500, 1_000, "the file is 2 KB; the limit is 1 KB"),  # not "0.0 MB; … 0 MB"
    ],
)
def test_size_limit_message_uses_readable_units(size: int, limit: int, text: str) -> None:
    with pytest.raises(IncidentImportError, match=text):
        import_incidents(b"x" * size, "big.csv", max_bytes=limit)


def test_error_class_is_an_import_error_and_a_value_error() -> None:
    assert issubclass(IncidentImportError, ImportError)
    assert issubclass(IncidentImportError, ValueError)


def test_unexpected_failures_are_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(importers, "import_csv", boom)
    with pytest.raises(IncidentImportError, match=r"x\.csv: could not be read \(KeyError"):
        import_incidents(b"a,b\n1,2\n", "x.csv")


def test_file_name_is_reduced_to_a_printable_base_name() -> None:
    with pytest.raises(IncidentImportError) as caught:
        import_incidents(b"", "../../etc/pass\x00wd.csv")
    assert str(caught.value).startswith("passwd.csv:")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), name=st.sampled_from(["x.csv", "x.geojson", "x.gpkg", "x"]))
def test_arbitrary_bytes_never_escape_as_other_exceptions(data: bytes, name: str) -> None:
    try:
        result = import_incidents(data, name)
    except IncidentImportError as exc:
        assert str(exc)
    else:
        assert isinstance(result, ImportResult)


_CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, min_size=1, max_size=8), max_size=6),
       header=st.sampled_from([list(INCIDENT_COLUMNS), list(importers.ACLED_COLUMNS),
                               list(UCDP_GED_COLUMNS), []]))
def test_arbitrary_csv_cells_never_escape_as_other_exceptions(rows, header) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    try:
        result = import_incidents(buffer.getvalue().encode("utf-8"), "fuzz.csv")
    except IncidentImportError:
        return
    assert result.accepted + len(result.rejected) == result.rows_read
