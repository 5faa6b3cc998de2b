"""The one browser harness of the tests and the benchmarks.

* :func:`server`: a Streamlit server of the app (``scripts/serve.py``, or another script with
  ``streamlit run``) on a free port, polled on ``/_stcore/health`` until it answers, stopped
  on exit;
* :func:`chromium` and :func:`launch_options`: Debian's headless Chromium, with the path and
  flags of :mod:`geo.export.browser` (the one place that defines them);
* :func:`local_context` and :func:`only_local`: browser contexts that let only this machine's
  requests through (no tile server or anything else off it is reachable).

tests/browser and bench/ both use this module. bench may import from tests, never the reverse,
so it lives here. Nothing here sleeps to wait for readiness: the health endpoint is polled.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from geo.export.browser import CHROMIUM_ARGS, browser_available, chromium_path
from tests.conftest import ROOT

ARTIFACTS: Final[Path] = ROOT / "test-artifacts"
#: Seconds a server may take to answer its health check: generous, for a loaded machine.
HEALTH_TIMEOUT_S: Final[float] = 240.0
#: The viewport of every browser context of the tests and the benchmarks.
VIEWPORT: Final[dict[str, int]] = {"width": 1400, "height": 1000}
#: Hosts that are this machine.
LOOPBACK_HOSTS: Final[frozenset[str]] = frozenset({"127.0.0.1", "localhost", "::1"})
_LOCAL_SCHEMES: Final[frozenset[str]] = frozenset({"data", "blob", "about"})


@dataclass(frozen=True)
class Server:
    """A running Streamlit server."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path
    #: Seconds from starting the process until the health check answered.
    healthy_s: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes],
                 timeout: float = HEALTH_TIMEOUT_S) -> None:
    """Poll ``/_stcore/health`` until it answers 200; fail fast if the server exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # the polling interval, not a wait for readiness
    raise TimeoutError(f"{url} did not become healthy in {timeout:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def server(env: Mapping[str, str] | None = None, log: Path | None = None,
           script: Path | None = None, cwd: Path = ROOT) -> Iterator[Server]:
    """A Streamlit server on a free port of 127.0.0.1, healthy on entry, stopped on exit.

    The app through ``scripts/serve.py`` (so that the router owns ``pages/``), or ``script``
    with ``streamlit run``. ``env`` is added to this process's environment; the server's
    output goes to ``log`` (default: ``test-artifacts/streamlit-<port>.log``). As deployed,
    nothing reloads when a source file changes during the run."""
    port = free_port()
    if log is None:
        ARTIFACTS.mkdir(exist_ok=True)
        log = ARTIFACTS / f"streamlit-{port}.log"
    command = (
        [sys.executable, str(ROOT / "scripts" / "serve.py")] if script is None
        else [sys.executable, "-m", "streamlit", "run", str(script)]
    )
    command += ["--server.headless", "true", "--server.port", str(port),
                "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield Server(url, proc, log, time.perf_counter() - started)
    finally:
        _stop(proc)


def chromium_missing() -> str:
    """Empty when Chromium and Playwright are there, else why not."""
    return browser_available(chromium_path())


def launch_options() -> dict[str, Any]:
    """Keyword arguments of ``playwright.chromium.launch`` (sync or async API)."""
    return {"executable_path": chromium_path(), "args": list(CHROMIUM_ARGS), "headless": True}


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium (Playwright's sync API), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """True for a URL on this machine (loopback host) or one with no host (data:, blob:)."""
    parts = urlsplit(url)
    return parts.scheme in _LOCAL_SCHEMES or parts.hostname in LOOPBACK_HOSTS


def only_local(route: Any) -> Any:
    """Route handler (sync or async API): requests off this machine are aborted."""
    return route.continue_() if is_local(route.request.url) else route.abort()


def local_context(browser: Any, **options: Any) -> Any:
    """A new context of a sync-API browser, with the viewport and :func:`only_local`."""
    context = browser.new_context(**{"viewport": VIEWPORT, **options})
    context.route("**/*", only_local)
    return context
