"""AppTest of the label language switch: the sidebar's selectbox (key sidebar_lang) writes lang
to the URL and the map's labels follow; a link's lang sets the switch."""

from __future__ import annotations

from geo.render.payloads import json_text
from tests.pages.apptest_helpers import folium_args, run_app
from ui.sidebar import LANG_KEY


def _js(text: str) -> str:
    """``text`` as the map script holds it (geo.render.payloads.json_text)."""
    return json_text(text)[1:-1]


def _lang_param(at) -> str | None:
    value = at.query_params.get("lang")
    return value[-1] if isinstance(value, list) else value


def test_switch_writes_lang_and_labels_follow() -> None:
    at = run_app({"date": "2025-06-01"})
    assert at.sidebar.selectbox(key=LANG_KEY).value == "en"
    assert "Quneitra" in folium_args(at)["script"]
    at.sidebar.selectbox(key=LANG_KEY).set_value("ar").run()
    assert not at.exception
    assert _lang_param(at) == "ar"
    script = folium_args(at)["script"]
    assert _js("القنيطرة") in script and _js("dir='rtl' lang='ar'") in script


def test_link_sets_the_switch_and_bad_values_fall_back() -> None:
    at = run_app({"date": "2025-06-01", "lang": "he"})
    assert at.sidebar.selectbox(key=LANG_KEY).value == "he"
    assert _js("קוניטרה") in folium_args(at)["script"]
    bad = run_app({"date": "2025-06-01", "lang": "xx"})
    assert bad.sidebar.selectbox(key=LANG_KEY).value == "en"
