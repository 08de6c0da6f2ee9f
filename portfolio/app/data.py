"""Cached loaders between the store and the pages; the only place the app opens the store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import altair as alt
import streamlit as st

from portfolio import charts
from portfolio.card import card_lines, render_card
from portfolio.config import default_db_path
from portfolio.demo import DEMO_LOGIN, has_demo, load_demo
from portfolio.errors import UnusableStore
from portfolio.export import dumps, record_json, track_record_json, track_record_markdown
from portfolio.frames import hide_frames
from portfolio.model import Profile, SyncInfo
from portfolio.publish import Published, publish
from portfolio.record import TrackRecord, track_record
from portfolio.site import hide_contributions
from portfolio.store import Store, check_store_file

# The engine that draws the Overview's pictures takes 0.4 s to start, off the GIL: started beside the
# imports, it is ready by the time the first track record is.
threading.Thread(target=charts.start_picture_engine, name="picture-engine", daemon=True).start()

RECORD_TTL_SECONDS = 300  # a refresh from the CLI shows up within five minutes without a restart
TRACK_RECORD_TTL_SECONDS = 3600  # keyed by the sync's finish time, so a new collection is a new key anyway
TRACK_RECORD_ENTRIES = 64  # (login, window) pairs kept; a 10k-contribution record is a few MB


class View(NamedTuple):
    """The arguments ``load_track_record`` is cached by: store, login, window, collection, hidden URLs."""

    path: str
    login: str
    since: date | None
    until: date | None
    version: str
    hidden: tuple[str, ...]


TRACK_CHARTS: dict[str, Callable[[TrackRecord], alt.TopLevelMixin]] = {
    "activity": lambda tr: charts.activity_chart(tr.activity),
    "split": lambda tr: charts.split_chart(charts.category_counts(tr.metrics)),
    "languages": lambda tr: charts.languages_chart(tr.languages),
    "score": lambda tr: charts.score_chart(tr.score.by_kind, tr.score.by_category),
    "reach": lambda tr: charts.reach_chart(tr.projects),
    "journey": lambda tr: charts.journey_chart(tr.milestones),
}
"""The charts drawn from one track record alone, by name."""


def db_path() -> Path:
    """The store the CLI writes: ``PORTFOLIO_DB`` or the user data directory."""
    return default_db_path()


def store_problem(path: str) -> str | None:
    """Why the store at ``path`` cannot be used (a foreign, damaged or newer file), or None if it can."""
    try:
        check_store_file(path)
    except UnusableStore as error:
        return str(error)
    return None


@st.cache_resource(show_spinner="Loading the demo contributor's record (first start only)…")
def ensure_demo(path: str) -> str:
    """Load the fictional demo contributor's shipped snapshot into the store once; no server, no network."""
    with Store(path) as store:
        if not has_demo(store):
            load_demo(store)
    return DEMO_LOGIN


def published_store(root: str, logins: tuple[str, ...]) -> Published:
    """Hosted mode's store, imported from ``root/data/*.json``; checked once a minute, rebuilt when a file's
    bytes change (the store is named after their hash)."""
    return _published(root, logins, _minute())


