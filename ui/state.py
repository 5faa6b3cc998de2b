"""Shareable view state, kept in ``st.query_params`` so that a URL reopens the exact view.

Parsing and defaults are pure (geo.core.view); this module only reads and writes the URL.
Streamlit clears the query string when the user switches pages in the sidebar, so the last
view of the session is kept too and put back into the URL of a page opened without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Generic, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import streamlit as st

from geo.core.view import ViewState, field_names, parse_view, serialise_view
from ui import loaders


class Replaceable(Protocol):
    """A frozen state object that makes a changed copy of itself."""

    def replace(self, **changes: Any) -> Self: ...


S = TypeVar("S", bound=Replaceable)

class UrlState(Generic[S]):
    """A part of the URL's query parameters (``keys``) parsed into a state object, written back
    on change, and remembered in the session under ``last`` so that a switch of page (which
    clears the query string) keeps it. Parameters outside ``keys`` are left alone."""

    def __init__(self, keys: frozenset[str], last: str,
                 parse: Callable[[dict[str, str]], S],
                 serialise: Callable[[S], dict[str, str]]) -> None:
        self.keys, self.last, self.parse, self.serialise = keys, last, parse, serialise

    def _write(self, params: dict[str, str]) -> None:
        for key in self.keys - params.keys():
            if key in st.query_params:
                del st.query_params[key]
        for key, value in params.items():
            if st.query_params.get(key) != value:
                st.query_params[key] = value

    def current(self) -> S:
        """The state the URL describes (invalid values fall back to defaults), or the
        session's last one when the URL carries none of its keys."""
        params = st.query_params.to_dict()
        if not self.keys & params.keys() and st.session_state.get(self.last):
            self._write(st.session_state[self.last])
            params = {**params, **st.session_state[self.last]}
        state = self.parse(params)
        st.session_state[self.last] = self.serialise(state)
        return state

    def update(self, **changes: Any) -> S:
        """Apply changes and write the state to the URL (other parameters are kept)."""
        state = self.current().replace(**changes)
        params = self.serialise(state)
        self._write(params)
        st.session_state[self.last] = params
        return state


VIEW_KEYS: Final[frozenset[str]] = frozenset(field_names())


def _parse(params: dict[str, str]) -> ViewState:
    """The view of the URL; without a date, the last day the data cover."""
    return parse_view(params, latest=loaders.coverage().data_through)


_VIEW: Final[UrlState[ViewState]] = UrlState(VIEW_KEYS, "last_view_params", _parse,
                                             serialise_view)


def current() -> ViewState:
    """The view described by the URL, or the session's last view (after a switch of page)."""
    return _VIEW.current()


def current_in_fragment() -> ViewState:
    """The view in a rerun of a fragment: the session's last view, written back to the URL.

    The URL a browser sends with a fragment's rerun can lag behind what the session last wrote
    (seen when the map component answers a full rerun during playback). Within a session only
    the app changes the view between full runs, so its last view is the one to keep."""
    last = st.session_state.get(_VIEW.last)
    if last:
        _VIEW._write(last)
    return _VIEW.current()


def update(**changes: Any) -> ViewState:
    """Apply changes to the view and write them to the URL (other parameters are kept)."""
    return _VIEW.update(**changes)


def show(key: str, value: Any) -> None:
    """Make the keyed widget ``key`` show the view's ``value``: call it just before drawing it.

    A widget with a key keeps its own value across reruns (the key, not the arguments, names
    it), so a view changed elsewhere (a button, a timeline click, a link, another page) is put
    into it here. The widget's ``on_change`` writes the user's own change to the URL before
    the script runs again, so that change is never overwritten."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def app_url() -> str:
    """The app's root URL (where a permalink opens the map), from the browser's URL."""
    parts = urlsplit(str(getattr(st.context, "url", "") or ""))
    if not parts.netloc:
        return ""
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}/{prefix + '/' if prefix else ''}"
