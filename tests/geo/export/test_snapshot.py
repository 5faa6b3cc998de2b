"""Exports of a view: static PNG (sizes, map, legend, QR code), PDF brief, standalone HTML,
data files with provenance, playback GIF, file names and the data version."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from geo.core.view import ViewState, parse_view
from geo.data.loaders import load_all
from geo.export import browser
from geo.export import snapshot as export
from tests.conftest import DATA_DIR

BASE = "http://127.0.0.1:8501/"
EARLY = {"date": "2025-01-10", "window": "since",
         "layers": "lines_1974,limitation,golan,hermon,positions,incidents,proposals,demands,"
                   "governorates,places"}


@pytest.fixture(scope="module")
def data() -> dict:
    return load_all(DATA_DIR)


def _snap(data: dict, params: dict[str, str], base: str = BASE) -> export.Snapshot:
    view = parse_view(params, today=dt.date(2026, 11, 26))
    return export.make_snapshot(view, data["layers"].data, data["incidents"].data,
                                data["timeline"].data, base, "0123456789ab")


@pytest.fixture(scope="module")
def snap(data: dict) -> export.Snapshot:
    return _snap(data, EARLY)


@pytest.fixture(scope="module")
def slide(snap: export.Snapshot) -> Image.Image:
    return Image.open(io.BytesIO(export.render_png(snap, "slide"))).convert("RGB")


@pytest.fixture(scope="module")
def a4(snap: export.Snapshot) -> Image.Image:
    return Image.open(io.BytesIO(export.render_png(snap, "a4"))).convert("RGB")


def _region(image: Image.Image, preset: str, region: str) -> np.ndarray:
    return np.asarray(image.crop(export.box_pixels(export.OUTPUT_PRESETS[preset], region)))


def _non_white(pixels: np.ndarray) -> float:
    return float((pixels.min(axis=2) < 235).mean())


# ---------------------------------------------------------------------------------------------
# Names, versions, styles


def test_dash_pattern_converts_leaflet_dash_arrays() -> None:
    assert export.dash_pattern("8 6") == (0, (8.0, 6.0))
    assert export.dash_pattern("12 4") == (0, (12.0, 4.0))
    assert export.dash_pattern(None) == "solid"
    assert export.dash_pattern("") == "solid"


def test_export_filename_is_meaningful() -> None:
    view = ViewState(date=dt.date(2025, 1, 10))
    assert export.export_filename(view, "", "png") == (
        "frontier_2025-01-10_w30_area-of-separation.png")
    assert export.export_filename(view, "brief", ".pdf") == (
        "frontier_2025-01-10_w30_area-of-separation_brief.pdf")
    since = view.replace(window="since", lat=33.39, lon=35.85, zoom=12)
    assert export.export_filename(since, "a4", "png") == (
        "frontier_2025-01-10_wsince-2024-12-08_mount-hermon_a4.png")
    off = view.replace(lat=33.2, lon=35.9, zoom=11)
    name = export.export_filename(off, "Playback weekly", "gif")
    assert name == "frontier_2025-01-10_w30_33.200n-35.900e-z11_playback-weekly.gif"
    assert re.fullmatch(r"[A-Za-z0-9_.\-]+", name)


def test_data_version_hashes_paths_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "a.geojson").write_text("{}", encoding="utf-8")
    (tmp_path / "b.csv").write_text("x\n1\n", encoding="utf-8")
    first = export.data_version(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert export.data_version(tmp_path) == first
    (tmp_path / "b.csv").write_text("x\n2\n", encoding="utf-8")
    changed = export.data_version(tmp_path)
    assert changed != first
    (tmp_path / "b.csv").rename(tmp_path / "c.csv")
    assert export.data_version(tmp_path) != changed


def test_data_version_of_the_repository(data_dir: Path) -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", export.data_version(data_dir))


# ---------------------------------------------------------------------------------------------
# Static PNG


def test_png_has_the_preset_sizes(slide: Image.Image, a4: Image.Image) -> None:
    assert slide.size == (1920, 1080)
    assert a4.size == (3508, 2480)


def test_small_preset_size(snap: export.Snapshot) -> None:
    image = Image.open(io.BytesIO(export.render_png(snap, "small")))
    assert image.size == (800, 500)


@pytest.mark.parametrize("preset", ["slide", "a4"])
def test_map_area_is_not_blank(preset: str, slide: Image.Image, a4: Image.Image) -> None:
    pixels = _region(slide if preset == "slide" else a4, preset, "map").astype(int)
    colours = {tuple(p) for p in pixels.reshape(-1, 3)[::97]}
    assert pixels.std() > 15
    assert len(colours) > 50


@pytest.mark.parametrize("preset", ["slide", "a4"])
def test_legend_is_drawn_in_the_panel(preset: str, slide: Image.Image, a4: Image.Image) -> None:
    panel = _region(slide if preset == "slide" else a4, preset, "panel")
    legend_box = panel[: panel.shape[0] // 4]
    assert _non_white(legend_box) > 0.03
    # The legend uses the live map's status colours (geo.core.styles).
    in_force = np.array([0x1F, 0x4E, 0x9C])
    assert (np.abs(legend_box.astype(int) - in_force).sum(axis=2) < 40).sum() > 20


@pytest.mark.parametrize("preset", ["slide", "a4"])
def test_qr_code_decodes_to_the_permalink(preset: str, snap: export.Snapshot,
                                          slide: Image.Image, a4: Image.Image) -> None:
    results = zxingcpp.read_barcodes(slide if preset == "slide" else a4)
    texts = [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert texts == [snap.permalink]
    assert snap.permalink.startswith(BASE + "?date=2025-01-10&window=since")


def test_snapshot_credits_cover_every_layer_drawn(snap: export.Snapshot) -> None:
    credits = snap.credits()
    for credit in ("© OpenStreetMap contributors (ODbL)", "UNCS/OCHA via HDX (CC BY 3.0 IGO)",
                   "GeoNames (CC BY 4.0)", "Reports: see each item's sources"):
        assert credit in credits
    assert len(credits) == len(set(credits))


def test_status_colours_follow_the_date(data: dict) -> None:
    """The 1974 lines are drawn in force before 8 Dec 2024 and collapsed after it."""
    params = {"layers": "lines_1974", "window": "7"}
    before = _snap(data, {**params, "date": "2024-12-01"})
    after = _snap(data, {**params, "date": "2024-12-15"})

    def count(snapshot: export.Snapshot, colour: tuple[int, int, int]) -> int:
        pixels = _region(export.render_image(snapshot, "small"), "small", "map").astype(int)
        return int((np.abs(pixels - np.array(colour)).sum(axis=2) < 30).sum())

    in_force, collapsed = (0x1F, 0x4E, 0x9C), (0x7A, 0x7A, 0x7A)
    assert count(before, in_force) > 50
    assert count(after, in_force) < count(before, in_force) / 10
    assert count(after, collapsed) > count(before, collapsed)


def test_default_view_renders_fast(data: dict) -> None:
    snapshot = _snap(data, {})
    export.render_png(snapshot, "small")  # warm up fonts and projections
    start = time.perf_counter()
    png = export.render_png(snapshot, "slide")
    elapsed = time.perf_counter() - start
    print(f"\ndefault-view static PNG (slide 1920x1080): {elapsed:.2f} s, {len(png) / 1e3:.0f} kB")
    assert elapsed < 4.0


# ---------------------------------------------------------------------------------------------
# PDF brief


@pytest.fixture(scope="module")
def pdf_text(snap: export.Snapshot) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(export.render_pdf(snap)))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_two_pages_of_real_text(pdf_text: tuple[int, str],
                                        snap: export.Snapshot) -> None:
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


def test_brief_sections_fit_and_keep_the_facts(snap: export.Snapshot) -> None:
    timeline, facts = export.brief_sections(snap, None, capacity=40)
    assert len(timeline) <= 40 and len(facts) <= 40
    joined = "\n".join(facts)
    assert "not available" in joined  # no zone statistics given
    assert "Permalink" in joined and "Data version" in joined
    assert all(credit in joined for credit in snap.credits())


def test_pdf_without_analytics_still_renders(snap: export.Snapshot,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "geo.analysis.zones", None)  # import now fails
    assert export.zone_statistics(snap) is None
    reader = PdfReader(io.BytesIO(export.render_pdf(snap)))
    assert len(reader.pages) == 2
    assert "not available" in reader.pages[1].extract_text()


# ---------------------------------------------------------------------------------------------
# Standalone HTML


def test_html_is_standalone(snap: export.Snapshot) -> None:
    page = export.render_html(snap)
    assert not re.findall(r'<script[^>]+src="', page)
    assert not re.findall(r'<link[^>]+href="https?:', page)
    assert "L.version" in page or "leaflet" in page.lower()
    assert "prop_no_fly" not in page  # the proposal did not exist on 10 Jan 2025
    assert "aos_osm" in page
    assert "The frontier as of 10 January 2025" in page


def test_html_escapes_the_info_box(data: dict) -> None:
    hostile = export.Snapshot(parse_view({"date": "2025-01-10"}), data["layers"].data,
                              data["incidents"].data, (), "javascript:alert(1)", "<b>x</b>")
    page = export.render_html(hostile)
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "javascript:alert" not in page


def test_browser_png_says_when_unavailable(snap: export.Snapshot) -> None:
    shot = browser.browser_png("<html></html>", "slide", chromium="/nonexistent/chromium")
    assert not shot.available and shot.png is None
    assert "not found" in shot.reason


# ---------------------------------------------------------------------------------------------
# Data files


PROVENANCE = ("sources", "basis", "confidence", "attribution", "licence", "valid_from",
              "valid_to", "status_on_date")


def test_export_frame_holds_visible_layers_and_incidents(snap: export.Snapshot) -> None:
    frame = export.export_frame(snap)
    assert set(frame["item"]) == {"feature", "incident"}
    assert len(frame[frame["item"] == "incident"]) == len(snap.window_incidents)
    assert set(frame.loc[frame["item"] == "feature", "group"]) <= set(snap.view.layers)
    assert all(frame[col].map(lambda v: isinstance(v, str)).all() for col in PROVENANCE)
    assert frame["valid_from"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    row = frame[frame["item_id"] == "aos_osm"].iloc[0]
    assert row["status_on_date"] == "collapsed" and row["disputed_on_date"] == "true"
    assert json.loads(row["sources"])[0]["publisher"]


def test_export_frame_leaves_out_hidden_layers(data: dict) -> None:
    frame = export.export_frame(_snap(data, {**EARLY, "layers": "lines_1974"}))
    assert set(frame["item"]) == {"feature"}
    assert set(frame["group"]) == {"lines_1974"}


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml"])
def test_data_round_trips_with_provenance(fmt: str, snap: export.Snapshot,
                                          tmp_path: Path) -> None:
    expected = export.export_frame(snap)
    path = tmp_path / f"out.{export.DATA_FORMATS[fmt][1]}"
    path.write_bytes(export.export_data(snap, fmt))  # type: ignore[arg-type]
    back = gpd.read_file(path)
    assert len(back) == len(expected)
    assert sorted(back["item_id"]) == sorted(expected["item_id"])
    for col in PROVENANCE:
        assert col in back.columns, col
    back = back.set_index("item_id")
    aos = back.loc["aos_osm"]
    sources = aos["sources"] if isinstance(aos["sources"], list) else json.loads(aos["sources"])
    assert sources == json.loads(expected.set_index("item_id").loc["aos_osm", "sources"])
    assert aos["basis"] == "mapped" and aos["status_on_date"] == "collapsed"
    assert str(aos["valid_from"]).startswith("1974-05-31")
    assert back.geometry.notna().all()
    assert back.crs is not None and back.crs.to_epsg() == 4326


def test_geojson_keeps_dates_and_sources_as_text(snap: export.Snapshot) -> None:
    doc = json.loads(export.export_data(snap, "geojson"))
    props = next(f["properties"] for f in doc["features"] if f["properties"]["item_id"] ==
                 "aos_osm")
    assert props["valid_from"] == "1974-05-31"
    assert isinstance(props["sources"], str) and json.loads(props["sources"])


# ---------------------------------------------------------------------------------------------
# Playback GIF


def test_playback_dates() -> None:
    entries = [{"date": "2024-12-08"}, {"date": "2024-12-08"}, {"date": "2025-01-09"},
               {"date": "2026-01-05"}]
    weekly = export.playback_dates(entries, dt.date(2024, 12, 1), dt.date(2024, 12, 20),
                                   "weekly")
    assert weekly == [dt.date(2024, 12, 1), dt.date(2024, 12, 8), dt.date(2024, 12, 15),
                      dt.date(2024, 12, 20)]
    events = export.playback_dates(entries, dt.date(2024, 12, 1), dt.date(2025, 12, 31),
                                   "events")
    assert events == [dt.date(2024, 12, 8), dt.date(2025, 1, 9)]
    many = export.playback_dates(entries, dt.date(2000, 1, 1), dt.date(2025, 1, 1), "weekly")
    assert len(many) == export.MAX_FRAMES
    with pytest.raises(ValueError):
        export.playback_dates(entries, dt.date(2024, 1, 1), dt.date(2024, 2, 1), "daily")  # type: ignore[arg-type]


def test_gif_has_one_frame_per_step_and_changes_with_the_data(data: dict) -> None:
    snapshot = _snap(data, {"date": "2024-12-31", "window": "30",
                            "layers": "lines_1974,limitation,golan"})
    days = [dt.date(2024, 11, 17), dt.date(2024, 11, 24), dt.date(2024, 12, 8),
            dt.date(2024, 12, 15)]
    seen: list[int] = []
    gif = Image.open(io.BytesIO(export.render_gif(snapshot, days,
                                                  progress=lambda i, n: seen.append(i))))
    assert gif.n_frames == len(days)
    assert seen == [1, 2, 3, 4]
    box = export.box_pixels(export.OUTPUT_PRESETS["small"], "map")
    frames = []
    for index in range(gif.n_frames):
        gif.seek(index)
        assert gif.convert("RGB").size == (800, 500)
        frames.append(np.asarray(gif.convert("RGB").crop(box)).astype(int))
    # Nothing changes between 17 and 24 Nov 2024; 8 Dec 2024 collapses the 1974 lines.
    assert np.abs(frames[1] - frames[0]).sum() == 0
    assert np.abs(frames[2] - frames[1]).sum() > 100_000
    # Each frame carries its date (outside the map, in the title and the stamp).
    gif.seek(0)
    first = np.asarray(gif.convert("RGB")).astype(int)
    gif.seek(1)
    assert np.abs(np.asarray(gif.convert("RGB")).astype(int) - first).sum() > 0


def test_gif_needs_frames(snap: export.Snapshot) -> None:
    with pytest.raises(ValueError):
        export.render_gif(snap, [])


def test_local_assets_cover_the_sync_plugin(root: Path) -> None:
    from geo.render.assets import LOCAL_ASSETS

    js, _ = LOCAL_ASSETS["DualMap"]
    vendor = (root / "scripts" / "vendor_assets.py").read_text(encoding="utf-8")
    assert all(f'"{path}"' in vendor for path in js)
    assert '"leaflet.sync"' in (root / "package.json").read_text(encoding="utf-8")
