"""Annotations in the app: the form that draws and saves one with its provenance, conflicts
between writers, the versions panel, and the annotations a view shows.

The form holds one annotation at a time (``_OPENED``: its id and the version it was opened
at, or None for a new one). Every save is a new version based on the opened one; when someone
else saved in between, the store refuses (ConflictError) and the user reloads or saves as new.
The URL's ``ann`` names the annotation the page opens on (``id@3``: with version 3 shown).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import folium
import pandas as pd
import shapely
import streamlit as st
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.core.annotation import (
    ANNOTATION_BASES,
    ANNOTATION_STATUSES,
    Annotation,
    AnnotationSource,
    annotation_reasons,
    new_annotation_id,
)
from geo.core.model import CONFIDENCES
from geo.core.view import ViewState, annotation_ref, permalink
from geo.data.store import ConflictError, Store, StoreError
from geo.render.annotations import (
    add_draw,
    annotation_popup,
    drawing_layer,
    drawn_geometry,
    status_label,
)
from geo.render.assets import localise
from geo.render.map import IncidentLayer, MapSpec, build_map
from geo.render.payloads import feature_collection
from geo.render.terrain_layers import CONTEXT_LAYERS, context_features
from ui import mapview, state
from ui import store as ui_store

PICK_KEY, NAME_KEY, STATUS_KEY = "annotate_pick", "annotate_name", "annotate_status"
FROM_KEY, TO_KEY, BASIS_KEY = "annotate_from", "annotate_to", "annotate_basis"
CONFIDENCE_KEY, NOTE_KEY, AUTHOR_KEY = "annotate_confidence", "annotate_note", "annotate_author"
SAVE_KEY, RELOAD_KEY, SAVE_NEW_KEY = "annotate_save", "annotate_reload", "annotate_save_new"
VERSION_KEY, VERSIONS_KEY, MAP_KEY = "annotate_version", "annotate_versions", "annotate_map"
SOURCE_ROWS: Final[int] = 3
_OPENED, DRAWN_KEY, _HANDLED = "annotate_opened", "annotate_drawn", "annotate_handled"
_CONFLICT, _ERRORS, _DONE = "annotate_conflict", "annotate_errors", "annotate_done"


def source_keys(i: int) -> tuple[str, str, str]:
    """Widget keys of source row ``i``: title, URL, document reference."""
    return f"annotate_src_title_{i}", f"annotate_src_url_{i}", f"annotate_src_ref_{i}"


def store() -> Store:
    return ui_store.current()


# ---------------------------------------------------------------------------------------------
# What a view shows

def shown(view: ViewState) -> tuple[list[Annotation], list[str]]:
    """The annotations of a view: those its ``ann`` names (at a pinned version if given), else
    the latest of all; and a message for each named one that cannot be read."""
    if not view.ann:
        return store().annotations(), []
    found, missing = [], []
    for ref in view.ann:
        try:
            found.append(store().annotation(*annotation_ref(ref)))
        except StoreError as error:
            missing.append(f"Annotation {ref} cannot be shown: {error}")
    return found, missing


def link(view: ViewState, annotations: list[Annotation], page: str = "") -> str:
    """A permalink of the view that keeps the annotations shown, by id."""
    ann = view.ann or tuple(a.id for a in annotations)
    return permalink(view.replace(ann=ann), state.app_url(), page)


# ---------------------------------------------------------------------------------------------
# The form

def _load(a: Annotation | None, today: dt.date) -> None:
    """Put an annotation (None: a blank one) into the form and open it."""
    ss = st.session_state
    ss[_OPENED] = (a.id, a.version) if a else None
    ss[DRAWN_KEY], ss[_CONFLICT] = None, None
    ss[NAME_KEY] = a.name if a else ""
    ss[STATUS_KEY] = a.status if a else ANNOTATION_STATUSES[0]
    ss[FROM_KEY] = a.valid_from if a else today
    ss[TO_KEY] = a.valid_to if a else None
    ss[BASIS_KEY] = a.basis if a else ANNOTATION_BASES[0]
    ss[CONFIDENCE_KEY] = a.confidence if a else CONFIDENCES[-1]
    ss[NOTE_KEY] = a.note if a else ""
    ss.setdefault(AUTHOR_KEY, "")
    for i in range(SOURCE_ROWS):
        src = a.sources[i] if a and i < len(a.sources) else None
        for key, value in zip(source_keys(i), (src.title if src else "", src.url if src else "",
                                               src.reference if src else ""), strict=True):
            ss[key] = value or ""
    ss[PICK_KEY] = a.id if a else ""


def opened() -> Annotation | None:
    """The annotation the form holds, at the version it was opened at (None: a new one)."""
    ref = st.session_state.get(_OPENED)
    return store().annotation(*ref) if ref else None


def sync(view: ViewState) -> None:
    """Open the annotation the URL names (a permalink), or a blank form the first time."""
    wanted = annotation_ref(view.ann[0])[0] if view.ann else None
    ref = st.session_state.get(_OPENED)
    if wanted and (not ref or ref[0] != wanted):
        _load(store().annotation(wanted), view.date)
    elif not wanted and PICK_KEY not in st.session_state:
        _load(None, view.date)


def picked() -> None:
    """Another annotation was picked (or a new one): open it, and the URL follows."""
    chosen = st.session_state[PICK_KEY]
    view = state.current()
    _load(store().annotation(chosen) if chosen else None, view.date)
    state.update(ann=(chosen,) if chosen else ())


def take_drawing(out: dict[str, Any] | None) -> bool:
    """Keep a new drawing as the geometry to save; True when there was one (a map reports its
    last drawing again on every run)."""
    drawing = (out or {}).get("last_active_drawing")
    if not drawing or drawing == st.session_state.get(_HANDLED):
        return False
    st.session_state[_HANDLED] = drawing
    geometry = drawn_geometry(drawing)
    st.session_state[DRAWN_KEY] = mapping(geometry) if geometry is not None else None
    return geometry is not None


def geometry() -> BaseGeometry | None:
    """The geometry the form saves: the last drawing, else the opened annotation's."""
    drawn = st.session_state.get(DRAWN_KEY)
    if drawn:
        return shape(drawn)
    current = opened()
    return current.geometry if current else None


