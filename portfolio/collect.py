"""Collection: drive a backend (REST or GraphQL) through a login's contributions into the store.

Searches are walked oldest first and split by ``created:`` range whenever a slice would pass GitHub's
1,000-result cap, so nothing is silently dropped. Every page is saved in one transaction with the creation
time of its last hit; a collection that is killed resumes from there, and re-fetching the overlap is harmless
because records are upserted by node id. After a complete collection, the next one asks only for what was
updated since (minus a safety margin).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from portfolio.config import DEFAULT_API_URL
from portfolio.errors import BadCredentials, InvalidInput
from portfolio.github import Client, backend_for
from portfolio.github.engagement import ENGAGEMENT_STREAMS, EngagementPage
from portfolio.github.search import KINDS, SEARCH_CAP, SearchPage, iso
from portfolio.model import InvalidLogin, Profile, Repo, validate_login
from portfolio.store import Store

log = logging.getLogger(__name__)

GITHUB_EPOCH = datetime(2008, 1, 1, tzinfo=UTC)
REPO_TTL = timedelta(days=7)  # stars and topics move slowly; refresh them weekly, not every run
UPDATE_MARGIN = timedelta(hours=1)  # overlap with the last sync, for clock skew and search indexing lag
BACKENDS = ("auto", "rest", "graphql")


@dataclass
class Progress:
    """Where a collection is, for a progress bar: stage, pages and items saved, requests spent."""

    stage: str
    pages: int = 0
    items: int = 0
    requests: int = 0
    rate_remaining: int | None = None
    expected: int | None = None  # items the current stage's searches reported


@dataclass
class CollectResult:
    """What a finished collection did."""

    login: str
    backend: str
    requests: int
    items: dict[str, int] = field(default_factory=dict)
    repos: int = 0
    incremental: bool = False
    limits: tuple[str, ...] = ()


class Backend(Protocol):
    """What collect() needs of a collection path."""

    name: str
    client: Client

    @property
    def limits(self) -> tuple[str, ...]: ...

    def profile(self, login: str) -> Profile: ...

    def search(
        self, kind: str, login: str, start: datetime, end: datetime, page: Any, updated_since: datetime | None
    ) -> SearchPage: ...

    def repos(self, names: list[str]) -> list[Repo]: ...

    def engagement(
        self,
        login: str,
        start: datetime,
        end: datetime,
        updated_since: datetime | None,
        resume: dict[str, tuple[str | None, bool] | None],
    ) -> Iterator[EngagementPage]: ...


def checked_login(login: str) -> str:
    """``login`` if valid; otherwise InvalidInput, before any request is made."""
    try:
        return validate_login(login)
    except InvalidLogin as error:
        raise InvalidInput(str(error)) from None


def collect(
    login: str,
    store: Store,
    *,
    api_url: str = DEFAULT_API_URL,
    token: str | None = None,
    backend: str = "auto",
    since: datetime | None = None,
    full: bool = False,
    max_wait: float | None = None,
    timeout: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    now: datetime | None = None,
) -> CollectResult:
    """Collect ``login``'s public contributions into ``store``; resumable, incremental after the first run."""
    login = checked_login(login)
    if backend not in BACKENDS:
        raise InvalidInput(f"Unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}.")
    if backend == "graphql" and not token:
        raise BadCredentials(
            "GitHub's GraphQL API needs a token: set GITHUB_TOKEN or GH_TOKEN, or use --backend rest."
        )
    options = {"max_wait": max_wait, "timeout": timeout}
    client = Client(api_url, token, **{k: v for k, v in options.items() if v is not None})
    chosen = backend_for(backend, client)
    run = _Run(store, chosen, progress or (lambda _: None), now or datetime.now(UTC))
    return run.collect(login, since, full)


