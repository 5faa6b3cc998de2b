"""AppTest of the Annotate page (widgets by key): save a drawn annotation with its sources,
every reason a bad one is refused (and nothing saved), an edit as a new version with the old
one readable, a conflict between two writers, the permalink, and the layer on the Map page.

The drawing itself is made in Chromium (tests/browser/test_annotations_browser.py); here the
map's report of it is put into the session as st_folium would put it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from shapely.geometry import box, mapping

from geo.core.annotation import Annotation, AnnotationSource
from geo.data.store import CONFLICT_MESSAGE, open_store
from geo.render.annotations import ANNOTATIONS_LABEL
from geo.render.assets import VENDOR_DIR
from geo.render.static_files import STATIC_DIR, STATIC_URL
from tests.pages.apptest_helpers import components, folium_args, run_app
from ui import annotations as ui

PAGE = "pages/annotate.py"
AREA = box(35.80, 33.10, 35.83, 33.13)


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path))
    return tmp_path


def fill(at, **fields: object) -> None:
    values = {ui.NAME_KEY: "Checkpoint area", ui.STATUS_KEY: "reported",
              ui.FROM_KEY: dt.date(2025, 3, 1), ui.BASIS_KEY: "schematic",
              ui.CONFIDENCE_KEY: "low", ui.NOTE_KEY: "my reading of the report",
              ui.AUTHOR_KEY: "Analyst A", ui.source_keys(0)[0]: "A report",
              ui.source_keys(0)[1]: "https://example.org/report"}
    values.update({getattr(ui, k): v for k, v in fields.items()})
    for key, value in values.items():
        at.session_state[key] = value


def save(at, drawing: object = AREA):
    if drawing is not None:
        at.session_state[ui.DRAWN_KEY] = mapping(drawing)
    return at.button(key=ui.SAVE_KEY).click().run()


def saved_one(folder: Path) -> Annotation:
    stored = open_store(folder=folder).annotations()
    assert len(stored) == 1
    return stored[0]


def test_the_page_opens_with_a_map_to_draw_on() -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    assert at.title[0].value == "Annotate the map" and not at.error
    args = components(at)[0]
    assert args["returned_objects"] == ["last_active_drawing"]
    (script,) = args["js_links"]  # one file: Leaflet and its plugins, Leaflet.draw among them
    assert (VENDOR_DIR / "draw/leaflet.draw.js").read_text(encoding="utf-8") in (
        STATIC_DIR / script.removeprefix(STATIC_URL)).read_text(encoding="utf-8")
    assert not any(link.startswith("http") for link in args["js_links"] + args["css_links"])
    assert at.text_input(key=ui.NAME_KEY).value == ""
    assert "Nothing drawn yet" in at.info[0].value


def test_a_drawn_polygon_is_saved_with_its_provenance(folder: Path) -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    fill(at)
    save(at)
    assert not at.error, [e.value for e in at.error]
    assert "as version 1" in at.success[0].value
    stored = saved_one(folder)
    assert (stored.name, stored.status, stored.basis, stored.author) == (
        "Checkpoint area", "reported", "schematic", "Analyst A")
    assert stored.sources == (AnnotationSource("A report", "https://example.org/report"),)
    assert stored.geometry.equals(AREA) and stored.version == 1
    assert at.query_params["ann"] in (stored.id, [stored.id])
    assert ANNOTATIONS_LABEL in folium_args(at)["script"]


@pytest.mark.parametrize(("fields", "drawing", "message"), [
    ({}, None, "the geometry is empty"),
    ({"source_keys(0)": None}, AREA, "no source"),
    ({}, AREA, "not an http(s) URL"),
    ({"TO_KEY": dt.date(2025, 1, 1)}, AREA, "dates in the wrong order"),
    ({"AUTHOR_KEY": " "}, AREA, "the author is empty"),
])
def test_bad_input_is_refused_with_a_clear_message(folder: Path, fields: dict[str, object],
                                                    drawing: object, message: str) -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    fill(at, **{k: v for k, v in fields.items() if not k.startswith("source")})
    if "source_keys(0)" in fields:
        for key in ui.source_keys(0):
            at.session_state[key] = ""
    if message.startswith("not an http"):
        at.session_state[ui.source_keys(0)[1]] = "ftp://example.org/x"
    save(at, drawing)
    assert any(message.lower() in e.value.lower() for e in at.error), [e.value for e in at.error]
    assert not at.success
    assert open_store(folder=folder).annotations() == []


def test_an_edit_is_a_new_version_and_the_old_one_stays_readable(folder: Path) -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    fill(at)
    save(at)
    at.text_area(key=ui.NOTE_KEY).set_value("moved after a second report")
    at.text_input(key=ui.AUTHOR_KEY).set_value("Analyst B")
    at.button(key=ui.SAVE_KEY).click().run()
    assert "as version 2" in at.success[0].value
    first = saved_one(folder)
    history = open_store(folder=folder).annotation_history(first.id)
    assert [(a.version, a.author) for a in history] == [(1, "Analyst A"), (2, "Analyst B")]
    assert history[0].note == "my reading of the report"
    table = at.table[0].value
    assert list(table["version"]) == [1, 2]
    assert list(table["author"]) == ["Analyst A", "Analyst B"]
    at.selectbox(key=ui.VERSION_KEY).set_value(1).run()
    assert any("my reading of the report" in h.proto.body for h in at.get("html"))


def test_a_conflict_offers_reload_or_save_as_new(folder: Path) -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    fill(at)
    save(at)
    mine = saved_one(folder)
    other = Annotation(**{**mine.__dict__, "note": "someone else's edit", "author": "Other"})
    open_store(folder=folder).save_annotation(other, expected_version=1)  # another writer
    at.text_area(key=ui.NOTE_KEY).set_value("my edit")
    at.button(key=ui.SAVE_KEY).click().run()
    assert any(CONFLICT_MESSAGE in e.value for e in at.error)
    assert open_store(folder=folder).annotation(mine.id).note == "someone else's edit"
    at.button(key=ui.SAVE_NEW_KEY).click().run()
    assert "as version 1" in at.success[0].value
    stored = open_store(folder=folder).annotations()
    assert sorted(a.note for a in stored) == ["my edit", "someone else's edit"]


def test_reload_drops_my_changes_for_the_latest(folder: Path) -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    fill(at)
    save(at)
    mine = saved_one(folder)
    other = Annotation(**{**mine.__dict__, "note": "theirs"})
    open_store(folder=folder).save_annotation(other, expected_version=1)
    at.text_area(key=ui.NOTE_KEY).set_value("mine")
    at.button(key=ui.SAVE_KEY).click().run()
    at.button(key=ui.RELOAD_KEY).click().run()
    assert at.text_area(key=ui.NOTE_KEY).value == "theirs" and not at.error
    assert len(open_store(folder=folder).annotation_history(mine.id)) == 2


def test_the_permalink_reopens_an_annotation_at_a_version(folder: Path) -> None:
    store = open_store(folder=folder)
    first = store.save_annotation(Annotation(
        id="checkpoint-0001", name="Checkpoint", status="proposed",
        valid_from=dt.date(2025, 3, 1), valid_to=None,
        sources=(AnnotationSource("Leak", reference="doc 12"),), basis="schematic",
        confidence="medium", note="first", geometry=AREA, author="A"), None)
    store.save_annotation(Annotation(**{**first.__dict__, "note": "second"}), 1)
    at = run_app({"date": "2025-09-16", "ann": "checkpoint-0001@1"}, page=PAGE)
    assert at.text_area(key=ui.NOTE_KEY).value == "second"  # the form edits the latest
    assert at.selectbox(key=ui.VERSION_KEY).value == 1
    assert any(">first<" in h.proto.body for h in at.get("html"))
    assert "ann=checkpoint-0001%401" in " ".join(c.value for c in at.code)


def test_the_map_page_shows_annotations_as_of_its_date(folder: Path) -> None:
    open_store(folder=folder).save_annotation(Annotation(
        id="checkpoint-0002", name="Checkpoint two", status="own_reading",
        valid_from=dt.date(2025, 3, 1), valid_to=None,
        sources=(AnnotationSource("Report", "https://example.org/r"),), basis="schematic",
        confidence="low", note="", geometry=AREA, author="A"), None)
    at = run_app({"date": "2025-09-16"})
    script = folium_args(at)["script"]
    assert "checkpoint-0002" in script and "st-own_reading" in script
    assert "ann=checkpoint-0002" in at.code[0].value
    before = run_app({"date": "2025-01-10", "ann": "checkpoint-0002"})
    assert "checkpoint-0002" not in folium_args(before)["script"]
    missing = run_app({"date": "2025-09-16", "ann": "no-such-one"})
    assert any("no-such-one" in w.value for w in missing.warning)