def _from_form() -> Annotation:
    ss = st.session_state
    sources = []
    for i in range(SOURCE_ROWS):
        title, url, doc = (str(ss.get(k) or "").strip() for k in source_keys(i))
        if title or url or doc:
            sources.append(AnnotationSource(title, url or None, doc or None))
    opened_ref = ss.get(_OPENED)
    name = str(ss[NAME_KEY]).strip()
    return Annotation(
        id=opened_ref[0] if opened_ref else new_annotation_id(name), name=name,
        status=ss[STATUS_KEY], valid_from=ss[FROM_KEY], valid_to=ss[TO_KEY], sources=tuple(sources),
        basis=ss[BASIS_KEY], confidence=ss[CONFIDENCE_KEY], note=str(ss[NOTE_KEY]).strip(),
        geometry=geometry() or shapely.Point(), author=str(ss[AUTHOR_KEY]).strip(),
    )


def _save(a: Annotation, expected: int | None) -> None:
    ss = st.session_state
    reasons = annotation_reasons(a)
    if reasons:
        ss[_ERRORS] = reasons
        return
    try:
        saved = store().save_annotation(a, expected)
    except ConflictError as error:
        ss[_CONFLICT], ss[_ERRORS] = a, [str(error)]
        return
    except StoreError as error:
        ss[_ERRORS] = [str(error)]
        return
    _load(saved, saved.valid_from)
    ss[_DONE] = f"Saved “{saved.name}” as version {saved.version}."
    ss[VERSION_KEY] = saved.version
    state.update(ann=(saved.id,))


def save() -> None:
    """Save the form as a new version of the opened annotation (or as a new one)."""
    ref = st.session_state.get(_OPENED)
    _save(_from_form(), ref[1] if ref else None)


def reload() -> None:
    """Drop this form's changes and open the latest version."""
    _load(store().annotation(st.session_state[_OPENED][0]), state.current().date)


def save_as_new() -> None:
    """Save the refused changes as a new annotation, with an id of its own."""
    refused: Annotation = st.session_state[_CONFLICT]
    fresh = Annotation(**{**refused.__dict__, "id": new_annotation_id(refused.name),
                          "version": 0, "saved_at": None})
    _save(fresh, None)


