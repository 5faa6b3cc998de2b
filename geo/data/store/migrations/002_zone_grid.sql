-- 002: what classification in the database needs to be fast at 10M incidents, prepared once
-- per zone set by geo.analysis.zones_db.load_zones (the zones table stays the source).
--
-- zone_cells: a grid of square cells (zone_grid.cell_deg degrees; cell (i, j) is
-- [i, i+1) x [j, j+1) times cell_deg, found from a point by floor(x / cell_deg)). For each cell
-- that meets a zone: full_mask has the bit of every zone that covers the whole cell, with a
-- margin (its incidents are in those zones without a geometric test); maybe_mask the bit of
-- every zone whose outline crosses it (its incidents are tested with ST_Intersects against
-- zone_pieces). A cell in neither mask of a zone is outside it; a cell in no row is outside
-- every zone. A zone's bit is 1 << (its position in geo.analysis.zones_db.DB_ZONES).
CREATE TABLE zone_grid (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    cell_deg double precision NOT NULL CHECK (cell_deg > 0)
);

CREATE TABLE zone_cells (
    i integer NOT NULL,
    j integer NOT NULL,
    full_mask integer NOT NULL,
    maybe_mask integer NOT NULL,
    PRIMARY KEY (i, j)
);

-- The zones cut into pieces of at most 64 vertices (ST_Subdivide), for the exact test of the
-- incidents in cells that a zone's outline crosses.
CREATE TABLE zone_pieces (
    zone_key text NOT NULL,
    bit integer NOT NULL,
    geom geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX zone_pieces_geom_idx ON zone_pieces USING gist (geom);

-- The bits of the zones among `maybe` that a point is in or on.
CREATE FUNCTION zone_hits(maybe integer, g geometry) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(bit_or(p.bit), 0) FROM zone_pieces p
    WHERE p.geom && g AND (p.bit & maybe) <> 0 AND ST_Intersects(p.geom, g)
$$;
