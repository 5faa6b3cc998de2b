"""Briefing mode: the security track as a story, step by step, and the two sides' positions
side by side. Presenter mode hides the sidebar and enlarges type and buttons."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geo.core.view import PRESETS
from geo.data.story import step_index, step_permalink
from geo.render.popups import esc, sources_html
from ui import loaders, mapview, state, story


def mode_or_presenter() -> None:
    """The user chose the other mode or switched presenter mode: the URL follows."""
    story.set_mode(st.session_state["briefing_mode"] or story.mode())
    story.set_presenter(st.session_state["briefing_presenter"])


loaded, presenting = story.story(), story.presenter()
steps = loaded.data
if presenting:
    st.html(story.PRESENTER_CSS)
state.show("briefing_mode", story.mode())
state.show("briefing_presenter", presenting)
top = st.columns([4, 1])
top[0].segmented_control("Show", list(story.MODES), format_func=story.MODES.get,
                         label_visibility="collapsed", key="briefing_mode",
                         on_change=mode_or_presenter)
top[1].toggle("Presenter mode", key="briefing_presenter", on_change=mode_or_presenter)
if loaded.rejected:
    with st.expander(f"{len(loaded.rejected)} story step(s) refused by the loader"):
        st.dataframe([r.as_row() for r in loaded.rejected], hide_index=True)

if story.mode() == "compare":
    when, table, changes = story.comparison(loaders.data_dir())
    st.title(f"Syria's demand and Israel's proposal, {dt.date.fromisoformat(when):%d %B %Y}")
    st.iframe(story.comparison_html(loaders.data_dir(), when, *PRESETS["Damascus to the Golan"]),
              height=600 if presenting else 520)
    st.dataframe(table.drop(columns=["id", "inside_other"]).rename(columns={
        "area_km2": "area km²", "overlap_km2": "km² within the other position",
        "outside_km2": "km² outside it"}), hide_index=True, width="stretch")
    st.markdown("\n".join(f"- {esc(line)}" for line in changes))
    st.caption("Areas in km², UTM zone 36N (EPSG:32636). Both positions are schematic, drawn "
               "from press reports of each side's terms: not official maps.")
elif not steps:
    st.error("No story step could be loaded from data/story.json.")
else:
    day = state.current().date if "date" in st.query_params else None  # e.g. set in the sidebar
    index = step_index(steps, st.query_params.get("step"), day)
    step = steps[index]
    if story.show(step):  # the URL now describes this step: rerun so the sidebar agrees
        st.rerun()
    st.title(step.title)
    left, right = st.columns(story.COLUMNS, gap="medium")
    with left:
        fmap = story.step_map(step)
        mapview.follow_window(fmap, story.map_offset(presenting), compact_top=not presenting)
        st_folium(fmap, key=f"story-{step.id}", height=600, use_container_width=True,
                  returned_objects=[])
    with right:
        st.markdown(f"**Step {index + 1} of {len(steps)} · {step.date:%d %B %Y}**")
        st.markdown(esc(step.caption))
        st.html(f"<div class='story-sources'>Source: {sources_html(list(step.sources))}</div>")
        nav = [st.container(), st.container()] if presenting else st.columns(2)
        for col, label, target, shortcut in ((nav[0], "◀ Previous", index - 1, "Left"),
                                             (nav[1], "Next ▶", index + 1, "Right")):
            if col.button(label, disabled=not 0 <= target < len(steps), width="stretch",
                          shortcut=shortcut, key=f"story-{shortcut.lower()}"):
                story.show(steps[target])
                st.rerun()
        st.caption("Keys: ← previous · → next")
    st.markdown("**Link to this step**")
    st.code(step_permalink(step, state.app_url(), presenting), language=None)
