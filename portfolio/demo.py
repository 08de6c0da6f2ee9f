"""The built-in demo: a fictional contributor collected offline through the real collector."""

from __future__ import annotations

from collections.abc import Callable

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import DEMO_LOGIN, demo_dataset
from portfolio.collect import CollectResult, Progress, collect
from portfolio.store import Store

__all__ = ["DEMO_LOGIN", "build_demo", "has_demo"]


def build_demo(store: Store, progress: Callable[[Progress], None] | None = None) -> CollectResult:
    """Serve the demo dataset on 127.0.0.1 and collect it into ``store`` with the real collector."""
    with FakeGitHub(demo_dataset()) as hub:
        return collect(
            DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True, progress=progress
        )


def has_demo(store: Store) -> bool:
    """Whether ``store`` already holds a complete collection of the demo contributor."""
    return store.last_sync(DEMO_LOGIN, complete_only=True) is not None
