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


def _picked() -> None:
    """The user chose another date or window: the URL follows (and the event is dropped)."""
    state.update(date=st.session_state[DATE_KEY], window=st.session_state[WINDOW_KEY],
                 event=None)


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


def render() -> None:
    view = state.current()
    state.show(LANG_KEY, view.lang)
    state.show(DATE_KEY, view.date)
    state.show(WINDOW_KEY, view.window)
    with st.sidebar:
        st.markdown("**Frontier as of**")
        st.date_input(
            "As-of date", min_value=MIN_DATE, max_value=dt.date.today(), format="YYYY-MM-DD",
            help="The map shows every layer as it stood on this date.", key=DATE_KEY,
            on_change=_picked,
        )
        st.caption(loaders.data_through())
        note = no_data_note(view.date)
        if note:
            st.info(note)
        st.selectbox(
            "Incident window (ending on that date)", list(WINDOWS), format_func=window_label,
            key=WINDOW_KEY, on_change=_picked,
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
