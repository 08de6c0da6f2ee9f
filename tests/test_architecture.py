"""The module boundaries of the design hold: imports flow one way, and only one package talks to GitHub."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "portfolio"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _inside(path: Path, *parts: str) -> bool:
    return path.relative_to(PACKAGE).parts[: len(parts)] == parts


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_streamlit_only_in_the_app_layer(path):
    """No module under portfolio/ outside portfolio/app/ imports streamlit."""
    if _inside(path, "app"):
        return
    assert not any(name.split(".")[0] == "streamlit" for name in _imports(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pygithub_only_in_the_github_package(path):
    """Only portfolio/github/ imports PyGithub."""
    if _inside(path, "github"):
        return
    assert not any(name.split(".")[0] == "github" for name in _imports(path))


LOWER_LAYERS = {
    "model.py": {
        "portfolio.store",
        "portfolio.collect",
        "portfolio.record",
        "portfolio.app",
        "portfolio.charts",
    },
    "store.py": {
        "portfolio.collect",
        "portfolio.github",
        "portfolio.record",
        "portfolio.app",
        "portfolio.charts",
    },
    "record": {
        "portfolio.store",
        "portfolio.collect",
        "portfolio.github",
        "portfolio.app",
        "portfolio.charts",
    },
    "score.py": {
        "portfolio.store",
        "portfolio.collect",
        "portfolio.github",
        "portfolio.app",
        "portfolio.charts",
    },
    "classify.py": {
        "portfolio.store",
        "portfolio.collect",
        "portfolio.github",
        "portfolio.app",
        "portfolio.charts",
    },
    "charts.py": {"portfolio.app", "streamlit", "portfolio.store", "portfolio.collect"},
    "views": {"portfolio.app", "streamlit", "portfolio.store", "portfolio.collect", "portfolio.github"},
    "export.py": {"portfolio.app", "streamlit", "portfolio.collect", "portfolio.github"},
}


@pytest.mark.parametrize(("module", "forbidden"), LOWER_LAYERS.items())
def test_lower_layers_never_import_upward(module, forbidden):
    """The model, store, track record, charts, views and exports import nothing from the layers above them."""
    path = PACKAGE / module
    imported = set().union(*map(_imports, path.rglob("*.py"))) if path.is_dir() else _imports(path)
    assert not {name for name in imported for bad in forbidden if name == bad or name.startswith(bad + ".")}


def test_model_is_stdlib_only():
    """The model imports nothing outside the standard library."""
    import sys

    assert all(
        name.split(".")[0] in sys.stdlib_module_names | {"__future__"}
        for name in _imports(PACKAGE / "model.py")
    )


def test_the_app_loads_without_the_collector():
    """Opening the dashboard imports neither the collector nor PyGithub: only the Refresh page needs them."""
    import subprocess
    import sys

    code = (
        "import sys, portfolio.app.main; "
        "print(sorted(m for m in ('github', 'portfolio.collect') if m in sys.modules))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    assert shown.stdout.strip() == "[]"
