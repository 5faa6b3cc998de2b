"""Realistic synthetic incidents for the benchmark, in our schema or as an ACLED export.

Events are clustered around the places and reported positions of ``data/layers`` (GeoNames
villages and the posts reported since 8 Dec 2024), scattered according to their
``geo_precision`` (1: town, about 0.5 km; 2: near a town, about 3 km; 3: region, about 10 km),
and dated 2024-01-01..2026-06-30 with a rate that quadruples after 8 Dec 2024. Event types,
sub-event types, actors and fatalities follow an ACLED-like mix: fatalities are mostly 0 with a
long tail, some not reported. Everything is drawn from one seeded generator, so a size and a
seed always give the same file.

    .venv/bin/python -m bench.synth 100k /tmp/incidents.csv [--acled] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS, REGION_BOUNDS
from geo.data.importers import ACLED_COLUMNS

ROOT: Final[Path] = Path(__file__).resolve().parent.parent
SEED: Final[int] = 20241208
START: Final[np.datetime64] = np.datetime64("2024-01-01")
END: Final[np.datetime64] = np.datetime64("2026-06-30")
FALL_OF_ASSAD: Final[np.datetime64] = np.datetime64("2024-12-08")
#: Relative daily rate after 8 Dec 2024 (before: 1).
RATE_AFTER: Final[float] = 4.0
#: Scatter (standard deviation, degrees) around the anchor for geo_precision 1, 2, 3.
SCATTER_DEG: Final[dict[int, float]] = {1: 0.004, 2: 0.025, 3: 0.09}
PRECISION_P: Final[tuple[float, float, float]] = (0.45, 0.42, 0.13)

#: (event_type, share, [(sub_event_type, share within the type)]).
EVENT_MIX: Final[tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...]] = (
    ("Strategic developments", 0.38, (
        ("Looting/property destruction", 0.22), ("Arrests", 0.22),
        ("Change to group/activity", 0.2), ("Other", 0.18),
        ("Non-violent transfer of territory", 0.1), ("Disrupted weapons use", 0.08),
    )),
    ("Explosions/Remote violence", 0.28, (
        ("Shelling/artillery/missile attack", 0.45), ("Air/drone strike", 0.4),
        ("Remote explosive/landmine/IED", 0.15),
    )),
    ("Battles", 0.1, (("Armed clash", 0.92), ("Government regains territory", 0.08))),
    ("Violence against civilians", 0.1, (
        ("Attack", 0.7), ("Abduction/forced disappearance", 0.3),
    )),
    ("Protests", 0.11, (
        ("Peaceful protest", 0.8), ("Protest with intervention", 0.12),
        ("Excessive force against protesters", 0.08),
    )),
    ("Riots", 0.03, (("Violent demonstration", 0.6), ("Mob violence", 0.4))),
)
ACTOR1: Final[tuple[tuple[str, float], ...]] = (
    ("Military Forces of Israel (2022-)", 0.62),
    ("Military Forces of Syria (2024-)", 0.1),
    ("Unidentified Armed Group (Syria)", 0.08),
    ("Protesters (Syria)", 0.1),
    ("UNDOF: United Nations Disengagement Observer Force", 0.03),
    ("Hayat Tahrir al-Sham", 0.04),
    ("Rioters (Syria)", 0.03),
)
ACTOR2: Final[tuple[tuple[str, float], ...]] = (
    ("", 0.35), ("Civilians (Syria)", 0.4), ("Military Forces of Syria (2024-)", 0.08),
    ("Unidentified Armed Group (Syria)", 0.07), ("Military Forces of Israel (2022-)", 0.06),
    ("Protesters (Syria)", 0.04),
)
SOURCES: Final[tuple[tuple[str, float], ...]] = (
    ("Syrian Observatory for Human Rights", 0.25), ("SANA", 0.15), ("Enab Baladi", 0.12),
    ("Times of Israel", 0.1), ("Reuters", 0.08), ("Anadolu Agency", 0.1), ("Al Jazeera", 0.08),
    ("Suwayda 24", 0.06), ("UNDOF", 0.06),
)
CONFIDENCE: Final[tuple[tuple[str, float], ...]] = (("medium", 0.6), ("low", 0.3), ("high", 0.1))
SIZES: Final[dict[str, int]] = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def parse_size(text: str) -> int:
    """``1k``, ``10k``, ``100k``, ``1M`` or a plain number of rows."""
    text = text.strip()
    if text in SIZES:
        return SIZES[text]
    lowered = text.lower()
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if lowered.endswith(suffix):
            return int(float(lowered[:-1]) * factor)
    return int(text)


def size_label(rows: int) -> str:
    for label, value in SIZES.items():
        if value == rows:
            return label
    return str(rows)


def anchors(data_dir: Path = ROOT / "data") -> pd.DataFrame:
    """Places and reported positions (name, lon, lat, weight). Positions weigh more, and places
    near the Area of Separation more than distant ones (incidents concentrate there)."""
    rows = []
    for name, base in (("places.geojson", 1.0), ("positions.geojson", 6.0)):
        doc = json.loads((data_dir / "layers" / name).read_text(encoding="utf-8"))
        for feature in doc["features"]:
            geom = feature.get("geometry") or {}
            if geom.get("type") != "Point":
                continue
            lon, lat = geom["coordinates"][:2]
            rows.append({"name": str(feature["properties"].get("name") or ""), "lon": lon,
                         "lat": lat, "base": base})
    frame = pd.DataFrame(rows)
    # Distance (deg) to the middle of the Area of Separation (Quneitra): closer weighs more.
    dist = np.hypot(frame["lon"] - 35.83, (frame["lat"] - 33.1) * 1.2)
    frame["weight"] = frame["base"] * np.exp(-dist / 0.25)
    return frame


def _pick(rng: np.random.Generator, choices: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([c for c, _ in choices], dtype=object)
    weights = np.array([w for _, w in choices], dtype=float)
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    before = int((FALL_OF_ASSAD - START).astype(int))
    after = int((END - FALL_OF_ASSAD).astype(int)) + 1
    p_after = after * RATE_AFTER / (after * RATE_AFTER + before)
    late = rng.random(n) < p_after
    offset = np.where(late, before + rng.integers(0, after, n), rng.integers(0, before, n))
    return START + offset.astype("timedelta64[D]")


def _fatalities(rng: np.random.Generator, n: int, event_type: np.ndarray) -> np.ndarray:
    violent = np.isin(event_type, ["Battles", "Explosions/Remote violence",
                                   "Violence against civilians"])
    some = rng.random(n) < np.where(violent, 0.3, 0.03)
    tail = np.minimum(rng.zipf(1.9, n), 250)
    values = np.where(some, tail, 0).astype(str).astype(object)
    values[rng.random(n) < 0.06] = ""  # not reported
    return values


def _admin(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A rough governorate/district by position (enough for a benchmark; not a lookup)."""
    admin1 = np.where(lat < 32.95, "Daraa", np.where(lon > 36.05, "Rif Dimashq", "Quneitra"))
    admin2 = np.where(admin1 == "Daraa", "Izra'", np.where(admin1 == "Rif Dimashq", "Qatana",
                                                           "Quneitra"))
    return admin1.astype(object), admin2.astype(object)


