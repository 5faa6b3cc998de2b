"""The terrain page in Chromium: pick the Hermon summit and see its viewshed drawn and its km²
printed; pick a profile from Majdal Shams to Khan Arnabah and see the chart mark the Line A and
Line B crossings; download the map with the viewshed as a PNG slide; open the permalink and see
both again. Waits are on conditions only; the screenshots are kept in test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from geo.render.terrain_layers import PROFILE_COLOUR, VIEWSHED_COLOUR
from tests.browser.conftest import ARTIFACTS, settled

pytestmark = pytest.mark.browser

FRAMES = 'iframe[title="streamlit_folium.st_folium"]'
LINE_A, LINE_B = "Line A / AoS edge", "Line B / AoS edge"


def pick(page: Any, label: str, option: str) -> None:
    """Choose ``option`` in the select box labelled ``label``: typing filters the list, Enter
    takes the option it leaves first; done when the box shows it and the run is over."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    field = box.locator("input")
    field.click()
    field.fill(option)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    field.press("Enter")
    expect(field).to_have_value(option)
    settled(page)


def map_frame(page: Any, index: int) -> Any:
    frame = page.frame_locator(f"{FRAMES} >> nth={index}")
    frame.locator(".leaflet-container").first.wait_for()
    return frame


def expect_results(page: Any) -> None:
    """The summit's viewshed on the map with its figures, and the profile's crossings."""
    metric = page.get_by_test_id("stMetric").filter(has_text="Visible in total")
    expect(metric).to_contain_text("≈ 760")
    expect(page.get_by_test_id("stMetric").filter(has_text="Syria east of Line B")
           ).to_contain_text("≈ 430")
    expect(page.get_by_text("33.41329 N, 35.85693 E · ground 2,788 m")).to_be_visible()
    viewshed = map_frame(page, 0).locator(f'path.leaflet-interactive[fill="{VIEWSHED_COLOUR}"]')
    expect(viewshed.first).to_be_attached()
    line = map_frame(page, 1).locator(f'path.leaflet-interactive[stroke="{PROFILE_COLOUR}"]')
    expect(line.first).to_be_attached()
    chart = page.get_by_test_id("stVegaLiteChart").locator("svg")
    expect(chart.locator("text", has_text=LINE_A)).to_have_count(1)
    expect(chart.locator("text", has_text=LINE_B)).to_have_count(1)
    expect(page.get_by_text("Crossings:")).to_contain_text(f"{LINE_A} at")


def test_summit_viewshed_profile_and_permalink(app_url: str, page: Any) -> None:
    page.goto(f"{app_url}/terrain?date=2025-09-16")
    page.locator("h1").filter(has_text="What Hermon sees").wait_for()
    map_frame(page, 1)
    settled(page)
    pick(page, "Observer", "Hermon summit")
    expect(page.get_by_test_id("stMetric").filter(has_text="Visible in total")).to_be_visible()
    pick(page, "From", "Majdal Shams")
    pick(page, "To", "Khān Arnabah")
    expect_results(page)
    page.get_by_test_id("stVegaLiteChart").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "terrain-summit-profile.png"), full_page=True)

    # The map image is made when asked for; its download button then carries the bytes.
    page.get_by_role("button", name="Prepare the map with the viewshed (slide, PNG)").click()
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").filter(has_text="slide, PNG").click()
    png = Path(download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG") and download.value.suggested_filename.endswith(
        "_h10_r40km.png")
    (ARTIFACTS / "terrain-export-slide.png").write_bytes(png)

    link = page.get_by_test_id("stCode").inner_text().strip()
    assert "observer=summit" in link and "profile=place_gn_167444;place_gn_168355" in link
    fresh = page.context.new_page()
    fresh.goto(link)
    fresh.locator("h1").filter(has_text="What Hermon sees").wait_for()
    settled(fresh)
    expect_results(fresh)
    fresh.close()
