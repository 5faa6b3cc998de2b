"""Content-hashed static files: names follow the content, the manifest finds them, stale files
of an earlier build go, and a missing build says how to make it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.render.static_files import (
    LAYER_DATA,
    MANIFEST_NAME,
    STATIC_URL,
    StaticBuildMissing,
    hashed_name,
    publish_text,
    read_manifest,
    write_bundle,
)


def test_hashed_name_changes_with_the_content() -> None:
    first = hashed_name("hillshade", ".png", b"one")
    assert first.startswith("hillshade-") and first.endswith(".png")
    assert hashed_name("hillshade", ".png", b"one") == first
    assert hashed_name("hillshade", ".png", b"two") != first


def test_bundle_round_trip_and_prune(tmp_path: Path) -> None:
    one = write_bundle("terrain", {"shade": ("shade.png", b"a"), "lines": ("c.json", b"{}")},
                       {"bounds": [1, 2]}, static_dir=tmp_path)
    assert (tmp_path / "terrain" / one.files["shade"]).read_bytes() == b"a"
    read = read_manifest("terrain", "build it", static_dir=tmp_path)
    assert read == one and read.meta == {"bounds": [1, 2]}
    assert read.url("shade") == f"/app/static/terrain/{one.files['shade']}"
    two = write_bundle("terrain", {"shade": ("shade.png", b"b"), "lines": ("c.json", b"{}")},
                       {}, static_dir=tmp_path)
    assert two.files["shade"] != one.files["shade"]
    assert two.files["lines"] == one.files["lines"]
    names = {p.name for p in (tmp_path / "terrain").iterdir()}
    assert names == {two.files["shade"], two.files["lines"], MANIFEST_NAME}
    saved = json.loads((tmp_path / "terrain" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert saved["files"] == two.files


def test_missing_build_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(StaticBuildMissing, match="run make setup"):
        read_manifest("terrain", "run make setup", static_dir=tmp_path)
    made = write_bundle("terrain", {"shade": ("shade.png", b"a")}, {}, static_dir=tmp_path)
    (tmp_path / "terrain" / made.files["shade"]).unlink()
    with pytest.raises(StaticBuildMissing, match="missing: run make setup"):
        read_manifest("terrain", "run make setup", static_dir=tmp_path)


def test_publish_text_names_the_file_by_its_content(tmp_path) -> None:
    first = publish_text('{"a":1}', static_dir=tmp_path)
    assert first.startswith(f"{STATIC_URL}{LAYER_DATA}/layer-") and first.endswith(".json")
    path = tmp_path / LAYER_DATA / first.rsplit("/", 1)[1]
    assert path.read_text(encoding="utf-8") == '{"a":1}'
    written = path.stat().st_mtime_ns
    assert publish_text('{"a":1}', static_dir=tmp_path) == first  # kept, not written again
    assert path.stat().st_mtime_ns == written
    assert publish_text('{"a":2}', static_dir=tmp_path) != first
    assert len(list((tmp_path / LAYER_DATA).iterdir())) == 2
