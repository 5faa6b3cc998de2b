"""Smoke version of bench/concurrency.py: three sessions at once against one fresh server, each
uploading its own file; no errors, and nothing of one session in another."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM, ROOT

pytestmark = pytest.mark.browser
SESSIONS = 3


def test_three_concurrent_sessions_stay_apart(tmp_path: Path) -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} (REQUIRE_BROWSER=1)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    out = tmp_path / "concurrency.json"
    done = subprocess.run(
        [sys.executable, "bench/concurrency.py", "--sessions", str(SESSIONS),
         "--timeout", "120", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "concurrency-smoke.txt").write_text(done.stdout + done.stderr)
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert done.returncode == 0, done.stdout[-3000:]
    assert report["sessions"] == SESSIONS == report["ok"]
    assert report["errors"] == 0 and report["exception_boxes"] == 0
    assert report["page_errors"] == 0 and report["server_tracebacks"] == 0
    assert report["leaks"] == 0
    markers = {r["marker"] for r in report["results"]}
    assert len(markers) == SESSIONS
    for result in report["results"]:
        assert result["steps"] == ["map", "date", "upload", "own data", "download", "filter",
                                   "isolation"]
        assert result["download_rows"] == 3 and result["leaks"] == []
        assert result["first_date"] != result["second_date"]
    assert len({r["first_date"] for r in report["results"]}) == SESSIONS
    memory = report["memory_kb"]
    assert memory["with_sessions_open"] > memory["cold"] > 0
