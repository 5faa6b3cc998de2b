"""geo.render.live: the date-dependent overlays and the layer control come out of the map."""

from __future__ import annotations

import folium

from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.core.vocabulary import GROUP_LABELS, TERRAIN_GROUPS
from geo.data.loaders import DATA_DIR, load_all
from geo.render.legend import Legend
from geo.render.live import LIVE_MAP, Restore, descendants, split_live
from geo.render.map import MapSpec, build_map


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
