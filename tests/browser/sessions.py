"""What each of several simultaneous sessions brings of its own: a marker no other session has,
two dates, and a small ACLED file carrying the marker. Used by the concurrency test and by
bench/concurrency.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Final

from geo.data.importers import ACLED_COLUMNS

ROWS_PER_FILE: Final[int] = 3


def marker_for(token: str, index: int) -> str:
    """Letters around the number, so that no session's marker is a prefix of another's."""
    return f"zq{token}s{index:03d}q"


def dates_for(index: int) -> tuple[dt.date, dt.date]:
    """A first date of its own for each session, and a second one in the same year (day <= 28,
    so that typing month then day never passes through an invalid date)."""
    first = dt.date(2025, 1, 1) + dt.timedelta(days=(11 * index) % 280)
    first = first.replace(day=min(first.day, 28))
    second = first + dt.timedelta(days=17)
    second = second.replace(day=min(second.day, 28))
    return first, second


def acled_file(marker: str, index: int) -> bytes:
    """A small ACLED export of one session: events near Quneitra, the marker in the notes."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for n in range(ROWS_PER_FILE):
        row = {c: "" for c in ACLED_COLUMNS}
        row.update(
            event_id_cnty=f"SYR{index:03d}{n:02d}", event_date=f"{10 + n} March 2025",
            year="2025", time_precision="1", disorder_type="Political violence",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            actor1="Military Forces of Israel (2022-)", inter1="State forces", iso="760",
            region="Middle East", country="Syria", admin1="Quneitra", admin2="Quneitra",
            location="Khan Arnabah", latitude=f"{33.10 + 0.01 * n:.5f}",
            longitude=f"{35.82 + 0.01 * n:.5f}", geo_precision="1", source="Bench",
            source_scale="National", notes=f"Benchmark event {n} of session {marker}.",
            fatalities=str(n), timestamp="1741996800",
        )
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
