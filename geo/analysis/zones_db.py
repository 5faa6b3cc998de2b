"""Zone classification of a stored dataset inside PostGIS (team mode), for large datasets.

The zones of :data:`geo.analysis.zones.ZONES` that come from a layer feature are loaded into
the ``zones`` table by :func:`load_zones`, which also prepares, once per zone set, what makes
the classification fast (migration ``002_zone_grid``): a grid of cells of :data:`CELL_DEG`
degrees (``zone_cells``) where each cell lists the zones that cover it whole (``full_mask``) and
those whose outline crosses it (``maybe_mask``), and the zones cut into small pieces with a GiST
index (``zone_pieces``, ``ST_Subdivide``). :func:`zone_counts` and :func:`zone_members` then
make one parallel pass over the dataset's incidents: each finds its cell by arithmetic (a hash
join); an incident in a cell a zone covers is in that zone, and only those in cells an outline
crosses (about 3 % at 1M) are tested with ``ST_Intersects`` (in or on the zone, as in memory)
against the pieces. A cell counts as covered only if the zone covers it grown by
:data:`MARGIN_DEG`, so rounding in ``floor(x / CELL_DEG)`` cannot put a point in the wrong cell.
Where ``ST_Subdivide`` cuts an outline's edge, the new vertex lies on the edge to within rounding
(about 1e-15 degree); only a point that close to an outline, and not on one of its vertices,
could be judged otherwise than against the whole outline.

The dates rule is the in-memory one: a zone counts from its ``valid_from`` and until (not on)
its ``valid_to``; an incident without a date or a point is in no zone. An incident on the edge
of two Area of Limitation bands gets the first of :data:`~geo.analysis.zones.AOL_BANDS` that
holds on its date, as in memory. The work stays in the database: counts come back, not rows.
Reported-position proximity (``near_position``) is not computed here.
"""

from __future__ import annotations

from typing import Any, Final

import geopandas as gpd
import shapely
import sqlalchemy as sa

from geo.analysis.zones import AOL_BANDS, ZONES
from geo.data.store.base import check_name

#: The zones classified in the database: those drawn from one layer feature, in bit order.
DB_ZONES: Final[dict[str, str]] = {z.key: z.feature_id for z in ZONES if z.feature_id}
AOL_KEYS: Final[tuple[str, ...]] = tuple(f"aol_{band}" for band in AOL_BANDS)
#: A zone's bit in the cell masks.
BITS: Final[dict[str, int]] = {key: 1 << n for n, key in enumerate(DB_ZONES)}
#: Side of a grid cell (degrees, about 100 m); the grid is built from cells 2**TOP_LEVEL wider.
CELL_DEG: Final[float] = 0.001
TOP_LEVEL: Final[int] = 6
#: How much a cell is grown before asking whether a zone covers it or its outline crosses it.
MARGIN_DEG: Final[float] = 1e-9
#: Settings of the transaction that classifies (one pass, both cores, no JIT compile).
_SETTINGS: Final = sa.text(
    "SELECT set_config('work_mem', '128MB', true), set_config('jit', 'off', true), "
    "set_config('max_parallel_workers_per_gather', '2', true)"
)

_BOX: Final[str] = (
    "ST_MakeEnvelope(({i} << {l}) * :s - :e, ({j} << {l}) * :s - :e, "
    "(({i} + 1) << {l}) * :s + :e, (({j} + 1) << {l}) * :s + :e, 4326)"
)
#: The cells of every zone, from TOP_LEVEL down: a cell its outline does not cross is wholly
#: in or out (its centre says which), a crossed one is split in four down to level 0.
_CELLS: Final = sa.text(f"""
    WITH RECURSIVE z AS MATERIALIZED (
        SELECT k.bit, zones.geom, ST_Boundary(zones.geom) AS line
        FROM zones JOIN unnest(CAST(:keys AS text[]), CAST(:bits AS integer[])) k (key, bit)
          ON k.key = zones.zone_key
    ), q AS (
        SELECT z.bit, CAST(:top AS integer) AS l, ci, cj,
               ST_Intersects(z.line, {_BOX.format(i="ci", j="cj", l=":top")}) AS crossed
        FROM z,
             generate_series(floor(ST_XMin(z.geom) / (:s * (1 << :top)))::int,
                             floor(ST_XMax(z.geom) / (:s * (1 << :top)))::int) ci,
             generate_series(floor(ST_YMin(z.geom) / (:s * (1 << :top)))::int,
                             floor(ST_YMax(z.geom) / (:s * (1 << :top)))::int) cj
        UNION ALL
        SELECT q.bit, q.l - 1, q.ci * 2 + d.di, q.cj * 2 + d.dj,
               ST_Intersects(z.line, {_BOX.format(i="(q.ci * 2 + d.di)",
                                                  j="(q.cj * 2 + d.dj)", l="(q.l - 1)")})
        FROM q JOIN z ON z.bit = q.bit
             CROSS JOIN (VALUES (0, 0), (0, 1), (1, 0), (1, 1)) d (di, dj)
        WHERE q.crossed AND q.l > 0
    ), kept AS (
        SELECT q.bit, q.l, q.ci, q.cj, q.crossed
        FROM q JOIN z ON z.bit = q.bit
        WHERE (q.crossed AND q.l = 0) OR (NOT q.crossed AND ST_Intersects(z.geom, ST_Point(
            (q.ci + 0.5) * (1 << q.l) * :s, (q.cj + 0.5) * (1 << q.l) * :s, 4326)))
    )
    INSERT INTO zone_cells (i, j, full_mask, maybe_mask)
    SELECT i, j, bit_or(CASE WHEN crossed THEN 0 ELSE bit END),
           bit_or(CASE WHEN crossed THEN bit ELSE 0 END)
    FROM (
        SELECT bit, crossed, ci AS i, cj AS j FROM kept WHERE l = 0
        UNION ALL
        SELECT bit, false, i, j FROM kept,
             generate_series(ci << l, ((ci + 1) << l) - 1) i,
             generate_series(cj << l, ((cj + 1) << l) - 1) j
        WHERE l > 0
    ) c
    GROUP BY i, j
""")
_PIECES: Final = sa.text("""
    INSERT INTO zone_pieces (zone_key, bit, geom)
    SELECT zones.zone_key, k.bit, ST_Subdivide(zones.geom, 64)
    FROM zones JOIN unnest(CAST(:keys AS text[]), CAST(:bits AS integer[])) k (key, bit)
      ON k.key = zones.zone_key
""")


