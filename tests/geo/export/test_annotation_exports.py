"""User annotations in the exports: a snapshot with an annotation that holds on the view's date
puts it into the GeoJSON (still RFC 7946), the GeoPackage and the KML (its sources escaped),
the standalone HTML map and the static PNG (drawn in its status style, listed in the legend);
one that does not hold on the date is left out of all of them."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import box

from geo.core.annotation import Annotation, AnnotationSource
from geo.export.data import export_data, export_frame
from geo.export.html_map import render_html
from geo.export.layout import OUTPUT_PRESETS, layout
from geo.export.pdf import render_pdf
from geo.export.png import render_png
from geo.export.snapshot import Snapshot, make_snapshot
from geo.export.static_map import _legend_handles
from geo.render.annotations import ANNOTATIONS_CREDIT, ANNOTATIONS_LABEL
from tests.geo.export.test_kml import _descriptions
from tests.geo.export.test_rfc7946 import geojsonhint

SAVED = dt.datetime(2025, 1, 5, 9, 30, tzinfo=dt.UTC)
EVIL = "Leak <script>alert(1)</script> & co"


def annotation(snap: Snapshot, **changes: object) -> Annotation:
    """A reported polygon around the view's centre, saved as version 2 (valid 1-31 Jan 2025)."""
    lon, lat = snap.view.lon, snap.view.lat
    base = Annotation(
        id="checkpoint-area-1a2b3c4d", name="Checkpoint area", status="reported",
        valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 2, 1),
        sources=(AnnotationSource(EVIL, "https://example.org/r?a=1&b=2"),
                 AnnotationSource("Leaked map", reference="Doc <7>")),
        basis="schematic", confidence="low", note="my reading of the report",
        geometry=box(lon - 0.03, lat - 0.02, lon + 0.03, lat + 0.02), author="Analyst A",
        version=2, saved_at=SAVED)
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def with_one(snap: Snapshot) -> Snapshot:
    return replace(snap, annotations=(annotation(snap),))


def test_only_annotations_that_hold_on_the_date_are_shown(snap: Snapshot) -> None:
    later = annotation(snap, id="later-one", valid_from=dt.date(2025, 1, 10))  # holds from 10th
    ended = annotation(snap, id="ended-one", valid_to=dt.date(2025, 1, 10))  # not on the 10th
    shown = replace(snap, annotations=(later, ended)).shown_annotations
    assert [a.id for a in shown] == ["later-one"]


def test_the_snapshot_credits_and_cites_them(snap: Snapshot, with_one: Snapshot) -> None:
    assert ANNOTATIONS_CREDIT in with_one.credits() and ANNOTATIONS_CREDIT not in snap.credits()
    cited = dict(with_one.sources())
    assert cited[EVIL] == 1 and cited["Leaked map"] == 1


def test_the_permalink_pins_the_annotation_versions(snap_of) -> None:
    plain = snap_of({"date": "2025-01-10"})
    made = make_snapshot(plain.view, plain.layers, plain.incidents, (), "http://h/", "v",
                         annotations=[annotation(plain)])
    assert parse_qs(urlsplit(made.permalink).query)["ann"] == ["checkpoint-area-1a2b3c4d@2"]
    assert made.view == plain.view  # the file names do not change


def test_geojson_holds_the_annotation_and_stays_rfc7946(with_one: Snapshot) -> None:
    text = export_data(with_one, "geojson").decode("utf-8")
    assert geojsonhint(text) == []
    found = [f for f in json.loads(text)["features"]
             if f["properties"]["item_id"] == "checkpoint-area-1a2b3c4d"]
    assert len(found) == 1
    props = found[0]["properties"]
    assert (props["item"], props["layer"], props["name"], props["status"]) == (
        "annotation", "annotation", "Checkpoint area", "reported")
    assert (props["valid_from"], props["valid_to"]) == ("2025-01-01", "2025-02-01")
    assert (props["basis"], props["confidence"], props["notes"]) == (
        "schematic", "low", "my reading of the report")
    assert (props["author"], props["version"], props["saved_at"]) == (
        "Analyst A", "2", "2025-01-05T09:30:00+00:00")
    assert json.loads(props["sources"]) == [
        {"title": EVIL, "url": "https://example.org/r?a=1&b=2"},
        {"title": "Leaked map", "document": "Doc <7>"}]
    assert found[0]["geometry"]["type"] == "Polygon"


