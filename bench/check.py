"""Check a benchmark result file: every measure ran (no ``<step>_error``, every measure
there) and every target carries ``met`` and its load average. Timings are not checked.

    .venv/bin/python -m bench.check bench/results/quick.json   (``make bench-quick`` runs it)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

from bench.run import RESULTS, TARGETS

#: What every run writes under ``measures`` (with the browser: also BROWSER_MEASURES).
MEASURES: Final[tuple[str, ...]] = ("map_python", "payload", "classify", "png_export", "rerun",
                                    "viewshed")
BROWSER_MEASURES: Final[tuple[str, ...]] = ("browser_visible", "floor", "first_map_breakdown",
                                            "next_event", "cold_start", "peak_memory")


def problems(results: dict[str, Any]) -> list[str]:
    """What is missing or failed in ``results`` (empty: every measure ran)."""
    measures = results.get("measures", {})
    out = [f"{key}: {value}" for key, value in measures.items() if key.endswith("_error")]
    expected = MEASURES + (BROWSER_MEASURES if results.get("config", {}).get("browser") else ())
    out += [f"{key}: missing" for key in expected if not measures.get(key)]
    if isinstance(measures.get("next_event"), dict) and "error" in measures["next_event"]:
        out.append(f"next_event: {measures['next_event']['error']}")
    for size, entry in (measures.get("browser_visible") or {}).items():
        if isinstance(entry, dict):
            out += [f"browser_visible.{size}.{k}" for k in entry if k.endswith("_error")]
    keys = [t.get("key") for t in results.get("targets", [])]
    out += [f"target {key}: missing" for key, *_ in TARGETS if key not in keys]
    out += [f"target {t.get('key')}: no met or load average" for t in results.get("targets", [])
            if not isinstance(t.get("met"), bool) or "load_average" not in t]
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else RESULTS
    found = problems(json.loads(path.read_text(encoding="utf-8")))
    for line in found:
        print(f"bench check: {line}", file=sys.stderr)
    if found:
        raise SystemExit(1)
    print(f"bench check: every measure ran ({path})")


if __name__ == "__main__":
    main()
