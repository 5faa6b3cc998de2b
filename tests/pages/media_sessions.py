"""Several AppTest sessions sharing one media file manager, as the sessions of a server do, to
check that a download button's file outlives other sessions' script runs.

AppTest gives every run a fresh MediaFileManager and one session id ("test session id"), so a
file can never be lost between runs. Here every run uses one manager, and each run is made by a
named session: the run starts by clearing that session's file references and ends with
``remove_orphaned_files()``, as Streamlit 1.67's script runner does for every run of every
session. A download file that no session references is marked by the first such cleanup and
deleted by the second: what happened to a deferred (callable) download once the click had
generated it, before the browser's GET arrived (bench/concurrency.py's retries)."""

from __future__ import annotations

import pytest
from streamlit.runtime import media_file_manager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest, app_test
from streamlit.testing.v1.element_tree import Element

from tests.pages.apptest_helpers import TIMEOUT_S


class SharedMedia:
    """One media file manager for every AppTest run while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.manager = MediaFileManager(MemoryMediaFileStorage("/media"))
        self.session = "first"
        monkeypatch.setattr(app_test, "MediaFileManager", lambda storage: self.manager)
        monkeypatch.setattr(media_file_manager, "_get_session_id", lambda: self.session)

    def run(self, at: AppTest, session: str) -> AppTest:
        """One script run of ``at`` as the session ``session``."""
        self.session = session
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    def click(self, button: Element) -> str:
        """The URL the browser fetches when the download button is clicked: its file's URL, or
        for a deferred download, the URL of the file the click generates."""
        proto = button.proto
        if proto.deferred_file_id:
            return self.manager.execute_deferred(proto.deferred_file_id)
        return str(proto.url)

    def resolves(self, url: str) -> bool:
        """Whether a GET of the media URL would find the file."""
        return self.manager.read_file(url.rsplit("/", 1)[-1]) is not None

    def others_rerun(self, times: int = 2) -> None:
        """``times`` script runs of another session (a bare page) finish."""
        other = AppTest.from_string("import streamlit as st\nst.write('another session')",
                                    default_timeout=TIMEOUT_S)
        for _ in range(times):
            self.run(other, "other")
