"""The map in a real browser: Leaflet draws the layers from local assets, with no network."""

from __future__ import annotations

import re

from tests.browser.conftest import ARTIFACTS, map_frame


def _incident_count(page) -> int:
    frame = map_frame(page)
    frame.locator(".leaflet-overlay-pane path.lyr-area_of_separation").first.wait_for()
    return frame.locator(".leaflet-overlay-pane path.incident").count()


def test_map_draws_area_of_separation_and_incidents(app_url: str, page) -> None:
    page.goto(f"{app_url}/?date=2025-01-10&window=since")
    frame = map_frame(page)
    aos = frame.locator(".leaflet-overlay-pane path.lyr-area_of_separation")
    aos.first.wait_for()
    assert aos.count() == 1
    assert frame.locator(".leaflet-overlay-pane path.incident").count() > 0
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap contributors" in attribution and "OCHA" in attribution
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)


def test_permalink_with_another_date_changes_incident_count(app_url: str, page) -> None:
    page.goto(f"{app_url}/?date=2024-12-20&window=7")
    early = _incident_count(page)
    page.goto(f"{app_url}/?date=2025-12-01&window=365")
    late = _incident_count(page)
    assert early != late
    assert late > 0


def test_popup_shows_sources_as_links(app_url: str, page) -> None:
    page.goto(f"{app_url}/?date=2025-01-10&layers=lines_1974&zoom=10")
    frame = map_frame(page)
    aos = frame.locator(".leaflet-overlay-pane path.lyr-area_of_separation")
    aos.first.wait_for()
    aos.first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Basis" in popup.inner_text()
    assert popup.locator("a[href^='https://']").count() >= 1


def test_clicking_a_timeline_event_sets_the_date(app_url: str, page) -> None:
    page.goto(f"{app_url}/?date=2025-01-10")
    map_frame(page)
    point = page.locator("[aria-roledescription='point'][aria-label*='Fifth round']").first
    point.wait_for()
    point.click(force=True)
    page.get_by_role("heading", name=re.compile("5 January 2026")).wait_for()
    assert "date=2026-01-05" in page.url
    page.screenshot(path=str(ARTIFACTS / "map-after-timeline-click.png"), full_page=True)
