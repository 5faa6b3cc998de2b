"""Briefing mode in a real browser: presenter layout (sidebar hidden, large type), stepping
with the buttons and the keyboard, and the two synchronised maps side by side."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, MAP_FRAME, map_frame


def test_presenter_mode(app_url: str, page) -> None:
    page.goto(f"{app_url}/briefing?step=israel-proposal&presenter=1")
    frame = map_frame(page)
    frame.locator(".leaflet-overlay-pane path.st-proposed").first.wait_for()
    assert frame.locator(".leaflet-overlay-pane path.st-proposed").count() >= 3
    expect(page.get_by_role("heading", name="16 Sep 2025: Israel's proposal")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    size = page.locator("h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40
    next_button = page.get_by_role("button", name=re.compile("Next"))
    height = next_button.evaluate("e => e.getBoundingClientRect().height")
    assert height >= 60
    expect(frame.locator(".leaflet-zoom-anim")).to_have_count(0)  # drawn, not animating
    page.screenshot(path=str(ARTIFACTS / "briefing-presenter.png"))


def test_stepping_with_buttons_and_keys(app_url: str, page) -> None:
    page.goto(f"{app_url}/briefing?step=syria-demand")
    page.get_by_role("heading", name=re.compile("Syria's demand")).wait_for()
    page.get_by_role("button", name=re.compile("Next")).click()
    page.get_by_role("heading", name="16 Sep 2025: Israel's proposal").wait_for()
    page.wait_for_url(re.compile(r"step=israel-proposal"))
    assert "date=2025-09-16" in page.url
    page.locator("h1").first.click()  # focus the page, not the map
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name=re.compile("Syria's demand")).wait_for()
    page.wait_for_url(re.compile(r"step=syria-demand"))


def test_positions_side_by_side_are_synchronised(app_url: str, page) -> None:
    page.goto(f"{app_url}/briefing?mode=compare")
    iframe = page.locator('iframe[data-testid="stIFrame"]')
    iframe.wait_for()
    frame = iframe.element_handle().content_frame()
    frame.locator(".leaflet-overlay-pane path").first.wait_for()
    assert frame.locator(".leaflet-container").count() == 2
    # The legends start folded on these small maps, clear of the middle (a click opens one).
    legends = frame.locator(".map-legend details")
    assert legends.count() == 2
    assert legends.evaluate_all("ds => ds.map(d => d.open)") == [False, False]
    assert frame.locator("path.st-demanded").count() >= 1
    assert frame.locator("path.st-proposed").count() >= 3
    centres = ("() => Object.keys(window).filter(k => /^map_/.test(k))"
               ".map(k => [window[k].getCenter().lat.toFixed(4), window[k].getZoom()])")
    before = frame.evaluate(centres)
    assert len(before) == 2 and before[0] == before[1]
    box = frame.locator(".leaflet-container").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 80, box["y"] + box["height"] / 2 + 60,
                    steps=8)
    page.mouse.up()
    # Leaflet.Sync moves the other map along (the pan may still be easing out).
    frame.wait_for_function(
        "() => { const m = Object.keys(window).filter(k => /^map_/.test(k)).map(k => window[k]);"
        " return Math.abs(m[0].getCenter().lat - m[1].getCenter().lat) < 1e-4"
        " && Math.abs(m[0].getCenter().lng - m[1].getCenter().lng) < 1e-4"
        f" && Math.abs(m[0].getCenter().lat - {float(before[0][0])}) > 0.01; }}"
    )
    after = frame.evaluate(centres)
    assert after[0] != before[0] and after[0][1] == after[1][1]
    page.screenshot(path=str(ARTIFACTS / "briefing-side-by-side.png"), full_page=True)


def _story_map_share(page, url: str) -> tuple[float, float]:
    """The story map's share of the window's height and of the page's content width."""
    page.goto(url)
    map_frame(page).locator(".leaflet-overlay-pane path").first.wait_for()
    box = page.locator(MAP_FRAME).first.bounding_box()
    content = page.locator('[data-testid="stMainBlockContainer"]').evaluate(
        "e => { const s = getComputedStyle(e);"
        " return e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }")
    return box["height"] / page.viewport_size["height"], box["width"] / content


def test_the_map_takes_most_of_the_screen(app_url: str, page) -> None:
    tall, wide = _story_map_share(page, f"{app_url}/briefing?step=israel-proposal")
    assert tall >= 0.7 and wide >= 0.7
    page.screenshot(path=str(ARTIFACTS / "briefing-story.png"))
    presenter = _story_map_share(page, f"{app_url}/briefing?step=israel-proposal&presenter=1")
    assert presenter[0] > tall and presenter[0] >= 0.75 and presenter[1] >= 0.7
