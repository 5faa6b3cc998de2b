"""AppTest of the incidents page: it runs on the sample, lists saved datasets, filters, and the
upload handler turns bad files into a clear message (AppTest cannot drive file_uploader)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from geo.core.figures import round_sig
from geo.data import store
from geo.data.importers import import_incidents
from geo.data.loaders import DATA_DIR, load_all
from tests.pages.apptest_helpers import components, run_app, vega_specs
from ui import incident_views as views
from ui import incidents as ui

PAGE = "pages/incidents.py"
TEST_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path))
    return tmp_path


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_runs_and_shows_the_sample_count(user_data: Path) -> None:
    at = run_app(page=PAGE)
    sample = load_all(DATA_DIR)["incidents"].data
    assert at.title[0].value == "Incidents and zones"
    assert not at.error
    assert _metric(at, "Incidents in the dataset") == f"{len(sample):,}"
    assert _metric(at, "Matching the filters") == f"{len(sample):,}"
    assert at.radio(key=ui.SOURCE_KEY).value == "sample"
    sample_caption = next(c.value for c in at.caption if "Built-in sample" in c.value)
    assert f"Built-in sample: {len(sample):,} incidents" in sample_caption
    assert "Data through 28 Jun 2026 (searched to 29 Nov 2026)" in sample_caption
    assert not vega_specs(at) and not components(at) and not at.get("download_button")
    _open_tab(at, "Charts")
    assert len(vega_specs(at)) == 3  # weekly, per zone, per admin area
    _open_tab(at, "Map")
    assert components(at), "the map was not rendered"
    assert not vega_specs(at), "only the open tab is computed"
    _open_tab(at, "Download")
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == ["CSV", "GeoJSON", "GeoPackage"]
    # The bytes are made before the buttons are drawn (a file URL, no deferred generator).
    assert all(b.proto.url and not b.proto.deferred_file_id for b in buttons)


def _open_tab(at, label: str) -> None:
    at.session_state[views.TAB_KEY] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_zone_filter_narrows_the_incidents(user_data: Path) -> None:
    at = run_app(page=PAGE)
    zones = next(m for m in at.multiselect if m.label == "In zone (any of)")
    zones.set_value(["aos"]).run()
    assert not at.exception
    sample = load_all(DATA_DIR)["incidents"].data
    from geo.analysis.zones import classify

    expected = int(classify(sample, load_all(DATA_DIR)["layers"].data)["in_aos"].sum())
    assert _metric(at, "Matching the filters") == f"{expected:,}"
    assert _metric(at, "In the Area of Separation") == f"{expected:,}"


def test_saved_dataset_can_be_chosen(user_data: Path) -> None:
    data = import_incidents((TEST_DATA / "acled_bom.csv").read_bytes(), "acled_bom.csv").data
    store.save("acled-test", data, user_data)
    at = run_app(page=PAGE)
    assert "Saved: acled-test (4)" in at.radio(key=ui.SOURCE_KEY).options
    at.radio(key=ui.SOURCE_KEY).set_value("saved:acled-test").run()
    assert not at.exception
    assert _metric(at, "Incidents in the dataset") == f"{len(data):,}"


def test_corrupt_saved_dataset_is_reported_on_the_page(user_data: Path) -> None:
    (user_data / "broken.gpkg").write_bytes(b"not a geopackage" * 20)
    at = run_app(page=PAGE)
    assert any("broken" in w.value and "unreadable" in w.value for w in at.warning)
    assert list(user_data.glob("broken.corrupt-*"))


def test_upload_choice_shows_the_uploader_prompt(user_data: Path) -> None:
    at = run_app(page=PAGE)
    at.radio(key=ui.SOURCE_KEY).set_value("upload").run()
    assert not at.exception
    assert any("ACLED export" in m.value for m in at.markdown)
    assert not at.metric  # nothing to analyse until a file is uploaded


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("incidents.csv", "a,b\n")
        archive.writestr("more.csv", "a,b\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "empty.csv: the file is empty"),
        (_zip(), "incidents.zip", "the ZIP archive holds 2 data files"),
        (b"a;b;c\n1;2;3\n", "semi.csv", "separated by semicolons"),
        (b"name,colour\nx,red\n", "other.csv", "unrecognised columns"),
    ],
)
def test_bad_upload_gives_a_message_not_a_traceback(data: bytes, name: str, message: str) -> None:
    result, error = ui.import_upload(data, name)
    assert result is None
    assert message in error


def test_good_upload_is_imported_and_cached() -> None:
    data = (TEST_DATA / "ucdp_ged_noheader.csv").read_bytes()
    first, error = ui.import_upload(data, "interim.csv")
    again, _ = ui.import_upload(data, "interim.csv")
    assert error == "" and first is not None and first.accepted == 3
    assert again is not None and list(again.data["event_id_cnty"]) == list(
        first.data["event_id_cnty"])


def test_markdown_escaping() -> None:
    hostile = "[click](javascript:alert(1)) ![x](http://evil/p.png) **b** :red[x] <b>"
    escaped = ui.md(hostile)
    for token in ("[", "]", "(", ")", "!", "*", ":", "<", ">"):
        assert token not in escaped.replace("\\" + token, "")


def test_set_aside_file_is_still_reported_in_a_later_session(user_data: Path) -> None:
    (user_data / "broken.gpkg").write_bytes(b"not a geopackage" * 20)
    run_app(page=PAGE)  # this session finds it and sets it aside
    aside = [p.name for p in user_data.glob("broken.corrupt-*")]
    assert len(aside) == 1
    later = run_app(page=PAGE)  # a new session (or the app after a restart)
    assert not later.warning  # the fresh-problem warning was for the session that found it
    notes = [re.sub(r"\\(.)", r"\1", c.value) for c in later.caption if "set aside" in c.value]
    assert len(notes) == 1 and aside[0] in notes[0]
    assert not any("broken" in option for option in later.radio(key=ui.SOURCE_KEY).options)


def test_saved_dataset_unreadable_on_load_is_reported_and_kept(user_data: Path) -> None:
    data = import_incidents((TEST_DATA / "acled_bom.csv").read_bytes(), "acled_bom.csv").data
    store.save("odd-dates", data.assign(event_date="sometime"), user_data)
    path = user_data / "odd-dates.gpkg"
    before = path.read_bytes()
    at = run_app(page=PAGE)
    at.radio(key=ui.SOURCE_KEY).set_value("saved:odd-dates").run()
    assert not at.exception
    assert any("odd\\-dates" in e.value and "unreadable values" in e.value for e in at.error)
    assert not at.metric  # nothing analysed
    assert path.read_bytes() == before  # reported, not dropped
    at.radio(key=ui.SOURCE_KEY).set_value("sample").run()
    assert not at.exception and at.metric


def test_zone_areas_are_no_more_precise_than_the_zones(user_data: Path) -> None:
    at = run_app(page=PAGE)
    _open_tab(at, "Zones")
    table = next(d.value for d in at.dataframe if "area_km2" in d.value.columns)
    areas = table.set_index("zone")["area_km2"].dropna()
    assert len(areas) > 3
    assert all(float(a) == round_sig(float(a)) for a in areas), list(areas)
    assert areas["Proposal: zones south-west of Damascus"] == 6300
