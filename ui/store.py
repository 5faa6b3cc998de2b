"""The app's dataset and annotation store (geo.data.store), opened once per process.

With ``DATABASE_URL`` set it is the shared PostGIS database (team mode: several app processes
share it, and each rerun reads it afresh, so a save through one replica is listed by the others
on their next rerun); otherwise the GeoPackage folder (``DASHBOARD_USER_DATA``), as before.
The open store (for PostGIS: its connection pool, and the schema migrations applied once) is
cached with ``st.cache_resource``, keyed on where it is; the data itself is never cached here.
"""

from __future__ import annotations

import streamlit as st

from geo.data import store


@st.cache_resource(show_spinner=False)
def _open(url: str, folder: str) -> store.Store:
    return store.open_store(url or None, folder)


def location() -> tuple[str, str]:
    """(database URL or "", user data folder): where the store is, read on every rerun."""
    return store.database_url() or "", str(store.user_folder())


def current() -> store.Store:
    """The store for this rerun."""
    return _open(*location())