def _minute() -> int:
    return int(time.time() // 60)


@st.cache_resource(show_spinner="Loading the published records…", max_entries=4)
def _published(root: str, logins: tuple[str, ...], minute: int) -> Published:
    """``publish`` once per (root, logins, minute): ``minute`` is only part of the cache key."""
    del minute
    return publish(Path(root), logins)


@st.cache_data(ttl=RECORD_TTL_SECONDS, show_spinner=False)
def load_summary(path: str, login: str) -> tuple[Profile | None, SyncInfo | None]:
    """The profile and latest sync of ``login`` without its contributions: what every page header needs."""
    if not Path(path).exists():
        return None, None
    with Store(path) as store:
        return store.profile(login), store.last_sync(login)


@st.cache_data(ttl=RECORD_TTL_SECONDS, show_spinner=False)
def collected_logins(path: str) -> list[str]:
    """Every login the store holds a collection of."""
    if not Path(path).exists():
        return []
    with Store(path) as store:
        return store.logins()


# A resource, not data: every visitor gets the same object, neither pickled into the cache nor unpickled out
# of it on each rerun. Pages only read it (frame functions never mutate their arguments).
@st.cache_resource(
    ttl=TRACK_RECORD_TTL_SECONDS, max_entries=TRACK_RECORD_ENTRIES, show_spinner="Computing the track record…"
)
def load_track_record(
    path: str,
    login: str,
    since: date | None,
    until: date | None,
    version: str,
    hidden: tuple[str, ...] = (),
) -> TrackRecord | None:
    """The track record of ``login`` over a window, computed once per (store, login, window, collection).

    ``hidden`` are the contribution URLs the deployment's curation leaves out of every number.
    """
    del version  # only part of the cache key: a new collection of the login finishes at a new time
    if not Path(path).exists():
        return None
    with Store(path) as store:
        frames = store.load_frames(login)
    if frames is None:
        return None
    return track_record(hide_frames(frames, hidden), since=since, until=until)


# A resource, as the track record: building an Altair chart and validating its spec takes longer than
# drawing the rest of a page, so each is done once per track record and every rerun sends the same dict.
@st.cache_resource(
    ttl=TRACK_RECORD_TTL_SECONDS, max_entries=TRACK_RECORD_ENTRIES * len(TRACK_CHARTS), show_spinner=False
)
def load_chart(name: str, view: View) -> dict[str, Any] | None:
    """The Vega-Lite spec of chart ``name`` of ``TRACK_CHARTS`` over a view, built once per track record."""
    tr = load_track_record(*view)
    if tr is None:
        return None
    # Charts carry aggregates, yet the reach chart has a row per repository: no row cap, as st.altair_chart.
    with alt.data_transformers.disable_max_rows():
        return TRACK_CHARTS[name](tr).to_dict()


# A resource as the specs: drawing a chart on the server takes a tenth of a second, once per track record.
@st.cache_resource(
    ttl=TRACK_RECORD_TTL_SECONDS, max_entries=TRACK_RECORD_ENTRIES * len(TRACK_CHARTS) * 2, show_spinner=False
)
def load_picture(name: str, view: View, width: int) -> str | None:
    """Chart ``name`` of ``TRACK_CHARTS`` over a view drawn as SVG ``width`` pixels wide, once per track record."""
    spec = load_chart(name, view)
    return None if spec is None else charts.picture(spec, width)


@st.cache_data(ttl=TRACK_RECORD_TTL_SECONDS, max_entries=TRACK_RECORD_ENTRIES, show_spinner=False)
def load_downloads(
    path: str,
    login: str,
    since: date | None,
    until: date | None,
    version: str,
    hidden: tuple[str, ...] = (),
) -> dict[str, bytes] | None:
    """The Overview's downloads for a view: the card (SVG), the Markdown résumé section and the JSON record."""
    tr = load_track_record(path, login, since, until, version, hidden)
    if tr is None:
        return None
    with Store(path) as store:
        record, sync = store.load_record(login), store.last_sync(login)
    if record is None:
        return None
    record = hide_contributions(record, hidden)
    card = render_card(card_lines(record.profile, tr.metrics, tr.projects, sync), "svg")
    data = dumps(record_json(record, sync, {"track_record": track_record_json(tr)}))
    return {
        "card": card,
        "markdown": track_record_markdown(tr).encode("utf-8"),
        "json": data.encode("utf-8"),
    }


def clear_caches() -> None:
    """Forget every cached load, after a collection changed the store."""
    load_summary.clear()
    collected_logins.clear()
    load_track_record.clear()
    load_chart.clear()
    load_picture.clear()
    load_downloads.clear()
