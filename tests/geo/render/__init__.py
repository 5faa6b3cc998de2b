"""Tests of geo.render, and how they read a GeoJSON layer's tooltips and popups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.render.popups import POPUP_BREAK, popup_html


def text_of(collection: Mapping[str, Any], value: str | list[int | str]) -> str:
    """A tooltip or popup's details as the browser joins them (GeoJsonLayer's ``text``):
    escaped HTML, or its lines, a number being an index in the collection's ``lines``."""
    if isinstance(value, str):
        return value
    return POPUP_BREAK.join(collection["lines"][x] if isinstance(x, int) else x for x in value)


def popup_of(collection: Mapping[str, Any], properties: Mapping[str, Any]) -> str:
    """A feature's popup as the browser shows it: ``pop``, or joined from ``tip`` and ``more``."""
    if "more" not in properties:
        return str(properties["pop"])
    return popup_html(text_of(collection, properties["tip"]),
                      text_of(collection, properties["more"]))
