"""Helpers for AppTest: find the st_folium component and read its JSON arguments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def _walk(node: Any):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield child
            yield from _walk(child)


def components(at: AppTest, name: str = "streamlit_folium.st_folium") -> list[dict[str, Any]]:
    """JSON args of every instance of a custom component in the rendered app."""
    found = []
    for element in _walk(at._tree):
        proto = getattr(element, "proto", None)
        if getattr(proto, "component_name", None) == name:
            found.append(json.loads(proto.json_args))
    return found


def folium_args(at: AppTest) -> dict[str, Any]:
    maps = components(at)
    assert maps, "no st_folium component rendered"
    return maps[0]


def vega_specs(at: AppTest) -> list[dict[str, Any]]:
    specs = []
    for element in _walk(at._tree):
        if getattr(element, "type", "") == "vega_lite_chart":
            specs.append(json.loads(element.proto.spec))
    return specs


def run_app(params: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
