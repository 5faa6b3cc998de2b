"""geo.render.live: the date-dependent overlays and the layer control come out of the map."""

from __future__ import annotations

import datetime as dt

import folium
import shapely
from streamlit_folium import generate_leaflet_string

from geo.core.annotation import Annotation
from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.core.vocabulary import GROUP_LABELS, TERRAIN_GROUPS
from geo.data.loaders import DATA_DIR, load_all
from geo.render.annotations import ANNOTATIONS_LABEL
from geo.render.elements import DataElement, GeoJsonLayer
from geo.render.labels import LabelLayer
from geo.render.legend import Legend
from geo.render.live import (
    BY_URL_MIN_CHARS,
    LIVE_MAP,
    LiveMap,
    Restore,
    descendants,
    externalise,
    split_live,
)
from geo.render.map import MapSpec, build_map
from geo.render.static_files import LAYER_DATA, publish_text


def test_split_live_keeps_only_what_never_changes() -> None:
    data = load_all(DATA_DIR)
    view = parse_view({"date": "2025-09-16", "window": "since",
                       "layers": "lines_1974,incidents,hillshade"})
    fmap = build_map(state_at(data["layers"].data, view.date),
                     data["incidents"].data, MapSpec(view, (view.lat, view.lon, view.zoom)))
    live = split_live(fmap)
    base = list(live.base._children.values())
    assert not any(isinstance(c, (folium.LayerControl, Legend)) for c in base)
    kept = {c.layer_name for c in base if isinstance(c, folium.FeatureGroup) and c.overlay}
    assert kept == {GROUP_LABELS[g] for g in TERRAIN_GROUPS}  # terrain stays with the map
    names = [g.layer_name for g in live.groups]
    assert GROUP_LABELS["incidents"] in names and GROUP_LABELS["lines_1974"] in names
    restore = next(iter(live.groups[-1]._children.values()))
    assert isinstance(restore, Restore) and restore.legend is not None
    hidden = {f"feature_group_feature_group_{i}" for i, g in enumerate(live.groups)
              if not g.show}
    assert set(restore.hidden) == hidden and hidden  # e.g. layers not in the view
    assert all(g.show for g in live.groups if g.layer_name == GROUP_LABELS["incidents"])
    # Scripts in the groups name the map as streamlit-folium does (its own name is undefined
    # in the layers it adds): the uncertainty circles shown from zoom 11, for one.
    named = [d for g in live.groups for d in descendants(g) if hasattr(d, "map_name")]
    assert named and all(d.map_name == LIVE_MAP for d in named)


def _live(date: str, window: str = "since") -> LiveMap:
    data = load_all(DATA_DIR)
    view = parse_view({"date": date, "window": window})
    return split_live(build_map(state_at(data["layers"].data, view.date),
                                data["incidents"].data,
                                MapSpec(view, (view.lat, view.lon, view.zoom))))


def _script(live: LiveMap) -> str:
    live.base.get_root().render()
    parts = [generate_leaflet_string(live.base)]
    parts += [generate_leaflet_string(g) for g in live.groups]
    return "\n".join(parts)


def test_externalise_sends_layer_data_by_url_but_not_the_incidents(tmp_path) -> None:
    published: dict[str, str] = {}

    def publish(text: str) -> str:
        return published.setdefault(text, publish_text(text, static_dir=tmp_path))

    live = externalise(_live("2025-01-10", "30"), publish)
    elements = [d for g in [live.base, *live.groups] for d in descendants(g)
                if isinstance(d, DataElement)]
    by_url = [e for e in elements if e.data_url]
    assert {type(e) for e in by_url} == {GeoJsonLayer, LabelLayer}
    assert all(len(e.data_json) >= BY_URL_MIN_CHARS for e in by_url)
    incidents = next(g for g in live.groups if g.layer_name == GROUP_LABELS["incidents"])
    markers = [d for d in descendants(incidents) if isinstance(d, DataElement)]
    assert markers and not any(m.data_url for m in markers)  # they change with every window
    script = _script(live)
    for element in by_url:  # the script names the file, which holds the data, not the data
        assert element.data_url in script and element.data_json not in script
        name = element.data_url.rsplit("/", 1)[1]
        assert (tmp_path / LAYER_DATA / name).read_text(encoding="utf-8") == element.data_json
    assert len(script) < sum(len(e.data_json) for e in by_url)


def test_a_layer_unchanged_by_the_date_keeps_its_url(tmp_path) -> None:
    def urls(date: str) -> dict[str, set[str]]:
        live = externalise(_live(date), lambda t: publish_text(t, static_dir=tmp_path))
        return {g.layer_name: {d.data_url for d in descendants(g)
                               if isinstance(d, DataElement) and d.data_url}
                for g in live.groups}

    before, after = urls("2024-12-01"), urls("2025-09-16")
    assert before[GROUP_LABELS["districts"]] == after[GROUP_LABELS["districts"]] != set()
    assert before[GROUP_LABELS["places"]] == after[GROUP_LABELS["places"]] != set()
    # The positions held changed between these dates: their layer is a new file.
    assert before.get(GROUP_LABELS["positions"]) != after.get(GROUP_LABELS["positions"])


def test_annotations_stay_in_the_script_and_out_of_the_static_folder(tmp_path) -> None:
    big = shapely.Point(35.8, 33.1).buffer(0.05, quad_segs=200)  # JSON over BY_URL_MIN_CHARS
    note = Annotation(id="own-1", name="Own reading", status="own_reading",
                      valid_from=dt.date(2025, 1, 1), valid_to=None, sources=(),
                      basis="schematic", confidence="low", note="", geometry=big,
                      author="analyst", version=1, saved_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    data = load_all(DATA_DIR)
    view = parse_view({"date": "2025-06-01"})
    live = externalise(split_live(build_map(
        state_at(data["layers"].data, view.date), data["incidents"].data,
        MapSpec(view, (view.lat, view.lon, view.zoom), annotations=(note,)))),
        lambda t: publish_text(t, static_dir=tmp_path))
    group = next(g for g in live.groups if g.layer_name == ANNOTATIONS_LABEL)
    layer = next(d for d in descendants(group) if isinstance(d, DataElement))
    assert len(layer.data_json) >= BY_URL_MIN_CHARS and layer.data_url is None
    assert not any("own-1" in f.read_text(encoding="utf-8")
                   for f in (tmp_path / LAYER_DATA).iterdir())
