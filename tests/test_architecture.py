"""The module boundaries of the design hold: the import contracts in pyproject.toml, and what they cannot say."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The `lint-imports` command, run by this interpreter from the repository root so it reads this checkout.
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_the_import_contracts_hold():
    """Every import-linter contract in pyproject.toml (layers, Streamlit, PyGithub, fakehub) is kept."""
    linted = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "0 broken" in linted.stdout


def test_model_is_stdlib_only():
    """The model imports nothing outside the standard library (a contract can forbid names, not allow only these)."""
    tree = ast.parse((ROOT / "portfolio" / "model.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert all(name.split(".")[0] in sys.stdlib_module_names | {"__future__"} for name in imported)


def test_the_app_loads_without_the_collector():
    """Opening the dashboard imports neither the collector nor PyGithub: only the Refresh page needs them."""
    code = (
        "import sys, portfolio.app.main; "
        "print(sorted(m for m in ('github', 'portfolio.collect') if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stdout.strip() == "[]"


def _contract_layers(container: str) -> list[set[str]]:
    """The modules of each layer of ``container``'s layers contract in pyproject.toml, top to bottom."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["type"] == "layers" and c["containers"] == [container]]
    return [{name.strip() for name in layer.split("|")} for layer in contract["layers"]]


def _architecture() -> str:
    """The text of docs/architecture.md."""
    return (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _documented_layers() -> list[set[str]]:
    """The modules of each row of the layer table in docs/architecture.md, top to bottom."""
    section = _architecture().split("## Layers", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[2] for line in section.splitlines() if re.match(r"\|[^-|]", line)][1:]
    return [set(re.findall(r"`([^`]+)`", row)) for row in rows]


def test_the_architecture_document_lists_the_contracts_layers():
    """docs/architecture.md's layer table names the same modules in the same layers and order as the contract."""
    assert _documented_layers() == _contract_layers("portfolio")


def test_the_architecture_document_names_every_module_of_the_github_package():
    """Every module in the portfolio.github layers contract is named in docs/architecture.md."""
    modules = set().union(*_contract_layers("portfolio.github"))
    assert {name for name in modules if f"`{name}.py`" not in _architecture()} == set()
