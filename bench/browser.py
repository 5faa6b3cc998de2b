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
#: The Map page's negotiation track (its widget key), drawn under the map.
TRACK_CHART: Final[str] = ".st-key-timeline canvas, .st-key-timeline svg"


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


def phases(browser: Any, url: str, selector: str, timeout_s: float,
           then: str | None = None) -> dict[str, float]:
    """Where the time to a map goes, from the start of navigation (a fresh page): the app's
    page shell loaded (``domcontentloaded``), the map's component frame attached (the server
    ran the script and the component was asked for), Leaflet's map container in it (component
    and Leaflet loaded and parsed, the map script run), the first ``selector`` visible (layers
    parsed and drawn), then (``then_s``) an element ``then`` of the page visible. Also the
    frame's own Navigation Timing: its document's response and DOMContentLoaded, relative to
    the frame's start."""
    context = local_context(browser)
    try:
        page = context.new_page()
        out: dict[str, float] = {}
        started = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        out["shell_s"] = time.perf_counter() - started
        page.locator(MAP_FRAME).first.wait_for(state="attached", timeout=timeout_s * 1000)
        out["frame_s"] = time.perf_counter() - started
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-container").first.wait_for(state="attached",
                                                           timeout=timeout_s * 1000)
        out["leaflet_s"] = time.perf_counter() - started
        frame.locator(selector).first.wait_for(state="visible", timeout=timeout_s * 1000)
        out["visible_s"] = time.perf_counter() - started
        if then:
            page.locator(then).first.wait_for(state="visible", timeout=timeout_s * 1000)
            out["then_s"] = time.perf_counter() - started
        inner = page.frames[-1] if len(page.frames) > 1 else page.main_frame
        timing = inner.evaluate(
            "() => { const t = performance.getEntriesByType('navigation')[0];"
            " return t ? [t.responseEnd, t.domContentLoadedEventEnd] : [0, 0]; }")
        out["frame_response_s"], out["frame_dom_s"] = (v / 1000 for v in timing)
        return {k: round(v, 3) for k, v in out.items()}
    finally:
        context.close()


#: The Map page's "next event" button (its widget key) and what marks an element drawn before.
NEXT_EVENT_BUTTON: Final[str] = ".st-key-map_next_event button"
_OLD: Final[str] = "data-bench-old"


def next_event(browser: Any, url: str, timeout_s: float) -> float:
    """Seconds from a click on the Map page's next-event button, once the page has settled
    (the track chart under the map drawn), until the map shows the new state: an incident
    marker or cell that was not on the map before the click is visible (the map's drawn
    elements are tagged first)."""
    context = local_context(browser)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(INCIDENTS).first.wait_for(state="visible", timeout=timeout_s * 1000)
        page.locator(NEXT_EVENT_BUTTON).first.wait_for(state="visible", timeout=timeout_s * 1000)
        # The page settled: what lies under the map has come too (its first run leaves it out).
        page.locator(TRACK_CHART).first.wait_for(state="visible", timeout=timeout_s * 1000)
        frame.locator(".leaflet-container").first.evaluate(
            f"c => c.querySelectorAll('path').forEach(p => p.setAttribute('{_OLD}', ''))")
        fresh = ", ".join(f"{s.strip()}:not([{_OLD}])" for s in INCIDENTS.split(","))
        started = time.perf_counter()
        page.locator(NEXT_EVENT_BUTTON).first.click()
        frame.locator(fresh).first.wait_for(state="visible", timeout=timeout_s * 1000)
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
