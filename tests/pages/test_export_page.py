"""AppTest of the export page: the shared view drives every export, long exports are behind
buttons with progress, and the browser-exact PNG says plainly when it is unavailable."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.pages.apptest_helpers import _walk, run_app

VIEW = {"date": "2025-01-10", "window": "30", "layers": "lines_1974,positions,incidents"}


def _downloads(at: AppTest) -> dict[str, object]:
    return {d.proto.label: d.proto for d in at.get("download_button")}


@pytest.fixture(scope="module")
def page() -> AppTest:
    return run_app(VIEW, page="pages/export.py")


def test_page_shows_the_shared_view(page: AppTest) -> None:
    assert page.title[0].value == "Export the view of 10 January 2025"
    caption = page.caption[0].value
    assert "1974 lines and Area of Separation" in caption and "Incidents" in caption
    assert "Golan" not in caption  # only the layers of the view
    assert "data version" in caption
    assert page.query_params["date"] == "2025-01-10"


def test_snapshot_preview_and_direct_downloads(page: AppTest) -> None:
    downloads = _downloads(page)
    assert {"Download PNG", "Download HTML", "Download GEOJSON", "Download GPKG",
            "Download KML"} <= set(downloads)
    assert len(page.get("image")) == 1
    assert not page.exception


def test_long_exports_wait_for_a_button(page: AppTest) -> None:
    labels = [b.label for b in page.button]
    assert "Prepare the PDF brief" in labels and "Render the playback GIF" in labels
    assert "Download PDF" not in _downloads(page)
    assert "Download GIF" not in _downloads(page)


def test_pdf_brief_after_the_button() -> None:
    at = run_app(VIEW, page="pages/export.py")
    next(b for b in at.button if b.label == "Prepare the PDF brief").click().run()
    assert not at.exception
    assert "Download PDF" in _downloads(at)
    statuses = [el for el in _walk(at._tree) if getattr(el, "type", None) == "status"]
    assert any("PDF brief ready" in el.proto.label for el in statuses)


def test_gif_with_progress() -> None:
    at = run_app(VIEW, page="pages/export.py")
    start, end = at.date_input[-2], at.date_input[-1]
    start.set_value("2024-11-24")
    end.set_value("2024-12-15")
    at.run()
    assert "4 frame(s)" in " ".join(c.value for c in at.caption)
    next(b for b in at.button if b.label == "Render the playback GIF").click().run()
    assert not at.exception
    assert "Download GIF" in _downloads(at)
    progress = at.get("progress")
    assert progress and "4 frames ready" in progress[-1].proto.text


def test_browser_png_unavailable_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    at = run_app(VIEW, page="pages/export.py")
    warnings = [w.value for w in at.warning]
    assert any("browser-exact PNG is not available" in w and "static PNG" in w
               for w in warnings)
    assert "Take a screenshot in headless Chromium" not in [b.label for b in at.button]


def test_export_follows_the_view_in_the_url() -> None:
    at = run_app({"date": "2025-12-10", "window": "since", "layers": "proposals"},
                 page="pages/export.py")
    assert at.title[0].value == "Export the view of 10 December 2025"
    assert "Israeli proposal (schematic)" in at.caption[0].value
    assert at.query_params["layers"] == "proposals"


def test_snapshot_png_is_the_slide_size() -> None:
    from ui import exports

    png = exports.png.__wrapped__("date=2025-01-10&window=30&layers=lines_1974&basemap=offline"
                                  "&lat=33.0500&lon=35.8500&zoom=10", "slide", "")  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
