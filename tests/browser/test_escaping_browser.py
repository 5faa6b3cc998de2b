"""Hostile strings in every text field that reaches HTML: nothing executes, nothing is injected.

A copy of data/ gets script tags, event-handler attributes, quote-breaking strings and
javascript: URLs in incident, layer and timeline fields; the map, its popups, the timeline
details and the data-quality table are then loaded in headless Chromium.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, map_frame
from tests.conftest import ROOT
from tests.harness import server

HOSTILE = [
    "<script>window.__xss='script'</script>",
    '<img src=x onerror="window.__xss=\'img\'">',
    '"><svg onload="window.__xss=\'svg\'">',
    "' onmouseover='window.__xss=\"attr\"' x='",
    "</textarea><iframe srcdoc='<script>parent.__xss=1</script>'>",
]
TEXT_FIELDS = ["notes", "location", "actor1", "actor2", "source", "source_title",
               "confidence_note", "sub_event_type", "admin1"]


def _hostile_data(target: Path) -> None:
    shutil.copytree(ROOT / "data", target)
    path = target / "incidents.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    for index, row in enumerate(rows):
        for n, field in enumerate(TEXT_FIELDS):
            row[field] = HOSTILE[(index + n) % len(HOSTILE)] + " " + field
    rows[0]["url"] = "javascript:window.__xss='url'"  # refused by validation; shown as a reason
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    layer_path = target / "layers" / "reference_1974.geojson"
    doc = json.loads(layer_path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        props = feature["properties"]
        props["name"] = HOSTILE[0] + props["name"]
        props["name_ar"] = HOSTILE[1]
        props["notes"] = HOSTILE[2]
        props["sources"][0]["title"] = HOSTILE[3]
        props["attribution"] = HOSTILE[4] + " " + props["attribution"]
    layer_path.write_text(json.dumps(doc), encoding="utf-8")
    timeline_path = target / "timeline.json"
    entries = json.loads(timeline_path.read_text(encoding="utf-8"))
    for entry in entries:
        entry["title"] = HOSTILE[0] + entry["title"]
        entry["summary"] = HOSTILE[1] + " [link](javascript:window.__xss='md')"
        entry["sources"][0]["title"] = HOSTILE[2]
        entry["confidence_note"] = HOSTILE[3]
    timeline_path.write_text(json.dumps(entries), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("hostile") / "data"
    _hostile_data(data)
    with server({"DASHBOARD_DATA_DIR": str(data)}) as app:
        yield app.url


def _assert_clean(page, frame_page=None) -> None:
    for target in (page, frame_page):
        if target is None:
            continue
        assert target.evaluate("() => window.__xss === undefined"), "injected script ran"
        injected = target.evaluate(
            "() => document.querySelectorAll('img[src=\"x\"], svg[onload], [onmouseover], "
            "iframe[srcdoc]').length"
        )
        assert injected == 0


def test_hostile_strings_render_as_text(hostile_url: str, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile_url}/?date=2026-01-05&window=since&event=tl-20260105-2")
    frame = map_frame(page)
    frame.locator(".leaflet-overlay-pane path.incident").first.wait_for()
    # Open popups and tooltips of hostile features and incidents.
    for selector in ("path.incident", "path.lyr-area_of_separation", "path.lyr-alpha_line"):
        item = frame.locator(f".leaflet-overlay-pane {selector}").first
        item.dispatch_event("mouseover")
        item.dispatch_event("click")
        frame.locator(".leaflet-popup-content").first.wait_for()
    popup_text = frame.locator(".leaflet-popup-content").first.inner_text()
    assert "<" in popup_text  # the markup shows as literal text
    page.get_by_text("window.__xss='img'", exact=False).first.wait_for()
    map_page = next(f for f in page.frames if f.url and "st_folium" in f.url)
    _assert_clean(page, map_page)
    attribution = frame.locator(".leaflet-control-attribution").inner_html()
    assert "<iframe" not in attribution
    page.screenshot(path=str(ARTIFACTS / "hostile-map.png"), full_page=True)

    page.goto(f"{hostile_url}/sources")
    page.get_by_text("javascript:window.__xss", exact=False).first.wait_for(state="attached")
    _assert_clean(page)
    assert dialogs == []
