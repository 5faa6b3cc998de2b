"""What an import gives (:class:`ImportResult`) and how a whole upload is refused."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from geo.core.model import Rejected


class IncidentImportError(ImportError, ValueError):
    """A whole upload could not be imported. The message says why, for the user."""


@dataclass
class ImportResult:
    """What an import gives: the clean incidents, every rejected row, and what was ignored."""

    format: str
    data: gpd.GeoDataFrame
    rejected: list[Rejected] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return len(self.data)

    @property
    def summary(self) -> str:
        """One paragraph for the user: format, rows accepted and rejected, columns ignored."""
        parts = [
            f"Read as {self.format}: {self.accepted:,} of {self.rows_read:,} row(s) accepted, "
            f"{len(self.rejected):,} rejected."
        ]
        if self.ignored_columns:
            shown = ", ".join(self.ignored_columns[:12])
            more = len(self.ignored_columns) - 12
            parts.append(
                f"{len(self.ignored_columns)} column(s) ignored: {shown}"
                + (f" and {more} more." if more > 0 else ".")
            )
        parts += self.notes
        return " ".join(parts)

    def rejected_rows(self) -> list[dict[str, str]]:
        return [r.as_row() for r in self.rejected]
