"""Uploading incidents through the real file uploader, in headless Chromium."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data"


def _choose_upload(page, app_url: str) -> None:
    # By URL, through dashboard.py's router (so that the sidebar and page config apply): a
    # click on a page link can be lost while the map sends its first position.
    page.goto(f"{app_url}/incidents")
    page.get_by_role("heading", name="Incidents and zones").wait_for()
    page.get_by_text("Upload a file").click()
    page.locator('input[type="file"]').wait_for(state="attached")


def test_acled_upload_shows_the_report_and_saves(app_url: str, page) -> None:
    _choose_upload(page, app_url)
    page.locator('input[type="file"]').set_input_files(str(DATA / "acled_bom.csv"))
    page.get_by_text("Read as ACLED export: 4 of 6 row(s) accepted, 2 rejected.").wait_for()
    page.get_by_text("Rejected rows and reasons (2)").wait_for()
    page.screenshot(path=str(ARTIFACTS / "incidents-upload.png"), full_page=True)
    page.get_by_role("button", name="Save as named dataset").click()
    page.get_by_text("Saved: acled-bom (4)").wait_for()
    page.get_by_text("Saved dataset acled-bom: 4 incidents").wait_for()
    assert "Traceback" not in page.content()


def test_zipped_export_is_imported_with_a_note(app_url: str, page, tmp_path: Path) -> None:
    archive = tmp_path / "acled-download.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("2025-Syria.csv", (DATA / "acled_bom.csv").read_bytes())
        handle.writestr("README.txt", "Terms of use.")
    archive.write_bytes(buffer.getvalue())
    _choose_upload(page, app_url)
    page.locator('input[type="file"]').set_input_files(str(archive))
    page.get_by_text("Read as ACLED export: 4 of 6 row(s) accepted, 2 rejected.").wait_for()
    page.get_by_text("Read 2025-Syria.csv from the ZIP archive").wait_for()
    page.screenshot(path=str(ARTIFACTS / "incidents-upload-zip.png"), full_page=True)
    assert "Traceback" not in page.content()


def test_bad_upload_shows_a_clear_error(app_url: str, page, tmp_path: Path) -> None:
    archive = tmp_path / "incidents.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as handle:
        handle.writestr("incidents.csv", "a,b\n1,2\n")
        handle.writestr("more/incidents.csv", "a,b\n1,2\n")
    archive.write_bytes(buffer.getvalue())
    _choose_upload(page, app_url)
    page.locator('input[type="file"]').set_input_files(str(archive))
    page.get_by_text("the ZIP archive holds 2 data files").wait_for()
    assert "Traceback" not in page.content()
