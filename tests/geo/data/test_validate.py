"""`python -m geo.data.validate` over a copy of data/: exit 0 when clean, exit 1 naming file, item
and reason when something is broken."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.data.validate import check_sources_md, data_files
from tests.conftest import DATA_DIR, ROOT

PYTHON = ROOT / ".venv" / "bin" / "python"


def run_validate(data_dir: Path) -> subprocess.CompletedProcess:
    python = PYTHON if PYTHON.exists() else Path(sys.executable)
    return subprocess.run(
        [str(python), "-m", "geo.data.validate", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture
def data_copy(tmp_path) -> Path:
    assert (DATA_DIR / "incidents.csv").exists(), "data/incidents.csv has not been built yet"
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_feature(data_dir: Path, filename: str, feature_id: str, change) -> None:
    path = data_dir / "layers" / filename
    doc = json.loads(path.read_text(encoding="utf-8"))
    matches = [f for f in doc["features"] if f["properties"]["id"] == feature_id]
    assert len(matches) == 1, f"{feature_id} not found once in {filename}"
    change(matches[0]["properties"])
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def problem_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("- ")]


def test_clean_copy_passes(data_copy):
    result = run_validate(data_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout
    assert str(data_copy) in result.stdout
    assert "incidents: 0" not in result.stdout and "timeline: 0" not in result.stdout


def _drop_sources(props):
    props.pop("sources")


def _empty_sources(props):
    props["sources"] = []


def _js_url(props):
    props["sources"][0]["url"] = "javascript:alert(document.cookie)"


def _end_before_start(props):
    props["valid_to"] = "1970-01-01"


def _bad_status(props):
    props["status"] = "destroyed"


@pytest.mark.parametrize(
    ("filename", "feature_id", "change", "reason"),
    [
        ("reference_1974.geojson", "aos_osm", _empty_sources, "no source"),
        ("places.geojson", "place_gn_173334", _drop_sources, "missing sources"),
        ("places.geojson", "place_gn_167444", _js_url, "not an http(s) URL"),
        ("context.geojson", "hermon_summit", _end_before_start,
         "valid_to 1970-01-01 is before valid_from 1974-05-31"),
        ("limitation_1974.geojson", "aol_east_0_10", _bad_status, "status 'destroyed'"),
    ],
)
def test_broken_feature_fails_naming_file_id_and_reason(data_copy, filename, feature_id, change,
                                                        reason):
    edit_feature(data_copy, filename, feature_id, change)
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "problem(s)" in result.stdout
    lines = [line for line in problem_lines(result.stdout) if f"/ {feature_id}:" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"- {filename} / {feature_id}: ")
    assert reason in lines[0]


def test_rejected_feature_also_breaks_timeline_links(data_copy):
    edit_feature(data_copy, "reference_1974.geojson", "aos_osm", _empty_sources)
    out = run_validate(data_copy).stdout
    assert any(line.startswith("- timeline.json / ") and "unknown feature ids" in line
               and "aos_osm" in line for line in problem_lines(out)), out


def test_broken_incident_row_is_named(data_copy):
    path = data_copy / "incidents.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    rows[0]["latitude"], rows[0]["longitude"] = rows[0]["longitude"], rows[0]["latitude"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    result = run_validate(data_copy)
    assert result.returncode == 1
    ident = rows[0]["event_id_cnty"]
    lines = [line for line in problem_lines(result.stdout) if ident in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"- incidents.csv / row 2 ({ident}): ")
    assert "swapped" in lines[0]


def test_broken_timeline_entry_is_named(data_copy):
    path = data_copy / "timeline.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries[3]["kind"] = "gossip"
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    result = run_validate(data_copy)
    assert result.returncode == 1
    assert f"- timeline.json / {entries[3]['id']}: kind 'gossip'" in result.stdout


def test_unparseable_file_is_reported_whole(data_copy):
    (data_copy / "layers" / "admin.geojson").write_text("{truncated", encoding="utf-8")
    result = run_validate(data_copy)
    assert result.returncode == 1
    assert "- admin.geojson / (whole file): admin.geojson: not valid JSON" in result.stdout


def test_missing_incidents_file_is_reported(data_copy):
    (data_copy / "incidents.csv").unlink()
    text = (data_copy / "SOURCES.md").read_text(encoding="utf-8")
    result = run_validate(data_copy)
    assert result.returncode == 1
    assert "- incidents.csv / (whole file):" in result.stdout
    assert "`incidents.csv`" in text  # still documented; only the file is gone


@pytest.mark.parametrize("relpath", ["layers/extra.geojson", "notes.csv"])
def test_data_file_without_sources_entry_is_reported(data_copy, make_feature, relpath):
    path = data_copy / relpath
    if path.suffix == ".geojson":
        doc = {"type": "FeatureCollection", "features": [make_feature(id="extra_unique_id")]}
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:
        path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout
    assert f"- SOURCES.md / {relpath}: no entry in data/SOURCES.md" in result.stdout
    assert len(problem_lines(result.stdout)) == 1, result.stdout


def test_missing_sources_md_is_reported(data_copy):
    (data_copy / "SOURCES.md").unlink()
    result = run_validate(data_copy)
    assert result.returncode == 1
    assert "data/SOURCES.md is missing" in result.stdout


# ---------------------------------------------------------------------------------------------
# In-process helpers


def test_data_files_skip_sources_md_and_hidden(tmp_path):
    (tmp_path / "layers").mkdir()
    for name in ("SOURCES.md", ".gitkeep", "a.csv", "layers/b.geojson", "layers/.hidden"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in data_files(tmp_path)] == [
        "a.csv", "layers/b.geojson"]


def test_sources_md_needs_backticked_path_and_licence(tmp_path):
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    (tmp_path / "SOURCES.md").write_text("a.csv is here but not quoted\n", encoding="utf-8")
    problems = {(p.item, p.reason) for p in check_sources_md(tmp_path)}
    assert problems == {("a.csv", "no entry in data/SOURCES.md"),
                        ("(whole file)", "no licence information")}
    (tmp_path / "SOURCES.md").write_text("`a.csv` Licence: CC BY 4.0\n", encoding="utf-8")
    assert check_sources_md(tmp_path) == []


# ---------------------------------------------------------------------------------------------
# The checks across datasets (geo.data.audit) and the new files run with the validator


def _majdal_shams(data_dir: Path) -> list[float]:
    doc = json.loads((data_dir / "layers" / "places.geojson").read_text(encoding="utf-8"))
    return next(f["geometry"]["coordinates"] for f in doc["features"]
                if f["properties"]["id"] == "place_gn_167444")  # inside the Golan polygon


def test_position_moved_into_the_golan_fails_naming_it(data_copy):
    path = data_copy / "layers" / "positions.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    target = next(f for f in doc["features"]
                  if f["properties"]["id"] == "pos_al_adnaniyah_point_base")
    target["geometry"] = {"type": "Point", "coordinates": _majdal_shams(data_copy)}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout
    lines = problem_lines(result.stdout)
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("- positions.geojson / pos_al_adnaniyah_point_base: ")
    assert "inside the Golan polygon" in lines[0]


def test_incident_moved_into_the_golan_fails_naming_it(data_copy):
    path = data_copy / "incidents.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    lon, lat = _majdal_shams(data_copy)
    row = next(r for r in rows if r["event_id_cnty"] == "SIS20250108-01")
    row["longitude"], row["latitude"] = str(lon), str(lat)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout
    lines = problem_lines(result.stdout)
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("- incidents.csv / SIS20250108-01: the reported event lies "
                               "inside the Golan polygon")


def test_position_starting_before_the_fall_of_assad_fails_naming_it(data_copy):
    edit_feature(data_copy, "positions.geojson", "pos_hermon_outpost_2400_m",
                 lambda props: props.update(valid_from="2024-12-01"))
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout
    assert "- positions.geojson / pos_hermon_outpost_2400_m: valid_from 2024-12-01 is before " \
        "2024-12-08" in result.stdout


def test_bad_unlocated_position_fails_naming_it(data_copy):
    path = data_copy / "positions_unlocated.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["geometry"] = {"type": "Point", "coordinates": [36.1, 32.9]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ident = doc["features"][0]["properties"]["id"]
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout
    assert f"- positions_unlocated.geojson / {ident}: an unlocated position has a geometry" \
        in result.stdout


def test_bad_coverage_month_fails_naming_it(data_copy):
    path = data_copy / "coverage.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["months"][-1]["incidents"] = 4  # a month after data_through with rows in it
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run_validate(data_copy)
    assert result.returncode == 1, result.stdout
    month = doc["months"][-1]["month"]
    assert f"- coverage.json / {month}: rows counted in {month}, after data_through" \
        in result.stdout
