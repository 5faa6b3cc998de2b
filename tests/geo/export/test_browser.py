"""The browser-exact PNG says why when it cannot be taken: Chromium missing, or a Playwright
error. Any other failure is a bug and propagates."""

from __future__ import annotations

import pytest

from geo.export import browser
from geo.export.snapshot import Snapshot


def test_browser_png_says_when_unavailable(snap: Snapshot) -> None:
    shot = browser.browser_png("<html></html>", "slide", chromium="/nonexistent/chromium")
    assert not shot.available and shot.png is None
    assert "not found" in shot.reason


def test_a_browser_that_fails_to_start_is_unavailable() -> None:
    # /bin/false exists but exits at once: Playwright raises its Error on launch.
    shot = browser.browser_png("<html></html>", "small", chromium="/bin/false",
                               timeout_ms=20_000)
    assert not shot.available
    assert shot.reason.startswith("the browser could not render the map: ")


def test_other_errors_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("a bug, not a missing browser")

    monkeypatch.setattr(browser, "_screenshot", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        browser.browser_png("<html></html>", "small", chromium="/bin/false")
