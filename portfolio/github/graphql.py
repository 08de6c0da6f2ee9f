"""The GraphQL path: batched searches that bring 100 contributions per request with everything inline.

One ``search(type: ISSUE, first: 100)`` page carries each pull request's files, size, merge state, labels,
linked issues and repository metadata, so the floor is about one request per hundred contributions. Reviews
come from ``contributionsCollection``, one year per window (GitHub's limit), skipping years without any.
Repositories already seen inline are never fetched again; the rest are fetched 50 to a request by alias.
This module runs the queries and walks their pages; the documents come from :mod:`.documents`
(``queries/*.graphql``, checked against GitHub's published schema) and :mod:`.nodes` parses their answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from portfolio.errors import ApiError, UserNotFound
from portfolio.github.client import Client
from portfolio.github.documents import (
    document,
    repositories_document,
    review_windows_document,
    with_fragments,
)
from portfolio.github.engagement import (
    COMMITS_STREAM,
    CONNECTIONS,
    ENGAGEMENT_STREAMS,
    PARSERS,
    EngagementPage,
    calendar_years,
    engagement_operation,
)
from portfolio.github.nodes import (
    actor_login,
    file_from_node,
    issue_from_node,
    pr_from_node,
    profile_from_node,
    repo_from_node,
    review_from_contribution,
)
from portfolio.github.search import SEARCH_CAP, Outcomes, SearchPage, iso, parse_time, search_query
from portfolio.model import ChangedFile, CommitYear, Gap, Profile, PullRequest, Repo, Review, Validators

log = logging.getLogger(__name__)

REPO_BATCH = 50  # repositories per aliased query: well inside GitHub's node and complexity limits
REVIEW_WINDOWS = 20  # one-year windows in the first review query: every year since GitHub began
MAX_FILES = 3000  # GitHub lists at most this many files of a pull request
_ACCOUNT_FIELDS = frozenset({"repositoryOwner", "user"})  # null here means the account does not exist


# -- review windows --------------------------------------------------------------------------------------


def next_year(moment: datetime) -> datetime:
    """The same instant one calendar year later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


def year_windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[start, end] cut into consecutive windows no longer than a year, as ``contributionsCollection`` needs."""
    windows = []
    low = start
    while low <= end:
        high = min(next_year(low) - timedelta(seconds=1), end)
        windows.append((low, high))
        low = high + timedelta(seconds=1)
    return windows


@dataclass(frozen=True)
class _Window:
    """A review window still to page through: its bounds, the cursor to go on from and the last time seen."""

    low: datetime
    high: datetime
    after: str | None = None
    seen: datetime | None = None


@dataclass(frozen=True)
class _ReviewPosition:
    """The windows of a review walk with pages left, oldest first, and the walk's total."""

    windows: tuple[_Window, ...]
    total: int


# -- the backend -----------------------------------------------------------------------------------------


