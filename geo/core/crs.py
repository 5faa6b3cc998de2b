"""The coordinate reference systems of geo/: every dataset is WGS84 lon/lat; distances and
areas are measured in UTM zone 36N."""

from __future__ import annotations

from typing import Final

#: WGS84 longitude/latitude: the CRS of every dataset in data/ and of every frame in memory.
WGS84: Final[str] = "EPSG:4326"
#: UTM zone 36N: a metric projection (areas in m², distances in m) whose scale error over
#: south-west Syria and the Golan is under 0.1 %.
METRIC_CRS: Final[str] = "EPSG:32636"
