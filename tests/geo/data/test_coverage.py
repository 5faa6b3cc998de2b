"""geo.data.coverage: the loader of data/coverage.json keeps good months, rejects bad ones with
their reasons, and gives the one "Data through" line."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil

import pytest

from geo.core.model import DatasetError
from geo.data.coverage import NO_COVERAGE, Coverage, data_through_text, load_coverage
from geo.data.loaders import load_all
from tests.conftest import DATA_DIR

COVERAGE = DATA_DIR / "coverage.json"


@pytest.fixture
def doc() -> dict:
    return json.loads(COVERAGE.read_text(encoding="utf-8"))


def load(doc: dict):
    return load_coverage(json.dumps(doc), "coverage.json")


def test_real_coverage_loads_whole() -> None:
    result = load_coverage(COVERAGE, COVERAGE.name)
    assert result.rejected == []
    coverage = result.data
    assert coverage.data_through == dt.date(2026, 6, 28)
    assert coverage.searched_through == dt.date(2026, 11, 29)
    frame = coverage.month_frame()
    assert list(frame.columns) == ["month", "incidents", "timeline", "positions", "note"]
    assert frame["month"].is_monotonic_increasing and frame["month"].is_unique
    assert frame.iloc[0]["month"] == "2024-12" and frame.iloc[-1]["month"] == "2026-11"
    empty = frame[frame["month"] == "2026-04"].iloc[0]
    assert (empty["incidents"], empty["timeline"], empty["positions"]) == (0, 0, 0)
    assert "nothing found" in empty["note"]


def test_coverage_is_part_of_load_all() -> None:
    result = load_all(DATA_DIR)["coverage"]
    assert isinstance(result.data, Coverage) and result.ok


def test_data_through_text() -> None:
    coverage = load_coverage(COVERAGE, COVERAGE.name).data
    assert data_through_text(coverage) == "Data through 28 Jun 2026 (searched to 29 Nov 2026)"
    no_search = Coverage(dt.date(2026, 6, 8), None, "", ())
    assert data_through_text(no_search) == "Data through 8 Jun 2026"
    assert data_through_text(NO_COVERAGE).startswith("Data through: unknown")


@pytest.mark.parametrize(
    ("change", "item", "reason"),
    [
        (lambda m: m.update(month="2025-13"), "2025-13", "month is not YYYY-MM"),
        (lambda m: m.update(incidents=-1), "2025-01", "incidents is not a count"),
        (lambda m: m.update(timeline=2.5), "2025-01", "timeline is not a count"),
        (lambda m: m.update(positions=True), "2025-01", "positions is not a count"),
        (lambda m: m.update(note=["x"]), "2025-01", "note is not text"),
        (lambda m: m.update(month="2024-12"), "2024-12", "listed twice"),
        (lambda m: m.update(month="2026-09", incidents=3), "2026-09",
         "after data_through 2026-06-28"),
    ],
)
def test_bad_month_is_rejected_and_the_rest_kept(doc: dict, change, item: str,
                                                 reason: str) -> None:
    months = len(doc["months"])
    bad = next(m for m in doc["months"] if m["month"] == "2025-01")
    change(bad)
    if bad["month"] == "2026-09":  # the real 2026-09 would then be listed twice: drop it
        doc["months"] = [m for m in doc["months"] if m is bad or m["month"] != "2026-09"]
        months -= 1
    result = load(doc)
    assert [(r.item, reason in r.reason) for r in result.rejected] == [(item, True)]
    assert len(result.data.months) == months - 1


def test_searched_through_before_data_through_is_rejected(doc: dict) -> None:
    doc["searched_through"] = "2026-01-01"
    result = load(doc)
    assert [r.item for r in result.rejected] == ["searched_through"]
    assert result.data.searched_through is None
    assert result.data.data_through == dt.date(2026, 6, 28)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("{", "not valid JSON"), ("[]", "expected a JSON object"),
     (json.dumps({"months": []}), "data_through is not YYYY-MM-DD"),
     (json.dumps({"data_through": "28 Jun 2026", "months": []}), "data_through is not"),
     (json.dumps({"data_through": "2026-06-28", "months": {}}), "'months' is not a list")],
)
def test_unusable_file_raises(text: str, reason: str) -> None:
    with pytest.raises(DatasetError, match=reason):
        load_coverage(text, "coverage.json")


def test_missing_or_broken_file_becomes_a_whole_file_rejection(tmp_path, doc: dict) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "coverage.json").unlink()
    result = load_all(data)["coverage"]
    assert result.data is NO_COVERAGE
    assert [(r.dataset, r.item) for r in result.rejected] == [("coverage.json", "(whole file)")]
    broken = copy.deepcopy(doc)
    broken["data_through"] = None
    (data / "coverage.json").write_text(json.dumps(broken), encoding="utf-8")
    assert "data_through" in load_all(data)["coverage"].rejected[0].reason
