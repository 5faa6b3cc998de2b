"""Architecture rules, checked on the source with ast: geo/ stays free of streamlit and keeps
its layers (core < data < analysis < render < export, nothing of the app above it), nothing
evaluates code or unpickles, page scripts and geo/ modules stay short."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

MAX_PAGE_LINES = 120
MAX_GEO_LINES = 400
#: The layers of geo/, bottom up, and what each may import from geo/ besides itself.
LAYERS = ("core", "data", "analysis", "render", "export")
MAY_IMPORT = {layer: set(LAYERS[:index]) for index, layer in enumerate(LAYERS)}
#: The app around geo/: geo never imports any of it.
APP_MODULES = ("ui", "pages", "bench", "tests", "dashboard")

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


def package_of(path: Path) -> str:
    """The dotted package a module belongs to (``geo/core/model.py`` -> ``geo.core``)."""
    return ".".join(path.relative_to(ROOT).parent.parts)


def imported_modules(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of everything an import statement names, anywhere in the
    module: ``import a.b`` gives ``a.b``; ``from a import b`` gives ``a`` and ``a.b`` (``b`` may be
    a module); relative imports are resolved against ``package``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*parts, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def layering_violations(tree: ast.AST, package: str) -> list[str]:
    """Imports that break the layering of geo/ from a module of ``package`` (``geo.<layer>``):
    a layer above its own, or any module of the app around geo/."""
    own = package.split(".")[1] if package.count(".") else ""
    allowed = MAY_IMPORT.get(own, set()) | {own}
    found = []
    for line, name in imported_modules(tree, package):
        parts = name.split(".")
        if parts[0] in APP_MODULES:
            found.append(f"line {line}: {name} (the app, not geo)")
        elif parts[0] == "geo" and len(parts) > 1 and parts[1] in LAYERS and (
                parts[1] not in allowed):
            found.append(f"line {line}: {name} (geo.{own} may import {sorted(allowed)})")
    return found


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


@pytest.mark.parametrize("path", GEO_FILES, ids=rel)
def test_geo_keeps_its_layers(path):
    assert layering_violations(parse(path), package_of(path)) == [], rel(path)


@pytest.mark.parametrize("path", GEO_FILES, ids=rel)
def test_geo_modules_are_short(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_GEO_LINES, f"{rel(path)} has {lines} lines (max {MAX_GEO_LINES})"


def test_every_geo_module_is_in_a_layer():
    outside = [rel(p) for p in GEO_FILES
               if package_of(p) != "geo" and package_of(p).split(".")[1] not in LAYERS]
    assert outside == []
    assert [rel(p) for p in GEO_FILES if package_of(p) == "geo"] == ["geo/__init__.py"]


# The detectors themselves: each must flag what it is meant to flag, and nothing else.


@pytest.mark.parametrize(
    ("package", "source", "flagged"),
    [
        ("geo.core", "import geo.core.model", False),
        ("geo.core", "from geo.core.vocabulary import TILES", False),
        ("geo.core", "from geo.data.loaders import load_all", True),
        ("geo.core", "import geo.render.map as m", True),
        ("geo.core", "from geo import export", True),
        ("geo.core", "def f():\n    from geo.analysis import zones\n", True),
        ("geo.core", "from ..data import store", True),
        ("geo.core", "from . import model", False),
        ("geo.data", "from geo.core.model import Rejected", False),
        ("geo.data", "from geo.analysis.zones import classify", True),
        ("geo.analysis", "from geo.data import loaders", False),
        ("geo.analysis", "from geo.render import charts", True),
        ("geo.render", "from geo.analysis.zones import classify", False),
        ("geo.render", "from geo.export.snapshot import make_snapshot", True),
        ("geo.export", "from geo.render.map import build_map", False),
        ("geo.export", "from ui import loaders", True),
        ("geo.export", "import pages.map", True),
        ("geo.core", "import bench.run", True),
        ("geo.core", "from tests.conftest import ROOT", True),
        ("geo.core", "import dashboard", True),
        ("geo.core", "import geopandas, shapely.geometry", False),
        ("geo.core", "x = 'from geo.data import loaders'", False),
    ],
)
def test_layering_detector(package, source, flagged):
    assert bool(layering_violations(ast.parse(source), package)) is flagged




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
