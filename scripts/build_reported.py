"""Build data/incidents.csv and the reported positions from the staged public reporting.

    .venv/bin/python scripts/build_reported.py [--shared ../shared]

Reads shared/reporting/{incidents,positions}.csv and then shared/reporting/batch2/ (same
schemas), applies the hand-recorded corrections of scripts/reported_corrections.csv (each one
cites the staged note it comes from), and places every row on ONE point chosen by hand in
scripts/place_matches.csv (columns: location, gazetteer, ref_id, ref_name, geo_precision, note,
name_ar). No coordinate is typed in: points are taken as is from Who's On First / GeoNames /
Natural Earth, or are the representative_point() of the OSM UNDOF Area of Separation or of the
Syrian-held part of an OCHA governorate (geo_precision 3, area placeholders), or (gazetteer
``centroid``) the midpoint of the gazetteer points of several named villages, for a row that
names an area spanning them. A blank ``gazetteer`` records a hand decision to leave the input
row out (reason in ``note``); ``unlocated`` records a position that the evidence does not place:
it is written, with no geometry, to data/positions_unlocated.geojson (``ref_id`` names the area
it is reported in). Positions are looked up by name_as_reported first, then by nearest_village;
incidents by location. Left-out rows are listed in scripts/REPORTED_LEFT_OUT.md.

Every placed point is checked against the OSM Golan polygon: a reported Syrian-side place may
not lie on the Israeli-held side of Line A (the build stops if one does).

geo_precision (ACLED): 1 the named town or site itself; 2 near it, part of an area, or one of
several places named (the first one that a gazetteer holds is used); 3 only a district,
province or area is known.

Arabic names (``name_ar`` in the match table) must be a value of a source field that carries
Arabic names, never a GeoNames alternate: OCHA COD-AB ``ADM1_AR``, OSM ``name:ar``, WOF
``name:ara`` (preferred or variant; a GeoNames point takes the Arabic of the WOF record with
the same GeoNames id), OpenSyria ``name_ar`` (OCHA names). A WOF name must also spell the
consonants of the place's romanised name (scripts/sourcing.py). The field is recorded in
``name_ar_source`` (positions) and ``place_ar_source`` (incidents).

admin2 of an incident is derived from its point: the WOF district polygon that contains it,
named and p-coded by the OpenSyria crosswalk to OCHA COD-AB. The compiler's value is kept in
``admin2_reported``; a disagreement is flagged in ``confidence_note``.

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

from shapely.geometry import Point, shape
from sourcing import arabic_fits, via_republisher

ROOT = Path(__file__).resolve().parent.parent
MATCHES = ROOT / "scripts" / "place_matches.csv"
CORRECTIONS = ROOT / "scripts" / "reported_corrections.csv"
LEFT_OUT = ROOT / "scripts" / "REPORTED_LEFT_OUT.md"
INCIDENT_OUT = ROOT / "data" / "incidents.csv"
POSITION_OUT = ROOT / "data" / "layers" / "positions.geojson"
UNLOCATED_OUT = ROOT / "data" / "positions_unlocated.geojson"
BATCHES = ("", "batch2")  # sub-folders of shared/reporting, read in this order
FALL_OF_ASSAD = "2024-12-08"  # no Israeli position reported since then starts earlier
COLUMNS = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,admin1,"
    "admin2,admin3,location,latitude,longitude,geo_precision,source,notes,fatalities,url,"
    "source_title,source_date,basis,confidence,confidence_note,"
    "admin2_pcode,admin2_reported,place_ar,place_ar_source,source_via_republisher"
).split(",")
TIME_PRECISION = {"day": 1, "approx": 2, "month": 3}
PARTISAN_OUTLETS = ("al mayadeen", "al-ahed", "yemen extra", "prensa latina", "mehr")
WEAK = re.compile(r"partisan|hezbollah|unverified|\bweak\b|\bverify\b|inference from wording", re.I)
CORROBORATED = re.compile(r"\balso\b|same (content|facts)|\bconfirms?\b|corroborat", re.I)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Month-level first-reported dates for which a dated note on the SAME article gives the day.
ARTICLE_DATES = {
    "https://ynetnews.com/article/sjryhyubyx": (
        "2024-12-22",
        "The source gives only December 2024; the same Ynet article, per the note on the "
        "summit-outpost row, says the summit outpost was abandoned 'about two weeks ago', which "
        "dates the article to about 22 Dec 2024, so the post is shown from then.",
    ),
}
ATTRIBUTION = (
    "Reported positions: compiled from public reporting (see sources). Placement on Who's On "
    "First / GeoNames points (CC BY 4.0) or Natural Earth (public domain)."
)
LICENCE = (
    "Compilation CC BY 4.0; place coordinates: GeoNames CC BY 4.0 / Natural Earth public domain"
)
UNLOCATED_ATTRIBUTION = "Compiled from public reporting (see sources); not placed, no geometry."
# Area placeholders are not WOF/GeoNames/NE points: credit their real origin.
AREA_CREDIT = {
    "osm_aos": ("OpenStreetMap (ODbL 1.0)", "OpenStreetMap ODbL 1.0"),
    "ocha_adm1": ("OCHA COD-AB (CC BY 3.0 IGO)", "OCHA CC BY 3.0 IGO"),
}
#: Areas an unlocated position can be reported in: (description, id of its data/ feature).
AREAS = {
    "osm_aos": ("the UNDOF Area of Separation (OSM relation {id})", "aos_osm"),
    "ocha_adm1": ("the Syrian-held part of {name} governorate (OCHA COD-AB {id})", "gov_{id}"),
}
STOPWORDS = {"the", "of", "on", "at", "and", "a"}

#: gazetteer -> (staged file, id field, Latin name fields, Arabic fields as (field, label)).
GAZETTEERS: dict[str, tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "wof": ("wof_localities_sy_il_clip", "wof_id", ("name", "name_en", "gn_name"),
            (("name_ar", "name:ara_x_preferred"), ("name_ar_variant", "name:ara_x_variant"))),
    "geonames": ("geonames_cities500_clip", "geonameid", ("name",), ()),
    "ne_elevation": ("ne10m_elevation_points_clip", "name", ("name",), ()),
    "osm_aos": ("osm_undof_area_of_separation", "osm_id", ("name_en",), (("name_ar", "name:ar"),)),
    "ocha_adm1": ("cod_ab_syr_adm1_clip", "ADM1_PCODE", ("ADM1_EN",), (("ADM1_AR", "ADM1_AR"),)),
    "opensyria": ("opensyria_syr_adm2_adm3_points_clip", "ocha_pcode", ("name_en",),
                  (("name_ar", "name_ar"),)),
}
SOURCE_LABEL = {"wof": "WOF {id} {field}", "osm_aos": "OSM relation {id} {field}",
                "ocha_adm1": "OCHA COD-AB {field} ({id})",
                "opensyria": "OpenSyria {id} {field} (OCHA COD-AB name)"}
Place = dict[str, Any]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def read_batches(reporting: Path, name: str) -> list[tuple[str, dict[str, str]]]:
    """(label, row) of every staged row of ``name``, base folder first, then each batch."""
    out = []
    for batch in BATCHES:
        rel = f"{batch}/{name}" if batch else name
        out += [(f"{rel} line {n}", r) for n, r in enumerate(read_csv(reporting / rel), start=2)]
    return out


def apply_corrections(rows: list[tuple[str, dict[str, str]]], file: str) -> int:
    """Apply scripts/reported_corrections.csv to ``rows`` (in place); each must hit one row."""
    done = 0
    for fix in read_csv(CORRECTIONS):
        if fix["file"] != file:
            continue
        key = (lambda r: f"{r['event_date']}|{r['location']}") if file == "incidents.csv" \
            else (lambda r: r["name_as_reported"])
        hits = [r for _, r in rows if key(r) == fix["key"]]
        if len(hits) != 1 or fix["field"] not in hits[0] or fix["action"] not in ("set", "append"):
            raise SystemExit(f"reported_corrections.csv: {fix['key']!r} / {fix['field']} matches "
                             f"{len(hits)} rows (or a bad field/action)")
        old = hits[0][fix["field"]]
        hits[0][fix["field"]] = fix["value"] if fix["action"] == "set" else \
            " ".join(x for x in (old, fix["value"]) if x)
        done += 1
    return done


def load_golan(geo: Path) -> Any:
    doc = json.loads((geo / "osm_golan_heights_disputed.geojson").read_text("utf-8"))
    return shape(doc["features"][0]["geometry"])


def load_gazetteers(geo: Path, golan: Any) -> dict[tuple[str, str], Place]:
    """(gazetteer, ref_id) -> place. Points as staged; polygons give representative_point().

    Governorates are reduced to their Syrian-held part first (minus the OSM Golan polygon), so
    that an area-level placement never lands on the Israeli-held side of the line. A GeoNames
    point takes its Arabic candidates from the WOF record with the same GeoNames id.
    """
    out: dict[tuple[str, str], Place] = {}
    wof_by_gn: dict[str, list[tuple[str, str, bool]]] = {}
    for kind, (stem, id_field, latin_fields, ar_fields) in GAZETTEERS.items():
        doc = json.loads((geo / f"{stem}.geojson").read_text(encoding="utf-8"))
        for f in doc["features"]:
            p, geom = f["properties"], shape(f["geometry"])
            if kind == "ocha_adm1":
                geom = geom.difference(golan)
            pt = geom if geom.geom_type == "Point" else geom.representative_point()
            ref = str(p[id_field])
            arabic = [(a, SOURCE_LABEL[kind].format(id=ref, field=field), kind == "wof")
                      for key, field in ar_fields for a in (p.get(key) or "").split("|") if a]
            if kind == "wof" and p.get("gn_id"):
                wof_by_gn.setdefault(str(int(p["gn_id"])), []).extend(arabic)
            latin = [p.get(k) or "" for k in latin_fields]
            if kind == "geonames":
                latin += [a for a in (p.get("alternatenames") or "").split("|") if a.isascii()]
            out[(kind, ref)] = {"lon": pt.x, "lat": pt.y, "name": p[latin_fields[0]],
                                "latin": latin, "arabic": arabic, "area": geom}
    for (kind, ref), place in out.items():
        if kind == "geonames":
            place["arabic"] = wof_by_gn.get(ref, [])
    return out


def _arabic_source(row: dict[str, str], place: Place) -> str:
    """The source field of the row's Arabic name (checked), or '' if the row gives none."""
    if not row["name_ar"]:
        return ""
    for name, field, must_fit in place["arabic"]:
        if name == row["name_ar"] and (not must_fit or arabic_fits(name, place["latin"])):
            return field
    raise SystemExit(f"place_matches.csv: {row['location']!r}: name_ar {row['name_ar']!r} is not "
                     "an Arabic name of the gazetteer place that spells its romanised name")


