"""Check everything in data/ and print a readable report.

    python -m geo.data.validate [DATA_DIR]

Exits 0 when every item loads, the checks across datasets pass (:mod:`geo.data.audit`: no
reported Syrian-side point inside the Golan polygon unless its source puts it there, no Israeli
position before 8 Dec 2024) and every file in data/ has a data/SOURCES.md entry; exits 1
otherwise, listing each problem with the file, the item and the reason.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from geo.core.model import LoadResult, Rejected
from geo.data.audit import audit
from geo.data.coverage import Coverage
from geo.data.loaders import DATA_DIR, load_all


def data_files(data_dir: Path) -> list[Path]:
    return sorted(
        p for p in data_dir.rglob("*")
        if p.is_file() and p.name != "SOURCES.md" and not p.name.startswith(".")
    )


def check_sources_md(data_dir: Path) -> list[Rejected]:
    """Each data file must be named in data/SOURCES.md with a licence line."""
    sources = data_dir / "SOURCES.md"
    if not sources.exists():
        return [Rejected("SOURCES.md", "(whole file)", ("data/SOURCES.md is missing",))]
    text = sources.read_text(encoding="utf-8")
    problems = []
    for path in data_files(data_dir):
        rel = path.relative_to(data_dir).as_posix()
        if f"`{rel}`" not in text:
            problems.append(Rejected("SOURCES.md", rel, ("no entry in data/SOURCES.md",)))
    if "Licence" not in text and "licence" not in text:
        problems.append(Rejected("SOURCES.md", "(whole file)", ("no licence information",)))
    return problems


def check_timeline_against_layers(results: dict[str, LoadResult]) -> list[Rejected]:
    """valid_from <= valid_to is checked per item; here: layer features exist at all."""
    if results["layers"].data.empty:
        return [Rejected("layers", "(all)", ("no layer features loaded",))]
    return []


def problems_in(results: dict[str, LoadResult], data_dir: Path) -> list[Rejected]:
    """Every rejected item, the checks across datasets, and the SOURCES.md entries."""
    problems: list[Rejected] = []
    for result in results.values():
        problems += result.rejected
    problems += check_timeline_against_layers(results)
    problems += audit(results["layers"].data, results["incidents"].data,
                      results["timeline"].data)
    problems += check_sources_md(data_dir)
    return problems


def run(data_dir: Path) -> list[Rejected]:
    return problems_in(load_all(data_dir), data_dir)


def _count(data: Any) -> int:
    """Items loaded: rows, entries, or the months of the coverage."""
    return len(data.months) if isinstance(data, Coverage) else len(data)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else DATA_DIR
    results = load_all(data_dir)
    problems = problems_in(results, data_dir)
    counts = ", ".join(f"{name}: {_count(r.data)}" for name, r in results.items())
    if not problems:
        print(f"geo.data.validate: {data_dir} OK ({counts})")
        return 0
    print(f"geo.data.validate: {len(problems)} problem(s) in {data_dir} ({counts})")
    for problem in problems:
        print(f"  - {problem.dataset} / {problem.item}: {problem.reason}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
