"""AppTest of the map page: it runs, the date drives what reaches the map, the URL is the state."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from geo.data.loaders import DATA_DIR
from tests.pages.apptest_helpers import folium_args, run_app, vega_specs
from ui import sidebar
from ui.mapview import DATE_KEY
from ui.playback import PLAY_KEY, STEP_KEY
from ui.sidebar import WINDOW_KEY


def _incident_ids(script: str) -> set[str]:
    return set(re.findall(r'"id": ?"(SIS\d{8}-\d{2})"', script))


def _feature_ids(script: str) -> set[str]:
    return set(re.findall(r'"id": ?"([a-z_]+[a-z0-9_]*)"', script))


@pytest.fixture(scope="module")
def early():
    return run_app({"date": "2025-01-10", "window": "30"})


@pytest.fixture(scope="module")
def late():
    return run_app({"date": "2025-12-10", "window": "30"})


def test_page_runs_and_shows_date(early) -> None:
    assert early.title[0].value == "The frontier as of 10 January 2025"
    assert not early.error


def test_date_changes_features_and_incidents(early, late) -> None:
    first, second = folium_args(early)["script"], folium_args(late)["script"]
    assert "prop_no_fly" not in _feature_ids(first)
    assert "prop_no_fly" in _feature_ids(second)
    assert "st-collapsed" in first
    assert _incident_ids(first) != _incident_ids(second)
    assert _incident_ids(first) and _incident_ids(second)


def test_map_says_how_far_the_data_reach_and_shows_the_caveats(late) -> None:
    assert any(c.startswith("Data through 28 Jun 2026 (searched to 29 Nov 2026) · ")
               for c in late.caption.values)
    script = folium_args(late)["script"]
    assert "Location: near the named place or part of an area (precision 2; circle 5 km)" \
        in script
    assert "dir=\\u0027auto\\u0027" in script or "dir='auto'" in script
    assert "(via republisher)" in script


def test_query_params_reproduce_the_state(late) -> None:
    args = folium_args(late)
    assert late.date_input(key=DATE_KEY).value == dt.date(2025, 12, 10)  # beside the map
    assert not late.sidebar.date_input  # one date picker: the map page's
    assert late.sidebar.selectbox(key=WINDOW_KEY).value == "30"
    assert args["returned_objects"] == ["center", "zoom"]
    assert not any(link.startswith("http") for link in args["js_links"] + args["css_links"])
    # Leaflet and its plugins in one script (streamlit-folium loads scripts one by one).
    assert len(args["js_links"]) == 1 and args["js_links"][0].startswith("/app/static/vendor_js/")


def test_view_params_reach_component() -> None:
    at = run_app({"date": "2025-06-01", "lat": "33.39", "lon": "35.85", "zoom": "12",
                  "basemap": "topo", "layers": "lines_1974,hermon"})
    args = folium_args(at)
    assert args["center"] == [33.39, 35.85] and args["zoom"] == 12
    assert at.multiselect(key="map_layers").value == ["lines_1974", "hermon"]
    assert "tile.opentopomap.org" in args["script"]
    code = at.code[0].value
    assert "date=2025-06-01" in code and "zoom=12" in code and "basemap=topo" in code


def test_timeline_chart_marks_current_date(late) -> None:
    specs = vega_specs(late)
    assert specs, "timeline chart missing"
    assert "'name': 'pick'" in str(specs[0])  # clickable negotiation events


def test_first_run_draws_the_map_before_what_lies_under_it() -> None:
    at = run_app({"date": "2025-12-10"}, map_drawn=False)
    assert folium_args(at)["script"]  # the map comes at once
    assert not vega_specs(at) and not at.code  # the charts and the link wait
    assert "Loading the negotiation track…" in at.caption.values
    at.run()  # the run that the map's first report starts in a browser
    assert len(vega_specs(at)) == 2 and at.code
    assert "Loading the negotiation track…" not in at.caption.values


def test_next_event_button_moves_date(early) -> None:
    at = run_app({"date": "2025-01-10"})
    at.button(key="map_next_event").click().run()
    assert at.query_params["date"] != ["2025-01-10"]
    assert at.query_params["event"]
    assert at.title[0].value != "The frontier as of 10 January 2025"


def test_bad_params_fall_back_to_defaults() -> None:
    at = run_app({"date": "not-a-date", "zoom": "99", "layers": "<script>", "basemap": "x"})
    args = folium_args(at)
    assert args["zoom"] == 10
    assert "<script>" not in str(at.multiselect(key="map_layers").value)


def test_sidebar_reports_refused_items(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / "incidents.csv").read_text(encoding="utf-8").splitlines()
    text.append(text[1].replace("SIS", "DUP", 1).replace(",33.", ",93.", 1))
    (data / "incidents.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    at = run_app({"date": "2025-01-10"})
    warnings = [w.value for w in at.sidebar.warning]
    assert any("1 data item(s) failed validation" in w for w in warnings)


def test_view_survives_a_switch_of_page() -> None:
    at = run_app({"date": "2025-03-01", "window": "90"})
    at.query_params.clear()  # what Streamlit does when the sidebar navigation switches page
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception
    assert at.sidebar.date_input(key=sidebar.DATE_KEY).value == dt.date(2025, 3, 1)
    assert at.query_params["date"] in ("2025-03-01", ["2025-03-01"])
    assert at.query_params["window"] in ("90", ["90"])


def _param(at, key: str) -> str | None:
    value = at.query_params[key] if key in at.query_params else None
    return value[0] if isinstance(value, list) else value


def test_keyed_widgets_follow_the_url_and_write_to_it() -> None:
    """Keyed widgets keep their own state: a view changed elsewhere must still reach them, and
    the user's changes must still reach the URL, also across a switch of page."""
    at = run_app({"date": "2025-01-10", "window": "30"})
    at.button(key="map_next_event").click().run()
    moved = _param(at, "date")
    assert moved != "2025-01-10" and _param(at, "event")
    assert at.date_input(key=DATE_KEY).value.isoformat() == moved  # the button reached it

    at.date_input(key=DATE_KEY).set_value(dt.date(2025, 3, 3)).run()
    assert _param(at, "date") == "2025-03-03" and _param(at, "event") is None
    assert at.title[0].value == "The frontier as of 03 March 2025"
    at.selectbox(key=WINDOW_KEY).set_value("90").run()
    at.multiselect(key="map_layers").set_value(["hermon"]).run()
    at.selectbox(key="map_basemap").set_value("topo").run()
    assert not at.exception
    assert (_param(at, "window"), _param(at, "layers"), _param(at, "basemap")) == (
        "90", "hermon", "topo")
    assert "tile.opentopomap.org" in folium_args(at)["script"]

    at.query_params.clear()  # what Streamlit does when the sidebar navigation switches page
    at.switch_page("pages/sources.py").run()
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert at.title[0].value == "The frontier as of 03 March 2025"
    assert at.multiselect(key="map_layers").value == ["hermon"]
    assert at.selectbox(key="map_basemap").value == "topo"
    assert at.selectbox(key=WINDOW_KEY).value == "90"