def _centroid(gaz: dict[tuple[str, str], Place], row: dict[str, str]) -> Place:
    refs, names = row["ref_id"].split("+"), row["ref_name"].split("+")
    places = [gaz.get((r.split(":", 1)[0], r.split(":", 1)[-1])) for r in refs]
    if len(refs) < 2 or len(refs) != len(names) or any(
            p is None or p["name"] != n for p, n in zip(places, names, strict=True)):
        raise SystemExit(f"place_matches.csv: {row['location']!r}: centroid refs do not resolve")
    lon = sum(p["lon"] for p in places if p) / len(places)
    lat = sum(p["lat"] for p in places if p) / len(places)
    return {"lon": lon, "lat": lat, "name": row["ref_name"], "latin": [], "arabic": []}


def load_matches(gaz: dict[tuple[str, str], Place], golan: Any) -> dict[str, dict[str, Any]]:
    """Read and check the hand-made match table against the gazetteers and Line A."""
    matches: dict[str, dict[str, Any]] = {}
    for row in read_csv(MATCHES):
        loc = row["location"]
        if loc in matches:
            raise SystemExit(f"place_matches.csv: duplicate location {loc!r}")
        kind = row["gazetteer"]
        if kind == "unlocated":
            area_kind, _, area_id = row["ref_id"].partition(":")
            area = gaz.get((area_kind, area_id))
            if area_kind not in AREAS or area is None or area["name"] != row["ref_name"]:
                raise SystemExit(f"place_matches.csv: {loc!r}: no area {row['ref_id']}")
            text, feature_id = AREAS[area_kind]
            row = {**row, "located": False, "geo_precision": None, "name_ar_source": "",
                   "area_text": text.format(id=area_id, name=area["name"]),
                   "area_id": feature_id.format(id=area_id)}
        elif kind:
            place = _centroid(gaz, row) if kind == "centroid" else gaz.get((kind, row["ref_id"]))
            if place is None or place["name"] != row["ref_name"]:
                raise SystemExit(f"place_matches.csv: {loc!r}: no {kind} "
                                 f"{row['ref_id']} named {row['ref_name']!r}")
            if row["geo_precision"] not in ("1", "2", "3"):
                raise SystemExit(f"place_matches.csv: {loc!r}: geo_precision must be 1-3")
            if golan.contains(Point(place["lon"], place["lat"])):
                raise SystemExit(f"place_matches.csv: {loc!r}: the point lies inside the OSM "
                                 "Golan polygon, on the Israeli-held side of Line A")
            row = {**row, "lon": place["lon"], "lat": place["lat"], "located": True,
                   "geo_precision": int(row["geo_precision"]),
                   "name_ar_source": _arabic_source(row, place)}
        matches[loc] = row
    return matches


