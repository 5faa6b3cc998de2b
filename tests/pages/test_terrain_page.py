"""AppTest of the terrain page ("What Hermon sees"), widgets found by key: the viewshed's
figures, the comparison, the profile, the URL as the state, and bad input as plain messages."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from geo.analysis.terrain import CORRECTION_NOTE
from geo.analysis.viewshed import RESOLUTION_NOTE
from geo.core.terrain import TerrainView
from geo.render.assets import VENDOR_DIR
from geo.render.static_files import STATIC_DIR, STATIC_URL
from tests.pages.apptest_helpers import components, run_app, vega_specs
from tests.pages.media_sessions import SharedMedia
from ui import terrain

PAGE = "pages/terrain.py"
MAJDAL_SHAMS, KHAN_ARNABAH = "place_gn_167444", "place_gn_168355"
KUDNA = "pos_tell_kudneh_tel_kudna_post"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def param(at, key: str) -> str | None:
    value = at.query_params[key] if key in at.query_params else None
    return value[0] if isinstance(value, list) else value


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


@pytest.fixture(scope="module")
def summit():
    return run_app({"date": "2025-09-16", "observer": "summit",
                    "profile": f"{MAJDAL_SHAMS};{KHAN_ARNABAH}"}, page=PAGE)


def test_the_page_opens_with_nothing_chosen() -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    assert at.title[0].value == "What Hermon sees" and not at.error and not at.metric
    maps = components(at)
    assert [m["returned_objects"] for m in maps] == [["last_clicked"], ["last_active_drawing"]]
    for args in maps:
        assert not any(link.startswith("http") for link in args["js_links"] + args["css_links"])
    (script,) = maps[1]["js_links"]  # one file: Leaflet and its plugins, Leaflet.draw among them
    assert (VENDOR_DIR / "draw/leaflet.draw.js").read_text(encoding="utf-8") in (
        STATIC_DIR / script.removeprefix(STATIC_URL)).read_text(encoding="utf-8")
    assert at.selectbox(key=terrain.OBSERVER_KEY).value == ""
    assert at.number_input(key=terrain.RADIUS_KEY).value == 40


def test_the_summit_viewshed_with_its_figures(summit) -> None:
    shown = metrics(summit)
    assert shown["Visible in total, km²"] == "≈ 760"
    assert shown["Syria east of Line B, km²"] == "≈ 430"
    assert shown["Area of Separation, km²"] == "≈ 120"
    assert shown["Golan (Israeli-held), km²"] == "≈ 120"
    assert [shown[f"Eye {h} m up"] for h in (0, 10, 20)] == ["≈ 680", "≈ 760", "≈ 990"]
    words = texts(summit)
    assert "33.41329 N, 35.85693 E" in words and "ground 2,788 m" in words
    assert CORRECTION_NOTE in words and RESOLUTION_NOTE in words
    assert "has no terrain data and is not counted" in words  # the radius passes 36° E
    assert "Viewshed" in components(summit)[0]["script"]


def test_the_profile_marks_line_a_and_line_b(summit) -> None:
    (chart,) = [c for c in summit.get("vega_lite_chart")
                if json.loads(c.proto.spec).get("height") == 260]
    tables = [pa.ipc.open_stream(ds.data.data).read_all().to_pydict()
              for ds in chart.proto.datasets]
    labels = {label for table in tables for label in table.get("label", [])}
    assert labels == {"Line A / AoS edge", "Line B / AoS edge"}
    words = texts(summit)
    assert "Khān Arnabah is hidden from Majdal Shams" in words
    assert words.index("Line A") < words.index("Line B")
    assert summit.selectbox(key=terrain.END_KEYS[0]).value == MAJDAL_SHAMS
    assert "Profile line" in components(summit)[1]["script"]


def _download_keys(at) -> set[str]:
    return {button.proto.id.rsplit("-", 1)[-1] for button in at.get("download_button")}


def _prepare_images(at) -> None:
    """Press the buttons that ask for the map with the viewshed (PNG slide, PDF brief)."""
    for fmt in ("png", "pdf"):
        at.button(key=f"request-terrain_{fmt}").click().run()
        assert not at.exception, [e.value for e in at.exception]


def test_downloads_are_offered_by_key(summit) -> None:
    # The map images take a second or more each: they are made only when asked for.
    assert _download_keys(summit) == {"terrain_geojson", "terrain_gpkg", "terrain_profile_csv"}
    _prepare_images(summit)
    keys = _download_keys(summit)
    assert keys == {f"terrain_{fmt}" for fmt in ("geojson", "gpkg", "png", "pdf", "profile_csv")}


def test_the_permalink_carries_the_result(summit) -> None:
    link = summit.code[0].value
    assert "/terrain?" in link and "date=2025-09-16" in link and "observer=summit" in link
    assert f"profile={MAJDAL_SHAMS};{KHAN_ARNABAH}" in link


def test_widgets_write_to_the_url_and_change_the_result() -> None:
    at = run_app({"date": "2025-09-16"}, page=PAGE)
    at.selectbox(key=terrain.OBSERVER_KEY).set_value(KUDNA).run()
    assert param(at, "observer") == KUDNA and not at.exception
    assert metrics(at)["Visible in total, km²"] == "≈ 300"  # Tel Kudna: 305 km²
    at.number_input(key=terrain.RADIUS_KEY).set_value(10.0).run()
    assert param(at, "radius") == "10"
    smaller = metrics(at)["Visible in total, km²"]
    assert smaller != "≈ 300"
    at.selectbox(key=terrain.VERSUS_KEY).set_value("summit").run()
    assert param(at, "versus") == "summit"
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Only Tell Kudneh / Tel Kudna post sees" in html and "Both see" in html
    at.selectbox(key=terrain.END_KEYS[0]).set_value(MAJDAL_SHAMS).run()
    assert param(at, "profile") is None  # one end is no line
    at.selectbox(key=terrain.END_KEYS[1]).set_value(KHAN_ARNABAH).run()
    assert param(at, "profile") == f"{MAJDAL_SHAMS};{KHAN_ARNABAH}"
    assert any(s.get("height") == 260 for s in vega_specs(at))


def test_the_terrain_view_survives_a_switch_of_page() -> None:
    at = run_app({"date": "2025-09-16", "observer": KUDNA, "radius": "10"}, page=PAGE)
    at.query_params.clear()  # what Streamlit does when the sidebar navigation switches page
    at.switch_page("pages/sources.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert param(at, "observer") == KUDNA and param(at, "radius") == "10"
    assert at.selectbox(key=terrain.OBSERVER_KEY).value == KUDNA


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"observer": "summit", "radius": "0"}, "radius must be more than 0"),
        ({"observer": "summit", "radius": "150"}, "at most 100 km"),
        ({"observer": "33.30000,36.30000"}, "outside the terrain data"),
        ({"observer": "pos_not_there"}, "Unknown place"),
        ({"profile": f"{MAJDAL_SHAMS};33.27040,35.77170"}, "two terrain cells"),
        ({"profile": "33.20000,35.80000;33.10000,36.40000"}, "outside the terrain data"),
    ],
)
def test_bad_input_gets_a_plain_message(params: dict[str, str], message: str) -> None:
    at = run_app({"date": "2025-09-16", **params}, page=PAGE)
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert len(components(at)) == 2  # both maps are still drawn


def test_the_same_observer_again_comes_from_the_cache() -> None:
    first = terrain.report("summit", TerrainView())
    assert terrain.report("summit", TerrainView()) is first
    assert not first.result.visible.flags.writeable


def test_downloads_outlive_other_sessions_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each download's file is still there when the browser fetches it after two script runs
    of another session have finished: the buttons carry their bytes (a file made on click was
    referenced by no session and deleted by the second of those runs)."""
    media = SharedMedia(monkeypatch)
    at = run_app({"date": "2025-09-16", "observer": "summit",
                  "profile": f"{MAJDAL_SHAMS};{KHAN_ARNABAH}"}, page=PAGE)
    _prepare_images(at)
    urls = {b.proto.id.rsplit("-", 1)[-1]: media.click(b) for b in at.get("download_button")}
    assert set(urls) == {f"terrain_{fmt}" for fmt in ("geojson", "gpkg", "png", "pdf",
                                                      "profile_csv")}
    media.others_rerun(2)
    assert [key for key, url in urls.items() if not media.resolves(url)] == []
