"""How far the record reaches: the validating loader of ``data/coverage.json`` and the one
"Data through …" line every page and export prints.

``coverage.json`` holds ``data_through`` (the last day the record covers), ``searched_through``
(the day the reporting was last searched), ``provenance`` (how the counts were made) and
``months``: per month, the rows found (incidents, timeline entries, positions first reported)
and a note. A month with few rows may be a month where little was found, not one where little
happened; the sources page charts them so that thin months show as thin.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from geo.core.dates import day_text
from geo.core.model import DatasetError, LoadResult, Rejected, is_blank, parse_date

#: What each month counts, in the order the chart stacks them.
COUNTS: Final[tuple[str, ...]] = ("incidents", "timeline", "positions")
MONTH_COLUMNS: Final[tuple[str, ...]] = ("month", *COUNTS, "note")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Coverage:
    """What ``coverage.json`` says; ``data_through`` is None when the file did not load."""

    data_through: dt.date | None
    searched_through: dt.date | None
    provenance: str
    months: tuple[dict[str, Any], ...]

    def month_frame(self) -> pd.DataFrame:
        """One row per month (``month`` as "YYYY-MM", the counts, ``note``), in date order."""
        return pd.DataFrame(list(self.months), columns=list(MONTH_COLUMNS))


NO_COVERAGE: Final[Coverage] = Coverage(None, None, "", ())


def data_through_text(coverage: Coverage) -> str:
    """"Data through 28 Jun 2026 (searched to 29 Nov 2026)": the line shown on the map, the
    incidents and sources pages and every export."""
    if coverage.data_through is None:
        return "Data through: unknown (data/coverage.json did not load; see Sources)"
    text = f"Data through {day_text(coverage.data_through)}"
    if coverage.searched_through is not None:
        text += f" (searched to {day_text(coverage.searched_through)})"
    return text


def _month_reasons(item: Any, through: str) -> list[str]:
    if not isinstance(item, dict):
        return ["not an object"]
    reasons: list[str] = []
    month = item.get("month")
    if not isinstance(month, str) or not _MONTH.match(month):
        reasons.append(f"month is not YYYY-MM: {month!r}")
    for key in COUNTS:
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            reasons.append(f"{key} is not a count (a whole number, 0 or more): {value!r}")
    if not isinstance(item.get("note", ""), str):
        reasons.append("note is not text")
    if not reasons and str(month) > through[:7] and any(item[key] for key in COUNTS):
        reasons.append(f"rows counted in {month}, after data_through {through}")
    return reasons


def load_coverage(source: str | Path | bytes, dataset: str) -> LoadResult:
    """Load ``coverage.json``: a :class:`Coverage` whose months passed their checks (month
    "YYYY-MM", once each; counts whole numbers, none after ``data_through``), and every other
    month rejected with its reasons. A file without a valid ``data_through`` raises
    DatasetError: nothing else says how current the record is."""
    if isinstance(source, Path):
        source = source.read_bytes()
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{dataset}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, dict):
        raise DatasetError(f"{dataset}: expected a JSON object with data_through and months")
    through = parse_date(doc.get("data_through"))
    if through is None:
        raise DatasetError(f"{dataset}: data_through is not YYYY-MM-DD: "
                           f"{doc.get('data_through')!r}")
    rejected: list[Rejected] = []
    searched = None
    if not is_blank(doc.get("searched_through")):
        searched = parse_date(doc.get("searched_through"))
        if searched is None or searched < through:
            rejected.append(Rejected(dataset, "searched_through", (
                f"searched_through {doc.get('searched_through')!r} is not a date on or after "
                f"data_through {through}",)))
            searched = None
    months = doc.get("months")
    if not isinstance(months, list):
        raise DatasetError(f"{dataset}: 'months' is not a list")
    clean: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(months):
        label = str(item.get("month")) if isinstance(item, dict) else f"month {index + 1}"
        reasons = _month_reasons(item, through.isoformat())
        if not reasons and item["month"] in clean:
            reasons.append(f"month {item['month']} is listed twice")
        if reasons:
            rejected.append(Rejected(dataset, label, tuple(reasons)))
            continue
        clean[item["month"]] = {key: item.get(key, "") for key in MONTH_COLUMNS}
    provenance = doc.get("provenance")
    coverage = Coverage(through, searched, provenance if isinstance(provenance, str) else "",
                        tuple(clean[m] for m in sorted(clean)))
    return LoadResult(coverage, rejected)
