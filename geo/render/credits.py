"""Short credits of the data layers, as the map's attribution control shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from geo.core.model import is_blank

#: Short credits shown on the map, keyed by a substring of a feature's attribution text.
CREDITS: Final[dict[str, str]] = {
    "OpenStreetMap": "© OpenStreetMap contributors (ODbL)",
    "OCHA": "UNCS/OCHA via HDX (CC BY 3.0 IGO)",
    "GeoNames": "GeoNames (CC BY 4.0)",
    "Natural Earth": "Natural Earth (public domain)",
    "Who's On First": "Who's On First (CC0)",
    "OpenSyria": "OpenSyria (CC BY 4.0)",
    "public report": "Reports: see each item's sources",
}


#: Credits of the incident layer: the reports it compiles and the gazetteer of its coordinates.
INCIDENT_CREDITS: Final[tuple[str, ...]] = (CREDITS["public report"], CREDITS["GeoNames"])


def credits_for(attributions: Iterable[Any]) -> list[str]:
    """The short credits a set of attribution texts calls for."""
    text = " ".join(str(a) for a in attributions if not is_blank(a))
    return [credit for key, credit in CREDITS.items() if key in text]
