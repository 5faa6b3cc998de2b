"""Every export says how far the data reach ("Data through …", from data/coverage.json), and its
data version changes whenever a data file does, the new files included."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import matplotlib
import pytest
from pypdf import PdfReader

from geo.export.html_map import render_html
from geo.export.layout import OUTPUT_PRESETS
from geo.export.pdf import render_pdf
from geo.export.snapshot import Snapshot, data_version
from geo.export.static_map import RC, draw_snapshot, new_figure
from tests.geo.export.conftest import DATA_THROUGH


def test_snapshot_gives_the_line(snap: Snapshot) -> None:
    assert snap.data_through == DATA_THROUGH


@pytest.mark.parametrize("preset", ["slide", "a4", "small"])
def test_static_map_footer_says_it(snap: Snapshot, preset: str) -> None:
    fig = new_figure(OUTPUT_PRESETS[preset])
    with matplotlib.rc_context(RC):
        draw_snapshot(fig, snap, OUTPUT_PRESETS[preset])
    text = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    assert DATA_THROUGH in text


def test_pdf_says_it_on_both_pages(snap: Snapshot) -> None:
    pages = PdfReader(io.BytesIO(render_pdf(snap))).pages
    for page in pages:
        assert "Data through 28 Jun 2026" in " ".join(page.extract_text().split())


def test_html_export_says_it(snap: Snapshot) -> None:
    assert DATA_THROUGH in render_html(snap)


@pytest.fixture
def data_copy(data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("dem"))
    return target


@pytest.mark.parametrize("name", ["coverage.json", "positions_unlocated.geojson", "CHANGES.md"])
def test_data_version_changes_with_the_new_files(data_copy: Path, name: str) -> None:
    before = data_version(data_copy)
    path = data_copy / name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_version(data_copy) != before


def test_changes_md_records_the_latest_change(data_dir: Path) -> None:
    text = (data_dir / "CHANGES.md").read_text(encoding="utf-8")
    coverage = json.loads((data_dir / "coverage.json").read_text(encoding="utf-8"))
    assert text.startswith("# Changes to the data")
    assert "## 2026-12-02" in text
    assert f"Data through **{coverage['data_through']}**" in text
