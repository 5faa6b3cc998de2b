"""AppTest of the briefing page: stepping through the story writes each step's view to the
URL, a step link reopens it, presenter mode and the side-by-side comparison."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import DATA_DIR
from tests.pages.apptest_helpers import folium_args, run_app

PAGE = "pages/briefing.py"
STEPS = json.loads((DATA_DIR / "story.json").read_text(encoding="utf-8"))


def _params(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def test_opens_on_the_first_step_and_writes_its_view() -> None:
    at = run_app(page=PAGE)
    first = STEPS[0]
    assert at.title[0].value == first["title"]
    params = _params(at)
    assert params["step"] == first["id"] and params["date"] == first["date"]
    assert params["event"] == first["timeline_id"]
    assert params["layers"] == ",".join(first["layers"])
    assert float(params["lat"]) == first["view"]["lat"] and params["zoom"] == "10"
    assert at.button(key="story-left").disabled
    assert not at.button(key="story-right").disabled


def test_next_and_previous_step_through_the_story() -> None:
    at = run_app(page=PAGE)
    at.button(key="story-right").click().run()
    assert at.title[0].value == STEPS[1]["title"]
    assert _params(at)["step"] == STEPS[1]["id"] and _params(at)["date"] == "2024-12-08"
    at.button(key="story-right").click().run()
    assert _params(at)["step"] == STEPS[2]["id"]
    at.button(key="story-left").click().run()
    assert _params(at)["step"] == STEPS[1]["id"]
    assert at.markdown and any(STEPS[1]["caption"][:40] in m.value for m in at.markdown)


def test_step_link_reopens_the_step_and_its_map() -> None:
    at = run_app({"step": "israel-proposal"}, page=PAGE)
    assert at.title[0].value == "16 Sep 2025: Israel's proposal"
    args = folium_args(at)
    assert "center: [33.25, 36.0]" in args["script"] and '"zoom": 9' in args["script"]
    assert "prop_zone1_plus2km" in args["script"] and "prop_no_fly" in args["script"]
    assert args["returned_objects"] == []
    link = at.code[0].value
    assert link.startswith("/briefing?date=2025-09-16") and link.endswith("step=israel-proposal")


def test_last_step_disables_next() -> None:
    at = run_app({"step": STEPS[-1]["id"]}, page=PAGE)
    assert at.button(key="story-right").disabled
    assert not at.button(key="story-left").disabled


def test_a_date_without_a_step_opens_the_step_of_that_date() -> None:
    at = run_app({"date": "2025-08-30"}, page=PAGE)
    assert _params(at)["step"] == "syria-demand"


def test_presenter_mode_hides_the_sidebar_and_keeps_the_link() -> None:
    at = run_app({"step": "collapse-2024"}, page=PAGE)
    assert not [h for h in at.get("html") if "stSidebar" in h.proto.body]
    at.toggle(key="briefing_presenter").set_value(True).run()
    assert _params(at)["presenter"] == "1"
    styles = [h.proto.body for h in at.get("html") if "stSidebar" in h.proto.body]
    assert styles and "display: none" in styles[0]
    assert at.code[0].value.endswith("step=collapse-2024&presenter=1")
    at.button(key="story-right").click().run()
    assert _params(at)["presenter"] == "1" and _params(at)["step"] == STEPS[2]["id"]


def test_presenter_link_opens_in_presenter_mode() -> None:
    at = run_app({"step": "paris-2026-01", "presenter": "1"}, page=PAGE)
    assert at.toggle(key="briefing_presenter").value is True
    assert any("stSidebar" in h.proto.body for h in at.get("html"))


def test_side_by_side_comparison() -> None:
    at = run_app({"mode": "compare"}, page=PAGE)
    assert at.title[0].value == "Syria's demand and Israel's proposal, 16 September 2025"
    frames = at.get("iframe")
    assert len(frames) == 1
    html = frames[0].proto.srcdoc
    assert "demand_sy_restore_1974" in html and "prop_zone1_plus2km" in html
    assert "L.Map.include" in html and "<script src=" not in html
    table = at.dataframe[0].value
    assert list(table["side"]) == ["Syria", "Israel", "Israel", "Israel", "Israel"]
    assert table["area km²"].iloc[1] > table["area km²"].iloc[0] > 0
    assert "km²" in at.main.markdown[-1].value


def test_switching_modes_updates_the_url() -> None:
    at = run_app({"step": "israel-proposal"}, page=PAGE)
    at.button_group(key="briefing_mode").set_value("compare").run()
    assert at.title[0].value.startswith("Syria's demand and Israel's proposal")
    assert _params(at)["mode"] == "compare"
    at.button_group(key="briefing_mode").set_value("story").run()
    assert at.title[0].value == "16 Sep 2025: Israel's proposal"
