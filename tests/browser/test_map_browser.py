"""The map in a real browser: Leaflet draws the layers from local assets, with no network."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, MAP_FRAME, TIMEOUT_MS, map_frame, settled
from tests.harness import local_context


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


def _map_box(page) -> dict:
    map_frame(page).locator(".leaflet-overlay-pane path").first.wait_for()
    return page.locator(MAP_FRAME).first.bounding_box()


def test_map_is_the_hero_and_follows_the_window(app_url: str, browser) -> None:
    context = local_context(browser, viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{app_url}/?date=2025-01-10")
        box = _map_box(page)
        assert box["height"] >= 0.65 * 1000 and box["width"] >= 1000
        inner = map_frame(page).locator(".leaflet-container").first.bounding_box()
        assert inner["height"] >= box["height"] - 2  # Leaflet fills its frame
        page.screenshot(path=str(ARTIFACTS / "map-1500x1000.png"))
        page.set_viewport_size({"width": 1280, "height": 720})
        page.wait_for_function(  # the frame follows the window (280 px less), not a fixed size
            f"() => {{ const f = document.querySelector('{MAP_FRAME}');"
            f" return f && Math.abs(f.getBoundingClientRect().height - {box['height'] - 280})"
            " < 2; }")
        assert page.locator(MAP_FRAME).first.bounding_box()["height"] >= 0.65 * 720
        frame = map_frame(page)
        frame.locator(".leaflet-container").first.wait_for()
        page.screenshot(path=str(ARTIFACTS / "map-1280x720.png"))
    finally:
        context.close()


def test_default_view_opens_on_the_last_day_of_data_with_incidents(app_url: str, page) -> None:
    page.goto(app_url)
    page.get_by_role("heading", name="The frontier as of 28 June 2026").wait_for()
    assert _incident_count(page) > 0
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Data through 28 Jun 2026", exact=False).first).to_be_visible()
    expect(main.get_by_role("spinbutton", name="month, As-of date")).to_be_visible()
    page.goto(f"{app_url}/?date=2026-10-01")
    page.get_by_role("heading", name="The frontier as of 01 October 2026").wait_for()
    expect(page.locator('[data-testid="stMain"]').get_by_text(
        re.compile("No data after 28 Jun 2026"))).to_be_visible()


def test_charts_are_readable(app_url: str, page) -> None:
    page.goto(f"{app_url}/?date=2025-09-16")
    map_frame(page)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(2)
    for index in range(2):
        chart = charts.nth(index)
        chart.locator("svg").first.wait_for()
        assert chart.bounding_box()["height"] > 150
        # The plot itself, not only the element: its y axis spans the chart's height.
        axis = chart.locator("[aria-roledescription='axis'][aria-label^='Y-axis']").first
        assert axis.bounding_box()["height"] > 120
    track = charts.nth(0)
    years = track.locator("[aria-roledescription='axis'] text").evaluate_all(
        "texts => texts.map(t => t.textContent)")
    assert any(re.search(r"20\d\d", text) for text in years)  # the axis names the years
    expect(track.locator("[aria-roledescription='legend']")).to_have_count(1)
    point = track.locator("[aria-roledescription='point'][aria-label*='Fifth round']").first
    track.scroll_into_view_if_needed()
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_contain_text("Fifth round")  # the event's title on hover
    page.screenshot(path=str(ARTIFACTS / "map-charts.png"))


def _title_date(page) -> str:
    text = page.locator("h1").first.inner_text()
    return dt.datetime.strptime(text.removeprefix("The frontier as of "), "%d %B %Y").date() \
        .isoformat()


def test_playback_steps_the_live_map_and_pause_keeps_the_frame(app_url: str, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/?date=2025-01-10&window=90")
    map_frame(page).locator(".leaflet-overlay-pane path").first.wait_for()
    page.get_by_role("heading", name="The frontier as of 10 January 2025").wait_for()
    page.get_by_role("button", name=re.compile(r"Play$")).click()
    page.get_by_role("button", name=re.compile(r"Pause$")).wait_for()
    seen = {_title_date(page)}
    for _ in range(2):  # the title's date changes at least twice while playing
        page.wait_for_function(
            "seen => { const h = document.querySelector('h1');"
            " return h && !seen.includes(h.innerText); }", arg=[
                f"The frontier as of {dt.date.fromisoformat(d):%d %B %Y}" for d in seen])
        seen.add(_title_date(page))
    map_frame(page).locator(".leaflet-overlay-pane path.incident").first.wait_for()
    expect(map_frame(page).locator(".map-legend")).to_have_count(1)  # swapped, not stacked
    page.screenshot(path=str(ARTIFACTS / "map-playing.png"))
    page.get_by_role("button", name=re.compile(r"Pause$")).click()
    page.get_by_role("button", name=re.compile(r"Play$")).wait_for()
    settled(page)
    shown = _title_date(page)
    assert len(seen) >= 3 and shown > "2025-01-10"
    page.wait_for_url(re.compile(rf"date={shown}"))  # the permalink is on the frame shown
    assert not errors  # every side layer and the legend were drawn
    picker = page.locator('[data-testid="stMain"] [data-testid="stDateInput"]')
    assert re.sub(r"\D", "", picker.inner_text()) == shown.replace("-", "")  # the picker too


def test_layers_fetched_late_stay_under_the_incidents(app_url: str, page) -> None:
    """Layer data fetched by URL arrives after the incidents, sent in the script: the late
    layers must still be drawn under them (the order of the page's layers), or their polygons
    would cover the incidents and take their clicks."""
    page.goto(f"{app_url}/?date=2025-06-01&window=since")
    frame = map_frame(page)
    frame.locator(".leaflet-container[data-labels-ready='1']").wait_for()  # all data drawn
    order = frame.locator(".leaflet-overlay-pane svg").first.evaluate(
        """svg => { const kinds = [...svg.querySelectorAll('path')]
                                  .map(p => p.getAttribute('class'));
                    const last = k => kinds.map((c, i) => (c || '').includes(k) ? i : -1)
                                           .reduce((a, b) => Math.max(a, b), -1);
                    const first = k => kinds.findIndex(c => (c || '').includes(k));
                    return {aol: last('lyr-area_of_limitation'), districts: last('lyr-district'),
                            incident: first('incident')}; }""")
    assert order["incident"] > 0 and order["aol"] >= 0, order
    assert order["incident"] > order["aol"] and order["incident"] > order["districts"], order
