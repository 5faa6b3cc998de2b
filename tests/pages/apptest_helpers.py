"""Helpers for AppTest: run the app, find custom components and charts (public API only)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from geo.render.static_files import LAYER_DATA, STATIC_DIR, STATIC_URL
from ui.mapview import MAP_DRAWN_KEY

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")
#: Seconds a script run may take: generous, for a loaded machine.
TIMEOUT_S = 300


def components(at: AppTest, name: str = "streamlit_folium.st_folium") -> list[dict[str, Any]]:
    """JSON args of every instance of a custom component in the rendered app."""
    return [json.loads(element.proto.json_args) for element in at.get("component_instance")
            if element.proto.component_name == name]


def fetched(script: str) -> list[str]:
    """The layer data files a map script fetches by URL (geo.render.live.externalise), read
    from the static folder the app serves them from."""
    prefix = re.escape(f"{STATIC_URL}{LAYER_DATA}/")
    return [(STATIC_DIR / LAYER_DATA / name).read_text(encoding="utf-8")
            for name in dict.fromkeys(re.findall(f'fetch\\("{prefix}([^"/]+)"', script))]


def folium_args(at: AppTest) -> dict[str, Any]:
    """The first map's arguments; its ``script`` is everything the browser runs for it: the
    map's own script, then the layers and layer control sent on the side (the Map page sends
    its date-dependent layers as ``feature_group``), then the layer data it fetches by URL,
    as ``script_only`` keeps the first."""
    maps = components(at)
    assert maps, "no st_folium component rendered"
    args = dict(maps[0])
    args["script_only"] = args["script"]
    sent = "\n".join(part for part in (args["script"], args.get("feature_group"),
                                       args.get("layer_control")) if part)
    args["script"] = "\n".join([sent, *fetched(sent)])
    return args


def vega_specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]


def run_app(params: dict[str, str] | None = None, page: str | None = None,
            map_drawn: bool = True) -> AppTest:
    """Run the app once. ``map_drawn``: as in a browser session whose map has drawn and
    reported (its report reruns the page at once); False: the session's very first run, where
    the Map page leaves out what lies under the map."""
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT_S)
    if map_drawn:
        at.session_state[MAP_DRAWN_KEY] = True
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