def form() -> None:
    """The fields, the save button, and what the last save did."""
    with st.form("annotate_form", border=True):
        st.text_input("Name", key=NAME_KEY, max_chars=200)
        cells = st.columns(2)
        cells[0].selectbox("Status", ANNOTATION_STATUSES, key=STATUS_KEY,
                           format_func=status_label)
        cells[1].selectbox("Confidence", CONFIDENCES, key=CONFIDENCE_KEY)
        cells[0].date_input("Valid from", key=FROM_KEY, format="YYYY-MM-DD")
        cells[1].date_input("Valid to (empty: still holds)", key=TO_KEY, format="YYYY-MM-DD",
                            help="The first day it no longer holds, as for the built-in data.")
        st.radio("Basis", ANNOTATION_BASES, key=BASIS_KEY, horizontal=True,
                 format_func=lambda b: "schematic (my drawn reading)" if b == "schematic" else b)
        st.markdown("**Sources** (at least one: a title and an http(s) URL or a document "
                    "reference)")
        for i in range(SOURCE_ROWS):
            row = st.columns([3, 3, 2])
            for cell, key, label in zip(row, source_keys(i), ("Title", "URL", "Reference"),
                                        strict=True):
                cell.text_input(f"{label} {i + 1}", key=key, label_visibility="collapsed",
                                placeholder=f"{label} {i + 1}")
        st.text_area("Note", key=NOTE_KEY, height=80)
        st.text_input("Author (who saves this; free text)", key=AUTHOR_KEY, max_chars=200)
        st.form_submit_button("Save", key=SAVE_KEY, on_click=save, type="primary")
    messages()


def messages() -> None:
    ss = st.session_state
    for reason in ss.pop(_ERRORS, None) or []:
        st.error(reason[:1].upper() + reason[1:])
    if ss.get(_CONFLICT) is not None:
        cells = st.columns(2)
        cells[0].button("Reload (drop my changes)", key=RELOAD_KEY, on_click=reload)
        cells[1].button("Save as new", key=SAVE_NEW_KEY, on_click=save_as_new)
    done = ss.pop(_DONE, None)
    if done:
        st.success(done)


# ---------------------------------------------------------------------------------------------
# The map and the versions panel

def draw_map(view: ViewState, annotations: list[Annotation], origin: tuple[float, float, int]
             ) -> folium.Map:
    """The context layers and the annotations as of the view's date, the geometry being
    edited, and the Draw control (local assets)."""
    no_incidents = IncidentLayer(0, (), False, feature_collection([]))
    features = context_features(mapview.features_on(view.date.isoformat()))
    spec = MapSpec(view.replace(layers=CONTEXT_LAYERS), origin, annotations=tuple(annotations))
    fmap = build_map(features, no_incidents, spec)
    current = geometry()
    if current is not None:
        fmap.add_child(drawing_layer(current))
    return localise(add_draw(fmap))


def versions(view: ViewState) -> None:
    """Every saved version of the opened annotation; any one's fields shown in full."""
    ref = st.session_state.get(_OPENED)
    if not ref:
        return
    history = store().annotation_history(ref[0])
    st.subheader(f"Versions ({len(history)})")
    rows = [{"version": a.version, "author": a.author, "saved at (UTC)":
             f"{a.saved_at:%Y-%m-%d %H:%M:%S}" if a.saved_at else "", "name": a.name,
             "status": status_label(a.status)} for a in history]
    st.container(key=VERSIONS_KEY).table(pd.DataFrame(rows), hide_index=True)
    pinned = annotation_ref(view.ann[0])[1] if view.ann else None
    numbers = [a.version for a in history]
    if st.session_state.get(VERSION_KEY) not in numbers:
        st.session_state[VERSION_KEY] = pinned if pinned in numbers else numbers[-1]
    chosen = st.selectbox("Show version", numbers, key=VERSION_KEY)
    shown_version = history[numbers.index(chosen)]
    st.html(annotation_popup(shown_version))
    st.caption(f"Geometry: {shown_version.geometry.geom_type}, "
               f"{len(shapely.get_coordinates(shown_version.geometry))} points")
    st.code(link(view.replace(ann=(f"{ref[0]}@{chosen}",)), [], page="annotate"),
            language=None)
