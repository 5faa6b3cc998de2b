"""The bad-input corpus (tests/data/bad) through the real import path.

Every file goes through :func:`geo.data.importers.import_incidents`, as an upload does, and must
give exactly the outcome its manifest entry names: a whole-file error with a specific message, or
rows refused with specific reasons, or an import with a note that says what was reinterpreted.
No other exception may escape.

    .venv/bin/python -m tests.geo.data.test_bad_corpus     # prints the tally
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import geopandas as gpd
import pytest

from geo.core.model import REGION_BOUNDS
from geo.data.importers import (
    DEFAULT_MAX_BYTES,
    MAX_UPLOAD_MB,
    ImportResult,
    IncidentImportError,
    import_incidents,
)

BAD = Path(__file__).resolve().parents[2] / "data" / "bad"
MANIFEST: dict[str, dict[str, Any]] = json.loads((BAD / "manifest.json").read_text("utf-8"))
OUTCOMES = {"error", "rejected", "note"}


def _make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(name: str, data: bytes | None = None) -> tuple[str, ImportResult | str]:
    """Import one corpus file: ("error", message) or ("result", ImportResult).

    Any exception other than IncidentImportError propagates (and fails the caller)."""
    expected = MANIFEST[name]
    payload = (BAD / name).read_bytes() if data is None else data
    limit = expected.get("max_bytes", DEFAULT_MAX_BYTES)
    try:
        result = import_incidents(payload, name, max_bytes=limit)
    except IncidentImportError as exc:
        return "error", str(exc)
    return "result", result


def mismatch(name: str, kind: str, got: ImportResult | str) -> str | None:
    """Why an outcome differs from the manifest (None when it matches)."""
    expected = MANIFEST[name]
    if expected["outcome"] == "error":
        if kind != "error":
            return f"expected an error, got: {got.summary}"  # type: ignore[union-attr]
        assert isinstance(got, str)
        if expected["message"] not in got:
            return f"message {got!r} lacks {expected['message']!r}"
        if not got.startswith(f"{name}: ") or "Traceback" in got or "\n" in got:
            return f"message {got!r} is not one clear line naming the file"
        return None
    if kind != "result":
        return f"expected an import, got the error {got!r}"
    assert isinstance(got, ImportResult)
    counts = (got.accepted, len(got.rejected))
    if counts != (expected["accepted"], expected["rejected"]):
        return f"accepted/rejected {counts}, expected {expected['accepted'], expected['rejected']}"
    reasons = [r.reason for r in got.rejected]
    missing = [s for s in expected.get("reasons", []) if not any(s in r for r in reasons)]
    if missing:
        return f"no rejection says {missing}; reasons: {reasons}"
    if "note" in expected and expected["note"] not in got.summary:
        return f"summary {got.summary!r} lacks the note {expected['note']!r}"
    return None


def tally() -> dict[str, int]:
    """How many corpus files were tried, and how many gave their expected, clean outcome."""
    counts: Counter[str] = Counter()
    for name, expected in MANIFEST.items():
        counts["tried"] += 1
        try:
            kind, got = run(name)
        except Exception:  # noqa: BLE001 - counted, not raised: this is the tally
            counts["other exception"] += 1
            continue
        if mismatch(name, kind, got) is None:
            counts["clean"] += 1
            counts[f"clean: {expected['outcome']}"] += 1
        else:
            counts["unexpected outcome"] += 1
    return dict(counts)


# ---------------------------------------------------------------------------------------------
# The corpus itself


def test_corpus_is_large_varied_small_and_described() -> None:
    files = sorted(p.name for p in BAD.iterdir()
                   if p.is_file() and p.name not in ("manifest.json", "make_corpus.py"))
    assert files == sorted(MANIFEST), "every corpus file needs a manifest entry, and vice versa"
    assert len(files) >= 30
    assert sum((BAD / f).stat().st_size for f in files) < 2_000_000
    assert {e["outcome"] for e in MANIFEST.values()} == OUTCOMES
    for name, entry in MANIFEST.items():
        assert entry["outcome"] in OUTCOMES and entry["covers"].strip(), name
        if entry["outcome"] == "error":
            assert entry["message"].strip(), name
        else:
            assert entry["accepted"] >= 0 and entry["rejected"] >= 0, name
    suffixes = Counter(Path(f).suffix for f in files)
    assert suffixes[".csv"] >= 10 and suffixes[".geojson"] >= 8 and suffixes[".gpkg"] >= 5


def _signature(path: Path) -> object:
    """Bytes, except for GeoPackages: their SQL content (bytes vary with the SQLite version)."""
    data = path.read_bytes()
    if path.suffix != ".gpkg" or not data.startswith(b"SQLite format 3\x00"):
        return data
    try:
        con = sqlite3.connect(path)
        try:
            return list(con.iterdump())
        finally:
            con.close()
    except sqlite3.DatabaseError:  # a damaged file on purpose: compare its size and header
        return (len(data), data[:100])


def test_make_corpus_regenerates_the_committed_files() -> None:
    module = _make_corpus()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        manifest = module.build(out)
        assert manifest == MANIFEST
        changed = [n for n in manifest if _signature(out / n) != _signature(BAD / n)]
    assert changed == [], f"run tests/data/bad/make_corpus.py; stale: {changed}"


# ---------------------------------------------------------------------------------------------
# Through the importer


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_file_gives_a_clear_specific_outcome(name: str) -> None:
    try:
        kind, got = run(name)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"{name}: {type(exc).__name__} escaped the importer: {exc}")
    problem = mismatch(name, kind, got)
    assert problem is None, f"{name}: {problem}"
    if isinstance(got, ImportResult):
        assert isinstance(got.data, gpd.GeoDataFrame)
        assert got.accepted + len(got.rejected) == got.rows_read
        assert all(r.reasons and all(r.reasons) for r in got.rejected)
        assert all(r.item.startswith(("row ", "feature ")) for r in got.rejected)
        if got.accepted:  # whatever was kept is usable: points inside the region
            west, south, east, north = REGION_BOUNDS
            assert got.data.geometry.geom_type.eq("Point").all()
            assert got.data["latitude"].between(south, north).all()
            assert got.data["longitude"].between(west, east).all()


def test_swapped_coordinates_are_reported_as_swapped_not_just_out_of_region() -> None:
    kind, got = run("swapped_latlon.csv")
    assert kind == "result" and isinstance(got, ImportResult)
    assert [r.item for r in got.rejected] == ["row 3 (SW-1)", "row 4 (SW-2)"]
    assert all("look swapped" in r.reason and "outside the region" in r.reason
               for r in got.rejected)


def test_size_limit_applies_before_reading() -> None:
    assert run("too_big.csv")[0] == "error"
    kind, got = run("too_big.csv", (BAD / "too_big.csv").read_bytes()[:900])
    assert kind == "result", got  # the same content under the limit imports


def test_five_megabyte_cells_made_at_test_time() -> None:
    make = _make_corpus()
    cell = "n" * 5_000_000
    csv_bytes = make.to_csv([make.row("BIG-1"), make.row("BIG-2", notes=cell)]).encode()
    with pytest.raises(IncidentImportError, match="record 3 has a cell longer than 131,072"):
        import_incidents(csv_bytes, "five_mb_notes.csv")
    geojson = make.collection(make.feature(make.props("BIG-1"), make.point()),
                              make.feature(make.props("BIG-2", notes=cell), make.point()))
    result = import_incidents(geojson, "five_mb_notes.geojson")
    assert result.accepted == 1
    assert result.rejected[0].reason == "notes is 5,000,000 characters long; the limit is 100,000"


def test_file_over_the_limit_made_at_test_time() -> None:
    assert DEFAULT_MAX_BYTES == MAX_UPLOAD_MB * 1_000_000 >= 110_000_000  # an ACLED export fits
    data = b"x" * 50_000_001
    with pytest.raises(IncidentImportError,
                       match=r"the file is 50,000,001 bytes; the limit is 50 MB\."):
        import_incidents(data, "huge.csv", max_bytes=50_000_000)


def test_tally_every_bad_input_is_refused_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    counts = tally()
    with capsys.disabled():
        print(f"\nbad-input corpus: {counts}")
    assert counts["tried"] == len(MANIFEST) >= 30
    assert counts["clean"] == counts["tried"]
    assert "other exception" not in counts and "unexpected outcome" not in counts


if __name__ == "__main__":
    sys.exit(print(json.dumps(tally(), indent=2)))  # type: ignore[func-returns-value]
