"""Build data/incidents.csv and data/layers/positions.geojson from the staged public reporting.

    .venv/bin/python scripts/build_reported.py [--shared ../shared]

Reads shared/reporting/{incidents,positions}.csv and the staged gazetteers in shared/geodata,
and places every row on ONE gazetteer point chosen by hand in scripts/place_matches.csv
(columns: location, gazetteer, ref_id, ref_name, geo_precision, note, name_ar). No coordinate is
typed in: points are taken as is from Who's On First / GeoNames / Natural Earth, or are the
representative_point() of the OSM UNDOF Area of Separation or an OCHA governorate polygon
(geo_precision 3, area placeholders). A table row with a blank `gazetteer` records a hand
decision to leave the input row out (reason in `note`). Positions are looked up by
name_as_reported first, then by nearest_village; incidents by location. Left-out rows are
listed in scripts/REPORTED_LEFT_OUT.md and in the printed summary.

geo_precision (ACLED): 1 the named town or site itself; 2 near it, part of an area, or one of
several places named (the first one that a gazetteer holds is used); 3 only a district,
province or area is known.

Confidence rules:
* incidents: low if time_precision is 2 or 3 (approx/month), geo_precision is 3, the notes or
  confidence_note flag a partisan/unverified source or ask to verify, or the outlet is one the
  reporting README (caveat 2) names as partisan; else high if the confidence_note names
  corroborating outlets ("also ...", "same content/facts", "confirm") and records no
  CONTRADICTION; else medium.
* positions (medium or low only): low if the date is month-level, the point is a village/town
  point or an area placeholder (any gazetteer except the Natural Earth summit), the reported
  location_precision is village or district, or the notes/outlet flag a weak source; else medium.

event_id_cnty = "SIS" + yyyymmdd + "-" + 2-digit sequence over ALL input rows of that date in
input order (left-out rows keep their number, so ids stay stable if they are placed later).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
MATCHES = ROOT / "scripts" / "place_matches.csv"
LEFT_OUT = ROOT / "scripts" / "REPORTED_LEFT_OUT.md"
INCIDENT_OUT = ROOT / "data" / "incidents.csv"
POSITION_OUT = ROOT / "data" / "layers" / "positions.geojson"
COLUMNS = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,admin1,"
    "admin2,admin3,location,latitude,longitude,geo_precision,source,notes,fatalities,url,"
    "source_title,source_date,basis,confidence,confidence_note"
).split(",")
TIME_PRECISION = {"day": 1, "approx": 2, "month": 3}
PARTISAN_OUTLETS = ("al mayadeen", "al-ahed", "yemen extra", "prensa latina", "mehr")
WEAK = re.compile(r"partisan|hezbollah|unverified|\bweak\b|\bverify\b|inference from wording", re.I)
CORROBORATED = re.compile(r"\balso\b|same (content|facts)|\bconfirms?\b|corroborat", re.I)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ATTRIBUTION = (
    "Reported positions: compiled from public reporting (see sources). Placement on Who's On "
    "First / GeoNames points (CC BY 4.0) or Natural Earth (public domain)."
)
LICENCE = (
    "Compilation CC BY 4.0; place coordinates: GeoNames CC BY 4.0 / Natural Earth public domain"
)
# Area placeholders are not WOF/GeoNames/NE points: credit their real origin.
AREA_CREDIT = {
    "osm_aos": ("OpenStreetMap (ODbL 1.0)", "OpenStreetMap ODbL 1.0"),
    "ocha_adm1": ("OCHA COD-AB (CC BY 3.0 IGO)", "OCHA CC BY 3.0 IGO"),
}
STOPWORDS = {"the", "of", "on", "at", "and", "a"}

#: gazetteer -> (staged file, id field, name field, Arabic-name fields)
GAZETTEERS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "wof": ("wof_localities_sy_il_clip", "wof_id", "name", ("name_ar", "name_ar_variant")),
    "geonames": ("geonames_cities500_clip", "geonameid", "name", ("name_ar_alternates",)),
    "ne_elevation": ("ne10m_elevation_points_clip", "name", "name", ()),
    "osm_aos": ("osm_undof_area_of_separation", "osm_id", "name_en", ()),
    "ocha_adm1": ("cod_ab_syr_adm1_clip", "ADM1_PCODE", "ADM1_EN", ("ADM1_AR",)),
    "opensyria": ("opensyria_syr_adm2_adm3_points_clip", "ocha_pcode", "name_en", ("name_ar",)),
}
Place = dict[str, Any]  # lon, lat, name, arabic (set of Arabic names)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def load_gazetteers(geo: Path) -> dict[tuple[str, str], Place]:
    """(gazetteer, ref_id) -> place. Points as staged; polygons give representative_point().

    Governorates are reduced to their Syrian-held part first (minus the OSM Golan polygon), so
    that an area-level placement never lands on the Israeli-held side of the line.
    """
    golan_doc = json.loads((geo / "osm_golan_heights_disputed.geojson").read_text("utf-8"))
    golan = shape(golan_doc["features"][0]["geometry"])
    out: dict[tuple[str, str], Place] = {}
    for kind, (stem, id_field, name_field, ar_fields) in GAZETTEERS.items():
        doc = json.loads((geo / f"{stem}.geojson").read_text(encoding="utf-8"))
        for f in doc["features"]:
            p, geom = f["properties"], shape(f["geometry"])
            if kind == "ocha_adm1":
                geom = geom.difference(golan)
            pt = geom if geom.geom_type == "Point" else geom.representative_point()
            arabic = {a for fld in ar_fields for a in (p.get(fld) or "").split("|") if a}
            out[(kind, str(p[id_field]))] = {"lon": pt.x, "lat": pt.y, "name": p[name_field],
                                             "arabic": arabic}
    return out


def load_matches(gaz: dict[tuple[str, str], Place]) -> dict[str, dict[str, Any]]:
    """Read and check the hand-made match table against the gazetteers."""
    matches: dict[str, dict[str, Any]] = {}
    for row in read_csv(MATCHES):
        loc = row["location"]
        if loc in matches:
            raise SystemExit(f"place_matches.csv: duplicate location {loc!r}")
        if row["gazetteer"]:
            place = gaz.get((row["gazetteer"], row["ref_id"]))
            if place is None or place["name"] != row["ref_name"]:
                raise SystemExit(f"place_matches.csv: {loc!r}: no {row['gazetteer']} "
                                 f"{row['ref_id']} named {row['ref_name']!r}")
            if row["name_ar"] and row["name_ar"] not in place["arabic"]:
                raise SystemExit(f"place_matches.csv: {loc!r}: name_ar not in the gazetteer")
            if row["geo_precision"] not in ("1", "2", "3"):
                raise SystemExit(f"place_matches.csv: {loc!r}: geo_precision must be 1-3")
            row = {**row, **place, "geo_precision": int(row["geo_precision"])}
        matches[loc] = row
    return matches


def tally(values: Any) -> dict[Any, int]:
    return dict(sorted(Counter(values).items()))


def weak_source(text: str, outlet: str) -> bool:
    return bool(WEAK.search(text)) or any(p in outlet.lower() for p in PARTISAN_OUTLETS)


def left_out_reason(match: dict[str, Any] | None, when: str) -> str | None:
    """Why an input row cannot be written (None if it can)."""
    if match is None:
        return "no entry in scripts/place_matches.csv"
    if not match["gazetteer"]:
        return match["note"] or "left out by hand (no reason recorded)"
    if not re.match(r"^\d{4}-\d{2}", when):
        return "no usable date in the row"
    return None


def build_incidents(rows: list[dict[str, str]], matches: dict[str, Any]) -> tuple[list, list]:
    out: list[dict[str, Any]] = []
    left: list[str] = []
    seq: dict[str, int] = {}
    for n, r in enumerate(rows, start=2):
        day = r["event_date"]
        seq[day] = seq.get(day, 0) + 1
        m = matches.get(r["location"])
        why = left_out_reason(m, day)
        if why:
            left.append(f"incidents.csv line {n} ({day}, {r['location']!r}): {why}")
            continue
        tp, gp, note = TIME_PRECISION[r["date_precision"]], m["geo_precision"], r["confidence_note"]
        if tp > 1 or gp == 3 or weak_source(f"{note} {r['notes']}", r["outlet"]):
            confidence = "low"
        elif CORROBORATED.search(note) and "CONTRADICTION" not in note:
            confidence = "high"
        else:
            confidence = "medium"
        out.append({
            "event_id_cnty": f"SIS{day.replace('-', '')}-{seq[day]:02d}",
            "event_date": day, "time_precision": tp,
            **{k: r[k] for k in ("event_type", "sub_event_type", "actor1", "actor2", "admin1",
                                 "admin2", "location", "notes", "fatalities", "url")},
            "admin3": "", "latitude": f"{m['lat']:.6f}", "longitude": f"{m['lon']:.6f}",
            "geo_precision": gp, "source": r["outlet"], "source_title": r["headline"],
            "source_date": r["pub_date"], "basis": "reported", "confidence": confidence,
            "confidence_note": " | ".join(x for x in (note, f"geocoding: {m['note']}") if x),
        })
    return out, left


def slug(text: str, taken: set[str]) -> str:
    text = re.sub(r"\(.*?\)|'", "", text).replace(",", "")
    words = [w for w in re.sub(r"[^a-z0-9]+", " ", text.lower()).split() if w not in STOPWORDS]
    words = words[:6]
    base = candidate = "pos_" + "_".join(words)
    i = 2
    while candidate in taken:
        candidate, i = f"{base}_{i}", i + 1
    taken.add(candidate)
    return candidate


def build_positions(rows: list[dict[str, str]], matches: dict[str, Any]) -> tuple[list, list]:
    feats: list[dict[str, Any]] = []
    left: list[str] = []
    taken: set[str] = set()
    for n, r in enumerate(rows, start=2):
        m = matches.get(r["name_as_reported"]) or matches.get(r["nearest_village"])
        when = r["first_reported_date"] or r["pub_date"]
        why = left_out_reason(m, when)
        if why:
            left.append(f"positions.csv line {n} ({r['name_as_reported']!r}): {why}")
            continue
        precision = "day" if ISO_DAY.match(when) else "month"
        notes = [r["description"], f"Placement: {m['note']}."]
        if not r["first_reported_date"]:
            notes.append(f"No first-reported date in the source row; publication date {when} used.")
        if r["notes"]:
            notes.append(r["notes"])
        sources = [{"title": r["headline"], "publisher": r["outlet"],
                    "date": r["pub_date"] if ISO_DAY.match(r["pub_date"]) else None,
                    "url": r["url"]}]
        unlinked = []
        for item in filter(None, (s.strip() for s in r["other_sources"].split(";"))):
            urls = re.findall(r"https?://[^\s;]+", item)
            sources += [{"title": "[corroborating report]", "publisher": urlparse(u).hostname,
                         "date": None, "url": u} for u in urls]
            if not urls:
                unlinked.append(item)
        if unlinked:
            notes.append("Also named as sources (no URL staged): " + "; ".join(unlinked) + ".")
        low = (precision == "month" or m["gazetteer"] != "ne_elevation"
               or r["location_precision"] in ("village", "district")
               or weak_source(f"{r['notes']} {r['description']}", r["outlet"]))
        extra = AREA_CREDIT.get(m["gazetteer"])
        props = {
            "id": slug(r["name_as_reported"], taken), "layer": "position",
            "name": r["name_as_reported"], "name_ar": m["name_ar"], "status": "reported",
            "disputed": False,
            "valid_from": when if precision == "day" else f"{when[:7]}-01",
            "valid_to": None,  # checked by hand: no row reports a dated withdrawal
            "date_precision": precision, "basis": "reported",
            "confidence": "low" if low else "medium", "sources": sources,
            "notes": " ".join(notes), "geo_precision": m["geo_precision"],
            "location_precision": r["location_precision"],
            "attribution": ATTRIBUTION
            + (f" Placeholder point derived from {extra[0]}." if extra else ""),
            "licence": LICENCE + (f"; {extra[1]}" if extra else ""),
        }
        point = {"type": "Point", "coordinates": [round(m["lon"], 6), round(m["lat"], 6)]}
        feats.append({"type": "Feature", "properties": props, "geometry": point})
    return feats, left


def write_left_out(left: list[str], placeholders: list[str]) -> None:
    lines = [
        "# Reported rows left out of data/ (generated by scripts/build_reported.py)", "",
        "Rows of shared/reporting/incidents.csv and positions.csv that name no place or area",
        "that a staged gazetteer or polygon holds are not written to data/. Each decision is",
        "recorded in scripts/place_matches.csv (blank `gazetteer`, reason in `note`).", "",
        "## Left out", "", *([f"- {x}" for x in left] or ["- (none)"]), "",
        "## Placed only at area level (geo_precision 3, placeholder points)", "",
        *([f"- {x}" for x in placeholders] or ["- (none)"]), "",
    ]
    LEFT_OUT.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    shared = parser.parse_args().shared
    matches = load_matches(load_gazetteers(shared / "geodata"))
    incident_rows = read_csv(shared / "reporting" / "incidents.csv")
    position_rows = read_csv(shared / "reporting" / "positions.csv")
    incidents, left_i = build_incidents(incident_rows, matches)
    positions, left_p = build_positions(position_rows, matches)

    INCIDENT_OUT.parent.mkdir(parents=True, exist_ok=True)
    with INCIDENT_OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(incidents)
    POSITION_OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "features": positions}
    POSITION_OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    placeholders = [f"incident {r['event_id_cnty']} ({r['location']})"
                    for r in incidents if r["geo_precision"] == 3]
    placeholders += [f"position {f['properties']['id']} ({f['properties']['name']})"
                     for f in positions if f["properties"]["geo_precision"] == 3]
    write_left_out(left_i + left_p, placeholders)
    used = {r["location"] for r in incident_rows} | {r["name_as_reported"] for r in position_rows}
    used |= {r["nearest_village"] for r in position_rows}
    unused = sorted(set(matches) - used)

    props = [f["properties"] for f in positions]
    for label, items, total in (("incidents.csv", incidents, incident_rows),
                                ("positions.geojson", props, position_rows)):
        print(f"{label}: {len(items)} of {len(total)} rows written; "
              f"confidence {tally(x['confidence'] for x in items)}; "
              f"geo_precision {tally(x['geo_precision'] for x in items)}")
    print(f"left out ({len(left_i) + len(left_p)}), also in {LEFT_OUT.relative_to(ROOT)}:")
    for line in left_i + left_p:
        print(f"  - {line}")
    print(f"area placeholders (geo_precision 3): {len(placeholders)}")
    if unused:
        print(f"WARNING: unused rows in place_matches.csv: {unused}")


if __name__ == "__main__":
    main()
