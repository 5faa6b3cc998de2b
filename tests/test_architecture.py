"""Architecture rules, checked on the source with ast: geo/ stays free of streamlit, nothing
evaluates code or unpickles, page scripts stay short."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

MAX_PAGE_LINES = 120

GEO_FILES = sorted((ROOT / "geo").rglob("*.py"))
APP_FILES = sorted(
    [*(ROOT / "geo").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
     ROOT / "dashboard.py"]
)
PAGE_FILES = sorted((ROOT / "pages").rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def streamlit_imports(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "streamlit" or name.startswith("streamlit.") for name in names):
            lines.append(node.lineno)
    return lines


def dangerous_calls(tree: ast.AST) -> list[str]:
    """Calls to eval/exec and pickle.load/loads (also `from pickle import load`)."""
    pickle_aliases = {"pickle"}
    pickle_funcs: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            pickle_aliases |= {a.asname or a.name for a in node.names if a.name == "pickle"}
        elif isinstance(node, ast.ImportFrom) and node.module == "pickle":
            pickle_funcs |= {a.asname or a.name for a in node.names if a.name in ("load", "loads")}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and (func.id in ("eval", "exec") or func.id in pickle_funcs):
            found.append(f"line {node.lineno}: {func.id}()")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in ("load", "loads")
            and isinstance(func.value, ast.Name)
            and func.value.id in pickle_aliases
        ):
            found.append(f"line {node.lineno}: {func.value.id}.{func.attr}()")
        elif isinstance(func, ast.Attribute) and func.attr in ("eval", "exec") and isinstance(
            func.value, ast.Name
        ) and func.value.id == "builtins":
            found.append(f"line {node.lineno}: builtins.{func.attr}()")
    return found


def test_the_rules_see_the_code():
    assert len(GEO_FILES) >= 5
    assert ROOT / "geo" / "core" / "model.py" in GEO_FILES
    assert (ROOT / "dashboard.py").exists()


@pytest.mark.parametrize("path", GEO_FILES, ids=rel)
def test_geo_does_not_import_streamlit(path):
    assert streamlit_imports(parse(path)) == [], f"{rel(path)} imports streamlit"


@pytest.mark.parametrize("path", APP_FILES, ids=rel)
def test_no_eval_exec_or_unpickling(path):
    assert dangerous_calls(parse(path)) == [], rel(path)


@pytest.mark.parametrize("path", PAGE_FILES, ids=rel)
def test_page_scripts_are_short(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_PAGE_LINES, f"{rel(path)} has {lines} lines (max {MAX_PAGE_LINES})"


# The detectors themselves: each must flag what it is meant to flag, and nothing else.


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("import streamlit", True),
        ("import streamlit as st", True),
        ("import os, streamlit.components.v1 as c", True),
        ("from streamlit import session_state", True),
        ("from streamlit.runtime import exists", True),
        ("def f():\n    import streamlit\n", True),
        ("import streamlit_folium", False),
        ("from . import streamlit", False),
        ("x = 'import streamlit'", False),
    ],
)
def test_streamlit_detector(source, flagged):
    assert bool(streamlit_imports(ast.parse(source))) is flagged


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("eval('1+1')", True),
        ("exec('x = 1')", True),
        ("import builtins\nbuiltins.eval('1')", True),
        ("import pickle\npickle.load(open('f', 'rb'))", True),
        ("import pickle\npickle.loads(b'')", True),
        ("import pickle as pk\npk.loads(b'')", True),
        ("from pickle import loads\nloads(b'')", True),
        ("from pickle import load as l\nl(f)", True),
        ("import json\njson.loads('{}')", False),
        ("df.eval('a + b')", False),
        ("import pickle\npickle.dumps(1)", False),
        ("x = 'eval(1)'", False),
    ],
)
def test_dangerous_call_detector(source, flagged):
    assert bool(dangerous_calls(ast.parse(source))) is flagged
