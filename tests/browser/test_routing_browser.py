"""A link straight to a page opens it inside the router, even as the server's first session."""

from __future__ import annotations

from tests.harness import server


def test_direct_page_link_on_a_fresh_server_keeps_router_and_sidebar(page) -> None:
    with server() as app:
        page.goto(f"{app.url}/sources?date=2025-03-01")
        page.get_by_role("heading", name="Sources and data quality").wait_for()
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("Frontier as of").wait_for()
        nav = page.locator("[data-testid=stSidebarNav]").inner_text()
        assert "Map" in nav and "dashboard" not in nav