def test_play_and_pause_keep_the_frame_in_the_url() -> None:
    at = run_app({"date": "2025-01-10"})
    assert at.button(key=PLAY_KEY).label == "Play"
    at.button(key=PLAY_KEY).click().run()  # the whole page reruns: no frame is skipped
    assert not at.exception
    assert at.button(key=PLAY_KEY).label == "Pause"
    assert _param(at, "date") == "2025-01-10"
    assert at.title[0].value == "The frontier as of 10 January 2025"
    at.button(key=PLAY_KEY).click().run()
    assert at.button(key=PLAY_KEY).label == "Play"
    assert _param(at, "date") == "2025-01-10"


def test_play_at_the_end_starts_from_the_fall_of_assad() -> None:
    at = run_app()  # opens on the last day of data: no event after it
    assert at.title[0].value == "The frontier as of 28 June 2026"
    at.selectbox(key=STEP_KEY).set_value("week").run()
    at.button(key=PLAY_KEY).click().run()
    assert _param(at, "date") == "2024-12-08"
    assert at.title[0].value == "The frontier as of 08 December 2024"


def test_a_date_change_swaps_layers_in_the_map_drawn(early, late) -> None:
    """The map's own script is the same on both dates (streamlit-folium keeps the map drawn);
    the date-dependent layers and their legend go on the side."""
    first, second = folium_args(early), folium_args(late)
    assert first["script_only"] == second["script_only"]
    assert first["feature_group"] != second["feature_group"]
    assert "map-legend" in first["feature_group"] and "map-legend" not in first["script_only"]
    assert "L.control.layers" in first["layer_control"]
    assert not _incident_ids(first["script_only"]) and _incident_ids(first["feature_group"])
    # The side layers name the map as streamlit-folium does, never by folium's own variable
    # (undefined there: the rest of the layers and the legend would not be drawn).
    assert not re.search(r"\bmap_[0-9a-f]{32}\b", first["feature_group"])
    assert "map_div" in first["feature_group"]
