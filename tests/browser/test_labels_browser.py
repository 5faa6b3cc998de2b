"""Map labels in a real browser: the default view names the briefing's places, lines and zones
as text in the map, in English, Arabic and Hebrew, and no two labels shown overlap."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, map_frame

#: The labels shown after the collision script has run.
SHOWN = ".map-label:not(.lbl-off) .lbl"


def _labels(page: Any, query: str = "") -> Any:
    page.set_viewport_size({"width": 1500, "height": 1000})
    page.goto(f"{page.app_url}/{query}")
    frame = map_frame(page)
    frame.locator(".leaflet-container[data-labels-ready='1']").wait_for()
    return frame


def _shown_texts(frame: Any) -> list[str]:
    return [t.strip() for t in frame.locator(SHOWN).all_inner_texts()]


@pytest.fixture
def labelled(page: Any, app_url: str) -> Any:
    page.app_url = app_url
    return page


def test_default_view_names_places_lines_and_zones(labelled: Any) -> None:
    frame = _labels(labelled)
    for text in ("Quneitra", "Damascus", "Mount Hermon 2,814 m", "Line A",
                 "Area of Separation (UNDOF)", "Syria", "10 km"):
        expect(frame.locator(SHOWN, has_text=text).first).to_be_visible()
    # the summit's symbol is drawn with its name
    assert "▲" in frame.locator(".lbl-summit").inner_text()
    labelled.screenshot(path=str(ARTIFACTS / "labels-en.png"))


def test_no_two_labels_shown_overlap(labelled: Any) -> None:
    frame = _labels(labelled)
    boxes = [b for b in (el.bounding_box() for el in frame.locator(SHOWN).all()) if b]
    assert len(boxes) >= 15
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                     or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
            assert apart, (a, b)
    # some labels were hidden to get there
    assert frame.locator(".map-label.lbl-off").count() > 0


def test_arabic_labels_are_right_to_left(labelled: Any) -> None:
    frame = _labels(labelled, "?lang=ar")
    quneitra = frame.locator(f"{SHOWN} .txt", has_text="القنيطرة").first
    expect(quneitra).to_be_visible()
    assert quneitra.get_attribute("dir") == "rtl"
    assert quneitra.get_attribute("lang") == "ar"
    # the sidebar's switch shows the language of the link
    assert "lang=ar" in labelled.url
    labelled.screenshot(path=str(ARTIFACTS / "labels-ar.png"))


def test_hebrew_labels_fall_back_to_english(labelled: Any) -> None:
    frame = _labels(labelled, "?lang=he")
    expect(frame.locator(f"{SHOWN} .txt[lang='he']", has_text="קוניטרה").first).to_be_visible()
    line_a = frame.locator(f"{SHOWN} .txt", has_text="Line A").first
    expect(line_a).to_be_visible()
    assert line_a.get_attribute("dir") == "ltr"
    labelled.screenshot(path=str(ARTIFACTS / "labels-he.png"))
