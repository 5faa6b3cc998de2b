"""Shareable view state, kept in ``st.query_params`` so that a URL reopens the exact view.

Parsing and defaults are pure (geo.viewstate); this module only reads and writes the URL.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.viewstate import ViewState, parse_view, serialise_view


def current() -> ViewState:
    """The view described by the URL (invalid values fall back to defaults)."""
    return parse_view(st.query_params.to_dict())


def update(**changes: Any) -> ViewState:
    """Apply changes to the view and write them to the URL."""
    view = current().replace(**changes)
    params = serialise_view(view)
    for key in list(st.query_params.keys()):
        if key not in params:
            del st.query_params[key]
    for key, value in params.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    return view
