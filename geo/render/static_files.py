"""Content-hashed static files that Streamlit serves at ``/app/static/...``, with a manifest.

A build step (for example ``scripts/build_terrain.py`` at setup) writes each file once under
``static/<bundle>/`` with the first 12 hex digits of its SHA-256 in its name
(``hillshade-3f2a9c1b0d4e.png``), and ``manifest.json`` beside them mapping each logical key to
that name plus any metadata the page needs (bounds, sizes, encodings). The app reads the manifest
(:func:`read_manifest`) to find the names, and the browser fetches the files by URL: a page that
draws the map again (a date change) names the same URLs, so the browser uses its cached copy
instead of receiving the bytes again. A changed file gets a new name, so no stale copy is ever
shown.

Caching note: Streamlit's static handler (streamlit 1.67, Starlette ``FileResponse``) sends an
``ETag`` and ``Last-Modified`` but no ``Cache-Control``, and answers a conditional request with
the full body (no 304). The browser's heuristic freshness is then a tenth of the file's age, so
scripts that fetch these files should ask for ``cache: "force-cache"`` (safe: the name changes
with the content), and ``<img>`` elements of one page reuse an image already loaded.

Files are written atomically (temporary file, then rename); files of an earlier build that the
new manifest no longer names are removed. Nothing here imports Streamlit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

#: The folder Streamlit serves (``server.enableStaticServing``), next to dashboard.py.
STATIC_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "static"
#: Its URL as seen from the page and from the streamlit-folium component iframe.
STATIC_URL: Final[str] = "/app/static/"
MANIFEST_NAME: Final[str] = "manifest.json"
HASH_CHARS: Final[int] = 12
_HASHED: Final[re.Pattern[str]] = re.compile(rf"^.+-[0-9a-f]{{{HASH_CHARS}}}\.[A-Za-z0-9.]+$")


class StaticBuildMissing(FileNotFoundError):
    """The build output a page needs is absent; the message says how to build it."""


@dataclass(frozen=True)
class Manifest:
    """A bundle's manifest: logical key -> hashed file name, plus free metadata."""

    bundle: str
    files: dict[str, str]
    meta: dict[str, Any] = field(default_factory=dict)

    def url(self, key: str, base: str = STATIC_URL) -> str:
        """The URL of the file ``key`` under ``base`` (``/app/static/`` in the app)."""
        return f"{base}{self.bundle}/{self.files[key]}"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def hashed_name(stem: str, suffix: str, data: bytes) -> str:
    """``<stem>-<sha12><suffix>``, e.g. ``hillshade-3f2a9c1b0d4e.png``."""
    return f"{stem}-{content_hash(data)}{suffix}"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bundle(
    bundle: str, files: Mapping[str, tuple[str, bytes]], meta: Mapping[str, Any],
    static_dir: Path = STATIC_DIR,
) -> Manifest:
    """Write ``files`` (key -> (stem + suffix, bytes), e.g. ``("hillshade.png", data)``) under
    ``static_dir/bundle`` with hashed names, then the manifest; remove hashed files of earlier
    builds that it no longer names. Returns the manifest."""
    folder = static_dir / bundle
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for key, (filename, data) in files.items():
        path = Path(filename)
        names[key] = hashed_name(path.stem, path.suffix, data)
        target = folder / names[key]
        if not (target.is_file() and target.read_bytes() == data):
            _write_atomic(target, data)
    manifest = Manifest(bundle, names, dict(meta))
    text = json.dumps({"bundle": bundle, "files": names, "meta": manifest.meta}, indent=1,
                      sort_keys=True)
    _write_atomic(folder / MANIFEST_NAME, text.encode("utf-8"))
    keep = set(names.values())
    for old in folder.iterdir():
        if old.is_file() and _HASHED.match(old.name) and old.name not in keep:
            old.unlink()
    return manifest


def read_manifest(bundle: str, hint: str, static_dir: Path = STATIC_DIR) -> Manifest:
    """The manifest of ``bundle``; :class:`StaticBuildMissing` (whose message ends with
    ``hint``, how to build it) when it or a file it names is missing."""
    folder = static_dir / bundle
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise StaticBuildMissing(f"{path} is missing: {hint}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    manifest = Manifest(str(raw["bundle"]), {str(k): str(v) for k, v in raw["files"].items()},
                        dict(raw.get("meta", {})))
    absent = [name for name in manifest.files.values() if not (folder / name).is_file()]
    if absent:
        raise StaticBuildMissing(f"{folder}: {', '.join(absent)} missing: {hint}")
    return manifest


#: The terrain's bundle (built by geo.render.terrain_build at setup), read by the maps: kept
#: here so that reading its manifest needs none of the build's imports (xarray-spatial).
TERRAIN_BUNDLE: Final[str] = "terrain"
TERRAIN_BUILD_HINT: Final[str] = (
    "run `make setup` (it builds the terrain with scripts/build_terrain.py)")


def terrain_manifest(static_dir: Path = STATIC_DIR) -> Manifest:
    """The built terrain's manifest; StaticBuildMissing (saying to run make setup) without."""
    return read_manifest(TERRAIN_BUNDLE, TERRAIN_BUILD_HINT, static_dir)


#: Layer data that the live map fetches by URL instead of carrying it in its script (see
#: geo.render.live.externalise): written while the app runs, once per content.
LAYER_DATA: Final[str] = "layer-data"


def publish_text(text: str, bundle: str = LAYER_DATA, stem: str = "layer", suffix: str = ".json",
                 static_dir: Path = STATIC_DIR, base: str = STATIC_URL) -> str:
    """Write ``text`` once as ``static_dir/bundle/<stem>-<sha12><suffix>`` (atomically; kept
    if already there: the name is the content's) and return its URL under ``base``."""
    data = text.encode("utf-8")
    folder = static_dir / bundle
    folder.mkdir(parents=True, exist_ok=True)
    name = hashed_name(stem, suffix, data)
    if not (folder / name).is_file():
        _write_atomic(folder / name, data)
    return f"{base}{bundle}/{name}"
