"""Servers and headless Chromium for the browser measures of ``bench.run``.

The same way as the browser tests (tests/browser/conftest.py): the app is started with
``scripts/serve.py``, polled on ``/_stcore/health``, and Debian's Chromium runs headless with
every request off this machine aborted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

ROOT: Final[Path] = Path(__file__).resolve().parent.parent
CHROMIUM: Final[str] = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS: Final[list[str]] = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MAP_FRAME: Final[str] = 'iframe[title="streamlit_folium.st_folium"]'
INCIDENTS: Final[str] = (
    ".leaflet-overlay-pane path.incident, .leaflet-overlay-pane path.incident-cell"
)
NAIVE_INCIDENTS: Final[str] = ".leaflet-overlay-pane path.incident"
AREA_OF_SEPARATION: Final[str] = ".leaflet-overlay-pane path.lyr-area_of_separation"


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)  # polling interval
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


@contextlib.contextmanager
def server(
    env: dict[str, str], log: Path, script: Path | None = None, cwd: Path = ROOT
) -> Iterator[tuple[str, subprocess.Popen[bytes], float]]:
    """A Streamlit server: the app through scripts/serve.py, or ``script`` with
    ``streamlit run``. Yields its URL, the process and the seconds until it was healthy."""
    port = free_port()
    command = (
        [sys.executable, str(ROOT / "scripts" / "serve.py")] if script is None
        else [sys.executable, "-m", "streamlit", "run", str(script)]
    )
    command += ["--server.headless", "true", "--server.port", str(port),
                "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                # As deployed: no reloading when a source file changes during the run.
                "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **env}
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def time_until(browser: Any, url: str, selector: str, timeout_s: float) -> float:
    """Seconds from the start of navigation to ``url`` (a fresh page, so a new Streamlit
    session) until the first element matching ``selector`` in the map iframe is visible."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))
        else route.abort(),
    )
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
