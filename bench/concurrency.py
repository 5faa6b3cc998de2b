"""Concurrent sessions against one server: errors, cross-session leaks, time and memory.

    .venv/bin/python bench/concurrency.py [--sessions 20] [--out bench/results/concurrency.json]

Starts one server (``scripts/serve.py`` on a free port, user data in a temporary folder) and
one headless Chromium (Debian's, ``CHROMIUM_PATH`` to override), and drives N browser contexts
at once with asyncio. Each session, as a user would:

1. opens the map with its own date in the URL (``?date=…``) and waits for Leaflet;
2. changes the date in the sidebar and waits for the title and the URL to follow;
3. opens *Incidents and zones*, chooses *Upload a file* and uploads its own small ACLED file,
   whose file name and notes carry a marker no other session has;
4. waits for the import report, checks its own marker is on the page and that the dataset
   holds its 3 incidents (also through the "Text in notes" filter);
5. downloads the CSV export (tab *Download*) and checks it holds its 3 rows, with its marker;
6. checks that no other session's marker appears anywhere: the page, its frames, the download.

Recorded: Streamlit exception boxes (``[data-testid=stException]``), uncaught page errors,
failed steps, cross-session leaks, wall time, and the server's memory (VmRSS from
``/proc/<pid>/status``) after a warm-up session and again with all N sessions open: the
difference divided by N is the memory per session. Prints a table, writes the JSON, and exits
with 1 if any session had an error or a leak. Every wait is bounded (``--timeout`` per
action); nothing sleeps for a fixed time.

Two things a user would simply do again are repeated (at most three times) and counted as
``retries`` rather than errors, so that the rest of the session is still checked:

* a click on a page link that is lost because the map's component sends its first
  center/zoom at the same moment (both ask for a rerun; the later one wins);
* a download that fails. The app's downloads carry their bytes, so none should: Streamlit 1.67
  keeps the file a *deferred* (callable) ``download_button`` generates unreferenced and deletes
  it once any two script runs of any session have finished, which under load came before the
  browser fetched it (7 of 20 sessions needed a second click); a file given as bytes stays
  referenced by the session's button. The target is 0 download retries.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.sessions import ROWS_PER_FILE, acled_file, dates_for, marker_for  # noqa: E402
from tests.harness import ARTIFACTS, VIEWPORT, chromium_missing, launch_options, only_local, server  # noqa: E402

STEPS = ("map", "date", "upload", "own data", "download", "filter", "isolation")
DEFAULT_OUT = ROOT / "bench" / "results" / "concurrency.json"


# ---------------------------------------------------------------------------------------------
# Server


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB, from /proc/<pid>/status."""
    out: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


# ---------------------------------------------------------------------------------------------
# One session


@dataclass
class SessionResult:
    session: int
    marker: str
    first_date: str
    second_date: str
    steps: list[str] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    exception_boxes: int = 0
    page_errors: list[str] = field(default_factory=list)
    download_rows: int = -1
    #: Actions a user would have had to repeat (not errors: see the module docstring).
    retries: list[str] = field(default_factory=list)
    #: Seconds from the start of the session to the end of each step.
    step_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.leaks or self.exception_boxes or self.page_errors)


async def _page_text(page: Any) -> str:
    """The HTML of the page and of every frame in it (the map is in an iframe)."""
    parts = [await page.content()]
    for frame in page.frames[1:]:
        try:
            parts.append(await frame.content())
        except Exception:  # noqa: BLE001 - a frame may go away while we read
            continue
    return "\n".join(parts)


