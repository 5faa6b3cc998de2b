"""Browser measures of ``bench.run``: seconds until the map shows, and a server's memory.

Servers and Chromium come from the harness the browser tests use (tests/harness.py): the app
started with ``scripts/serve.py`` and polled on ``/_stcore/health``, Debian's Chromium launched
with geo.export.browser's path and flags, every request off this machine aborted.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Final

from tests.harness import local_context

MAP_FRAME: Final[str] = 'iframe[title="streamlit_folium.st_folium"]'
INCIDENTS: Final[str] = (
    ".leaflet-overlay-pane path.incident, .leaflet-overlay-pane path.incident-cell"
)
NAIVE_INCIDENTS: Final[str] = ".leaflet-overlay-pane path.incident"
AREA_OF_SEPARATION: Final[str] = ".leaflet-overlay-pane path.lyr-area_of_separation"


def time_until(browser: Any, url: str, selector: str, timeout_s: float) -> float:
    """Seconds from the start of navigation to ``url`` (a fresh page, so a new Streamlit
    session) until the first element matching ``selector`` in the map iframe is visible."""
    context = local_context(browser)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(selector).first.wait_for(state="visible", timeout=timeout_s * 1000)
        return time.perf_counter() - started
    finally:
        context.close()


def peak_memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) and VmRSS of a process, in MB (Linux /proc)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out
