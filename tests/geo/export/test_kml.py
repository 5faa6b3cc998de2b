"""The KML export: each placemark's description carries the item's status, dates, basis,
confidence and sources (titles and links), escaped. Read back with an XML parser and an HTML
parser, as Google Earth reads a description."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import geopandas as gpd
from shapely.geometry import Point

from geo.core import styles
from geo.core.crs import WGS84
from geo.export.data import EXPORT_COLUMNS, export_data, export_frame, write_table
from geo.export.snapshot import Snapshot

NS = {"k": "http://www.opengis.net/kml/2.2"}


class _Balloon(HTMLParser):
    """The text, the tags and the links of a description's HTML."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.text = ""
        self.tags: list[str] = []
        self.links: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text += data


def _descriptions(kml: bytes) -> dict[str, _Balloon]:
    """Each placemark's description, by its ``item_id``."""
    found = {}
    for mark in ET.fromstring(kml).iter(f"{{{NS['k']}}}Placemark"):
        item = mark.find(".//k:SimpleData[@name='item_id']", NS)
        assert item is not None and item.text
        found[item.text] = _Balloon(mark.findtext("k:description", "", NS))
    return found


def test_every_placemark_describes_its_sources_and_status(snap: Snapshot) -> None:
    frame = export_frame(snap).set_index("item_id")
    balloons = _descriptions(export_data(snap, "kml"))
    assert set(balloons) == set(frame.index)
    for item_id, balloon in balloons.items():
        row = frame.loc[item_id]
        status = styles.STATUS_LABELS.get(row["status_on_date"], row["status_on_date"])
        assert f"Status on 2025-01-10: {status}" in balloon.text, item_id
        assert f"Basis: {row['basis']}" in balloon.text
        assert "confidence: " in balloon.text
        assert ("Valid: " if row["item"] == "feature" else "Date: ") + row["date_text"] \
            in balloon.text
        for source in json.loads(row["sources"]):
            for key in ("title", "publisher"):
                assert source.get(key, "") in balloon.text, (item_id, key)
            if str(source.get("url", "")).startswith("http"):
                assert source["url"] in balloon.links, item_id


def test_a_feature_states_its_record(snap: Snapshot) -> None:
    balloon = _descriptions(export_data(snap, "kml"))["aos_osm"]
    assert "Status on 2025-01-10: Collapsed on the ground · disputed" in balloon.text
    assert "Valid: 31 May 1974 – open" in balloon.text
    assert "Basis: mapped · confidence: " in balloon.text
    assert any("openstreetmap.org" in link for link in balloon.links)


def test_description_escapes_what_it_quotes() -> None:
    row = dict.fromkeys(EXPORT_COLUMNS, "")
    row.update({
        "item_id": "x1", "item": "feature", "name": "<script>alert(1)</script>",
        "status_on_date": "reported", "as_of": "2025-01-10", "valid_from": "2025-01-01",
        "date_text": "1 Jan 2025", "basis": "reported", "confidence": "low",
        "sources": json.dumps([
            {"title": "A & B <img src=x onerror=alert(1)>", "url": "javascript:alert(1)"},
            {"title": "Fine", "url": "https://example.org/a?b=1&c=\"2\""}]),
    })
    frame = gpd.GeoDataFrame([row], geometry=[Point(35.9, 33.1)], crs=WGS84)
    balloon = _descriptions(write_table(frame, "kml"))["x1"]
    assert "script" not in balloon.tags and "img" not in balloon.tags
    assert "<script>alert(1)</script>" in balloon.text  # shown as text, not run
    assert "A & B <img src=x onerror=alert(1)>" in balloon.text
    assert balloon.links == ['https://example.org/a?b=1&c="2"']  # no javascript: link
