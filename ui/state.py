"""Shareable view state, kept in ``st.query_params`` so that a URL reopens the exact view.

Parsing and defaults are pure (geo.core.view); this module only reads and writes the URL.
Streamlit clears the query string when the user switches pages in the sidebar, so the last
view of the session is kept too and put back into the URL of a page opened without one.
"""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

from geo.core.view import ViewState, field_names, parse_view, serialise_view

VIEW_KEYS: Final[frozenset[str]] = frozenset(field_names())
_LAST: Final[str] = "last_view_params"


def _write(params: dict[str, str]) -> None:
    for key in VIEW_KEYS - params.keys():
        if key in st.query_params:
            del st.query_params[key]
    for key, value in params.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def current() -> ViewState:
    """The view described by the URL (invalid values fall back to defaults), or the session's
    last view when the URL carries none (after a switch of page)."""
    params = st.query_params.to_dict()
    if not VIEW_KEYS & params.keys() and _LAST in st.session_state:
        _write(st.session_state[_LAST])
        params = {**params, **st.session_state[_LAST]}
    view = parse_view(params)
    st.session_state[_LAST] = serialise_view(view)
    return view


def update(**changes: Any) -> ViewState:
    """Apply changes to the view and write them to the URL (other parameters are kept)."""
    view = current().replace(**changes)
    params = serialise_view(view)
    _write(params)
    st.session_state[_LAST] = params
    return view


def show(key: str, value: Any) -> None:
    """Make the keyed widget ``key`` show the view's ``value``: call it just before drawing it.

    A widget with a key keeps its own value across reruns (the key, not the arguments, names
    it), so a view changed elsewhere (a button, a timeline click, a link, another page) is put
    into it here. The widget's ``on_change`` writes the user's own change to the URL before
    the script runs again, so that change is never overwritten."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value