async def run_session(browser: Any, url: str, index: int, markers: list[str],
                      timeout_ms: int) -> tuple[SessionResult, Any]:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import expect

    marker = markers[index]
    first, second = dates_for(index)
    result = SessionResult(index, marker, first.isoformat(), second.isoformat())
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    await context.route("**/*", only_local)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("pageerror", lambda exc: result.page_errors.append(str(exc)[:300]))
    started = time.monotonic()

    async def step(name: str) -> None:
        result.exception_boxes = max(
            result.exception_boxes, await page.locator("[data-testid=stException]").count()
        )
        result.steps.append(name)
        result.step_seconds[name] = round(time.monotonic() - started, 1)

    async def until(action: Any, done: Any, what: str, attempts: int = 3,
                    state: str = "visible") -> None:
        """Do ``action`` until ``done`` is in ``state``, at most ``attempts`` times."""
        for attempt in range(1, attempts + 1):
            await action()
            try:
                await done.wait_for(state=state, timeout=timeout_ms // attempts)
                return
            except PlaywrightTimeout:
                if attempt == attempts:
                    raise
                result.retries.append(f"{what}: no effect after {timeout_s_each:.0f} s")

    timeout_s_each = timeout_ms / 3000
    try:
        # 1. The map, with this session's date in the URL.
        await page.goto(f"{url}/?date={first.isoformat()}&window=since")
        await page.get_by_role("heading", name=f"The frontier as of {first:%d %B %Y}").wait_for()
        folium = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        await folium.locator(".leaflet-container").first.wait_for()
        await step("map")

        # 2. Another date, typed into the sidebar's date field.
        side = page.locator("[data-testid=stMain]")  # the map page's date picker
        await side.get_by_role("spinbutton", name="month, As-of date").click()
        await page.keyboard.type(f"{second.month:02d}")
        await side.get_by_role("spinbutton", name="day, As-of date").click()
        await page.keyboard.type(f"{second.day:02d}")
        await page.keyboard.press("Escape")
        await page.locator("h1").first.click()
        await page.get_by_role("heading", name=f"The frontier as of {second:%d %B %Y}").wait_for()
        await page.wait_for_url(re.compile(rf"date={second.isoformat()}"))
        await step("date")

        # 3. Incidents and zones: upload this session's file.
        await until(page.get_by_role("link", name="Incidents and zones").click,
                    page.get_by_role("heading", name="Incidents and zones"), "navigation")
        upload = page.locator('input[type="file"]')
        await until(page.get_by_text("Upload a file").click, upload.first, "upload choice",
                    state="attached")
        await upload.set_input_files(files=[{
            "name": f"{marker}.csv", "mimeType": "text/csv",
            "buffer": acled_file(marker, index),
        }])
        await page.get_by_text(
            f"Read as ACLED export: {ROWS_PER_FILE} of {ROWS_PER_FILE} row(s) accepted"
        ).wait_for()
        await step("upload")

        # 4. Its own data: the marker on the page, its incidents in the dataset.
        await page.get_by_text(f"Imported {marker}.csv: {ROWS_PER_FILE} incidents").wait_for()
        metric = page.locator("[data-testid=stMetric]").filter(has_text="Incidents in the dataset")
        await expect(metric.first.locator("[data-testid=stMetricValue]")).to_have_text(
            str(ROWS_PER_FILE), timeout=timeout_ms)
        await step("own data")

        # 5. The CSV export of the Download tab.
        await page.get_by_role("tab", name="Download").click()
        button = page.locator("[data-testid=stDownloadButton]").get_by_role("button", name="CSV")
        for attempt in range(1, 4):
            async with page.expect_download() as pending:
                await button.first.click()
            download = await pending.value
            failure = await download.failure()
            if failure is None:
                break
            if attempt == 3:
                raise RuntimeError(f"download failed three times ({failure})")
            result.retries.append(f"download: {failure}")
        path = await download.path()
        text = Path(path).read_text(encoding="utf-8-sig") if path else ""
        rows = list(csv.DictReader(io.StringIO(text)))
        result.download_rows = len(rows)
        if len(rows) != ROWS_PER_FILE or not all(marker in r.get("notes", "") for r in rows):
            result.errors.append(f"download holds {len(rows)} row(s), not this session's "
                                 f"{ROWS_PER_FILE} with its marker")
        if marker not in download.suggested_filename:
            result.errors.append(f"download name {download.suggested_filename!r}")
        await step("download")

        # The notes filter finds this session's rows.
        notes = page.get_by_label("Text in notes")
        await notes.fill(marker)
        await notes.press("Enter")
        matching = page.locator("[data-testid=stMetric]").filter(has_text="Matching the filters")
        await expect(matching.first.locator("[data-testid=stMetricValue]")).to_have_text(
            str(ROWS_PER_FILE), timeout=timeout_ms)
        await step("filter")

        # 6. Nothing of any other session, anywhere.
        seen = (await _page_text(page) + "\n" + text).lower()
        result.leaks = [m for m in markers if m != marker and m in seen]
        if marker not in seen:
            result.errors.append("own marker not found on the page")
        await step("isolation")
    except Exception as exc:  # noqa: BLE001 - recorded per session, never raised
        done = result.steps[-1] if result.steps else "start"
        result.errors.append(f"after {done!r}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / f"concurrency-s{index:03d}.png"),
                                  full_page=True)
        except Exception:  # noqa: BLE001, S110 - a screenshot is best effort
            pass
    try:
        result.exception_boxes = max(
            result.exception_boxes, await page.locator("[data-testid=stException]").count()
        )
    except Exception:  # noqa: BLE001, S110
        pass
    result.seconds = round(time.monotonic() - started, 1)
    return result, context


# ---------------------------------------------------------------------------------------------
# The run


async def drive(url: str, pid: int, sessions: int, timeout_s: float) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    token = secrets.token_hex(3)
    markers = [marker_for(token, i) for i in range(sessions)]
    timeout_ms = int(timeout_s * 1000)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options())
        try:
            cold = memory_kb(pid)
            # Warm-up: one session loads the shared data and caches (not counted).
            warm_markers = [marker_for(token + "w", 0)]
            warm, warm_context = await run_session(browser, url, 0, warm_markers, timeout_ms)
            await warm_context.close()
            before = memory_kb(pid)
            cpu_before = cpu_seconds(pid)
            started = time.monotonic()
            tasks = [
                asyncio.wait_for(run_session(browser, url, i, markers, timeout_ms),
                                 timeout=timeout_s * 3)
                for i in range(sessions)
            ]
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            wall = time.monotonic() - started
            after = memory_kb(pid)  # every session still open
            cpu_after = cpu_seconds(pid)
            results: list[SessionResult] = []
            for i, outcome in enumerate(outcomes):
                if isinstance(outcome, BaseException):
                    first, second = dates_for(i)
                    lost = SessionResult(i, markers[i], first.isoformat(), second.isoformat())
                    lost.errors.append(f"session did not finish: {type(outcome).__name__}")
                    results.append(lost)
                    continue
                result, context = outcome
                results.append(result)
            for outcome in outcomes:
                if not isinstance(outcome, BaseException):
                    await outcome[1].close()
        finally:
            await browser.close()
    delta = after.get("VmRSS", 0) - before.get("VmRSS", 0)
    times = [r.seconds for r in results]
    return {
        "sessions": sessions,
        "ok": sum(r.ok for r in results),
        "errors": sum(len(r.errors) + len(r.page_errors) + r.exception_boxes for r in results),
        "exception_boxes": sum(r.exception_boxes for r in results),
        "page_errors": sum(len(r.page_errors) for r in results),
        "failed_steps": sum(len(r.errors) for r in results),
        "leaks": sum(len(r.leaks) for r in results),
        "retries": {
            kind: sum(x.startswith(kind) for r in results for x in r.retries)
            for kind in ("navigation", "upload choice", "download")
        },
        "wall_seconds": round(wall, 1),
        "server_cpu_seconds": round(cpu_after - cpu_before, 1)
        if cpu_before is not None and cpu_after is not None else None,
        "step_seconds_median": {
            name: round(statistics.median(r.step_seconds[name] for r in results
                                          if name in r.step_seconds), 1)
            for name in STEPS if any(name in r.step_seconds for r in results)
        },
        "session_seconds": {
            "median": round(statistics.median(times), 1) if times else None,
            "max": max(times) if times else None,
        },
        "warm_up": {"ok": warm.ok, "seconds": warm.seconds, "errors": warm.errors},
        "memory_kb": {
            "cold": cold.get("VmRSS"), "after_warm_up": before.get("VmRSS"),
            "with_sessions_open": after.get("VmRSS"), "peak": after.get("VmHWM"),
            "delta": delta, "per_session": round(delta / sessions) if sessions else None,
        },
        "results": [asdict(r) for r in results],
    }


