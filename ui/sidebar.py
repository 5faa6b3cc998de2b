"""The shared sidebar: the as-of date and the incident window, for every page."""

from __future__ import annotations

import datetime as dt
from typing import Final

import streamlit as st

from geo.core.dates import day_text
from geo.core.view import MIN_DATE
from geo.core.vocabulary import LANGUAGES, WINDOWS, window_label
from ui import loaders, state

DATE_KEY: Final[str] = "sidebar_date"
WINDOW_KEY: Final[str] = "sidebar_window"
LANG_KEY: Final[str] = "sidebar_lang"


def _date_picked(key: str) -> None:
    """The user chose another date: the URL follows (and the event is dropped)."""
    state.update(date=st.session_state[key], event=None)


def date_picker(key: str, day: dt.date) -> None:
    """The as-of date picker (keyed ``key``) showing ``day``."""
    state.show(key, day)
    st.date_input(
        "As-of date", min_value=MIN_DATE, max_value=dt.date.today(), format="YYYY-MM-DD",
        help="The map shows every layer as it stood on this date.", key=key,
        on_change=_date_picked, args=(key,),
    )


def _window_picked() -> None:
    """The user chose another window: the URL follows (and the event is dropped)."""
    state.update(window=st.session_state[WINDOW_KEY], event=None)


def no_data_note(day: dt.date) -> str | None:
    """"No data after …" when ``day`` lies after the last day the record covers, else None."""
    coverage = loaders.coverage()
    through = coverage.data_through
    if through is None or day <= through:
        return None
    searched = (f" (searched to {day_text(coverage.searched_through)})"
                if coverage.searched_through else "")
    return (f"No data after {day_text(through)}: the record{searched} ends there, so no "
            f"incident or change after that day is shown; the layers are as last recorded.")


def _lang_picked() -> None:
    """The user chose another label language: the URL follows."""
    state.update(lang=st.session_state[LANG_KEY])


def render(with_date: bool = True) -> None:
    """The sidebar of every page; ``with_date=False`` leaves the date picker to the page (the
    map page keeps it beside the map, in the part that reruns on a date change)."""
    view = state.current()
    state.show(LANG_KEY, view.lang)
    state.show(WINDOW_KEY, view.window)
    with st.sidebar:
        st.markdown("**Frontier as of**")
        if with_date:
            date_picker(DATE_KEY, view.date)
            st.caption(loaders.data_through())
            note = no_data_note(view.date)
            if note:
                st.info(note)
        st.selectbox(
            "Incident window (ending on that date)", list(WINDOWS), format_func=window_label,
            key=WINDOW_KEY, on_change=_window_picked,
        )
        st.selectbox(
            "Map labels", list(LANGUAGES), format_func=LANGUAGES.__getitem__, key=LANG_KEY,
            on_change=_lang_picked,
            help="Names in the map in English, Arabic or Hebrew, where the source data has "
            "them; otherwise the English name.",
        )
        refused = len(loaders.rejected_rows())
        if refused:
            st.warning(
                f"{refused} data item(s) failed validation and are not shown. "
                "See **Sources and data quality**."
            )
        st.caption(
            "Data: © OpenStreetMap contributors (ODbL) · UNCS/OCHA via HDX (CC BY 3.0 IGO) · "
            "GeoNames (CC BY 4.0) · Natural Earth (public domain) · Who's On First (CC0)."
        )
