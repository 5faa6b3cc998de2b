"""A link straight to a page opens it inside the router, even as the server's first session."""

from __future__ import annotations

import socket
import subprocess

from tests.browser.conftest import start_server, wait_healthy


def test_direct_page_link_on_a_fresh_server_keeps_router_and_sidebar(page) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = start_server(port)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        page.goto(f"{url}/sources?date=2025-03-01")
        page.get_by_role("heading", name="Sources and data quality").wait_for()
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("Frontier as of").wait_for()
        nav = page.locator("[data-testid=stSidebarNav]").inner_text()
        assert "Map" in nav and "dashboard" not in nav
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
