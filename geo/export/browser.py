"""The browser-exact PNG: this module launches a headless Chromium (through Playwright) and
screenshots the standalone HTML map in it.

It reads ``CHROMIUM_PATH`` from the environment (default: Debian's ``/usr/bin/chromium``) and
holds the launch flags, :data:`CHROMIUM_ARGS`: the one definition of both, for whatever else
launches Chromium to import. Every non-local request of the page is blocked.
"""

from __future__ import annotations

import concurrent.futures
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image

from geo.export.layout import OUTPUT_PRESETS, Preset


@dataclass(frozen=True)
class BrowserShot:
    """A browser screenshot, or why none could be taken."""

    png: bytes | None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.png is not None


DEFAULT_CHROMIUM: Final[str] = "/usr/bin/chromium"
CHROMIUM_ARGS: Final[tuple[str, ...]] = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
_LOCAL_PREFIXES: Final[tuple[str, ...]] = ("about:", "data:", "blob:", "http://127.0.0.1",
                                           "http://localhost")


def chromium_path() -> str:
    """Debian's Chromium, or CHROMIUM_PATH when set."""
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def browser_available(chromium: str | None = None) -> str:
    """Empty when a browser screenshot can be taken, else the reason it cannot."""
    chromium = chromium or chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    if not Path(chromium).exists():
        return f"Chromium was not found at {chromium}"
    return ""


def _screenshot(page_html: str, preset: Preset, chromium: str, timeout_ms: int) -> bytes:
    from playwright.sync_api import sync_playwright

    css_w, css_h = round(preset.width / preset.scale), round(preset.height / preset.scale)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS),
                                     headless=True)
        try:
            context = browser.new_context(viewport={"width": css_w, "height": css_h},
                                          device_scale_factor=preset.width / css_w)
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith(_LOCAL_PREFIXES) else route.abort())
            page = context.new_page()
            page.set_default_timeout(timeout_ms)
            page.set_content(page_html, wait_until="load")
            page.locator(".leaflet-container").first.wait_for()
            page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
            png = page.screenshot(type="png")
        finally:
            browser.close()
    image: Image.Image = Image.open(io.BytesIO(png))
    if image.size != (preset.width, preset.height):
        image = image.convert("RGB").resize((preset.width, preset.height),
                                            Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="PNG")
        png = out.getvalue()
    return png


def browser_png(page_html: str, preset: str | Preset = "slide", chromium: str | None = None,
                timeout_ms: int = 60_000) -> BrowserShot:
    """Screenshot of the standalone HTML in headless Chromium, with every non-local request
    blocked. Runs in its own thread (Playwright's sync API refuses a running event loop).

    Without Playwright or Chromium, or when Playwright reports an error (its ``Error``, of which
    its ``TimeoutError`` is one: Chromium failed to start, crashed or timed out), the shot says
    why it is not available. Any other exception propagates."""
    chosen = OUTPUT_PRESETS[preset] if isinstance(preset, str) else preset
    chromium = chromium or chromium_path()
    reason = browser_available(chromium)
    if reason:
        return BrowserShot(None, reason)
    from playwright.sync_api import Error as PlaywrightError

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_screenshot, page_html, chosen, chromium, timeout_ms)
        try:
            return BrowserShot(future.result())
        except PlaywrightError as exc:
            return BrowserShot(None, f"the browser could not render the map: {exc}"[:300])
