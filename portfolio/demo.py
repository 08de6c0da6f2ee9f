"""The built-in demo: a fictional contributor, shipped as a snapshot that the real collector produced.

``portfolio/data/demo.json.gz`` is written by ``python -m fakehub.regenerate``, which collects the demo
generator's world through the fake GitHub; a test regenerates it and compares, so the file never drifts
from the pipeline. Loading it needs no server, no port and no network.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from portfolio.snapshot import import_snapshot
from portfolio.store import Store

__all__ = ["DEMO_LOGIN", "DEMO_SNAPSHOT", "has_demo", "load_demo"]

DEMO_LOGIN = "fictional-contributor"
DEMO_SNAPSHOT = files("portfolio") / "data" / "demo.json.gz"


def load_demo(store: Store) -> str:
    """Import the shipped demo snapshot into ``store``; returns the demo login."""
    with as_file(DEMO_SNAPSHOT) as path:
        return import_snapshot(store, path)


def has_demo(store: Store) -> bool:
    """Whether ``store`` already holds a complete collection of the demo contributor."""
    return store.last_sync(DEMO_LOGIN, complete_only=True) is not None
