"""The export formats of a view, registered once (as datasette registers its output renderers):
each format's key, label, file extension, MIME type and render function, and the suffix of its
file name. The Export page and ui/exports.py loop over :data:`FORMATS`; a format keeps UI of
its own only where it needs it (the PNG's size, the GIF's range, the browser PNG's check)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Final, Literal

from geo.core.view import ViewState
from geo.export.data import export_data
from geo.export.gif import render_gif
from geo.export.html_map import render_html_file
from geo.export.pdf import render_pdf
from geo.export.png import render_png
from geo.export.snapshot import export_filename

Group = Literal["snapshot", "brief", "map", "data", "playback"]


@dataclass(frozen=True)
class ExportFormat:
    """One downloadable export. ``render`` takes the :class:`~geo.export.snapshot.Snapshot`
    (then, for the playback, the frame dates) and returns the file's bytes. ``group`` gathers
    the formats the page offers together (the PNG sizes, the data files)."""

    key: str
    label: str
    ext: str
    mime: str
    render: Callable[..., bytes]
    group: Group
    suffix: str = ""

    def filename(self, view: ViewState, suffix: str | None = None) -> str:
        """``frontier_<date>_w<window>_<place>[_<suffix>].<ext>``."""
        return export_filename(view, self.suffix if suffix is None else suffix, self.ext)


FORMATS: Final[dict[str, ExportFormat]] = {fmt.key: fmt for fmt in (
    ExportFormat("png", "Slide, 1920 × 1080 px", "png", "image/png",
                 partial(render_png, preset="slide"), "snapshot"),
    ExportFormat("png-a4", "A4 landscape, 300 dpi (3508 × 2480 px)", "png", "image/png",
                 partial(render_png, preset="a4"), "snapshot", "a4"),
    ExportFormat("pdf", "PDF brief", "pdf", "application/pdf", render_pdf, "brief", "brief"),
    ExportFormat("html", "Interactive map (HTML, opens offline)", "html", "text/html",
                 render_html_file, "map", "map"),
    ExportFormat("geojson", "GeoJSON", "geojson", "application/geo+json",
                 partial(export_data, fmt="geojson"), "data", "layers"),
    ExportFormat("gpkg", "GeoPackage", "gpkg", "application/geopackage+sqlite3",
                 partial(export_data, fmt="gpkg"), "data", "layers"),
    ExportFormat("kml", "KML (Google Earth)", "kml", "application/vnd.google-earth.kml+xml",
                 partial(export_data, fmt="kml"), "data", "layers"),
    ExportFormat("gif", "Playback (animated GIF)", "gif", "image/gif", render_gif, "playback",
                 "playback"),
)}


def of_group(group: Group) -> list[ExportFormat]:
    """The formats of a group, in registration order."""
    return [fmt for fmt in FORMATS.values() if fmt.group == group]
