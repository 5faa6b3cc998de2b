"""Real-browser fixtures: one app server per test session and Debian's headless Chromium, both
from tests/harness.py (shared with bench/).

Tests wait on conditions (``wait_for``, ``expect``), never for a fixed time; every wait is
bounded by :data:`TIMEOUT_MS`, generous enough for a loaded 2-core machine. When Chromium is
missing the tests skip, except under REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any, Final

import pytest
from playwright.sync_api import expect

from tests.harness import ARTIFACTS, chromium, chromium_missing, local_context, server

__all__ = ["ARTIFACTS", "MAP_FRAME", "TIMEOUT_MS", "map_frame", "settled"]

#: The bound of every wait of a browser test (ms).
TIMEOUT_MS: Final[int] = 180_000
MAP_FRAME: Final[str] = 'iframe[title="streamlit_folium.st_folium"]'
_FAILED: Final = pytest.StashKey[bool]()

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    user_data = tmp_path_factory.mktemp("user_data")
    with server({"DASHBOARD_USER_DATA": str(user_data)}) as app:
        yield app.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium; skips (under REQUIRE_BROWSER=1: fails) when it cannot launch."""
    reason = chromium_missing()
    if reason and os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (REQUIRE_BROWSER=1: browser tests must run)")
    if reason:
        pytest.skip(reason)
    with chromium() as instance:
        yield instance


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh context; when the test fails, its screenshot is kept in
    test-artifacts/failed-<test>.png."""
    context = local_context(browser)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    if request.node.stash.get(_FAILED, False):
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        pg.screenshot(path=str(ARTIFACTS / f"failed-{name}.png"), full_page=True)
    context.close()


def settled(pg: Any) -> None:
    """Wait until the page's script run is over (Streamlit marks it on the app's root)."""
    pg.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(
        state="attached")


def map_frame(pg: Any) -> Any:
    """The st_folium component iframe, once Leaflet has drawn into it."""
    frame = pg.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").first.wait_for()
    return frame