class GraphqlBackend:
    """Collects through GitHub's GraphQL API (needs a token) over PyGithub's requester."""

    name = "graphql"

    def __init__(self, client: Client) -> None:
        self.client = client
        self.points = 0  # rate-limit points the queries cost, as GitHub reported them
        self._repos: dict[str, Repo] = {}  # seen inline, by lower-case full name
        self.outcomes = Outcomes()
        self._errors: list[dict[str, Any]] = []  # of the last answer, for the gaps of its null nodes

    @property
    def limits(self) -> tuple[str, ...]:
        """What this path leaves out: nothing the record uses."""
        return ()

    # -- transport -------------------------------------------------------------------------------------

    def _post(self, query: str, variables: dict[str, Any], required: str, what: str) -> dict[str, Any]:
        """Run one query; keep partial data, raise only when the ``required`` top-level field is missing."""
        _, body = self.client.post_graphql(query, variables)
        body = body if isinstance(body, dict) else {}
        data = body.get("data") or {}
        errors = [e for e in body.get("errors") or () if isinstance(e, dict)]
        self._note_rate(data.get("rateLimit"))
        if data.get(required) is None:
            absent = any(e.get("type") == "NOT_FOUND" for e in errors) or (not errors and "data" in body)
            if required in _ACCOUNT_FIELDS and absent:
                raise UserNotFound(f"GitHub has no {what}; check the spelling.")
            first = errors[0] if errors else {"message": "no data and no error"}
            raise ApiError(
                f"GitHub's GraphQL API refused the query for {what} "
                f"({first.get('type') or 'error'}: {str(first.get('message', ''))[:200]})."
            )
        for error in errors:
            log.info("GraphQL partial error at %s: %s", error.get("path"), error.get("message"))
        self._errors = errors
        return data

    def _reasons(self, *prefix: Any) -> dict[Any, str]:
        """GAP_REASONS of the last answer's errors under the path ``prefix``, by the next path element."""
        reasons: dict[Any, str] = {}
        for error in self._errors:
            path = error.get("path") or []
            if len(path) > len(prefix) and tuple(path[: len(prefix)]) == prefix:
                kind = error.get("type")
                reason = "gone" if kind == "NOT_FOUND" else "blocked" if kind == "FORBIDDEN" else "failing"
                reasons.setdefault(path[len(prefix)], reason)
        return reasons

    def _note_rate(self, rate: dict[str, Any] | None) -> None:
        """Note a query's ``rateLimit`` (points spent, left, reset) into the client's usage."""
        if not rate:
            return
        usage = self.client.usage
        self.points += int(rate.get("cost") or 0)
        if rate.get("remaining") is not None:
            usage.remaining = int(rate["remaining"])
        if rate.get("limit") is not None:
            usage.limit = int(rate["limit"])
        if rate.get("resetAt"):
            usage.reset_at = parse_time(rate["resetAt"])

    # -- the Backend protocol --------------------------------------------------------------------------

    def profile(self, login: str, known: Validators | None = None) -> Profile:
        """The public profile of ``login`` (a user or an organization); GraphQL has no conditional reads."""
        data = self._post(document("profile"), {"login": login}, "repositoryOwner", f"user {login!r}")
        return profile_from_node(data["repositoryOwner"])

    def search(
        self,
        kind: str,
        login: str,
        start: datetime,
        end: datetime,
        page: Any,
        updated_since: datetime | None,
    ) -> SearchPage:
        """One page of ``kind`` contributions created (reviews: submitted) in [start, end]."""
        if kind == "review":
            return self._reviews(login, start, end, page, updated_since)
        query = f"{search_query(kind, login, start, end, updated_since)} sort:created-asc"
        name = "pull_requests" if kind == "pr" else "issues"
        data = self._post(document(name), {"query": query, "after": page}, "search", f"{kind} search")
        found = data["search"]
        raw = list(found.get("nodes") or ())
        holes = {i for i, n in enumerate(raw) if n is None}
        if holes:
            # Items whose repository is gone or blocked come back null with an error: ask for the page
            # again with only the items' own fields, keep those, and record their details as a gap.
            reasons = self._reasons("search", "nodes")
            thin = (
                self._post(
                    document(f"{name[:-1]}_items"),
                    {"query": query, "after": page},
                    "search",
                    f"{kind} search",
                )["search"].get("nodes")
                or []
            )
            for i in holes:
                if i < len(thin) and thin[i] and thin[i].get("id"):
                    raw[i] = {**thin[i], "_gap": reasons.get(i, "failing")}
        items: list[Any] = []
        for node in raw:
            if not node or not node.get("id"):
                continue
            if kind == "issue":
                if "_gap" not in node:
                    self._remember(node.get("repository"))
                items.append(issue_from_node(node))
            elif "_gap" in node:
                items.append(replace(pr_from_node(node), files=None))
                self.outcomes.gap("details", node["url"], node["_gap"])
            else:
                self._remember(node.get("repository"))
                items.append(pr_from_node(node, self._all_files(node)))
                self.outcomes.ok("details", node["url"])
                self.outcomes.ok("files", node["url"])
        nodes = [n for n in raw if n and n.get("id")]
        info = found.get("pageInfo") or {}
        more = info.get("hasNextPage") and info.get("endCursor") and nodes
        return SearchPage(
            items=items,
            total=int(found.get("issueCount") or 0),
            next_page=info["endCursor"] if more else None,
            last_created=items[-1].created_at if items else None,
        )

    repo_limit = None  # every touched repository gets metadata

    def repos(self, names: list[str], known: Mapping[str, Validators] | None = None) -> list[Repo]:
        """Metadata of ``names``: those seen inline cost nothing, the rest come 50 to a request."""
        found = [self._repos[n.lower()] for n in names if n.lower() in self._repos]
        for repo in found:
            self.outcomes.ok("repository", repo.full_name)
        missing = [n for n in names if n.lower() not in self._repos and "/" in n]
        for batch_start in range(0, len(missing), REPO_BATCH):
            batch = missing[batch_start : batch_start + REPO_BATCH]
            variables: dict[str, Any] = {}
            for i, name in enumerate(batch):
                variables[f"owner{i}"], variables[f"name{i}"] = name.split("/", 1)
            _, body = self.client.post_graphql(repositories_document(len(batch)), variables)
            data = (body or {}).get("data") or {}
            self._note_rate(data.get("rateLimit"))
            if not data:
                raise ApiError("GitHub's GraphQL API answered a repository batch without data; try again.")
            self._errors = [e for e in (body or {}).get("errors") or () if isinstance(e, dict)]
            reasons = self._reasons()
            # A repository deleted, made private or blocked since the contribution comes back null: a gap.
            for i, name in enumerate(batch):
                if data.get(f"r{i}"):
                    found.append(repo_from_node(data[f"r{i}"]))
                    self.outcomes.ok("repository", name)
                else:
                    self.outcomes.gap("repository", name, reasons.get(f"r{i}", "gone"))
        return found

    def retry(self, gap: Gap, stored: PullRequest | None, login: str) -> list[Any]:
        """Read again a stored pull request whose details an earlier run could not read, by its node id."""
        if gap.kind not in ("details", "files") or stored is None or stored.node_id.startswith("url:"):
            return []
        _, body = self.client.post_graphql(document("pull_request"), {"id": stored.node_id})
        data = (body or {}).get("data") or {}
        self._note_rate(data.get("rateLimit"))
        self._errors = [e for e in (body or {}).get("errors") or () if isinstance(e, dict)]
        node = data.get("node")
        if not node:
            self.outcomes.gap(gap.kind, gap.item, self._reasons().get("node", "failing"))
            return []
        self._remember(node.get("repository"))
        self.outcomes.ok("details", gap.item)
        self.outcomes.ok("files", gap.item)
        return [pr_from_node(node, self._all_files(node))]

    # -- helpers ---------------------------------------------------------------------------------------

    def _remember(self, repository: dict[str, Any] | None) -> None:
        """Keep a repository seen inline, so ``repos`` need not fetch it."""
        if repository and repository.get("nameWithOwner"):
            repo = repo_from_node(repository)
            self._repos[repo.full_name.lower()] = repo

    def _all_files(self, node: dict[str, Any]) -> list[ChangedFile]:
        """The files of a pull request: the inline first page, then further pages only if it has more."""
        connection = node.get("files") or {}
        files = [file_from_node(f) for f in connection.get("nodes") or () if f]
        info = connection.get("pageInfo") or {}
        while info.get("hasNextPage") and info.get("endCursor") and len(files) < MAX_FILES:
            data = self._post(
                document("pull_request_files"),
                {"id": node["id"], "after": info["endCursor"]},
                "node",
                f"the files of {node.get('url', 'a pull request')}",
            )
            connection = data["node"].get("files") or {}
            batch = [file_from_node(f) for f in connection.get("nodes") or () if f]
            if not batch:
                break
            files.extend(batch)
            info = connection.get("pageInfo") or {}
        return files

    def _reviews(
        self, login: str, start: datetime, end: datetime, page: Any, updated_since: datetime | None
    ) -> SearchPage:
        """A page of reviews: first every window's first page in one request, then the windows with more."""
        if page is None:
            # Reviews do not change after submission (bar dismissal), so a refresh needs only new ones.
            low = max(start, updated_since) if updated_since else start
            windows = [_Window(a, b) for a, b in year_windows(low, end)]
            return self._first_review_pages(login, windows)
        window, rest = page.windows[0], page.windows[1:]
        data = self._post(
            document("reviews"),
            {"login": login, "from": iso(window.low), "to": iso(window.high), "after": window.after},
            "user",
            f"user {login!r}",
        )
        found = data["user"]["contributionsCollection"]["pullRequestReviewContributions"]
        items, left = self._review_page(found, window, login)
        pending = ((left,) if left else ()) + rest
        return self._review_result(items, pending, page.total)

    def _first_review_pages(self, login: str, windows: list[_Window]) -> SearchPage:
        """The first page of every window in one aliased query; windows with more pages stay pending."""
        batch, later = windows[:REVIEW_WINDOWS], tuple(windows[REVIEW_WINDOWS:])
        if not batch:
            return SearchPage(items=[], total=0, next_page=None, last_created=None)
        variables: dict[str, Any] = {"login": login}
        for i, window in enumerate(batch):
            variables[f"from{i}"], variables[f"to{i}"] = iso(window.low), iso(window.high)
        try:
            data = self._post(review_windows_document(len(batch)), variables, "user", f"user {login!r}")
        except UserNotFound:
            # An organization has a profile but is no User, and gives no reviews.
            return SearchPage(items=[], total=0, next_page=None, last_created=None)
        items: list[Review] = []
        pending: list[_Window] = []
        total = 0
        for i, window in enumerate(batch):
            found = (data["user"].get(f"y{i}") or {}).get("pullRequestReviewContributions") or {}
            total += int(found.get("totalCount") or 0)
            page_items, left = self._review_page(found, window, login)
            items.extend(page_items)
            if left:
                pending.append(left)
        return self._review_result(items, (*pending, *later), total)

    def _review_page(
        self, found: dict[str, Any], window: _Window, login: str
    ) -> tuple[list[Review], _Window | None]:
        """The reviews of one page of one window, and the window again if it has more pages."""
        nodes = [n for n in found.get("nodes") or () if n and n.get("pullRequestReview")]
        for node in nodes:
            self._remember((node.get("pullRequest") or {}).get("repository"))
        own = login.lower()
        # Like the REST search (-author:), a review of one's own pull request is not a review given.
        items = [
            review_from_contribution(n, login)
            for n in nodes
            if (actor_login(n["pullRequest"].get("author")) or "").lower() != own
        ]
        info = found.get("pageInfo") or {}
        if not (info.get("hasNextPage") and info.get("endCursor") and nodes):
            return items, None
        seen = max((parse_time(n.get("occurredAt")) for n in nodes if n.get("occurredAt")), default=None)
        return items, _Window(window.low, window.high, info["endCursor"], seen or window.seen)

    @staticmethod
    def _review_result(items: list[Review], pending: tuple[_Window, ...], total: int) -> SearchPage:
        """A SearchPage whose resume point never passes a review still to fetch."""
        if pending:
            # Everything before the oldest pending window's last seen review is saved; resume there.
            last = pending[0].seen or (pending[0].low - timedelta(seconds=1))
        else:
            last = max((r.submitted_at for r in items if r.submitted_at), default=None)
        # The orchestrator splits a search past the cap; review windows are paged here and need no split.
        return SearchPage(
            items=items,
            total=min(total, SEARCH_CAP),
            next_page=_ReviewPosition(pending, total) if pending else None,
            last_created=last,
        )

    # -- answers, discussions, comments and commits ----------------------------------------------------

    def engagement(
        self,
        login: str,
        start: datetime,
        end: datetime,
        updated_since: datetime | None,
        resume: dict[str, tuple[str | None, bool] | None],
    ) -> Iterator[EngagementPage]:
        """Every page of the engagement streams of ``login``; ``resume`` holds each stream's stored position."""
        years = calendar_years(max(start, updated_since) if updated_since else start, end)
        bounds = [(low, min(high, end)) for low, high in years]
        variables: dict[str, Any] = {"login": login}
        for i, (low, high) in enumerate(bounds):
            variables[f"from{i}"], variables[f"to{i}"] = iso(low), iso(high)
        operation = with_fragments(engagement_operation(len(bounds)))
        try:
            user = self._post(operation, variables, "user", f"user {login!r}")["user"]
        except UserNotFound:
            return  # an organization has a profile but is no User: it answers, starts and comments nothing
        yield EngagementPage(
            COMMITS_STREAM,
            [
                CommitYear(
                    key=f"{login.lower()}/{low.year}",
                    login=login,
                    year=low.year,
                    commits=int((user.get(f"c{i}") or {}).get("totalCommitContributions") or 0),
                )
                for i, (low, _) in enumerate(bounds)
            ],
            None,
            True,
        )
        for stream in ENGAGEMENT_STREAMS:
            position = resume.get(stream)
            if position is not None and position[1]:
                continue  # finished in an interrupted run
            yield from self._engagement_stream(stream, login, user, position, updated_since)

    def _engagement_stream(
        self,
        stream: str,
        login: str,
        user: dict[str, Any],
        position: tuple[str | None, bool] | None,
        updated_since: datetime | None,
    ) -> Iterator[EngagementPage]:
        """The pages of one stream: the first from the Engagement answer, the rest one request each."""
        field, name = CONNECTIONS[stream]
        found = user.get(field) or {}
        after = position[0] if position is not None else None
        while True:
            if after is not None:
                data = self._post(document(name), {"login": login, "after": after}, "user", f"user {login!r}")
                found = data["user"].get(field) or {}
            nodes = [n for n in found.get("nodes") or () if n and n.get("id")]
            if stream == "answer":
                nodes = [n for n in nodes if n.get("isAnswer", True) and n.get("discussion")]
            if stream != "comment":
                # A comment names only its repository; discussions bring the full metadata, kept for repos().
                for node in nodes:
                    self._remember((node.get("discussion") or node).get("repository"))
            items = [PARSERS[stream](node, login) for node in nodes]
            info = found.get("pageInfo") or {}
            more = bool(info.get("hasNextPage") and info.get("endCursor") and found.get("nodes"))
            if more and stream == "comment" and updated_since is not None:
                # Most recently updated first: past a comment older than the last sync, nothing is newer.
                oldest = min((c.updated_at or c.created_at for c in items), default=None)
                more = oldest is not None and oldest >= updated_since
            after = info.get("endCursor") if more else None
            yield EngagementPage(stream, items, after, not more)
            if not more:
                return
