"""Several writers, nothing lost: writer processes race to save the same dataset and the same
annotation from the same version, round after round, on both backends. In every round exactly
one wins, every other gets the clear conflict message, and the winner's save is what is stored
(lost updates: 0). The figures are written to test-artifacts/store-concurrency-<backend>.json.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing as mp
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point

from geo.core.annotation import Annotation, AnnotationSource
from geo.data import store
from geo.data.importers import import_incidents

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
WRITERS = 4
ROUNDS = 6
TIMEOUT = 300.0


def _open(spec: tuple[str, str]) -> store.Store:
    kind, where = spec
    return store.open_store(where) if kind == "postgis" else store.open_store(folder=where)


def _annotation(tag: str) -> Annotation:
    return Annotation(
        id="contested", name="Contested point", status="reported",
        valid_from=dt.date(2025, 1, 1), valid_to=None,
        sources=(AnnotationSource("Example", "https://example.org/a"),), basis="reported",
        confidence="medium", note=tag, geometry=Point(35.82, 33.12), author=tag,
    )


def _attempt(target: store.Store, item: str, frame: Any, tag: str, expected: int) -> str:
    """Save one item based on version ``expected``: "won", "refused" (the clear message) or
    what else happened."""
    try:
        if item == "dataset":
            target.save_dataset("contested", frame, expected)
        else:
            target.save_annotation(
                dataclasses.replace(_annotation(tag), version=expected), expected)
    except store.ConflictError as exc:
        return ("refused" if "changed by someone else since you opened it — reload or save as "
                "new" in str(exc) else f"unclear: {exc}")
    except Exception as exc:  # noqa: BLE001 - reported and failed by the test
        return f"error: {type(exc).__name__}: {exc}"
    return "won"


def _writer(spec: tuple[str, str], writer: int, barrier: Any, results: Any) -> None:
    """One writer process: in each round, save both items based on the round's version."""
    target = _open(spec)
    base = import_incidents((DATA / "acled_bom.csv").read_bytes(), "acled.csv").data
    for rnd in range(ROUNDS):
        tag = f"writer {writer} round {rnd}"
        frame = base.assign(notes=tag)
        barrier.wait(TIMEOUT)  # everyone starts the round together
        outcome = {item: _attempt(target, item, frame, tag, rnd + 1)
                   for item in ("dataset", "annotation")}
        barrier.wait(TIMEOUT)  # the round is over: every save has returned
        frame_now, version = target.load_dataset("contested")
        note_now = target.annotation("contested")
        results.put((rnd, writer, outcome, str(frame_now["notes"].iloc[0]), version,
                     note_now.note, note_now.version))
        barrier.wait(TIMEOUT)


@pytest.mark.parametrize("kind", ["gpkg", "postgis"])
def test_concurrent_writers_one_wins_nothing_lost(kind: str, tmp_path: Path,
                                                  request: pytest.FixtureRequest) -> None:
    where = request.getfixturevalue("postgis_url") if kind == "postgis" else str(tmp_path)
    spec = (kind, where)
    first = _open(spec)
    base = import_incidents((DATA / "acled_bom.csv").read_bytes(), "acled.csv").data
    assert first.save_dataset("contested", base.assign(notes="initial"), None) == 1
    assert first.save_annotation(_annotation("initial"), None).version == 1

    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(spec, w, barrier, results))
             for w in range(WRITERS)]
    for p in procs:
        p.start()
    rows = [results.get(timeout=TIMEOUT) for _ in range(WRITERS * ROUNDS)]
    for p in procs:
        p.join(TIMEOUT)
        assert p.exitcode == 0

    summary: dict[str, Any] = {"backend": kind, "writers": WRITERS, "rounds": ROUNDS}
    for item, tag_at, version_at in (("dataset", 3, 4), ("annotation", 5, 6)):
        outcomes = Counter(outcome[item].split(":")[0] for _, _, outcome, *_ in rows)
        lost = 0
        for rnd in range(ROUNDS):
            in_round = [r for r in rows if r[0] == rnd]
            winners = [w for _, w, outcome, *_ in in_round if outcome[item] == "won"]
            seen = {(r[tag_at], r[version_at]) for r in in_round}  # what every writer read
            expected = {(f"writer {winners[0]} round {rnd}", rnd + 2)} if winners else set()
            lost += int(len(winners) != 1 or seen != expected)
        summary[item] = {"attempts": len(rows), "winners": outcomes["won"],
                         "clear_refusals": outcomes["refused"],
                         "other": len(rows) - outcomes["won"] - outcomes["refused"],
                         "lost_updates": lost}
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"store-concurrency-{kind}.json").write_text(json.dumps(summary, indent=2))
    for item in ("dataset", "annotation"):
        assert summary[item] == {"attempts": WRITERS * ROUNDS, "winners": ROUNDS,
                                 "clear_refusals": (WRITERS - 1) * ROUNDS, "other": 0,
                                 "lost_updates": 0}, summary
    assert first.load_dataset("contested")[1] == ROUNDS + 1
    assert [a.version for a in first.annotation_history("contested")] == list(
        range(1, ROUNDS + 2))
