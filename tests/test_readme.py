"""The README's two commands are the ones CI and a newcomer actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_exactly_the_readme_test_command():
    """.ci/run ends with the README's test command, verbatim."""
    test_command = next(c for c in _commands() if "pytest" in c)
    ci_lines = [
        line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert ci_lines[-1] == test_command


def test_readme_dashboard_command_runs_the_entrypoint():
    """The README's first command installs the runtime requirements and starts streamlit_app.py."""
    assert _commands()[0] == "pip install -r requirements.txt && streamlit run streamlit_app.py"
    assert (ROOT / "streamlit_app.py").exists()
