"""The PDF brief: the map, then typeset text pages (headings, a table of the zone statistics,
a timeline list citing numbered references, the sources as numbered references), read back
with pypdf; page 2 rendered with pypdfium2 to test-artifacts/brief-page2.png."""

from __future__ import annotations

import io
import re

import numpy as np
import pypdfium2
import pytest
from pypdf import PdfReader

from geo.core.figures import round_sig
from geo.core.timeline import entries_near
from geo.export import brief
from geo.export.brief import brief_pages, references, zone_statistics
from geo.export.pdf import render_pdf
from geo.export.snapshot import Snapshot
from tests.geo.export.conftest import EARLY, MakeSnap
from tests.harness import ARTIFACTS

HEADINGS = ("At a glance", "Zone statistics", "Timeline within 30 days of 10 Jan 2025",
            "Credits", "Permalink", "Sources")


@pytest.fixture(scope="module")
def pdf_bytes(snap: Snapshot) -> bytes:
    return render_pdf(snap)


@pytest.fixture(scope="module")
def pages(pdf_bytes: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf_bytes))
            .pages]


def test_pdf_is_the_map_then_text_pages(pages: list[str], snap: Snapshot) -> None:
    assert len(pages) >= 2
    text = " ".join(pages)
    assert "2025-01-10" in text and "10 January 2025" in text
    for credit in snap.credits():
        assert credit in text
    assert "Data version 0123456789ab" in text


def test_page_two_has_the_headings(pages: list[str]) -> None:
    positions = [pages[1].find(heading) for heading in HEADINGS]
    assert all(p >= 0 for p in positions), dict(zip(HEADINGS, positions, strict=True))
    assert positions == sorted(positions)  # in reading order


def test_zone_statistics_are_a_table(pages: list[str], snap: Snapshot) -> None:
    text = pages[1]
    assert "Not available" not in text
    assert "Zone Area (km²) Incidents Fatalities" in text
    stats = zone_statistics(snap)
    assert len(stats) > 1
    for row in stats.to_dict("records"):
        found = re.search(rf"{re.escape(str(row['zone']))} (≈ [\d,]+ )?"
                          rf"{row['incidents']} {row['fatalities']}\b", text)
        assert found, row["zone"]
        if found.group(1):  # areas to two significant figures, as their sources allow
            figure = int(found.group(1)[2:].replace(",", ""))
            assert figure == round_sig(float(row["area_km2"])), (row["zone"], figure)


def test_timeline_cites_numbered_references(pages: list[str], snap: Snapshot) -> None:
    text = " ".join(pages[1:])
    # Katz's order of 13 Dec 2024 and the Yedioth report of 9 Jan 2025 are within 30 days.
    katz = re.search(r"2024-12-13 · statement · Katz orders [^\[]*\[(\d+)\]", text)
    assert katz and re.search(r"2025-01-09 · proposal · [^\[]*\[\d+\]", text)
    number = katz.group(1)
    entry = next(e for e in snap.entries if e["date"] == "2024-12-13"
                 and str(e["title"]).startswith("Katz orders"))
    source = entry["sources"][0]
    reference = text[text.index(f"[{number}] ", text.index("Sources")):]
    assert reference.startswith(f"[{number}] {source['publisher']} — ")
    assert source["url"][:40] in reference.replace(" ", "")[:400]
    numbers = [int(n) for n in re.findall(r"\[(\d+)\] ", text[text.index("Sources"):])]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 10


def test_references_put_the_timeline_first_and_group_pages(snap: Snapshot) -> None:
    near = entries_near(snap.entries, snap.view.date, 30)
    refs, cited, left_out = references(snap, near)
    assert [n for numbers in cited for n in numbers][:3] == [1, 2, 3]
    assert all(n <= len(refs) for numbers in cited for n in numbers)
    labels = [ref.label for ref in refs]
    assert len(labels) == len(set(labels))
    grouped = [ref for ref in refs if len(ref.urls) > 1]
    assert any("other pages" in ref.text() for ref in grouped)  # GeoNames: a page per place
    assert any(ref.cited_by > 1 for ref in refs)  # the layers' sources are counted
    assert left_out == 0 or len(refs) == brief.MAX_REFERENCES


def test_the_brief_says_when_there_are_no_statistics(snap: Snapshot) -> None:
    figures = brief_pages(snap, None)
    text = " ".join(t.get_text() for fig in figures for t in fig.texts)
    assert "Not available for this view." in text


def test_text_stays_inside_its_page(snap: Snapshot) -> None:
    for fig in brief_pages(snap, zone_statistics(snap)):
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        width, height = fig.bbox.width, fig.bbox.height
        for text in fig.texts:
            box = text.get_window_extent(renderer)
            assert 0.03 * width < box.x0 and box.x1 < 0.965 * width, text.get_text()
            assert box.y0 > 0.02 * height and box.y1 < height, text.get_text()


def test_a_later_view_also_reads(snap_of: MakeSnap) -> None:
    later = snap_of({**EARLY, "date": "2026-01-20", "window": "30"})
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(render_pdf(later))).pages[1:])
    assert "Timeline within 30 days of 20 Jan 2026" in text
    assert re.search(r"\[1\] \S", text)


def test_page_two_renders(pdf_bytes: bytes) -> None:
    """Page 2 as an image (test-artifacts/brief-page2.png): ink in both columns and the
    table's rules."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    image = document[1].render(scale=150 / 72).to_pil().convert("L")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "brief-page2.png")
    pixels = np.asarray(image)
    height, width = pixels.shape
    ink = pixels < 128
    assert ink[:, : width // 2].mean() > 0.01 and ink[:, width // 2:].mean() > 0.01
    grey = pixels[:, : width // 2] < 220  # the rules are grey
    long_rules = (grey.sum(axis=1) > 0.35 * width).sum()
    assert long_rules >= 3  # above and below the header, and at the foot of the table


def test_zone_statistics_errors_propagate(snap: Snapshot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("aos_osm")

    monkeypatch.setattr(brief, "zone_summary", broken)
    with pytest.raises(KeyError, match="aos_osm"):
        render_pdf(snap)
