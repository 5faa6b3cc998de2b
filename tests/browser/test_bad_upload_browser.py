"""Bad files through the real file uploader, in headless Chromium: a clear message, no
Streamlit exception box, and the built-in sample still there afterwards."""

from __future__ import annotations

import re

import pytest

from geo.data.loaders import DATA_DIR, load_all
from tests.browser.conftest import ARTIFACTS
from tests.geo.data.test_bad_corpus import BAD, MANIFEST

pytestmark = pytest.mark.browser

#: Representative bad files: a wrong delimiter, a zip bomb, a broken GeoPackage, and a CSV whose
#: rows are refused (swapped coordinates).
CASES = ["semicolons.csv", "zip_bomb.zip", "truncated.gpkg", "swapped_latlon.csv"]


def _expected_text(name: str) -> str:
    entry = MANIFEST[name]
    if entry["outcome"] == "error":
        return entry["message"]
    return (f"{entry['accepted']} of {entry['accepted'] + entry['rejected']} row(s) accepted, "
            f"{entry['rejected']} rejected")


def test_cases_are_in_the_corpus() -> None:
    assert set(CASES) <= set(MANIFEST)
    assert {MANIFEST[c]["outcome"] for c in CASES} == {"error", "rejected"}


@pytest.mark.parametrize("name", CASES)
def test_bad_file_in_the_real_uploader(app_url: str, page, name: str) -> None:
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.goto(f"{app_url}/incidents")  # by URL: a click on a page link can be lost
    page.get_by_role("heading", name="Incidents and zones").wait_for()
    sample = len(load_all(DATA_DIR)["incidents"].data)
    page.get_by_text(f"Built-in sample: {sample:,} incidents").wait_for()

    page.get_by_text("Upload a file").click()
    page.locator('input[type="file"]').set_input_files(str(BAD / name))
    page.get_by_text(_expected_text(name)).first.wait_for()
    if MANIFEST[name]["outcome"] == "error":
        alert = page.locator("[data-testid=stAlertContentError]").filter(has_text=name)
        assert alert.count() == 1
    else:
        page.get_by_text(f"Rejected rows and reasons ({MANIFEST[name]['rejected']})").wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    assert "Traceback" not in page.content()
    page.screenshot(path=str(ARTIFACTS / f"bad-upload-{name}.png"), full_page=True)

    # The sample is still there, unchanged.
    page.get_by_text(re.compile(r"^Built-in sample \(")).click()
    page.get_by_text(f"Built-in sample: {sample:,} incidents").wait_for()
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Incidents in the dataset")
    metric.first.wait_for()
    assert f"{sample:,}" in metric.first.inner_text()
    assert page.locator("[data-testid=stException]").count() == 0
    assert page_errors == []


def test_hostile_file_name_is_shown_as_text(app_url: str, page) -> None:
    """The file name reaches the status label and the error message: markup stays text."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = "<img src=x onerror=\"window.__xss='name'\">[link](javascript:alert(1)).csv"
    page.goto(f"{app_url}/incidents")  # by URL: a click on a page link can be lost
    page.get_by_role("heading", name="Incidents and zones").wait_for()
    page.get_by_text("Upload a file").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv",
                "buffer": (BAD / "semicolons.csv").read_bytes()}])
    alert = page.locator("[data-testid=stAlertContentError]").filter(
        has_text="separated by semicolons")
    alert.wait_for()
    assert "<img src=x onerror=" in alert.inner_text()  # shown literally
    assert page.evaluate("() => window.__xss === undefined")
    assert page.locator("img[src='x'], a[href^='javascript:']").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0
    assert dialogs == []