def table(report: dict[str, Any]) -> str:
    lines = [f"{'session':>7}  {'dates':<23}  {'seconds':>7}  {'rows':>4}  {'errors':>6}  "
             f"{'leaks':>5}  {'retries':>7}  steps"]
    for r in report["results"]:
        errors = len(r["errors"]) + len(r["page_errors"]) + r["exception_boxes"]
        lines.append(
            f"{r['session']:>7}  {r['first_date'] + ' > ' + r['second_date']:<23}  "
            f"{r['seconds']:>7}  {r['download_rows']:>4}  {errors:>6}  {len(r['leaks']):>5}  "
            f"{len(r['retries']):>7}  {','.join(r['steps'])}"
        )
        lines += [f"{'':>9}! {e}" for e in r["errors"] + r["page_errors"]]
        lines += [f"{'':>9}~ retried {e}" for e in r["retries"]]
    mem = report["memory_kb"]
    lines += [
        "",
        f"sessions {report['sessions']}, ok {report['ok']}, errors {report['errors']} "
        f"(exception boxes {report['exception_boxes']}, page errors {report['page_errors']}, "
        f"failed steps {report['failed_steps']}), cross-session leaks {report['leaks']}",
        "actions repeated, as a user would: "
        + ", ".join(f"{k} {v}" for k, v in report["retries"].items()),
        f"wall time {report['wall_seconds']} s (server CPU {report['server_cpu_seconds']} s on "
        f"{os.cpu_count()} CPUs); per session median {report['session_seconds']['median']} s, "
        f"max {report['session_seconds']['max']} s",
        "median time into the session at the end of each step: "
        + ", ".join(f"{k} {v} s" for k, v in report["step_seconds_median"].items()),
        f"server RSS: cold {mem['cold']:,} kB, after warm-up {mem['after_warm_up']:,} kB, "
        f"with {report['sessions']} sessions open {mem['with_sessions_open']:,} kB "
        f"(peak {mem['peak']:,} kB); delta {mem['delta']:,} kB = "
        f"{mem['per_session']:,} kB per session",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=240.0,
                        help="seconds allowed for each browser action (default 240)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON report path")
    args = parser.parse_args(argv)
    missing = chromium_missing()
    if missing:
        print(f"{missing} (set CHROMIUM_PATH)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="concurrency-") as folder:
        log = Path(folder) / "server.log"
        env = {"DASHBOARD_USER_DATA": str(Path(folder) / "user_data")}
        with server(env, log) as app:
            report = asyncio.run(drive(app.url, app.proc.pid, args.sessions, args.timeout))
        server_log = log.read_text(errors="replace")
    report["server_tracebacks"] = server_log.count("Traceback")
    report["errors"] += report["server_tracebacks"]
    report["when"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    report["machine"] = {"cpus": os.cpu_count()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"server tracebacks in the log: {report['server_tracebacks']}")
    print(f"report: {args.out}")
    return 0 if report["errors"] == 0 and report["leaks"] == 0 and report["ok"] == args.sessions \
        else 1


if __name__ == "__main__":
    sys.exit(main())
