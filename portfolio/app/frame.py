"""The shared frame of every page: which login, which date window, and the links that carry both."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from portfolio.app.data import (
    View,
    collected_logins,
    load_chart,
    load_downloads,
    load_picture,
    load_summary,
    load_track_record,
)
from portfolio.config import DEFAULT_API_URL
from portfolio.model import Profile, SyncInfo
from portfolio.record import TrackRecord
from portfolio.site import Site

HOSTED_VARIABLE = "PORTFOLIO_HOSTED"
API_URL_VARIABLE = "PORTFOLIO_API_URL"
SITE_DIR_VARIABLE = "PORTFOLIO_SITE_DIR"
FALLBACK_BASE_URL = "http://localhost:8501"
FRAME_PARAMS = ("user", "from", "to")
_MISSING = object()


def hosted_mode() -> bool:
    """Whether this is a read-only public deployment: ``PORTFOLIO_HOSTED=1`` or ``hosted = true`` in secrets."""
    if os.environ.get(HOSTED_VARIABLE, "").strip().lower() in {"1", "true", "yes"}:
        return True
    try:
        return bool(st.secrets.get("hosted", False))
    except FileNotFoundError:
        return False
    except Exception:
        return False


def site_dir() -> Path:
    """The directory with ``portfolio.toml``: ``PORTFOLIO_SITE_DIR``, else where the app runs."""
    return Path(os.environ.get(SITE_DIR_VARIABLE, "").strip() or ".").resolve()


def api_url() -> str:
    """The GitHub API root the Refresh page collects from (``PORTFOLIO_API_URL`` points it elsewhere)."""
    return os.environ.get(API_URL_VARIABLE, "").strip() or DEFAULT_API_URL


def parse_day(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` query value as a date; None when absent or malformed."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Frame:
    """One view's context: store, login, window, and the collected data behind them."""

    path: str
    login: str
    since: date | None
    until: date | None
    profile: Profile | None
    sync: SyncInfo | None
    hosted: bool
    logins: tuple[str, ...] = ()
    pages: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    site: Site | None = None  # the deployment's settings when they name this login

    @property
    def hidden(self) -> tuple[str, ...]:
        """The contribution URLs the curation leaves out of every number (a cache key, so sorted)."""
        return tuple(sorted(self.site.hides)) if self.site is not None else ()

    @property
    def collected(self) -> bool:
        """Whether the store holds this login at all."""
        return self.profile is not None

    @property
    def version(self) -> str:
        """What changes when the login is collected again: the latest sync's times."""
        if self.sync is None:
            return ""
        return f"{self.sync.started_at.isoformat()}/{self.sync.finished_at or ''}"

    def track(self) -> TrackRecord | None:
        """The track record of this login and window (cached, shared by every page)."""
        return load_track_record(*self.view)

    def chart(self, name: str) -> dict[str, Any] | None:
        """The Vega-Lite spec of one of this view's charts (``TRACK_CHARTS``), cached with its track record."""
        return load_chart(name, self.view)

    @property
    def view(self) -> View:
        """What this view's cached track record, charts and pictures are keyed by."""
        return View(self.path, self.login, self.since, self.until, self.version, self.hidden)

    def picture(self, name: str, width: int) -> str | None:
        """One of this view's charts drawn as SVG ``width`` pixels wide, cached with its track record."""
        return load_picture(name, self.view, width)

    def download(self, name: str) -> bytes:
        """One of this view's files: ``card`` (SVG), ``markdown`` (résumé section) or ``json`` (cached)."""
        files = load_downloads(*self.view)
        return b"" if files is None else files[name]

    def track_of(self, login: str) -> TrackRecord | None:
        """Another collected login's track record over the same window (for Compare)."""
        _, sync = load_summary(self.path, login)
        version = "" if sync is None else f"{sync.started_at.isoformat()}/{sync.finished_at or ''}"
        return load_track_record(self.path, login, self.since, self.until, version, self.hidden)

    def params(self, **extra: str) -> dict[str, str]:
        """The query string of this view plus ``extra`` (page, filters)."""
        base = {"user": self.login}
        if self.since is not None:
            base["from"] = self.since.isoformat()
        if self.until is not None:
            base["to"] = self.until.isoformat()
        return {**base, **{k: v for k, v in extra.items() if v}}


def share_url(params: Mapping[str, str]) -> str:
    """An absolute link that opens this exact view."""
    current = st.context.url or FALLBACK_BASE_URL
    parts = urlsplit(current)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else FALLBACK_BASE_URL
    return f"{origin}/?{urlencode(params)}"


URL_BREAKS = re.compile(r"(?<=[/?&])")
ZERO_WIDTH_SPACE = "\u200b"  # a zero-width space: a line may break here, nothing is drawn


def breakable_url(url: str) -> str:
    """``url`` as a label that wraps after ``/``, ``?`` and ``&`` instead of mid-word (the link keeps ``url``)."""
    return URL_BREAKS.sub(ZERO_WIDTH_SPACE, url)


def _marker(key: str) -> str:
    """The session-state key holding the query value widget ``key`` was last seeded from or wrote."""
    return f"_query_{key}"


def bind(key: str, query_value: str | None, parse: Callable[[str | None], Any]) -> None:
    """Seed widget ``key`` from the query string whenever the query string changed under it (a link)."""
    marker = _marker(key)
    if st.session_state.get(marker, _MISSING) != query_value:
        st.session_state[key] = parse(query_value)
        st.session_state[marker] = query_value


def unbind(key: str) -> None:
    """Forget what widget ``key`` was seeded from, for a widget not drawn this run (Streamlit forgets an
    undrawn widget's value): the next ``bind`` seeds it again."""
    st.session_state.pop(_marker(key), None)


def write_query(name: str, key: str, value: str | None) -> None:
    """Put a widget's new value into the query string, so the address bar is always a share link."""
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]
    st.session_state[_marker(key)] = value


def resolve_login(path: str, requested: str) -> str:
    """The stored spelling of ``requested`` (GitHub logins are case-insensitive), else as given."""
    for login in collected_logins(path):
        if login.lower() == requested.lower():
            return login
    return requested


def window_notes(
    since: date | None, until: date | None, raw_from: str | None, raw_to: str | None
) -> list[str]:
    """Sentences about a window the query string asked for but could not have."""
    notes = []
    if raw_from and since is None:
        notes.append(
            f"The start date in the link ({raw_from[:20]!r}) is not a YYYY-MM-DD date; it was ignored."
        )
    if raw_to and until is None:
        notes.append(f"The end date in the link ({raw_to[:20]!r}) is not a YYYY-MM-DD date; it was ignored.")
    return notes


def as_of(sync: SyncInfo | None) -> str:
    """When the data was collected, as a short UTC phrase."""
    if sync is None:
        return "not collected yet"
    moment = sync.finished_at or sync.started_at
    state = "" if sync.complete else " (collection incomplete)"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC{state}"


def now_utc() -> datetime:
    """The current time, for defaults such as 'last 12 months'."""
    return datetime.now(UTC)