def load_districts(geo: Path) -> list[tuple[Any, str, str]]:
    """(polygon, OCHA admin2 name, OCHA admin2 p-code) of each staged WOF district."""
    doc = json.loads((geo / "wof_syr_districts_clip.geojson").read_text(encoding="utf-8"))
    return [(shape(f["geometry"]), f["properties"]["ocha_adm2_name_en_xwalk"],
             f["properties"]["ocha_adm2_pcode_xwalk"]) for f in doc["features"]]


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


def admin2_of(lon: float, lat: float, districts: list[tuple[Any, str, str]]) -> tuple[str, str]:
    point = Point(lon, lat)
    hits = {(name, code) for geom, name, code in districts if geom.covers(point)}
    return hits.pop() if len(hits) == 1 else ("", "")


def build_incidents(rows: list[tuple[str, dict[str, str]]], matches: dict[str, Any],
                    districts: list[tuple[Any, str, str]]) -> tuple[list, list]:
    out: list[dict[str, Any]] = []
    left: list[str] = []
    seq: dict[str, int] = {}
    for label, r in rows:
        day = r["event_date"]
        seq[day] = seq.get(day, 0) + 1
        m = matches.get(r["location"])
        why = left_out_reason(m, day)
        if why:
            left.append(f"{label} ({day}, {r['location']!r}): {why}")
            continue
        if not m["located"]:
            raise SystemExit(f"{label}: an incident cannot be 'unlocated'; use an area placeholder")
        tp, gp, note = TIME_PRECISION[r["date_precision"]], m["geo_precision"], r["confidence_note"]
        if tp > 1 or gp == 3 or weak_source(f"{note} {r['notes']}", r["outlet"]):
            confidence = "low"
        elif CORROBORATED.search(note) and "CONTRADICTION" not in note:
            confidence = "high"
        else:
            confidence = "medium"
        admin2, pcode = admin2_of(m["lon"], m["lat"], districts)
        checks = [note, f"geocoding: {m['note']}"]
        if r["admin2"] and r["admin2"] != admin2:
            checks.append(f"admin2: the compiler gave {r['admin2']!r}; the point lies in "
                          f"{admin2 or 'no staged district'} ({pcode or 'no p-code'}, WOF "
                          "district polygon with the OpenSyria crosswalk to OCHA COD-AB)")
        out.append({
            "event_id_cnty": f"SIS{day.replace('-', '')}-{seq[day]:02d}",
            "event_date": day, "time_precision": tp,
            **{k: r[k] for k in ("event_type", "sub_event_type", "actor1", "actor2", "admin1",
                                 "location", "notes", "fatalities", "url")},
            "admin2": admin2, "admin3": "",
            "latitude": f"{m['lat']:.6f}", "longitude": f"{m['lon']:.6f}",
            "geo_precision": gp, "source": r["outlet"], "source_title": r["headline"],
            "source_date": r["pub_date"], "basis": "reported", "confidence": confidence,
            "confidence_note": " | ".join(x for x in checks if x),
            "admin2_pcode": pcode, "admin2_reported": r["admin2"],
            "place_ar": m["name_ar"], "place_ar_source": m["name_ar_source"],
            "source_via_republisher": str(via_republisher(r["outlet"], r["url"])).lower(),
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


def start_date(when: str, url: str) -> tuple[str, str | None]:
    """First day a reported position is shown, and a note when that is not the source date.

    A month-level date never starts a position before the first day it could have existed:
    a dated note on the same article (ARTICLE_DATES), else the first of the month, but never
    before 8 Dec 2024."""
    if ISO_DAY.match(when):
        return when, None
    if url in ARTICLE_DATES:
        return ARTICLE_DATES[url]
    first = max(f"{when[:7]}-01", FALL_OF_ASSAD)
    note = None if first.endswith("-01") else (
        f"The source gives only the month; shown from {first}, the first day it could exist.")
    return first, note


def sources_of(r: dict[str, str]) -> tuple[list[dict[str, Any]], list[str]]:
    sources = [{"title": r["headline"], "publisher": r["outlet"],
                "date": r["pub_date"] if ISO_DAY.match(r["pub_date"]) else None,
                "url": r["url"], "via_republisher": via_republisher(r["outlet"], r["url"])}]
    unlinked = []
    for item in filter(None, (s.strip() for s in r["other_sources"].split(";"))):
        urls = re.findall(r"https?://[^\s;]+", item)
        sources += [{"title": "[corroborating report]", "publisher": urlparse(u).hostname,
                     "date": None, "url": u, "via_republisher": via_republisher("", u)}
                    for u in urls]
        if not urls:
            unlinked.append(item)
    return sources, unlinked


def build_positions(rows: list[tuple[str, dict[str, str]]], matches: dict[str, Any]
                    ) -> tuple[list, list, list]:
    feats: list[dict[str, Any]] = []
    unlocated: list[dict[str, Any]] = []
    left: list[str] = []
    taken: set[str] = set()
    for label, r in rows:
        m = matches.get(r["name_as_reported"]) or matches.get(r["nearest_village"])
        when = r["first_reported_date"] or r["pub_date"]
        why = left_out_reason(m, when)
        if why:
            left.append(f"{label} ({r['name_as_reported']!r}): {why}")
            continue
        precision = "day" if ISO_DAY.match(when) else "month"
        valid_from, date_note = start_date(when, r["url"])
        placement = "Placement" if m["located"] else "Not placed"
        notes = [r["description"], f"{placement}: {m['note']}."]
        if not r["first_reported_date"]:
            notes.append(f"No first-reported date in the source row; publication date {when} used.")
        if date_note:
            notes.append(date_note)
        if r["notes"]:
            notes.append(r["notes"])
        sources, unlinked = sources_of(r)
        if unlinked:
            notes.append("Also named as sources (no URL staged): " + "; ".join(unlinked) + ".")
        low = (precision == "month" or m["gazetteer"] != "ne_elevation"
               or r["location_precision"] in ("village", "district")
               or weak_source(f"{r['notes']} {r['description']}", r["outlet"]))
        extra = AREA_CREDIT.get(m["gazetteer"])
        props = {
            "id": slug(r["name_as_reported"], taken), "layer": "position",
            "name": r["name_as_reported"], "name_ar": m["name_ar"],
            "name_ar_source": m["name_ar_source"], "status": "reported", "disputed": False,
            "valid_from": valid_from,
            "valid_to": None,  # checked by hand: no row reports a dated withdrawal
            "date_precision": precision, "basis": "reported",
            "confidence": "low" if low else "medium", "sources": sources,
            "notes": " ".join(notes), "located": m["located"], "geo_precision": m["geo_precision"],
            "location_precision_reported": r["location_precision"],
            "attribution": ATTRIBUTION
            + (f" Placeholder point derived from {extra[0]}." if extra else ""),
            "licence": LICENCE + (f"; {extra[1]}" if extra else ""),
        }
        if not m["located"]:
            props.update(location_area=m["area_text"], location_area_id=m["area_id"],
                         attribution=UNLOCATED_ATTRIBUTION, licence="Compilation CC BY 4.0")
            unlocated.append({"type": "Feature", "properties": props, "geometry": None})
            continue
        point = {"type": "Point", "coordinates": [round(m["lon"], 6), round(m["lat"], 6)]}
        feats.append({"type": "Feature", "properties": props, "geometry": point})
    return feats, unlocated, left


#: Items batch2/README.md lists as missed before 17 Jan 2026 ("Corrections and additions",
#: item 7) but did not stage as rows; kept out, with the reason, rather than written from prose.
README_LEADS = (
    "batch2/README.md item 7, 9-10 Jan 2026 (UNDOF patrols and night checkpoints; UN delegation "
    "led by Lacroix visits Quneitra, MENAFN/QNA): described in prose only, not staged as a row "
    "(no headline or outlet row to cite); a lead for the next batch",
    "batch2/README.md item 7, by 8 Jan 2026 (Israeli force raises its flag over the Tal al-Ahmar "
    "al-Sharqi area, El Balad/SANA): prose only, no event date ('by 8 Jan'), not staged as a row",
    "batch2/README.md item 7, 6 Jan 2026 (i24: Damascus would accept an Israeli liaison office): "
    "prose only, not staged as a timeline row",
)


def write_left_out(left: list[str], placeholders: list[str], unlocated: list[str]) -> None:
    bullets = lambda xs: [f"- {x}" for x in xs] or ["- (none)"]  # noqa: E731
    lines = [
        "# Reported rows left out of data/ (generated by scripts/build_reported.py)", "",
        "Rows of shared/reporting/{incidents,positions}.csv and of shared/reporting/batch2/ that",
        "name no place or area that a staged gazetteer or polygon holds are not written to data/.",
        "Each decision is recorded in scripts/place_matches.csv (blank `gazetteer`, reason in",
        "`note`).", "", "## Left out", "", *bullets(left), "",
        "## Leads in the batch README that are not staged rows", "", *bullets(list(README_LEADS)),
        "", "## Positions not placed (data/positions_unlocated.geojson, listed, not drawn)", "",
        *bullets(unlocated), "",
        "## Placed only at area level (geo_precision 3, placeholder points)", "",
        *bullets(placeholders), "",
    ]
    LEFT_OUT.write_text("\n".join(lines), encoding="utf-8")


def write_geojson(path: Path, features: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    shared = parser.parse_args().shared
    golan = load_golan(shared / "geodata")
    matches = load_matches(load_gazetteers(shared / "geodata", golan), golan)
    incident_rows = read_batches(shared / "reporting", "incidents.csv")
    position_rows = read_batches(shared / "reporting", "positions.csv")
    fixed = apply_corrections(incident_rows, "incidents.csv")
    fixed += apply_corrections(position_rows, "positions.csv")
    incidents, left_i = build_incidents(incident_rows, matches,
                                        load_districts(shared / "geodata"))
    positions, unlocated, left_p = build_positions(position_rows, matches)

    INCIDENT_OUT.parent.mkdir(parents=True, exist_ok=True)
    with INCIDENT_OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(incidents)
    write_geojson(POSITION_OUT, positions)
    write_geojson(UNLOCATED_OUT, unlocated)

    placeholders = [f"incident {r['event_id_cnty']} ({r['location']})"
                    for r in incidents if r["geo_precision"] == 3]
    placeholders += [f"position {f['properties']['id']} ({f['properties']['name']})"
                     for f in positions if f["properties"]["geo_precision"] == 3]
    not_placed = [f"position {f['properties']['id']} ({f['properties']['name']}): reported in "
                  f"{f['properties']['location_area']}" for f in unlocated]
    write_left_out(left_i + left_p, placeholders, not_placed)
    used = {r["location"] for _, r in incident_rows}
    used |= {r[k] for _, r in position_rows for k in ("name_as_reported", "nearest_village")}
    unused = sorted(set(matches) - used)

    props = [f["properties"] for f in positions]
    print(f"corrections applied: {fixed}")
    for label, items, total in (("incidents.csv", incidents, incident_rows),
                                ("positions.geojson", props, position_rows)):
        print(f"{label}: {len(items)} of {len(total)} rows written; "
              f"confidence {tally(x['confidence'] for x in items)}; "
              f"geo_precision {tally(x['geo_precision'] for x in items)}")
    print(f"positions_unlocated.geojson: {len(unlocated)} positions listed, not placed")
    print(f"left out ({len(left_i) + len(left_p)}), also in {LEFT_OUT.relative_to(ROOT)}:")
    for line in left_i + left_p:
        print(f"  - {line}")
    print(f"area placeholders (geo_precision 3): {len(placeholders)}")
    if unused:
        print(f"WARNING: unused rows in place_matches.csv: {unused}")


if __name__ == "__main__":
    main()
