"""Zone classification of a stored dataset inside PostGIS (team mode), for large datasets.

The zones of :data:`geo.analysis.zones.ZONES` that come from a layer feature are loaded into
the ``zones`` table (:func:`load_zones`); :func:`zone_counts` and :func:`zone_members` then
classify the incidents of a stored dataset with ``ST_Intersects`` (in or on the zone, as the
in-memory classification) against it, both tables with GiST indexes, and the same dates rule:
a zone counts from its ``valid_from`` and until (not on) its ``valid_to``; an incident without
a date is in no zone. An incident on the edge of two Area of Limitation bands gets the first of
:data:`~geo.analysis.zones.AOL_BANDS`, as in memory. The work stays in the database: counts
come back, not rows. Reported-position proximity (``near_position``) is not computed here.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

import geopandas as gpd
import shapely
import sqlalchemy as sa

from geo.analysis.zones import AOL_BANDS, ZONES
from geo.data.store.base import check_name

#: The zones classified in the database: those drawn from one layer feature.
DB_ZONES: Final[dict[str, str]] = {z.key: z.feature_id for z in ZONES if z.feature_id}
AOL_KEYS: Final[tuple[str, ...]] = tuple(f"aol_{band}" for band in AOL_BANDS)

_MEMBERS: Final[str] = """
    SELECT z.zone_key, i.row_no
    FROM zones z JOIN incidents i
      ON i.dataset = :name AND ST_Intersects(z.geom, i.geom)
     AND i.event_date IS NOT NULL
     AND (z.valid_from IS NULL OR i.event_date >= z.valid_from)
     AND (z.valid_to IS NULL OR i.event_date < z.valid_to)
"""
_COUNTS: Final = sa.text(f"""
    WITH m AS MATERIALIZED ({_MEMBERS})
    SELECT zone_key, count(*) FROM m WHERE NOT (zone_key = ANY(:aol)) GROUP BY zone_key
    UNION ALL
    SELECT zone_key, count(*) FROM (
        SELECT DISTINCT ON (row_no) row_no, zone_key FROM m WHERE zone_key = ANY(:aol)
        ORDER BY row_no, array_position(:aol, zone_key)
    ) first_band GROUP BY zone_key
""")


def load_zones(conn: sa.Connection, layers: gpd.GeoDataFrame) -> int:
    """Replace the ``zones`` table with the zone features of ``layers``; returns how many."""
    by_id = {str(row["id"]): row for _, row in layers.iterrows()}
    conn.execute(sa.text("DELETE FROM zones"))
    rows = []
    for key, feature_id in DB_ZONES.items():
        row = by_id.get(feature_id)
        if row is None or row.geometry is None or row.geometry.is_empty:
            continue
        rows.append({
            "key": key, "feature": feature_id,
            "from": _date_or_none(row.get("valid_from")), "to": _date_or_none(row.get("valid_to")),
            "wkb": shapely.to_wkb(row.geometry),
        })
    if rows:
        conn.execute(sa.text(
            "INSERT INTO zones (zone_key, feature_id, valid_from, valid_to, geom) VALUES "
            "(:key, :feature, CAST(:from AS date), CAST(:to AS date), "
            "ST_Multi(ST_GeomFromWKB(:wkb, 4326)))"
        ), rows)
    conn.execute(sa.text("ANALYZE zones"))
    return len(rows)


def _date_or_none(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text[:10] if text and text.lower() not in ("nan", "none", "nat") else None


def zone_counts(conn: sa.Connection, name: str) -> dict[str, int]:
    """How many incidents of stored dataset ``name`` fall in each zone (0 for none)."""
    found = conn.execute(_COUNTS, {"name": check_name(name), "aol": list(AOL_KEYS)}).all()
    counts = Counter({key: 0 for key in DB_ZONES})
    counts.update({str(key): int(n) for key, n in found})
    return dict(counts)


def zone_members(conn: sa.Connection, name: str) -> dict[str, set[int]]:
    """The row numbers of dataset ``name`` in each zone (for checks on small datasets)."""
    members: dict[str, set[int]] = {key: set() for key in DB_ZONES}
    band: dict[int, str] = {}
    for key, row_no in conn.execute(sa.text(_MEMBERS), {"name": check_name(name)}):
        if key in AOL_KEYS:
            if row_no not in band or AOL_KEYS.index(key) < AOL_KEYS.index(band[row_no]):
                band[row_no] = key
        else:
            members[key].add(int(row_no))
    for row_no, key in band.items():
        members[key].add(int(row_no))
    return members
