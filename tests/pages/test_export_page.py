"""AppTest of the export page: the shared view drives every export, long exports are behind
buttons with progress, and the browser-exact PNG says plainly when it is unavailable. Widgets
are found by their keys (pages/export.py, ui/exports.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo.core.annotation import Annotation, AnnotationSource, new_annotation_id
from geo.data.store import open_store
from tests.pages.apptest_helpers import run_app
from tests.pages.media_sessions import SharedMedia

VIEW = {"date": "2025-01-10", "window": "30", "layers": "lines_1974,positions,incidents"}


def _downloads(at: AppTest) -> dict[str, str]:
    """Label of every download button, by key."""
    return {str(d.key): d.label for d in at.download_button}


def _caption(at: AppTest) -> str:
    """The caption that describes the view (it starts with the layers)."""
    return next(c for c in at.caption.values if c.startswith("Layers:"))


@pytest.fixture(scope="module")
def page() -> AppTest:
    return run_app(VIEW, page="pages/export.py")


def test_page_shows_the_shared_view(page: AppTest) -> None:
    assert "Export the view of 10 January 2025" in page.title.values
    caption = _caption(page)
    assert "1974 lines and Area of Separation" in caption and "Incidents" in caption
    assert "Golan" not in caption  # only the layers of the view
    assert "data version" in caption
    assert "Data through 28 Jun 2026 (searched to 29 Nov 2026)" in caption
    assert page.query_params["date"] == "2025-01-10"


def test_snapshot_preview_and_direct_downloads(page: AppTest) -> None:
    downloads = _downloads(page)
    assert {"download-png", "download-html", "download-geojson", "download-gpkg",
            "download-kml"} <= set(downloads)
    assert {"Download PNG", "Download HTML", "Download GEOJSON", "Download GPKG",
            "Download KML"} <= set(downloads.values())
    assert page.radio(key="png-size").value == "png"
    assert len(page.get("image")) == 1
    assert not page.exception


def test_long_exports_wait_for_a_button(page: AppTest) -> None:
    assert page.button(key="request-pdf").label == "Prepare the PDF brief"
    assert page.button(key="request-gif").label == "Render the playback GIF"
    assert "download-pdf" not in _downloads(page)
    assert "download-gif" not in _downloads(page)


def test_a4_size_is_offered_as_the_png_download() -> None:
    at = run_app(VIEW, page="pages/export.py")
    at.radio(key="png-size").set_value("png-a4").run()
    assert not at.exception
    assert at.download_button(key="download-png").label == "Download PNG"


def test_pdf_brief_after_the_button() -> None:
    at = run_app(VIEW, page="pages/export.py")
    at.button(key="request-pdf").click().run()
    assert not at.exception
    assert _downloads(at)["download-pdf"] == "Download PDF"
    assert any("PDF brief ready" in status.label for status in at.status)


def test_gif_with_progress() -> None:
    at = run_app(VIEW, page="pages/export.py")
    at.date_input(key="gif-from").set_value("2024-11-24")
    at.date_input(key="gif-to").set_value("2024-12-15")
    at.run()
    assert "4 frame(s)" in " ".join(at.caption.values)
    at.button(key="request-gif").click().run()
    assert not at.exception
    assert _downloads(at)["download-gif"] == "Download GIF"
    assert any("4 frames ready" in bar.proto.text for bar in at.get("progress"))


def test_browser_png_unavailable_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    at = run_app(VIEW, page="pages/export.py")
    warnings = [w.value for w in at.warning]
    assert any("browser-exact PNG is not available" in w and "static PNG" in w
               for w in warnings)
    with pytest.raises(KeyError):
        at.button(key="request-browser")


def test_export_follows_the_view_in_the_url() -> None:
    at = run_app({"date": "2025-12-10", "window": "since", "layers": "proposals"},
                 page="pages/export.py")
    assert "Export the view of 10 December 2025" in at.title.values
    assert "Israeli proposal (schematic)" in _caption(at)
    assert at.query_params["layers"] == "proposals"


def test_snapshot_png_is_the_slide_size() -> None:
    from ui import exports

    png = exports.render.__wrapped__("date=2025-01-10&window=30&layers=lines_1974&basemap=offline"
                                     "&lat=33.0500&lon=35.8500&zoom=10", "png", "")  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)


def test_downloads_outlive_other_sessions_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every download's file is still there when the browser fetches it after two script runs
    of another session have finished (each ends by removing unreferenced files): the buttons
    carry their bytes, so this session's button keeps each file referenced. A file made on
    click (a deferred download) was referenced by nobody and deleted by the second run."""
    media = SharedMedia(monkeypatch)
    at = run_app(VIEW, page="pages/export.py")
    buttons = list(at.download_button)
    assert {"download-png", "download-html", "download-geojson", "download-gpkg",
            "download-kml"} <= {str(b.key) for b in buttons}
    urls = {str(b.key): media.click(b) for b in buttons}
    assert all(media.resolves(url) for url in urls.values())
    media.others_rerun(2)
    assert [key for key, url in urls.items() if not media.resolves(url)] == []


def test_downloads_include_the_saved_annotations(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An annotation saved in the store (a temporary GeoPackage folder) is in every data file
    and the HTML map of a view on a date it holds; a new version of it is exported at once (the
    cache keys hold the versions); an annotation the URL names but the store lacks is said."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path))
    store = open_store(folder=tmp_path)
    first = store.save_annotation(Annotation(
        new_annotation_id("Checkpoint area"), "Checkpoint area", "reported",
        dt.date(2025, 1, 1), None, (AnnotationSource("A <b>report</b>", "https://example.org/r"),),
        "schematic", "low", "my reading", box(35.80, 33.10, 35.83, 33.13), "Analyst A"), None)
    media = SharedMedia(monkeypatch)

    def files(at: AppTest) -> dict[str, bytes]:
        return {str(b.key): bytes(media.manager.read_file(
            media.click(b).rsplit("/", 1)[-1]).content) for b in at.download_button}

    at = run_app(VIEW, page="pages/export.py")
    assert any(c.startswith("1 user annotation(s) hold on this date") for c in at.caption.values)
    got = files(at)
    features = json.loads(got["download-geojson"])["features"]
    (mine,) = [f["properties"] for f in features if f["properties"]["item"] == "annotation"]
    assert (mine["item_id"], mine["name"], mine["version"], mine["author"]) == (
        first.id, "Checkpoint area", "1", "Analyst A")
    assert first.id.encode() in got["download-gpkg"]
    assert b"A &amp;lt;b&amp;gt;report&amp;lt;/b&amp;gt;" in got["download-kml"]
    assert b"Annotations (user)" in got["download-html"] and first.id.encode() in \
        got["download-html"]

    second = store.save_annotation(replace(first, name="Checkpoint area (wider)"), 1)
    got = files(at.run())
    names = [f["properties"]["name"] for f in json.loads(got["download-geojson"])["features"]
             if f["properties"]["item"] == "annotation"]
    assert names == ["Checkpoint area (wider)"] and second.version == 2

    at = run_app({**VIEW, "ann": f"{first.id}@1,gone-annotation"}, page="pages/export.py")
    assert [w.value for w in at.warning if "gone-annotation" in w.value] == [
        "Annotation gone-annotation cannot be shown: no annotation with id 'gone-annotation'."]
    names = [f["properties"]["name"] for f in json.loads(files(at)["download-geojson"])[
        "features"] if f["properties"]["item"] == "annotation"]
    assert names == ["Checkpoint area"]  # version 1, as the link pins it