def load_zones(conn: sa.Connection, layers: gpd.GeoDataFrame) -> int:
    """Replace the ``zones`` table with the zone features of ``layers`` and prepare their grid
    and pieces; returns how many zones."""
    by_id = {str(row["id"]): row for _, row in layers.iterrows()}
    for table in ("zones", "zone_cells", "zone_pieces", "zone_grid"):
        conn.execute(sa.text(f"DELETE FROM {table}"))
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
    keys = {"keys": list(BITS), "bits": list(BITS.values())}
    conn.execute(sa.text("INSERT INTO zone_grid (cell_deg) VALUES (:s)"), {"s": CELL_DEG})
    conn.execute(_PIECES, keys)
    conn.execute(_CELLS, {**keys, "s": CELL_DEG, "e": MARGIN_DEG, "top": TOP_LEVEL})
    for table in ("zones", "zone_cells", "zone_pieces"):
        conn.execute(sa.text(f"ANALYZE {table}"))
    return len(rows)


def _date_or_none(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text[:10] if text and text.lower() not in ("nan", "none", "nat") else None


def _masks(conn: sa.Connection) -> tuple[str, dict[str, Any]]:
    """The SELECT of each incident's row number and zone bits (``m``: in the zone, and the zone
    holds on its date), with its parameters; zones of one validity share one CASE."""
    validity: dict[tuple[Any, Any], int] = {}
    for key, valid_from, valid_to in conn.execute(
            sa.text("SELECT zone_key, valid_from, valid_to FROM zones")):
        if key in BITS:
            validity[(valid_from, valid_to)] = validity.get((valid_from, valid_to), 0) | BITS[key]
    cell = conn.execute(sa.text("SELECT cell_deg FROM zone_grid")).scalar()
    if validity and cell is None:
        raise RuntimeError("the zones have no grid: load them again with load_zones")
    params: dict[str, Any] = {"cell": cell}
    cases = []
    for n, ((valid_from, valid_to), mask) in enumerate(validity.items()):
        conditions = ["true"]
        if valid_from is not None:
            conditions.append(f"x.event_date >= :from{n}")
            params[f"from{n}"] = valid_from
        if valid_to is not None:
            conditions.append(f"x.event_date < :to{n}")
            params[f"to{n}"] = valid_to
        cases.append(f"CASE WHEN {' AND '.join(conditions)} THEN {mask} ELSE 0 END")
    holds = " | ".join(cases) or "0"
    return f"""
        SELECT x.row_no, (c.full_mask | CASE WHEN c.maybe_mask = 0 THEN 0
                                        ELSE zone_hits(c.maybe_mask, x.geom) END)
                         & ({holds}) AS m
        FROM incidents x JOIN zone_cells c
          ON c.i = floor(ST_X(x.geom) / CAST(:cell AS double precision))::int
         AND c.j = floor(ST_Y(x.geom) / CAST(:cell AS double precision))::int
        WHERE x.dataset = :name AND x.event_date IS NOT NULL
    """, params


def _earlier(key: str) -> int:
    """The bits of the Area of Limitation bands before ``key`` (0 for other zones)."""
    return sum(BITS[k] for k in AOL_KEYS[: AOL_KEYS.index(key)]) if key in AOL_KEYS else 0


def zone_counts(conn: sa.Connection, name: str) -> dict[str, int]:
    """How many incidents of stored dataset ``name`` fall in each zone (0 for none).

    Sets ``work_mem``, ``jit`` and parallel workers for the rest of the caller's transaction.
    """
    select, params = _masks(conn)
    counts = ", ".join(
        f"count(*) FILTER (WHERE (m & {bit}) <> 0 AND (m & {_earlier(key)}) = 0)"
        for key, bit in BITS.items()
    )
    conn.execute(_SETTINGS)
    # OFFSET 0: the masks are computed once per incident, not once per count
    found = conn.execute(sa.text(f"SELECT {counts} FROM ({select} OFFSET 0) t"),
                         {**params, "name": check_name(name)}).one()
    return {key: int(n) for key, n in zip(BITS, found, strict=True)}


def zone_members(conn: sa.Connection, name: str) -> dict[str, set[int]]:
    """The row numbers of dataset ``name`` in each zone (for checks on small datasets)."""
    select, params = _masks(conn)
    members: dict[str, set[int]] = {key: set() for key in BITS}
    for row_no, m in conn.execute(sa.text(select), {**params, "name": check_name(name)}):
        for key, bit in BITS.items():
            if m & bit and not m & _earlier(key):
                members[key].add(int(row_no))
    return members