def test_an_annotation_not_on_the_date_is_left_out(snap: Snapshot) -> None:
    later = replace(snap, annotations=(annotation(snap, valid_from=dt.date(2025, 1, 11)),))
    assert "annotation" not in set(export_frame(later)["item"])


def test_geopackage_holds_the_annotation(with_one: Snapshot, tmp_path: Path) -> None:
    path = tmp_path / "view.gpkg"
    path.write_bytes(export_data(with_one, "gpkg"))
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, status, author, version, sources FROM frontier "
                          "WHERE item = 'annotation'").fetchall()
    assert [r[:4] for r in rows] == [("Checkpoint area", "reported", "Analyst A", "2")]
    assert EVIL in json.loads(rows[0][4])[0]["title"]


def test_kml_describes_the_annotation_with_its_sources_escaped(with_one: Snapshot) -> None:
    balloon = _descriptions(export_data(with_one, "kml"))["checkpoint-area-1a2b3c4d"]
    assert "script" not in balloon.tags
    assert EVIL in balloon.text  # shown as text, not run
    assert "Leaked map (Doc <7>)" in balloon.text
    assert balloon.links == ["https://example.org/r?a=1&b=2"]
    assert "Valid: 1 Jan 2025 – 1 Feb 2025" in balloon.text
    assert balloon.text.endswith("User annotations: see each one's sources"
                                 "User annotation · version 2 · saved by Analyst A at "
                                 "2025-01-05T09:30:00+00:00")


def test_the_html_map_has_the_layer(snap: Snapshot, with_one: Snapshot) -> None:
    page = render_html(with_one)
    assert ANNOTATIONS_LABEL in page and "checkpoint-area-1a2b3c4d" in page
    assert "<script>alert(1)</script>" not in page  # the source title is escaped
    assert ANNOTATIONS_LABEL not in render_html(snap)


def _centre(png: bytes) -> np.ndarray:
    """The mean colour of a 9 × 9 px patch at the centre of the map (the view's centre)."""
    preset = OUTPUT_PRESETS["small"]
    left, bottom, width, height = layout(preset)["map"]
    x = round((left + width / 2) * preset.width)
    y = round((1 - bottom - height / 2) * preset.height)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    return pixels[y - 4:y + 5, x - 4:x + 5].reshape(-1, 3).mean(axis=0)


def test_the_static_png_draws_it_in_its_status_style(snap_of) -> None:
    plain = snap_of({"date": "2025-01-10", "layers": "governorates"})
    drawn = replace(plain, annotations=(annotation(plain),))
    before, after = _centre(render_png(plain, "small")), _centre(render_png(drawn, "small"))
    assert np.abs(after - before).max() > 60
    red, green, blue = after  # the "reported" fill (#c0392b at 0.6)
    assert red > green + 60 and red > blue + 60
    own = replace(plain, annotations=(annotation(plain, status="own_reading"),))
    r, g, b = _centre(render_png(own, "small"))  # green (#0e7c61), faint
    assert g > r and g > b


def test_the_legend_lists_the_annotations(snap: Snapshot, with_one: Snapshot) -> None:
    assert f"{ANNOTATIONS_LABEL}: Reported" in _legend_handles(with_one)[1]
    assert not any(ANNOTATIONS_LABEL in label for label in _legend_handles(snap)[1])


def test_the_pdf_brief_lists_them_citing_their_sources(with_one: Snapshot) -> None:
    pages = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(render_pdf(with_one))).pages]
    text = " ".join(pages[1:])
    found = re.search(r"User annotations • Checkpoint area · Reported · valid 2025-01-01 – "
                      r"2025-02-01 · basis schematic, confidence low · version 2, saved by "
                      r"Analyst A at 2025-01-05 09:30 UTC \[(\d+)\]\[(\d+)\]", text)
    assert found, text
    first, second = found.groups()
    assert f"[{first}] {EVIL}. https://example.org/r?a=1&b=2" in text
    assert f"[{second}] Leaked map (Doc <7>)." in text