def synthetic_incidents(rows: int, seed: int = SEED, data_dir: Path = ROOT / "data"
                        ) -> pd.DataFrame:
    """``rows`` incidents in our schema (every column a string, as read from CSV)."""
    rng = np.random.default_rng(seed)
    anchor = anchors(data_dir)
    which = rng.choice(len(anchor), size=rows, p=(anchor["weight"] / anchor["weight"].sum()))
    precision = rng.choice([1, 2, 3], size=rows, p=PRECISION_P)
    sigma = np.select([precision == 1, precision == 2], [SCATTER_DEG[1], SCATTER_DEG[2]],
                      SCATTER_DEG[3])
    west, south, east, north = REGION_BOUNDS
    lon = np.clip(anchor["lon"].to_numpy()[which] + rng.normal(0, 1, rows) * sigma,
                  west + 0.01, east - 0.01)
    lat = np.clip(anchor["lat"].to_numpy()[which] + rng.normal(0, 1, rows) * sigma / 1.2,
                  south + 0.01, north - 0.01)
    type_index = rng.choice(len(EVENT_MIX), size=rows, p=[m[1] for m in EVENT_MIX])
    event_type = np.array([m[0] for m in EVENT_MIX], dtype=object)[type_index]
    sub_event = np.empty(rows, dtype=object)
    for index, (_, _, subs) in enumerate(EVENT_MIX):
        mask = type_index == index
        sub_event[mask] = _pick(rng, subs, int(mask.sum()))
    dates = pd.Series(_dates(rng, rows)).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    place = anchor["name"].to_numpy(dtype=object)[which]
    source = _pick(rng, SOURCES, rows)
    admin1, admin2 = _admin(lon, lat)
    ids = pd.Series(np.arange(1, rows + 1)).map("SYN{:08d}".format)
    near = np.where(precision == 1, " in ", " near ")
    notes = pd.Series(sub_event).str.cat([pd.Series(near), pd.Series(place)]) + (
        ", reported by " + pd.Series(source) + "."
    )
    has_url = rng.random(rows) < 0.7
    url = np.where(has_url, "https://example.org/report/" + ids.str[3:], "")
    frame = pd.DataFrame({
        "event_id_cnty": ids,
        "event_date": dates,
        "time_precision": rng.choice(["1", "2", "3"], size=rows, p=[0.85, 0.12, 0.03]),
        "event_type": event_type,
        "sub_event_type": sub_event,
        "actor1": _pick(rng, ACTOR1, rows),
        "actor2": _pick(rng, ACTOR2, rows),
        "admin1": admin1,
        "admin2": admin2,
        "admin3": "",
        "location": place,
        "latitude": np.char.mod("%.5f", lat),
        "longitude": np.char.mod("%.5f", lon),
        "geo_precision": precision.astype(str),
        "source": source,
        "notes": notes,
        "fatalities": _fatalities(rng, rows, event_type),
        "url": url,
        "source_title": "Synthetic report " + ids.str[3:],
        "source_date": dates,
        "basis": "reported",
        "confidence": _pick(rng, CONFIDENCE, rows),
        "confidence_note": "synthetic benchmark row",
    })
    # Columns the synthetic rows have no value for (derived district, Arabic place name, ...)
    # stay empty, as in an import that lacks them.
    return frame.reindex(columns=[*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS], fill_value="")


