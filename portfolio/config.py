"""Where things live: the store's path and the token, each decided in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_API_URL = "https://api.github.com"
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """The store the CLI and the dashboard share: ``PORTFOLIO_DB`` or a file in the user's data directory."""
    environ = os.environ if environ is None else environ
    if environ.get("PORTFOLIO_DB"):
        return Path(environ["PORTFOLIO_DB"]).expanduser()
    return Path(user_data_dir("portfolio", appauthor=False)) / "portfolio.sqlite"


def read_token(environ: Mapping[str, str] | None = None) -> str | None:
    """The GitHub token from ``GITHUB_TOKEN`` or ``GH_TOKEN``, or None; the only place a token is read."""
    environ = os.environ if environ is None else environ
    for name in TOKEN_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None
