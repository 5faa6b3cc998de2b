"""Stateless replicas: two app processes on two ports sharing one PostGIS. A dataset saved through
one is listed by the other on its next rerun, with no restart; and, when nginx is installed, the
same app works through deploy/nginx.conf (websocket included) in front of both."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, settled
from tests.browser.replicas import Replicas, replicas  # noqa: F401 - the fixture
from tests.conftest import ROOT
from tests.harness import free_port, local_context, wait_healthy

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def incidents_page(browser: Any, url: str) -> Any:
    pg = local_context(browser).new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(f"{url}/incidents")
    pg.get_by_role("heading", name="Incidents and zones").wait_for()
    settled(pg)
    return pg


def test_a_dataset_saved_on_one_replica_is_listed_by_the_other(
        replicas: Replicas, browser: Any) -> None:  # noqa: F811
    other = incidents_page(browser, replicas.second)  # open before the save: no restart after
    expect(other.get_by_text("Saved: acled-bom")).to_have_count(0)
    pg = incidents_page(browser, replicas.first)
    pg.get_by_text("Upload a file").click()
    pg.locator('input[type="file"]').set_input_files(str(DATA / "acled_bom.csv"))
    pg.get_by_role("button", name="Save as named dataset").click()
    pg.get_by_text("Saved dataset acled-bom: 4 incidents").wait_for()
    other.get_by_text("Upload a file").click()  # any rerun of the second replica
    other.get_by_text("Saved: acled-bom (4)").wait_for()
    other.screenshot(path=str(ROOT / "test-artifacts" / "replica-lists-dataset.png"))


@pytest.fixture
def proxy(replicas: Replicas, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """nginx from deploy/nginx.conf in front of both replicas, on a free port; skips (this
    test only) when nginx is not installed."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        if os.environ.get("REQUIRE_BROWSER"):  # CI (.ci/run installs nginx): never skip
            pytest.fail("nginx is not installed, and REQUIRE_BROWSER is set")
        pytest.skip("nginx is not installed: the reverse-proxy test needs it")
    port = free_port()
    servers = iter(u.removeprefix("http://") for u in (replicas.first, replicas.second))
    conf = re.sub(r"server 127\.0\.0\.1:\d+", lambda _: f"server {next(servers)}",
                  NGINX_CONF.read_text(encoding="utf-8"))
    conf = re.sub(r"listen\s+\d+;", f"listen 127.0.0.1:{port};", conf)
    conf = conf.replace("/tmp/golan-nginx", str(tmp_path / "nginx"))  # pid and temp paths
    config = tmp_path / "nginx.conf"
    config.write_text(conf, encoding="utf-8")
    proc = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(config), "-g",
                             "daemon off;"])
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)  # type: ignore[arg-type]
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_app_works_through_the_nginx_proxy(proxy: str, browser: Any) -> None:
    """The page loads and reruns over the proxied websocket (a widget change is answered)."""
    pg = incidents_page(browser, proxy)
    pg.get_by_text("Upload a file").click()
    pg.locator('input[type="file"]').wait_for(state="attached")
    assert "Traceback" not in pg.content()