class _Run:
    def __init__(
        self, store: Store, backend: Backend, progress: Callable[[Progress], None], now: datetime
    ) -> None:
        self.store = store
        self.backend = backend
        self.report = progress
        self.now = now.replace(microsecond=0)
        self.state = Progress(stage="profile")

    def _tick(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self.state, key, value)
        usage = self.backend.client.usage
        self.state.requests = usage.requests
        self.state.rate_remaining = usage.remaining
        self.report(self.state)

    def collect(self, login: str, since: datetime | None, full: bool) -> CollectResult:
        self._tick(stage="profile")
        profile = self.backend.profile(login)
        login = profile.login  # GitHub's spelling, whatever case was typed
        last = None if full or since else self.store.last_sync(login, complete_only=True)
        updated_since = last.started_at - UPDATE_MARGIN if last else None
        limits = self.backend.limits
        if since is not None:
            limits = (
                f"The last collection asked only for contributions created on or after {since:%Y-%m-%d}; "
                "earlier work shows only where an earlier collection stored it.",
                *limits,
            )
        sync_id = self.store.start_sync(login, self.backend.name, limits)
        result = CollectResult(
            login, self.backend.name, 0, incremental=updated_since is not None, limits=limits
        )
        try:
            self.store.save([profile])
            start = max(since or profile.created_at or GITHUB_EPOCH, GITHUB_EPOCH)
            for kind in KINDS:
                result.items[kind] = self._stream(login, kind, start, updated_since)
            result.items.update(self._engagement(login, start, updated_since))
            result.repos = self._repos(login)
        except BaseException:
            self.store.finish_sync(sync_id, complete=False, requests=self.backend.client.usage.requests)
            raise
        result.requests = self.backend.client.usage.requests
        self.store.finish_sync(sync_id, complete=True, requests=result.requests)
        self.store.clear_cursors(login)
        self._tick(stage="done")
        return result

    def _stream(self, login: str, kind: str, start: datetime, updated_since: datetime | None) -> int:
        position = self.store.cursor(login, kind)
        if position is not None and position[1]:
            return 0  # this stream finished in an interrupted run; resume with the next one
        if position is not None and position[0]:
            start = max(start, datetime.fromisoformat(position[0]))
        self._tick(stage=kind, expected=None)
        saved = 0
        last = position[0] if position else None
        for page in self._walk(kind, login, start, self.now, updated_since):
            if page.last_created is not None:
                last = iso(page.last_created)
            saved += self.store.save_page(login, kind, page.items, last)
            self._tick(pages=self.state.pages + 1, items=self.state.items + len(page.items))
        self.store.save_page(login, kind, [], last, done=True)
        return saved

    def _engagement(self, login: str, start: datetime, updated_since: datetime | None) -> dict[str, int]:
        """Answers, discussions, comments and commit counts, each page committed with its stream's cursor."""
        resume = {stream: self.store.cursor(login, stream) for stream in ENGAGEMENT_STREAMS}
        saved = dict.fromkeys(ENGAGEMENT_STREAMS, 0)
        self._tick(stage="engagement", expected=None)
        for page in self.backend.engagement(login, start, self.now, updated_since, resume):
            count = self.store.save_page(login, page.stream, page.items, page.cursor, done=page.done)
            if page.stream in saved:
                saved[page.stream] += count
            self._tick(pages=self.state.pages + 1, items=self.state.items + len(page.items))
        return saved

    def _walk(
        self, kind: str, login: str, start: datetime, end: datetime, updated_since: datetime | None
    ) -> Iterator[SearchPage]:
        """Every page of the search over [start, end], split in halves while a slice passes the cap."""
        first = self.backend.search(kind, login, start, end, None, updated_since)
        if first.total > SEARCH_CAP and end - start > timedelta(seconds=1):
            middle = start + (end - start) / 2
            middle = middle.replace(microsecond=0)
            yield from self._walk(kind, login, start, middle, updated_since)
            yield from self._walk(kind, login, middle + timedelta(seconds=1), end, updated_since)
            return
        if self.state.expected is None:
            self.state.expected = 0
        self.state.expected += first.total
        page = first
        yield page
        while page.next_page is not None:
            page = self.backend.search(kind, login, start, end, page.next_page, updated_since)
            yield page

    def _repos(self, login: str) -> int:
        names = self.store.touched_repos(login)
        # Every touched repository is listed, even one whose metadata this run cannot fetch.
        self.store.save(Repo(name, name.split("/")[0]) for name in names)
        stale = self.store.repos_fetched_before(names, self.now - REPO_TTL)
        wanted = [n for n in names if n in stale]
        self._tick(stage="repos", expected=len(wanted))
        if not wanted:
            return 0
        repos = self.backend.repos(wanted)
        self.store.save(repos)
        self.store.mark_repos_fetched([r.full_name for r in repos], self.now)
        self._tick(items=self.state.items + len(repos))
        return len(repos)
