"""The deployed Streamlit configuration (.streamlit/config.toml): parsed, and held to the
hardening the README promises (XSRF on, usage statistics off, a deliberate upload limit)."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import ROOT
from ui.incidents import MAX_UPLOAD_MB

CONFIG_PATH = ROOT / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def config() -> dict:
    with CONFIG_PATH.open("rb") as handle:
        return tomllib.load(handle)


def test_xsrf_protection_is_on_with_cors_protection(config: dict) -> None:
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    # Streamlit turns XSRF protection off when CORS protection is off; both must stay on.
    assert server["enableCORS"] is True


def test_usage_statistics_are_off(config: dict) -> None:
    assert config["browser"]["gatherUsageStats"] is False


def test_upload_limit_is_the_uploaders_own(config: dict) -> None:
    limit = config["server"]["maxUploadSize"]
    assert isinstance(limit, int) and not isinstance(limit, bool)
    # Not Streamlit's default (200): the server refuses what the only uploader would refuse.
    assert limit == MAX_UPLOAD_MB
    assert "maxUploadSize" in CONFIG_PATH.read_text(encoding="utf-8").split("[browser]")[0]


def test_server_is_headless_and_toolbar_limited(config: dict) -> None:
    assert config["server"]["headless"] is True
    assert config["client"]["toolbarMode"] == "viewer"  # no developer menu for visitors


def test_only_known_sections_and_options(config: dict) -> None:
    """A typo ("enableXSRFProtection") would be ignored by Streamlit, silently: refuse it."""
    from streamlit import config as st_config

    known = set(st_config._config_options_template)  # noqa: SLF001 - Streamlit's option list
    options = {f"{section}.{key}" for section, values in config.items() for key in values}
    assert options and options <= known, sorted(options - known)
