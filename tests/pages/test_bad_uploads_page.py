"""Every file of the bad-input corpus, uploaded on the real incidents page (AppTest).

AppTest cannot drive ``st.file_uploader``, so the uploader is replaced by one that returns the
corpus file (an object with ``name`` and ``getvalue()``, like Streamlit's UploadedFile); the
rest is the real page: ``ui.incidents.upload_panel`` → ``import_upload`` → error or report.

For each file: no exception reaches the page, the expected message is shown (an error for a
refused file, the report with its counts for a file with refused rows), and afterwards the
built-in sample and a saved dataset are exactly as before, on the page and on disk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit

from geo.data import store
from geo.data.importers import import_incidents
from geo.data.loaders import DATA_DIR, load_all
from tests.geo.data.test_bad_corpus import BAD, MANIFEST
from tests.pages.apptest_helpers import run_app
from ui import incidents as ui

PAGE = "pages/incidents.py"
TEST_DATA = Path(__file__).resolve().parents[1] / "data"


class FakeUpload:
    """What st.file_uploader returns: a name and the bytes."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.size = len(data)
        self.type = "application/octet-stream"
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


def _plain(markdown: str) -> str:
    """Undo ui.incidents.md's backslash escapes, to compare with the importer's message."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _digest(folder: Path) -> dict[str, str]:
    """Every file of the user data folder and its SHA-256."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def sample_count() -> str:
    return f"{len(load_all(DATA_DIR)['incidents'].data):,}"


@pytest.fixture(scope="module")
def kept() -> Any:
    return import_incidents((TEST_DATA / "acled_bom.csv").read_bytes(), "acled_bom.csv").data


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, kept, sample_count) -> Iterator[Any]:
    """One session of the incidents page, with a saved dataset 'kept' and a fake uploader.

    The corpus files are uploaded one after another in this session, as a user would; after
    each, the sample and the saved dataset must be exactly as before."""
    user_data = tmp_path_factory.mktemp("user_data")
    pending: dict[str, FakeUpload | None] = {"file": None}

    def file_uploader(label: str, *args: Any, **kwargs: Any) -> FakeUpload | None:
        assert kwargs.get("key") == "incidents_upload"
        return pending["file"]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(store.ENV_VAR, str(user_data))
        patch.setattr(streamlit, "file_uploader", file_uploader)
        store.save("kept", kept, user_data)
        at = run_app(page=PAGE)
        assert _metric(at, "Incidents in the dataset") == sample_count
        at.pending = pending  # type: ignore[attr-defined]
        at.user_data = user_data  # type: ignore[attr-defined]
        yield at


def _upload(at, name: str, data: bytes) -> None:
    at.pending["file"] = FakeUpload(name, data)
    at.radio(key=ui.SOURCE_KEY).set_value("upload").run()


def _assert_sample_unchanged(at, before: dict[str, str], sample_count: str) -> None:
    at.radio(key=ui.SOURCE_KEY).set_value("sample").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "Incidents in the dataset") == sample_count
    assert "Saved: kept (4)" in at.radio(key=ui.SOURCE_KEY).options
    assert _digest(at.user_data) == before  # nothing written, moved or set aside


def _assert_previous_data_unchanged(at, before: dict[str, str], sample_count: str) -> None:
    _assert_sample_unchanged(at, before, sample_count)
    at.radio(key=ui.SOURCE_KEY).set_value("saved:kept").run()
    assert not at.exception
    assert _metric(at, "Incidents in the dataset") == "4"
    assert _digest(at.user_data) == before


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_upload_on_the_page(page, name: str, sample_count: str, monkeypatch) -> None:
    at, expected = page, MANIFEST[name]
    if "max_bytes" in expected:  # "too big" without a big file: lower the page's limit
        monkeypatch.setattr(ui, "MAX_UPLOAD_MB", expected["max_bytes"] / 1_000_000)
    before = _digest(at.user_data)
    _upload(at, name, (BAD / name).read_bytes())
    assert not at.exception, [e.value for e in at.exception]
    errors = [_plain(e.value) for e in at.error]
    shown = errors + [_plain(w.value) for w in at.warning] + [_plain(s.value) for s in at.success]
    if expected["outcome"] == "error":
        assert any(expected["message"] in e and e.startswith(name + ":") for e in errors), errors
        assert not at.metric  # nothing to analyse
    else:
        assert any(s.startswith("Read as ") for s in shown), shown
        assert _metric(at, "Rows accepted") == f"{expected['accepted']:,}"
        assert _metric(at, "Rows rejected") == f"{expected['rejected']:,}"
        if "note" in expected:
            assert any(expected["note"] in s for s in shown), shown
        if expected["accepted"]:
            assert _metric(at, "Incidents in the dataset") == f"{expected['accepted']:,}"
        else:
            assert any("0 of" in e for e in errors)  # nothing usable: shown as an error
    _assert_sample_unchanged(at, before, sample_count)


def test_bad_upload_after_a_good_one_keeps_the_good_one(page, sample_count: str) -> None:
    good = (TEST_DATA / "ucdp_ged_noheader.csv").read_bytes()
    _upload(page, "interim.csv", good)
    assert not page.exception and _metric(page, "Incidents in the dataset") == "3"
    before = _digest(page.user_data)
    _upload(page, "semicolons.csv", (BAD / "semicolons.csv").read_bytes())
    assert any("separated by semicolons" in _plain(e.value) for e in page.error)
    _upload(page, "interim.csv", good)  # the user picks the good file again
    assert not page.exception and not page.error
    assert _metric(page, "Incidents in the dataset") == "3"
    _assert_previous_data_unchanged(page, before, sample_count)
