"""Above POINT_LIMIT incidents the map draws grid cells: in a real browser, with tooltips."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.synth import synthetic_incidents, write_csv
from geo.analysis.aggregate import POINT_LIMIT
from geo.data.loaders import DATA_DIR
from tests.browser.conftest import ARTIFACTS, map_frame
from tests.harness import server


@pytest.fixture(scope="module")
def cells_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of data/ whose incidents are 3,000 synthetic ones."""
    folder = tmp_path_factory.mktemp("cells") / "data"
    shutil.copytree(DATA_DIR, folder)
    write_csv(synthetic_incidents(2 * POINT_LIMIT), Path(folder) / "incidents.csv")
    env = {"DASHBOARD_DATA_DIR": str(folder),
           "DASHBOARD_USER_DATA": str(tmp_path_factory.mktemp("user_data"))}
    with server(env) as app:
        yield app.url


def test_many_incidents_are_drawn_as_cells_with_their_counts(cells_url: str, page) -> None:
    page.goto(f"{cells_url}/?date=2026-06-30&window=since")
    frame = map_frame(page)
    cells = frame.locator(".leaflet-overlay-pane path.incident-cell")
    cells.first.wait_for()
    assert frame.locator(".leaflet-overlay-pane path.incident").count() == 0  # no markers
    assert cells.count() > 1
    cells.first.dispatch_event("mouseover")  # the cell itself, whatever lies above it
    tip = frame.locator(".leaflet-tooltip", has_text="reported fatalities · mostly ").first
    tip.wait_for()
    assert tip.inner_text().split(" incidents · ")[0].isdigit()
    page.screenshot(path=str(ARTIFACTS / "map-cells.png"))
    # Zoomed in past the level's range, the finer grid's cells (made when first shown) replace
    # them: smaller cells, more of them in the same area.
    before = cells.count()
    for _ in range(3):
        frame.locator(".leaflet-control-zoom-in").click()
    expect(cells).not_to_have_count(before)
    expect(cells.first).to_be_visible()
