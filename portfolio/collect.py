"""Collection: drive a backend (REST or GraphQL) through a login's contributions into the store.

Searches are walked oldest first and split by ``created:`` range whenever a slice would pass GitHub's
1,000-result cap, so nothing is silently dropped. Every page is saved in one transaction with the creation
time of its last hit; a collection that is killed resumes from there, and re-fetching the overlap is harmless
because records are upserted by node id. After a complete collection, the next one asks only for what was
updated since (minus a safety margin).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from portfolio.config import DEFAULT_API_URL
from portfolio.errors import BadCredentials, InvalidInput
from portfolio.github import Client, backend_for
from portfolio.github.engagement import ENGAGEMENT_STREAMS, EngagementPage
from portfolio.github.search import KINDS, SEARCH_CAP, Outcomes, SearchPage, iso
from portfolio.model import (
    GAP_KINDS,
    GAP_REASONS,
    Gap,
    InvalidLogin,
    Profile,
    PullRequest,
    Repo,
    Validators,
    validate_login,
)
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

    @property
    def repo_limit(self) -> int | None: ...

    def profile(self, login: str, known: Validators | None) -> Profile | None: ...

    def search(
        self, kind: str, login: str, start: datetime, end: datetime, page: Any, updated_since: datetime | None
    ) -> SearchPage: ...

    def repos(self, names: list[str], known: Mapping[str, Validators]) -> list[Repo]: ...

    def engagement(
        self,
        login: str,
        start: datetime,
        end: datetime,
        updated_since: datetime | None,
        resume: dict[str, tuple[str | None, bool] | None],
    ) -> Iterator[EngagementPage]: ...

    @property
    def outcomes(self) -> Outcomes: ...

    def retry(self, gap: Gap, stored: PullRequest | None, login: str) -> list[Any]: ...


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
    retries: int | None = None,
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
    options = {"max_wait": max_wait, "timeout": timeout, "retries": retries}
    client = Client(api_url, token, **{k: v for k, v in options.items() if v is not None})
    chosen = backend_for(backend, client)
    run = _Run(store, chosen, progress or (lambda _: None), now or datetime.now(UTC))
    # One collection writes at a time: two at once would each clear the cursors the other resumes from.
    with store.collecting():
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
        self.touched: set[tuple[str, str]] = set()  # (gap kind, item) read or failed during this run

    def _tick(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self.state, key, value)
        usage = self.backend.client.usage
        self.state.requests = usage.requests
        self.state.rate_remaining = usage.remaining
        self.report(self.state)

    def collect(self, login: str, since: datetime | None, full: bool) -> CollectResult:
        self._tick(stage="profile")
        stored = self.store.profile(login)
        # The read is conditional only when a stored profile is there for a 304 Not Modified to keep.
        known = self.store.validators("user", [login]).get(login) if stored else None
        profile = self.backend.profile(login, known) or stored
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
            self.store.save_outcomes(login, [profile], self.backend.outcomes.take())
            start = max(since or profile.created_at or GITHUB_EPOCH, GITHUB_EPOCH)
            earlier_gaps = self.store.gaps(login)
            for kind in KINDS:
                result.items[kind] = self._stream(login, kind, start, updated_since)
            result.items.update(self._engagement(login, start, updated_since))
            self._retry(login, earlier_gaps)
            result.repos = self._repos(login)
        except BaseException:
            self.store.finish_sync(sync_id, complete=False, requests=self.backend.client.usage.requests)
            raise
        result.requests = self.backend.client.usage.requests
        result.limits = (*limits, *gap_lines(self.store.gaps(login)))
        self.store.finish_sync(sync_id, complete=True, requests=result.requests, limits=result.limits)
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
            saved += self.store.save_page(
                login, kind, page.items, last, outcomes=self.backend.outcomes.take()
            )
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

    def _retry(self, login: str, gaps: list[Gap]) -> None:
        """Read again the pull request details, files and reviews that earlier collections could not."""
        # Repositories come again in _repos; items this run already read again need nothing more.
        wanted = [g for g in gaps if g.kind != "repository" and (g.kind, g.item) not in self.touched]
        if not wanted:
            return
        self._tick(stage="retry", expected=len(wanted))
        for gap in wanted:
            items = self.backend.retry(gap, self.store.pull_request(gap.item), login)
            self.store.save_outcomes(login, items, self.backend.outcomes.take())

    def _repos(self, login: str) -> int:
        names = self.store.touched_repos(login)
        # Every touched repository is listed, even one whose metadata this run cannot fetch.
        self.store.save(Repo(name, name.split("/")[0]) for name in names)
        # A capped path covers the same most-touched repositories every run, not the next ones on a refresh.
        covered = names[: self.backend.repo_limit]
        stale = self.store.repos_fetched_before(covered, self.now - REPO_TTL)
        wanted = [n for n in covered if n in stale]
        self._tick(stage="repos", expected=len(wanted))
        if not wanted:
            return 0
        repos = self.backend.repos(wanted, self.store.validators("repository", wanted))
        outcomes = self.backend.outcomes.take()
        self.store.save_outcomes(login, repos, outcomes)
        # Read in full or answered 304 Not Modified: either way the stored metadata is current.
        read = [item for kind, item in outcomes.settled if kind == "repository"]
        self.store.mark_repos_fetched(read, self.now)
        self._tick(items=self.state.items + len(repos))
        return len(repos)


_GAP_NOUNS = {
    "details": "details",
    "files": "changed files",
    "reviews": "reviews by the login",
}
_CAUSES = {
    # (reason, one item?) -> the clause after the colon
    ("gone", True): "its repository is gone (404 or 410: deleted, renamed or made private)",
    ("gone", False): "their repositories are gone (404 or 410: deleted, renamed or made private)",
    ("blocked", True): "GitHub blocks access to its repository (403 or 451: taken down or blocked)",
    ("blocked", False): "GitHub blocks access to their repositories (403 or 451: taken down or blocked)",
    ("failing", True): "GitHub kept failing on it (5xx) past the retries",
    ("failing", False): "GitHub kept failing on them (5xx) past the retries",
}
_REPO_CAUSES = {
    ("gone", True): "it is gone (404 or 410: deleted, renamed or made private)",
    ("gone", False): "they are gone (404 or 410: deleted, renamed or made private)",
    ("blocked", True): "GitHub blocks access to it (403 or 451: taken down or blocked)",
    ("blocked", False): "GitHub blocks access to them (403 or 451: taken down or blocked)",
}


def gap_lines(gaps: list[Gap]) -> tuple[str, ...]:
    """One sentence per kind of gap and per reason: how many items, why, and that the next run retries."""
    counts = Counter((g.kind, g.reason) for g in gaps)
    lines = []
    for kind in GAP_KINDS:
        for reason in GAP_REASONS:
            n = counts.get((kind, reason), 0)
            if not n:
                continue
            if kind == "repository":
                what = f"metadata of {n} repositor{'y' if n == 1 else 'ies'}"
                cause = _REPO_CAUSES.get((reason, n == 1)) or _CAUSES[(reason, n == 1)]
            else:
                what = f"{_GAP_NOUNS[kind]} of {n} pull request{'' if n == 1 else 's'}"
                cause = _CAUSES[(reason, n == 1)]
            lines.append(
                f"{what[0].upper()}{what[1:]} unavailable: {cause}; the next collection tries again."
            )
    return tuple(lines)
