"""Exports in a real browser: the standalone HTML opens with no network and Leaflet draws the
layers; the browser-exact PNG; the export page downloads files with meaningful names."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.core.view import parse_view
from geo.data.loaders import load_all
from geo.export import browser
from geo.export.html_map import render_html
from geo.export.layout import OUTPUT_PRESETS, box_pixels
from geo.export.snapshot import make_snapshot
from tests.browser.conftest import ARTIFACTS, settled
from tests.conftest import DATA_DIR
from tests.harness import local_context

VIEW = {"date": "2025-01-10", "window": "since"}


@pytest.fixture(scope="module")
def standalone() -> str:
    data = load_all(DATA_DIR)
    view = parse_view(VIEW, today=dt.date(2026, 11, 26))
    snap = make_snapshot(view, data["layers"].data, data["incidents"].data,
                         data["timeline"].data, "http://127.0.0.1:8501/", "test")
    return render_html(snap)


@pytest.fixture(scope="module")
def snap_terrain() -> str:
    """The standalone page of a view of Hermon with the hillshade and the contours on."""
    data = load_all(DATA_DIR)
    view = parse_view({"date": "2025-01-10", "layers": "lines_1974,hillshade,contours",
                       "lat": "33.35", "lon": "35.80", "zoom": "11"},
                      today=dt.date(2026, 11, 26))
    return render_html(make_snapshot(view, data["layers"].data, data["incidents"].data,
                                     data["timeline"].data, "http://127.0.0.1:8501/", "test"))


def test_standalone_html_opens_offline(browser, standalone: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    attempted: list[str] = []

    def only_inline(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "about:", "blob:")):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    context.route("**/*", only_inline)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.set_content(standalone, wait_until="load")
    paths = page.locator(".leaflet-overlay-pane path")
    paths.first.wait_for()
    assert paths.count() > 20
    assert page.locator(".leaflet-overlay-pane path.st-collapsed").count() >= 3  # 1974 lines
    assert page.locator(".leaflet-overlay-pane path.incident").count() > 0
    assert page.locator("#export-info").inner_text().startswith("The frontier as of 10 January")
    assert not [u for u in attempted if u.startswith(("http:", "https:"))], attempted
    page.screenshot(path=str(ARTIFACTS / "export-standalone.png"))
    context.close()


def test_standalone_html_draws_its_terrain_offline(browser, snap_terrain: str) -> None:
    """Nothing but data: URIs may load (the live map's /app/static/terrain files would not be
    there offline): the hillshade image is decoded and the contours are drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    attempted: list[str] = []

    def only_data(route) -> None:
        if route.request.url.startswith("data:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", only_data)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.set_content(snap_terrain, wait_until="load")
    page.wait_for_function("() => { const i = document.querySelector('img.terrain-hillshade');"
                           " return i && i.complete && i.naturalWidth > 1000; }")
    contours = page.locator(".leaflet-contours-pane path")
    contours.first.wait_for(state="attached")
    assert contours.count() > 10
    assert page.locator(".leaflet-contours-pane .contour-label").count() > 0
    assert "elevation under the cursor is shown only in the app" in page.locator(
        "#export-info").inner_text()
    assert not attempted, attempted
    page.screenshot(path=str(ARTIFACTS / "export-standalone-terrain.png"))
    context.close()


def test_browser_png_has_the_slide_size(standalone: str) -> None:
    reason = browser.browser_available()
    if reason:
        pytest.skip(reason)
    shot = browser.browser_png(standalone, "slide")
    assert shot.available, shot.reason
    image = Image.open(io.BytesIO(shot.png or b"")).convert("RGB")
    assert image.size == (1920, 1080)
    assert np.asarray(image).astype(int).std() > 15
    (ARTIFACTS / "export-browser.png").write_bytes(shot.png or b"")


def test_export_page_downloads_with_meaningful_names(app_url: str, page,
                                                     tmp_path: Path) -> None:
    page.goto(f"{app_url}/export?date=2025-01-10&window=30")
    # The last element of the page: the script has run to the end.
    page.get_by_role("button", name="Render the playback GIF").wait_for()
    button = page.get_by_role("button", name="Download PNG")
    with page.expect_download() as png:
        button.click()
    assert png.value.suggested_filename == "frontier_2025-01-10_w30_area-of-separation.png"
    target = tmp_path / png.value.suggested_filename
    png.value.save_as(target)
    assert Image.open(target).size == (1920, 1080)

    with page.expect_download() as html:
        page.get_by_role("button", name="Download HTML").click()
    assert html.value.suggested_filename == "frontier_2025-01-10_w30_area-of-separation_map.html"
    saved = tmp_path / "map.html"
    html.value.save_as(saved)
    assert "<script src=" not in saved.read_text(encoding="utf-8")
    page.screenshot(path=str(ARTIFACTS / "export-page.png"), full_page=True)


#: Keeps the links Streamlit clicks to start a download, instead of following them.
HOLD_DOWNLOADS = """() => {
    window.heldDownloads = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
        if (this.href.includes('/media/')) window.heldDownloads.push(this.href);
        else click.call(this);
    };
}"""
FETCH = "async (url) => { const r = await fetch(url); return [r.status, await r.text()]; }"


def test_export_download_outlives_other_sessions_runs(app_url: str, page,
                                                       browser) -> None:
    """The browser's GET of a download (not Streamlit's check of the URL when the button is
    drawn) is delayed until two script runs of another session have finished, each ending with
    Streamlit's removal of the files no session references: the file is still served. (The
    file of a deferred download, made on click, was referenced by no session: 404 by then.)
    Playwright cannot hold a download's request, so the page keeps the link Streamlit clicks
    and fetches it afterwards."""
    page.goto(f"{app_url}/export?date=2025-01-10&window=30")
    page.get_by_role("button", name="Render the playback GIF").wait_for()
    settled(page)
    page.evaluate(HOLD_DOWNLOADS)
    page.get_by_role("button", name="Download GEOJSON").click()
    page.wait_for_function("() => window.heldDownloads.length === 1")
    other = local_context(browser).new_page()
    for _ in range(2):  # a new session each time, its script run to the end
        other.goto(f"{app_url}/sources")
        other.get_by_role("heading", name="Sources and data quality").wait_for()
        settled(other)
    other.context.close()
    url = page.evaluate("() => window.heldDownloads[0]")
    status, body = page.evaluate(FETCH, url)
    assert status == 200, (status, url)
    assert '"FeatureCollection"' in body


def test_exported_png_follows_the_label_language(app_url: str, page, tmp_path: Path) -> None:
    """The PNG downloaded from the export page in English and in Arabic (saved to
    test-artifacts/export-download-<lang>.png): the slide size, its labels in the language."""
    maps = {}
    for lang in ("en", "ar"):
        page.goto(f"{app_url}/export?date=2026-01-20&window=30&lang={lang}")
        page.get_by_role("button", name="Render the playback GIF").wait_for()
        with page.expect_download() as png:
            page.get_by_role("button", name="Download PNG").click()
        target = ARTIFACTS / f"export-download-{lang}.png"
        png.value.save_as(target)
        image = Image.open(target).convert("RGB")
        assert image.size == (1920, 1080)
        maps[lang] = np.asarray(image.crop(box_pixels(OUTPUT_PRESETS["slide"], "map")))
    changed = np.abs(maps["en"].astype(int) - maps["ar"].astype(int)).sum(axis=2) > 60
    assert 0.001 < changed.mean() < 0.2  # the labels differ, the map under them does not
