"""The PDF brief: two pages of real text, the timeline around the date, the facts column."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from geo.core.figures import round_sig
from geo.export import pdf
from geo.export.pdf import brief_sections, render_pdf, zone_statistics
from geo.export.snapshot import Snapshot


@pytest.fixture(scope="module")
def pdf_text(snap: Snapshot) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(render_pdf(snap)))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_two_pages_of_real_text(pdf_text: tuple[int, str], snap: Snapshot) -> None:
    pages, text = pdf_text
    assert pages == 2
    assert "2025-01-10" in text
    assert "10 January 2025" in text
    for credit in snap.credits():
        assert credit in text
    assert "Data version 0123456789ab" in text


def test_pdf_lists_the_timeline_around_the_date(pdf_text: tuple[int, str]) -> None:
    _, text = pdf_text
    # Katz's order of 13 Dec 2024 and the Yedioth report of 9 Jan 2025 are within 30 days.
    assert "2024-12-13" in text
    assert "2025-01-09" in text


def test_brief_sections_fit_and_keep_the_facts(snap: Snapshot) -> None:
    timeline, facts = brief_sections(snap, None, capacity=40)
    assert len(timeline) <= 40 and len(facts) <= 40
    joined = "\n".join(facts)
    assert "not available" in joined  # no zone statistics given
    assert "Permalink" in joined and "Data version" in joined
    assert all(credit in joined for credit in snap.credits())


def test_pdf_has_the_zone_statistics_table(snap: Snapshot) -> None:
    text = PdfReader(io.BytesIO(render_pdf(snap))).pages[1].extract_text()
    assert "not available" not in text
    assert re.search(r"zone\s+km²\s+incid\.\s+fatal\.", text)
    stats = zone_statistics(snap)
    assert len(stats) > 1
    for row in stats.to_dict("records"):
        found = re.search(rf"{re.escape(str(row['zone'])[:42])}\s+(≈ [\d,]+)?\s+"
                          rf"{row['incidents']}\s+{row['fatalities']}", text)
        assert found, row["zone"]
        if found.group(1):  # areas to two significant figures, as their sources allow
            figure = int(found.group(1)[2:].replace(",", ""))
            assert figure == round_sig(float(row["area_km2"])), (row["zone"], figure)


def test_zone_statistics_errors_propagate(snap: Snapshot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("aos_osm")

    monkeypatch.setattr(pdf, "zone_summary", broken)
    with pytest.raises(KeyError, match="aos_osm"):
        render_pdf(snap)