_MONTHS: Final[tuple[str, ...]] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def to_acled(frame: pd.DataFrame) -> pd.DataFrame:
    """The same incidents as an ACLED export (31 columns; dates as ``08 December 2024``)."""
    out = pd.DataFrame({c: "" for c in ACLED_COLUMNS}, index=frame.index)
    for col in ACLED_COLUMNS:
        if col in frame:
            out[col] = frame[col]
    dates = pd.to_datetime(frame["event_date"], format="%Y-%m-%d")
    out["event_date"] = (dates.dt.strftime("%d ") + dates.dt.month.map(lambda m: _MONTHS[m - 1])
                         + dates.dt.strftime(" %Y"))
    out["year"] = dates.dt.year.astype(str)
    out["disorder_type"] = np.where(
        frame["event_type"].isin(["Protests", "Riots"]), "Demonstrations",
        np.where(frame["event_type"] == "Strategic developments", "Strategic developments",
                 "Political violence"))
    out["inter1"] = np.where(frame["actor1"].str.startswith("Military"), "State forces",
                             "Rebel group")
    out["inter2"] = np.where(frame["actor2"] == "", "", "Civilians")
    out["iso"] = "760"
    out["region"] = "Middle East"
    out["country"] = "Syria"
    out["source_scale"] = "National"
    out["timestamp"] = "1767225600"
    out["fatalities"] = frame["fatalities"].replace("", "0")
    return out[list(ACLED_COLUMNS)]


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", help="1k, 10k, 100k, 1M or a number of rows")
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--acled", action="store_true", help="write an ACLED-shaped export")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    frame = synthetic_incidents(parse_size(args.size), args.seed)
    write_csv(to_acled(frame) if args.acled else frame, args.out)
    print(f"wrote {len(frame):,} incidents to {args.out}")


if __name__ == "__main__":
    main()
