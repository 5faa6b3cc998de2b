"""What a view shows: file names, the data version and the credits of a snapshot."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geo.core.view import ViewState
from geo.export.snapshot import Snapshot, data_version, export_filename


def test_export_filename_is_meaningful() -> None:
    view = ViewState(date=dt.date(2025, 1, 10))
    assert export_filename(view, "", "png") == (
        "frontier_2025-01-10_w30_area-of-separation.png")
    assert export_filename(view, "brief", ".pdf") == (
        "frontier_2025-01-10_w30_area-of-separation_brief.pdf")
    since = view.replace(window="since", lat=33.39, lon=35.85, zoom=12)
    assert export_filename(since, "a4", "png") == (
        "frontier_2025-01-10_wsince-2024-12-08_mount-hermon_a4.png")
    off = view.replace(lat=33.2, lon=35.9, zoom=11)
    name = export_filename(off, "Playback weekly", "gif")
    assert name == "frontier_2025-01-10_w30_33.200n-35.900e-z11_playback-weekly.gif"
    assert re.fullmatch(r"[A-Za-z0-9_.\-]+", name)


def test_data_version_hashes_paths_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "a.geojson").write_text("{}", encoding="utf-8")
    (tmp_path / "b.csv").write_text("x\n1\n", encoding="utf-8")
    first = data_version(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert data_version(tmp_path) == first
    (tmp_path / "b.csv").write_text("x\n2\n", encoding="utf-8")
    changed = data_version(tmp_path)
    assert changed != first
    (tmp_path / "b.csv").rename(tmp_path / "c.csv")
    assert data_version(tmp_path) != changed


def test_data_version_of_the_repository(data_dir: Path) -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", data_version(data_dir))


def test_snapshot_credits_cover_every_layer_drawn(snap: Snapshot) -> None:
    credits = snap.credits()
    for credit in ("© OpenStreetMap contributors (ODbL)", "UNCS/OCHA via HDX (CC BY 3.0 IGO)",
                   "GeoNames (CC BY 4.0)", "Reports: see each item's sources"):
        assert credit in credits
    assert len(credits) == len(set(credits))
