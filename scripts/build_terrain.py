"""Build the terrain files of the live map into static/terrain/ (hillshade PNG, contour
GeoJSON, elevation PNG, each with a content hash in its name, and manifest.json).

Run at setup (`make setup` / `make setup-dev`, hence `make run` and `make test`) from the DEM
tiles in data/dem/. Nothing built here is committed: static/terrain/ is git-ignored. Streamlit
serves it at /app/static/terrain/ (static serving); see geo/render/terrain_build.py.

    python scripts/build_terrain.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.render.static_files import STATIC_DIR  # noqa: E402
from geo.render.terrain_build import build_terrain  # noqa: E402


def main() -> int:
    manifest = build_terrain()
    folder = STATIC_DIR / manifest.bundle
    sizes = ", ".join(f"{name} ({(folder / name).stat().st_size / 1e6:.2f} MB)"
                      for name in manifest.files.values())
    print(f"build_terrain: {folder.relative_to(ROOT)}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
