-- 001: the store's schema: applied migrations, datasets and their incidents, annotations
-- (every version kept) and the zones of the analysis for classification in the database.

CREATE TABLE schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE datasets (
    name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    version integer NOT NULL CHECK (version > 0),
    rows integer NOT NULL CHECK (rows >= 0),
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- The incident columns of geo.core.model (INCIDENT_COLUMNS and INCIDENT_EXTRA_COLUMNS).
-- Rows are written before their dataset row (the version check comes last in a save), so the
-- reference is checked at commit.
CREATE TABLE incidents (
    dataset text NOT NULL REFERENCES datasets (name) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED,
    row_no integer NOT NULL,
    event_id_cnty text,
    event_date date,
    time_precision integer,
    event_type text,
    sub_event_type text,
    actor1 text,
    actor2 text,
    admin1 text,
    admin2 text,
    admin3 text,
    location text,
    latitude double precision,
    longitude double precision,
    geo_precision integer,
    source text,
    notes text,
    fatalities integer,
    url text,
    source_title text,
    source_date text,
    basis text,
    confidence text,
    confidence_note text,
    admin2_pcode text,
    admin2_reported text,
    place_ar text,
    place_ar_source text,
    source_via_republisher text,
    inside_golan_per_source text,
    inside_golan_note text,
    geom geometry(Point, 4326),
    PRIMARY KEY (dataset, row_no)
);
CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX incidents_date_idx ON incidents (dataset, event_date);

CREATE TABLE annotations (
    id text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    version integer NOT NULL CHECK (version > 0),
    name text NOT NULL,
    status text NOT NULL CHECK (status IN ('reported', 'proposed', 'demanded', 'own_reading')),
    valid_from date NOT NULL,
    valid_to date CHECK (valid_to IS NULL OR valid_to > valid_from),
    sources jsonb NOT NULL CHECK (jsonb_array_length(sources) > 0),
    basis text NOT NULL CHECK (basis IN ('reported', 'schematic')),
    confidence text NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
    note text NOT NULL,
    author text NOT NULL CHECK (author <> ''),
    saved_at timestamptz NOT NULL DEFAULT now(),
    geom geometry(Geometry, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    PRIMARY KEY (id, version)
);
CREATE INDEX annotations_geom_idx ON annotations USING gist (geom);
CREATE INDEX annotations_dates_idx ON annotations (valid_from, valid_to);

-- The zones of the analysis (geo.analysis.zones.ZONES), loaded from the layer features.
CREATE TABLE zones (
    zone_key text NOT NULL,
    feature_id text NOT NULL,
    valid_from date,
    valid_to date,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    PRIMARY KEY (zone_key, feature_id)
);
CREATE INDEX zones_geom_idx ON zones USING gist (geom);
CREATE INDEX zones_dates_idx ON zones (valid_from, valid_to);
