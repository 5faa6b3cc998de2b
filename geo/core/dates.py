"""Dates as a reader should see them, defined once: no more precise than the source.

A date known to the day reads "3 Feb 2026"; an approximate one "about 3 Feb 2026"; one known
only to the month "May 2025" (never "2025-05-01", the first of the month the data store for
it); one known only to the year "2024".

Three vocabularies say how precise a date is; each maps onto :data:`PRECISIONS`:

* layer features: ``date_precision`` (day, month, year);
* timeline entries: ``date_precision``, and ``date_approx`` (true) when the day is approximate;
* incidents: ACLED's ``time_precision`` (1 the day, 2 about that day, 3 the month).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from geo.core.model import is_blank, parse_date

#: How precisely a date is known, most precise first.
PRECISIONS: Final[tuple[str, ...]] = ("day", "approx", "month", "year")
#: ACLED ``time_precision`` codes.
TIME_PRECISION: Final[dict[int, str]] = {1: "day", 2: "approx", 3: "month"}


def day_text(day: dt.date) -> str:
    """"3 Feb 2026" (no leading zero)."""
    return f"{day.day} {day:%b %Y}"


def date_text(value: Any, precision: str = "day") -> str:
    """An ISO date (or a date) as text no more precise than ``precision``."""
    day = parse_date(value)
    if day is None:
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    if precision not in PRECISIONS:
        raise ValueError(f"unknown date precision {precision!r}")
    if precision == "year":
        return f"{day:%Y}"
    if precision == "month":
        return f"{day:%b %Y}"
    if precision == "approx":
        return f"about {day_text(day)}"
    return day_text(day)


def incident_precision(time_precision: Any) -> str:
    """The precision of an incident's date from its ``time_precision`` (blank: the day)."""
    if is_blank(time_precision):
        return "day"
    return TIME_PRECISION[int(float(time_precision))]


def entry_precision(item: Mapping[str, Any]) -> str:
    """The precision of a feature's or timeline entry's date (``date_precision``, made
    "approx" by ``date_approx``)."""
    if item.get("date_approx") is True:
        return "approx"
    precision = item.get("date_precision")
    return "day" if is_blank(precision) else str(precision)
