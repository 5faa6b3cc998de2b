"""Sessions at once against one fresh server stay apart: each keeps its own date, its own
uploaded file and its own download; no exception box, page error or server traceback.

The smoke version of bench/concurrency.py, made to hold on a loaded 2-core machine. Three
sessions load the map at the same time, and later import their files at the same time (what
concurrency is about); the other steps go one session after another. Every wait is on a
condition, bounded by TIMEOUT_MS, and nothing is retried: pages are opened by their URL (a
click on a page link can be lost while the map sends its first position).

Downloads are also made while the server is busy: other sessions keep running the page. The
file of a deferred (callable) download, which Streamlit 1.67 drops once any two script runs
have finished, failed there; the app's downloads carry their bytes, and none may fail.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, TIMEOUT_MS, map_frame, settled
from tests.browser.sessions import ROWS_PER_FILE, acled_file, dates_for, marker_for
from tests.harness import chromium, local_context, server

pytestmark = pytest.mark.browser
SESSIONS = 3


@dataclass
class Session:
    index: int
    marker: str
    first: dt.date
    second: dt.date
    page: Any
    page_errors: list[str] = field(default_factory=list)


def _open(browser: Any, index: int, token: str) -> Session:
    page = local_context(browser, accept_downloads=True).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    session = Session(index, marker_for(token, index), *dates_for(index), page)
    page.on("pageerror", lambda exc: session.page_errors.append(str(exc)))
    return session


def _heading(page: Any, day: dt.date) -> Any:
    return page.get_by_role("heading", name=f"The frontier as of {day:%d %B %Y}")


def _metric(page: Any, label: str) -> Any:
    metric = page.locator("[data-testid=stMetric]").filter(has_text=label)
    return metric.first.locator("[data-testid=stMetricValue]")


def _type_date(page: Any, day: dt.date) -> None:
    side = page.locator("[data-testid=stMain]")  # the map page's date picker
    side.get_by_role("spinbutton", name="month, As-of date").click()
    page.keyboard.type(f"{day.month:02d}")
    side.get_by_role("spinbutton", name="day, As-of date").click()
    page.keyboard.type(f"{day.day:02d}")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")


def _download_csv(page: Any) -> tuple[str, str]:
    page.get_by_role("tab", name="Download").click()
    button = page.locator("[data-testid=stDownloadButton]").get_by_role("button", name="CSV")
    with page.expect_download() as pending:
        button.click()
    download = pending.value
    assert download.failure() is None
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8-sig")


def _page_text(page: Any) -> str:
    """The HTML of the page and of every frame in it (the maps are in iframes)."""
    return "\n".join(frame.content() for frame in page.frames)


def _drive(url: str, sessions: list[Session]) -> None:
    # 1. All at once: the map, each session with its own date in the URL.
    for s in sessions:
        s.page.goto(f"{url}/?date={s.first.isoformat()}&window=since", wait_until="commit")
    for s in sessions:
        _heading(s.page, s.first).wait_for()
        map_frame(s.page)

    # 2. One after another: another date, typed into the sidebar; the URL follows.
    for s in sessions:
        _type_date(s.page, s.second)
        _heading(s.page, s.second).wait_for()
        s.page.wait_for_url(re.compile(rf"date={s.second.isoformat()}"))
    for s in sessions:
        expect(_heading(s.page, s.second)).to_be_visible()

    # 3. All at once: the incidents page, each session importing its own file.
    for s in sessions:
        s.page.goto(f"{url}/incidents?date={s.second.isoformat()}&window=since",
                    wait_until="commit")
    for s in sessions:
        s.page.get_by_text("Upload a file").click()
    for s in sessions:
        s.page.locator('input[type="file"]').set_input_files(files=[{
            "name": f"{s.marker}.csv", "mimeType": "text/csv",
            "buffer": acled_file(s.marker, s.index),
        }])
    for s in sessions:
        s.page.get_by_text(f"Imported {s.marker}.csv: {ROWS_PER_FILE} incidents").wait_for()
        s.page.get_by_text(
            f"Read as ACLED export: {ROWS_PER_FILE} of {ROWS_PER_FILE} row(s) accepted"
        ).wait_for()
        expect(_metric(s.page, "Incidents in the dataset")).to_have_text(str(ROWS_PER_FILE))

    # 4. One after another, every session idle: the CSV download, then the notes filter.
    for s in sessions:
        settled(s.page)
    for s in sessions:
        name, text = _download_csv(s.page)
        assert s.marker in name
        rows = [line for line in text.splitlines()[1:] if line]
        assert len(rows) == ROWS_PER_FILE and all(s.marker in row for row in rows), text
        notes = s.page.get_by_label("Text in notes")
        notes.fill(s.marker)
        notes.press("Enter")
        expect(_metric(s.page, "Matching the filters")).to_have_text(str(ROWS_PER_FILE))

    # 5. Nothing of any other session, anywhere; no error.
    for s in sessions:
        seen = _page_text(s.page)
        others = [o.marker for o in sessions if o is not s and o.marker in seen]
        assert s.marker in seen and others == []
        expect(s.page.locator("[data-testid=stException]")).to_have_count(0)
        assert s.page_errors == []


def test_sessions_at_once_stay_apart(browser: Any, tmp_path: Path) -> None:
    token = secrets.token_hex(3)
    with server({"DASHBOARD_USER_DATA": str(tmp_path / "user_data")}) as app:
        sessions = [_open(browser, i, token) for i in range(SESSIONS)]
        try:
            _drive(app.url, sessions)
        except Exception:
            for s in sessions:  # what each session showed, for the record; then fail
                s.page.screenshot(path=str(ARTIFACTS / f"failed-concurrency-s{s.index}.png"))
            raise
        finally:
            for s in sessions:
                s.page.context.close()
    assert len({s.marker for s in sessions}) == len({s.first for s in sessions}) == SESSIONS
    log = app.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


class Runs:
    """Script runs of other sessions seen to their end, and a way to wait for more."""

    def __init__(self) -> None:
        self.count = 0
        self.errors: list[str] = []
        self.changed = threading.Condition()

    def ended(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for_more(self, more: int) -> bool:
        with self.changed:
            target = self.count + more
            return self.changed.wait_for(lambda: self.count >= target or bool(self.errors),
                                         timeout=TIMEOUT_MS / 1000) and not self.errors


def _keep_running(url: str, stop: threading.Event, runs: Runs) -> None:
    """Another user, in its own browser: reload the incidents page (a new session and a full
    script run each time) until ``stop`` is set, counting the runs that end."""
    try:
        with chromium() as other:
            page = local_context(other).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            while not stop.is_set():
                page.goto(f"{url}/incidents")
                page.get_by_role("heading", name="Incidents and zones").wait_for()
                settled(page)
                runs.ended()
    except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in the thread
        with runs.changed:
            runs.errors.append(f"{type(exc).__name__}: {exc}")
            runs.changed.notify_all()


def test_five_downloads_while_the_server_is_busy(browser: Any, tmp_path: Path) -> None:
    token = secrets.token_hex(3)
    marker = marker_for(token, 0)
    with server({"DASHBOARD_USER_DATA": str(tmp_path / "user_data")}) as app:
        page = local_context(browser, accept_downloads=True).new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{app.url}/incidents")
        page.get_by_text("Upload a file").click()
        page.locator('input[type="file"]').set_input_files(files=[{
            "name": f"{marker}.csv", "mimeType": "text/csv", "buffer": acled_file(marker, 0)}])
        page.get_by_text(f"Imported {marker}.csv: {ROWS_PER_FILE} incidents").wait_for()
        page.get_by_role("tab", name="Download").click()
        buttons = page.locator("[data-testid=stDownloadButton]")
        expect(buttons).to_have_count(3)
        settled(page)

        stop, runs = threading.Event(), Runs()
        busy = [threading.Thread(target=_keep_running, args=(app.url, stop, runs))
                for _ in range(2)]
        for thread in busy:
            thread.start()
        try:
            labels = ["CSV", "GeoJSON", "GeoPackage", "CSV", "GeoJSON"]
            done: list[tuple[str, int]] = []
            for n, label in enumerate(labels):
                # The other sessions are running: two of their runs end before each click.
                assert runs.wait_for_more(2), runs.errors
                with page.expect_download() as pending:
                    buttons.get_by_role("button", name=label).click()
                download = pending.value
                assert download.failure() is None, f"download {n + 1} ({label}) failed"
                size = Path(download.path()).stat().st_size
                done.append((download.suggested_filename, size))
        finally:
            stop.set()
            for thread in busy:
                thread.join(timeout=TIMEOUT_MS / 1000)
        assert runs.errors == [] and runs.count >= 10
        assert len(done) == 5 and all(marker in name and size > 0 for name, size in done), done
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
        page.context.close()
    log = app.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
