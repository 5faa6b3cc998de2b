"""The shared sidebar: the as-of date and the incident window, for every page."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.core.view import MIN_DATE
from geo.core.vocabulary import WINDOWS, window_label
from ui import loaders, state


def render() -> None:
    view = state.current()
    with st.sidebar:
        st.markdown("**Frontier as of**")
        picked = st.date_input(
            "As-of date", value=view.date, min_value=MIN_DATE, max_value=dt.date.today(),
            format="YYYY-MM-DD", help="The map shows every layer as it stood on this date.",
        )
        window = st.selectbox(
            "Incident window (ending on that date)", list(WINDOWS),
            index=list(WINDOWS).index(view.window), format_func=window_label,
        )
        if picked != view.date or window != view.window:
            state.update(date=picked, window=window, event=None)
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
