"""AppTest runs the app the way scripts/serve.py serves it: pages/ holds st.navigation pages.

AppTest resets Streamlit's legacy pages-directory detection before every run, which would make
``switch_page`` run a page file on its own, without dashboard.py's router and sidebar.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def router_owns_pages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    yield
