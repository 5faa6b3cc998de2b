"""The browser-exact PNG says why when it cannot be taken."""

from __future__ import annotations

from geo.export import browser
from geo.export.snapshot import Snapshot


def test_browser_png_says_when_unavailable(snap: Snapshot) -> None:
    shot = browser.browser_png("<html></html>", "slide", chromium="/nonexistent/chromium")
    assert not shot.available and shot.png is None
    assert "not found" in shot.reason
