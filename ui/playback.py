"""Playback on the Map page: the live map steps through negotiation events or weeks, one frame
a second, as reruns of the map's fragment (st.fragment(run_every=…)); each frame writes its
date to the URL before it is drawn, so pausing leaves the permalink on the frame shown.

Play and pause rerun the whole page, which starts or stops the fragment's timer and brings
the sidebar's date up to the frame shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.core.timeline import PLAY_STEPS, next_frame
from geo.core.view import ViewState
from geo.core.vocabulary import FALL_OF_ASSAD
from ui import loaders, state

PLAY_KEY: Final[str] = "map_play"
STEP_KEY: Final[str] = "map_play_step"
#: Seconds between frames.
FRAME_S: Final[float] = 1.0
_PLAYING: Final[str] = "map_playing"
_WHOLE: Final[str] = "map_rerun_page"
_FULL_RUN: Final[str] = "map_full_run"


def playing() -> bool:
    return bool(st.session_state.get(_PLAYING))


def interval() -> float | None:
    """The fragment's timer: a frame a second while playing, none when paused."""
    return FRAME_S if playing() else None


def full_run() -> None:
    """Called by the page outside its fragment: this run is a run of the whole page."""
    st.session_state[_FULL_RUN] = True


def go_to(day: str, event: str | None) -> None:
    """Callback of a control in the fragment that sets the date (an event button, a click on
    the track): the whole page reruns, so that the sidebar shows the date too."""
    state.update(date=dt.date.fromisoformat(day), event=event)
    st.session_state[_WHOLE] = True


def _switch() -> None:
    st.session_state[_PLAYING] = not playing()
    st.session_state[_WHOLE] = True
    view = state.current()
    if playing() and next_frame(loaders.timeline().data, view.date, _by(), _last_day()) is None:
        state.update(date=FALL_OF_ASSAD, event=None)  # at the end: play from the fall of Assad


def _last_day() -> dt.date:
    return loaders.coverage().data_through or dt.date.today()


def frame() -> ViewState:
    """The view of this run: while playing, a rerun of the fragment by its timer moves the view
    one frame on (the URL follows). At the end, on play or pause and after :func:`go_to`, the
    whole page reruns instead."""
    whole = st.session_state.pop(_FULL_RUN, False)
    view = state.current() if whole else state.current_in_fragment()
    if st.session_state.pop(_WHOLE, False) and not whole:
        st.rerun()
    if not playing() or whole:
        return view
    step = next_frame(loaders.timeline().data, view.date, _by(), _last_day())
    if step is None:
        st.session_state[_PLAYING] = False
        st.rerun()
    day, event = step
    return state.update(date=day, event=event)


def _by() -> str:
    return str(st.session_state.get(STEP_KEY) or "event")


def controls(play_column: DeltaGenerator, step_column: DeltaGenerator) -> None:
    """The play / pause button and what a frame steps by."""
    play_column.button("Pause" if playing() else "Play", key=PLAY_KEY, on_click=_switch,
                       icon=":material/pause:" if playing() else ":material/play_arrow:",
                       width="stretch", help="Step through the record on the map, a frame "
                       "a second; pausing leaves the link on the frame shown.")
    step_column.selectbox("Play by", list(PLAY_STEPS), format_func=PLAY_STEPS.__getitem__,
                          key=STEP_KEY, label_visibility="collapsed")
