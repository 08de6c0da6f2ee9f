"""Cached loaders between the store and the pages; the only place the app opens the store."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from portfolio.config import default_db_path
from portfolio.demo import DEMO_LOGIN, build_demo, has_demo
from portfolio.model import Record, SyncInfo
from portfolio.store import Store

RECORD_TTL_SECONDS = 300  # a refresh from the CLI shows up within five minutes without a restart


def db_path() -> Path:
    """The store the CLI writes: ``PORTFOLIO_DB`` or the user data directory."""
    return default_db_path()


@st.cache_resource(show_spinner="Building the demo contributor's record (first start only)…")
def ensure_demo(path: str) -> str:
    """Collect the fictional demo contributor into the store once, offline, through the real collector."""
    with Store(path) as store:
        if not has_demo(store):
            build_demo(store)
    return DEMO_LOGIN


@st.cache_data(ttl=RECORD_TTL_SECONDS, show_spinner=False)
def load_record(path: str, login: str) -> tuple[Record | None, SyncInfo | None]:
    """The stored record and latest sync of ``login``, or (None, None) if it was never collected."""
    if not Path(path).exists():
        return None, None
    with Store(path) as store:
        return store.load_record(login), store.last_sync(login)


@st.cache_data(ttl=RECORD_TTL_SECONDS, show_spinner=False)
def collected_logins(path: str) -> list[str]:
    """Every login the store holds a collection of."""
    if not Path(path).exists():
        return []
    with Store(path) as store:
        return store.logins()
