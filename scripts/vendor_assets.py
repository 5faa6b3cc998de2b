"""Copy the browser assets the map needs from node_modules/ into static/vendor/, then write the
live maps' scripts as one file per combination of plugins into static/vendor_js/
(geo.render.assets.write_js_bundles, content-hashed with a manifest).

Run at setup (`make run` / `make test`), after `npm ci`, with the project's virtualenv. Nothing
written here is committed: static/vendor/ and static/vendor_js/ are git-ignored. Streamlit
serves them at /app/static/ (static serving).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.render.assets import VENDOR_DIR, write_js_bundles  # noqa: E402
from geo.render.static_files import STATIC_DIR  # noqa: E402

NODE = ROOT / "node_modules"
DEST = VENDOR_DIR

# destination (relative to static/vendor) -> source (relative to node_modules)
FILES: dict[str, str] = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images": "leaflet/dist/images",
    "fullscreen/Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "fullscreen/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "fullscreen/icon-fullscreen.svg": "leaflet.fullscreen/icon-fullscreen.svg",
    "measure/leaflet-measure.js": "leaflet-measure/dist/leaflet-measure.js",
    "measure/leaflet-measure.css": "leaflet-measure/dist/leaflet-measure.css",
    "measure/images": "leaflet-measure/dist/images",
    "minimap/Control.MiniMap.min.js": "leaflet-minimap/dist/Control.MiniMap.min.js",
    "minimap/Control.MiniMap.min.css": "leaflet-minimap/dist/Control.MiniMap.min.css",
    "minimap/images": "leaflet-minimap/dist/images",
    "mouseposition/L.Control.MousePosition.js":
        "leaflet-mouse-position/src/L.Control.MousePosition.js",
    "mouseposition/L.Control.MousePosition.css":
        "leaflet-mouse-position/src/L.Control.MousePosition.css",
    "markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "markercluster/MarkerCluster.Default.css":
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "sync/L.Map.Sync.js": "leaflet.sync/L.Map.Sync.js",
    "draw/leaflet.draw.js": "leaflet-draw/dist/leaflet.draw.js",
    "draw/leaflet.draw.css": "leaflet-draw/dist/leaflet.draw.css",
    "draw/images": "leaflet-draw/dist/images",
}


def main() -> int:
    missing = [src for src in FILES.values() if not (NODE / src).exists()]
    if missing:
        print("vendor_assets: missing in node_modules (run `npm ci`): " + ", ".join(missing))
        return 1
    for dest, src in FILES.items():
        target = DEST / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        source = NODE / src
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    print(f"vendor_assets: {len(FILES)} assets in {DEST.relative_to(ROOT)}")
    manifest = write_js_bundles()
    folder = STATIC_DIR / manifest.bundle
    sizes = ", ".join(f"{name} ({(folder / name).stat().st_size / 1e3:.0f} kB)"
                      for name in manifest.files.values())
    print(f"vendor_assets: {folder.relative_to(ROOT)}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
