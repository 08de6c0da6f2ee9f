"""``POST /graphql`` for the fake GitHub: queries executed by graphql-core over the same Dataset as REST.

Type and field names are GitHub's (``schema.graphql`` here is a subset a test checks against GitHub's own).
The fake keeps GitHub's behaviour where a collector can trip on it: search stops at 1,000 results while
``issueCount`` stays the true total; a connection needs ``first`` or ``last`` of at most 100; a
contributions window spans at most a year; every query costs points by GitHub's published formula, and a
spent budget answers ``RATE_LIMITED``; a missing user or repository is a ``NOT_FOUND`` error beside the
data that could be found; anonymous calls get 401. Objects are built once per dataset and reused, so a
100-result page costs milliseconds.
"""

from __future__ import annotations

import base64
import bisect
import json
import math
import re
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    build_schema,
    execute,
    parse,
    validate,
    value_from_ast_untyped,
)

from fakehub.dataset import Dataset
from fakehub.ids import database_id
from fakehub.payloads import Payloads, error_body, iso
from fakehub.search import Searcher, SearchError
from fakehub.server import ApiRequest, ApiResponse
from portfolio.model import Comment, Discussion, Issue, PullRequest, Repo, Review

SEARCH_CAP = 1000  # GraphQL search, like REST, gives at most this many results per query
PAGE_LIMIT = 100  # the largest ``first``/``last`` GitHub accepts
NODE_LIMIT = 500_000  # the most nodes one query may ask for
POINTS = 5000  # points an hour for a personal access token
WINDOW = 3600
FILES_LIMIT = 3000  # GitHub lists at most this many files of a pull request
AUTH_DOCS = "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
_SORT = re.compile(r"(?:^|\s)sort:(\S+)")
_CHANGE_TYPES = {
    "added": "ADDED",
    "removed": "DELETED",
    "modified": "MODIFIED",
    "renamed": "RENAMED",
    "copied": "COPIED",
    "changed": "CHANGED",
    "unchanged": "CHANGED",
}


class GitHubError(Exception):
    """An error GitHub reports with a ``type`` (NOT_FOUND, EXCESSIVE_PAGINATION, ...) beside partial data."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@cache
def fake_schema() -> GraphQLSchema:
    """The fake's schema, with type resolution for its interfaces and unions."""
    text = resources.files("fakehub").joinpath("schema.graphql").read_text("utf-8")
    schema = build_schema(text)
    for name in ("Node", "Actor", "RepositoryOwner", "SearchResultItem"):
        schema.type_map[name].resolve_type = lambda value, _info, _type: value.typename  # type: ignore[attr-defined]
    return schema


# -- cursors and connections -----------------------------------------------------------------------------


def encode_cursor(position: int) -> str:
    """GitHub's opaque cursor for the ``position``-th item (1-based) of a list."""
    return base64.b64encode(f"cursor:{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; a cursor that is not ours is an INVALID_CURSOR_ARGUMENTS error."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        kind, _, number = text.partition(":")
        if kind == "cursor" and number.isdigit():
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise GitHubError("INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor.")


def _selects_items(info: Any) -> bool:
    """Whether the connection field being resolved asks for ``nodes`` or ``edges`` (not just totalCount)."""
    for field in info.field_nodes:
        for selection in field.selection_set.selections if field.selection_set else ():
            if not isinstance(selection, FieldNode) or selection.name.value in ("nodes", "edges"):
                return True
    return False


def connection(
    info: Any,
    items: Sequence[Any],
    args: dict[str, Any],
    available: int | None = None,
    wrap: Callable[[Any], Any] | None = None,
) -> dict:
    """A Relay connection over ``items`` (the first ``available`` reachable), each chosen one ``wrap``-ped."""
    first, last = args.get("first"), args.get("last")
    field = info.field_name
    for name, size in (("first", first), ("last", last)):
        if size is not None and (size < 0 or size > PAGE_LIMIT):
            raise GitHubError(
                "EXCESSIVE_PAGINATION",
                f"Requesting {size} records on the `{field}` connection exceeds the `{name}` limit of "
                f"{PAGE_LIMIT} records.",
            )
    if first is None and last is None and _selects_items(info):
        raise GitHubError(
            "MISSING_PAGINATION_BOUNDARIES",
            f"You must provide a `first` or `last` value to properly paginate the `{field}` connection.",
        )
    reachable = len(items) if available is None else min(available, len(items))
    low, high = 0, reachable
    if args.get("after"):
        low = min(max(decode_cursor(args["after"]), 0), reachable)
    if args.get("before"):
        high = max(min(decode_cursor(args["before"]) - 1, high), low)
    if first is not None:
        high = min(high, low + first)
    if last is not None:
        low = max(low, high - last)
    chosen = [wrap(item) for item in items[low:high]] if wrap else list(items[low:high])

    def edges(_info: Any) -> list[dict[str, Any]]:
        """The chosen nodes with their cursors, built only when asked for."""
        return [{"cursor": encode_cursor(low + i + 1), "node": node} for i, node in enumerate(chosen)]

    return {
        "totalCount": len(items),
        "nodes": chosen,
        "edges": edges,
        "pageInfo": {
            "startCursor": encode_cursor(low + 1) if chosen else None,
            "endCursor": encode_cursor(high) if chosen else None,
            "hasNextPage": high < reachable,
            "hasPreviousPage": low > 0,
        },
    }


def _instant(value: str | None, name: str) -> datetime | None:
    """A DateTime argument as an aware UTC datetime; an unparsable one is GitHub's INVALID_ARGUMENTS."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise GitHubError(
            "INVALID_ARGUMENTS", f"Argument '{name}' is not a valid DateTime: {value!r}"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _one_year_after(moment: datetime) -> datetime:
    """The same instant a calendar year later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


# -- objects ---------------------------------------------------------------------------------------------
# Attributes and methods named after GitHub's fields resolve those fields: graphql-core's default resolver
# reads the attribute, or calls the method with the field's arguments.


class _Actor:
    """A User, Organization or Bot, as author, merger, owner or the subject of ``user(login:)``."""

    def __init__(self, world: _World, login: str) -> None:
        profile = world.dataset.profile(login)
        short = world.payloads.user(login)
        full = world.payloads.full_user(profile) if profile else short
        kind = short.get("type")
        self.world = world
        self.typename = kind if kind in ("User", "Organization", "Bot") else "User"
        self.id = short["node_id"]
        self.login = short["login"]
        self.url = short["html_url"]
        self.resourcePath = f"/{self.login}"
        self.name = full.get("name")
        self.bio = full.get("bio")
        self.company = full.get("company")
        self.location = full.get("location")
        self.description = None
        self.websiteUrl = full.get("blog") or None
        self.createdAt = full.get("created_at") or "2008-01-01T00:00:00Z"
        self._avatar = short["avatar_url"]
        self._followers = full.get("followers") or 0
        self._public_repos = full.get("public_repos") or 0

    def avatarUrl(self, _info: Any, size: int | None = None) -> str:
        return f"{self._avatar}&s={size}" if size else self._avatar

    def followers(self, _info: Any, **_args: Any) -> dict[str, int]:
        return {"totalCount": self._followers}

    def repositories(self, _info: Any, **args: Any) -> dict[str, int]:
        return {"totalCount": 0 if args.get("privacy") == "PRIVATE" else self._public_repos}

    def contributionsCollection(self, _info: Any, **args: Any) -> _Contributions:
        high = _instant(args.get("to"), "to")
        low = _instant(args.get("from"), "from")
        if low is None:
            high = high or datetime.now(UTC).replace(microsecond=0)
            low = high - timedelta(days=365)
        elif high is None:
            high = min(_one_year_after(low), datetime.now(UTC).replace(microsecond=0))
        if high > _one_year_after(low):
            raise GitHubError(
                "INVALID_ARGUMENTS", "The total time spanned by 'from' and 'to' must not exceed 1 year"
            )
        return _Contributions(self, low, high)

    def repositoryDiscussionComments(self, info: Any, onlyAnswers: bool = False, **args: Any) -> dict:
        # The fake knows only the comments that were chosen as answers, so both filters list the same.
        answers = self.world.engagement(self.login, "answer")
        return connection(info, answers, args, wrap=self.world.discussion_comment)

    def repositoryDiscussions(self, info: Any, **args: Any) -> dict:
        started = self.world.engagement(self.login, "started")
        order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "DESC"}
        key = "updated_at" if order.get("field") == "UPDATED_AT" else "created_at"
        ordered = sorted(started, key=lambda d: (getattr(d, key) or d.created_at, d.node_id))
        if order.get("direction", "DESC") == "DESC":
            ordered = ordered[::-1]
        return connection(info, ordered, args, wrap=self.world.discussion)

    def issueComments(self, info: Any, **args: Any) -> dict:
        comments = self.world.comments_by.get(self.login.lower(), [])
        # GitHub orders by UPDATED_AT only; without orderBy the order is oldest first.
        ordered = sorted(comments, key=lambda c: (c.updated_at or c.created_at, c.node_id))
        if (args.get("orderBy") or {}).get("direction") == "DESC":
            ordered = ordered[::-1]
        return connection(info, ordered, args, wrap=self.world.issue_comment)


class _Contributions:
    """``contributionsCollection`` of one user over [low, high]: the reviews it gave in that time."""

    def __init__(self, user: _Actor, low: datetime, high: datetime) -> None:
        self.user = user
        self.startedAt, self.endedAt = iso(low), iso(high)
        given = user.world.reviews_given.get(user.login.lower(), ([], []))
        times, reviews = given
        self._reviews = reviews[bisect.bisect_left(times, low) : bisect.bisect_right(times, high)]
        self.totalPullRequestReviewContributions = len(self._reviews)
        self.totalCommitContributions = user.world.dataset.commits_in(user.login, low, high)
        self.hasAnyContributions = bool(self._reviews) or self.totalCommitContributions > 0

    def pullRequestReviewContributions(self, info: Any, **args: Any) -> dict:
        world = self.user.world
        ordered = self._reviews
        if (args.get("orderBy") or {}).get("direction", "DESC") == "DESC":
            ordered = ordered[::-1]
        return connection(info, ordered, args, wrap=world.contribution)


class _Contribution:
    """A CreatedPullRequestReviewContribution: one review, the pull request and repository it was on."""

    typename = "CreatedPullRequestReviewContribution"

    def __init__(self, world: _World, review: Review, pr: PullRequest) -> None:
        self.pullRequestReview = world.review(review)
        self.pullRequest = world.pull_request(pr)
        self.occurredAt = iso(review.submitted_at)
        self.isRestricted = False
        self.url = self.pullRequestReview.url
        self._world, self._review = world, review

    @property
    def repository(self) -> _Repository:
        return self.pullRequest.repository

    @property
    def user(self) -> _Actor:
        return self._world.actor(self._review.author)


class _Repository:
    """A Repository, from the same REST rendering the fake's ``GET /repos`` uses."""

    typename = "Repository"

    def __init__(self, world: _World, repo: Repo) -> None:
        body = world.payloads.repo(repo)
        self.world = world
        self.id = body["node_id"]
        self.name = body["name"]
        self.nameWithOwner = body["full_name"]
        self.url = body["html_url"]
        self.description = body["description"]
        self.isFork = body["fork"]
        self.isArchived = body["archived"]
        self.isPrivate = False
        self.stargazerCount = body["stargazers_count"]
        self.forkCount = body["forks_count"]
        self.createdAt = body["created_at"]
        language = body["language"]
        self.primaryLanguage = (
            {"id": f"LA_{database_id('language:' + language)}", "name": language, "color": None}
            if language
            else None
        )
        self._owner = repo.owner_login
        self._topics = [
            {"id": f"RT_{database_id(f'{self.nameWithOwner}:{t}')}", "url": f"https://github.com/topics/{t}",
             "topic": {"id": f"TO_{database_id('topic:' + t)}", "name": t}}
            for t in body["topics"]
        ]  # fmt: skip

    @property
    def owner(self) -> _Actor:
        actor = self.world.actor(self._owner)
        return actor if actor.typename in ("User", "Organization") else self.world.actor(self._owner, "User")

    def repositoryTopics(self, info: Any, **args: Any) -> dict:
        return connection(info, self._topics, args)


class _UnavailableRepository(_Repository):
    """A repository that is gone or blocked: its name still shows where work points at it, nothing else."""

    def __init__(self, world: _World, repo: Repo, status: int) -> None:
        super().__init__(world, repo)
        self._error = unavailable_error(repo.full_name, status)

    def __getattribute__(self, name: str) -> Any:
        if name in _REPOSITORY_METADATA:
            raise object.__getattribute__(self, "_error")
        return super().__getattribute__(name)


_REPOSITORY_METADATA = frozenset(
    {"description", "isFork", "isArchived", "stargazerCount", "forkCount", "owner", "primaryLanguage",
     "repositoryTopics", "createdAt"}
)  # fmt: skip


def unavailable_error(full_name: str, status: int) -> GitHubError:
    """GitHub's GraphQL error for a repository that is gone (NOT_FOUND) or blocked (FORBIDDEN)."""
    if status in (403, 451):
        return GitHubError("FORBIDDEN", f"Repository access blocked: {full_name}.")
    return GitHubError("NOT_FOUND", f"Could not resolve to a Repository with the name '{full_name}'.")


class _Item:
    """What pull requests and issues share: identity, author, labels, comments and repository."""

    typename = ""

    def __init__(self, world: _World, item: PullRequest | Issue) -> None:
        self.world = world
        self.item = item
        self.id = item.node_id
        self.number = item.number
        self.title = item.title
        self.url = item.url
        self.resourcePath = urlsplit(item.url).path
        self.body = world.dataset.bodies.get(item.node_id) or ""
        self.closed = item.state != "open"
        self.createdAt = iso(item.created_at)
        self.updatedAt = iso(item.updated_at or item.closed_at or item.created_at)
        self.closedAt = iso(item.closed_at)
        self.authorAssociation = item.author_association or "NONE"
        self._comments = {"totalCount": item.comments or 0}

    @property
    def author(self) -> _Actor:
        return self.world.actor(self.item.author)

    @property
    def repository(self) -> _Repository:
        return self.world.repository(self.item.repo)

    def comments(self, _info: Any, **_args: Any) -> dict[str, int]:
        return self._comments

    def labels(self, info: Any, **args: Any) -> dict:
        return connection(info, [self.world.label(self.item.repo, name) for name in self.item.labels], args)


class _PullRequest(_Item):
    """A PullRequest: state, size, merger, files and the issues it closes."""

    typename = "PullRequest"

    def __init__(self, world: _World, pr: PullRequest) -> None:
        super().__init__(world, pr)
        files = pr.files or ()
        self.state = pr.state.upper()
        self.merged = pr.state == "merged"
        self.isDraft = bool(pr.draft)
        self.mergedAt = iso(pr.merged_at)
        # The same fallbacks as the REST pull request, so both paths report the same sizes.
        self.additions = pr.additions if pr.additions is not None else sum(f.additions or 0 for f in files)
        self.deletions = pr.deletions if pr.deletions is not None else sum(f.deletions or 0 for f in files)
        self.changedFiles = pr.changed_files if pr.changed_files is not None else len(files)
        self._files = [
            {"path": f.path, "additions": f.additions or 0, "deletions": f.deletions or 0,
             "changeType": _CHANGE_TYPES.get(f.status or "modified", "MODIFIED")}
            for f in files[:FILES_LIMIT]
        ]  # fmt: skip

    @property
    def mergedBy(self) -> _Actor | None:
        pr = self.item
        return self.world.actor(pr.merged_by) if self.merged and pr.merged_by else None

    def files(self, info: Any, **args: Any) -> dict:
        return connection(info, self._files, args)

    def closingIssuesReferences(self, info: Any, **args: Any) -> dict:
        issues = [self.world.issue_by_url(url) for url in self.item.closes or ()]
        return connection(info, [i for i in issues if i is not None], args)


class _Issue(_Item):
    """An Issue: state, why it closed and the pull requests that closed it."""

    typename = "Issue"

    def __init__(self, world: _World, issue: Issue) -> None:
        super().__init__(world, issue)
        self.state = "OPEN" if issue.state == "open" else "CLOSED"

    def stateReason(self, _info: Any, enableDuplicate: bool = False) -> str | None:
        reason = (self.item.state_reason or "").upper() or None
        return "NOT_PLANNED" if reason == "DUPLICATE" and not enableDuplicate else reason

    def closedByPullRequestsReferences(self, info: Any, **args: Any) -> dict:
        prs = [self.world.pull_request_by_url(url) for url in self.item.closed_by or ()]
        chosen = [p for p in prs if p is not None and (args.get("includeClosedPrs") or p.state == "OPEN")]
        return connection(info, chosen, args)


class _Review:
    """A PullRequestReview: its verdict, time, comment count and the pull request it reviewed."""

    typename = "PullRequestReview"

    def __init__(self, world: _World, review: Review, pr: PullRequest) -> None:
        self.world = world
        self.review = review
        self.pr = pr
        self.id = review.node_id
        self.state = review.state or "COMMENTED"
        self.submittedAt = iso(review.submitted_at)
        self.createdAt = self.submittedAt or iso(pr.created_at)
        self.body = world.dataset.bodies.get(review.node_id) or ""
        self.url = f"{pr.url}#pullrequestreview-{database_id(review.node_id)}"
        self._comments = {"totalCount": review.comments or 0}

    @property
    def author(self) -> _Actor:
        return self.world.actor(self.review.author)

    @property
    def pullRequest(self) -> _PullRequest:
        return self.world.pull_request(self.pr)

    @property
    def authorAssociation(self) -> str:
        return json.loads(self.world.payloads.review(self.review, self.pr))["author_association"]

    def comments(self, _info: Any, **_args: Any) -> dict[str, int]:
        return self._comments


class _Category:
    """A DiscussionCategory: GitHub's "Q&A" is the answerable one."""

    typename = "DiscussionCategory"

    def __init__(self, repo: str, name: str) -> None:
        self.id = f"DIC_{database_id(f'{repo}:{name}')}"
        self.name = name
        self.isAnswerable = name == "Q&A"


class _Discussion:
    """A Discussion: started by someone, in a repository's category, answered or not."""

    typename = "Discussion"

    def __init__(self, world: _World, item: Discussion) -> None:
        self.world = world
        self.item = item
        self.id = (
            f"D_{database_id(item.discussion_url or item.url)}" if item.kind == "answer" else item.node_id
        )
        self.url = item.discussion_url or item.url
        self.number = int(self.url.rstrip("/").split("/")[-1].split("#")[0])
        self.title = item.title
        self.body = world.dataset.bodies.get(self.id) or ""
        self.createdAt = iso(item.created_at)
        self.updatedAt = iso(item.updated_at or item.created_at)
        self.isAnswered = True if item.kind == "answer" else bool(item.answered)
        self.answerChosenAt = self.updatedAt if self.isAnswered else None
        self.upvoteCount = (item.upvotes or 0) if item.kind == "started" else 0
        self.authorAssociation = (item.author_association or "NONE") if item.kind == "started" else "NONE"
        self.category = _Category(item.repo, item.category or ("Q&A" if self.isAnswered else "General"))

    @property
    def author(self) -> _Actor | None:
        login = self.item.author if self.item.kind == "started" else self.item.discussion_author
        return self.world.actor(login) if login else None

    @property
    def repository(self) -> _Repository:
        return self.world.repository(self.item.repo)

    @property
    def answer(self) -> _DiscussionComment | None:
        return self.world.discussion_comment(self.item) if self.item.kind == "answer" else None


class _DiscussionComment:
    """A DiscussionComment chosen as the answer to someone's discussion."""

    typename = "DiscussionComment"

    def __init__(self, world: _World, item: Discussion) -> None:
        self.world = world
        self.item = item
        self.id = item.node_id
        self.url = item.url
        self.body = world.dataset.bodies.get(item.node_id) or ""
        self.createdAt = iso(item.created_at)
        self.updatedAt = iso(item.updated_at or item.created_at)
        self.isAnswer = True
        self.upvoteCount = item.upvotes or 0
        self.authorAssociation = item.author_association or "NONE"

    @property
    def author(self) -> _Actor:
        return self.world.actor(self.item.author)

    @property
    def discussion(self) -> _Discussion:
        return self.world.discussion(self.item)


class _IssueComment:
    """An IssueComment on an issue or a pull request (whose issue is the pull request itself here)."""

    typename = "IssueComment"

    def __init__(self, world: _World, comment: Comment) -> None:
        self.world = world
        self.comment = comment
        self.id = comment.node_id
        self.url = f"{comment.thread_url}#issuecomment-{database_id(comment.node_id)}"
        self.body = world.dataset.bodies.get(comment.node_id) or ""
        self.bodyText = self.body
        self.createdAt = iso(comment.created_at)
        self.updatedAt = iso(comment.updated_at or comment.created_at)
        self.authorAssociation = "NONE"

    @property
    def author(self) -> _Actor:
        return self.world.actor(self.comment.author)

    @property
    def repository(self) -> _Repository:
        return self.world.repository(self.comment.repo)

    @property
    def pullRequest(self) -> _PullRequest | None:
        return self.world.pull_request_by_url(self.comment.thread_url)

    @property
    def issue(self) -> _Issue | _PullRequest:
        found = self.world.issue_by_url(self.comment.thread_url) or self.pullRequest
        if found is None:
            raise GitHubError("NOT_FOUND", f"Could not resolve the issue of comment '{self.id}'.")
        return found


# -- the world: one dataset's objects and indexes --------------------------------------------------------


class _World:
    """Every object the fake can answer with for one dataset, built on first use and then reused."""

    def __init__(self, dataset: Dataset, base_url: str) -> None:
        self.dataset = dataset
        self.base_url = base_url
        self.payloads = Payloads(dataset, base_url)
        self.searcher = Searcher(dataset)
        self._lock = threading.Lock()
        self._searches: OrderedDict[tuple[str, str, str, str], list[Any]] = OrderedDict()
        self._objects: dict[tuple[str, str], Any] = {}
        index = dataset.index
        self.issues_by_url = {i.url: i for i in dataset.issues}
        self.prs_by_url = index.pr_by_url
        given: dict[str, list[tuple[datetime, str, Review]]] = defaultdict(list)
        for review in dataset.reviews:
            pr = index.pr_by_url.get(review.pr_url)
            # GitHub counts a submitted review of someone else's pull request as a contribution.
            if pr is None or review.submitted_at is None or pr.author.lower() == review.author.lower():
                continue
            if pr.repo.lower() in dataset.unavailable:
                continue  # GitHub hides contributions to a repository nobody may read
            given[review.author.lower()].append((review.submitted_at, review.node_id, review))
        self.reviews_given: dict[str, tuple[list[datetime], list[Review]]] = {}
        for login, entries in given.items():
            entries.sort(key=lambda e: (e[0], e[1]))
            self.reviews_given[login] = ([e[0] for e in entries], [e[2] for e in entries])
        self._by_node_id: dict[str, Any] | None = None
        posts: dict[tuple[str, str], list[Discussion]] = defaultdict(list)
        for post in sorted(dataset.discussions, key=lambda d: (d.created_at, d.node_id)):
            posts[(post.author.lower(), post.kind)].append(post)
        self.posts = dict(posts)
        comments_by: dict[str, list[Comment]] = defaultdict(list)
        for comment in dataset.comments:
            comments_by[comment.author.lower()].append(comment)
        self.comments_by = dict(comments_by)

    def _once(self, kind: str, key: str, build: Any) -> Any:
        """The object cached under (kind, key), built by ``build`` the first time."""
        found = self._objects.get((kind, key))
        if found is None:
            found = self._objects.setdefault((kind, key), build())
        return found

    def actor(self, login: str, force: str | None = None) -> _Actor:
        """The account ``login`` (one that is not in the dataset looks like a plain user)."""
        actor = self._once("actor", login.lower(), lambda: _Actor(self, login))
        if force and actor.typename != force:
            actor = _Actor(self, login)
            actor.typename = force
        return actor

    def repository(self, full_name: str) -> _Repository:
        """The repository ``full_name``; one the dataset lacks looks like an empty one of its owner."""
        repo = self.dataset.repo(full_name) or Repo(full_name=full_name, owner_login=full_name.split("/")[0])
        status = self.dataset.unavailable.get(full_name.lower())
        if status is not None:
            return self._once("repo", full_name.lower(), lambda: _UnavailableRepository(self, repo, status))
        return self._once("repo", full_name.lower(), lambda: _Repository(self, repo))

    def pull_request(self, pr: PullRequest) -> _PullRequest:
        """The PullRequest object of ``pr``."""
        return self._once("pr", pr.node_id, lambda: _PullRequest(self, pr))

    def issue(self, issue: Issue) -> _Issue:
        """The Issue object of ``issue``."""
        return self._once("issue", issue.node_id, lambda: _Issue(self, issue))

    def item(self, item: PullRequest | Issue) -> _PullRequest | _Issue:
        """The PullRequest or Issue object of a search hit."""
        return self.pull_request(item) if isinstance(item, PullRequest) else self.issue(item)

    def review(self, review: Review) -> _Review:
        """The PullRequestReview object of ``review``."""
        pr = self.prs_by_url[review.pr_url]
        return self._once("review", review.node_id, lambda: _Review(self, review, pr))

    def contribution(self, review: Review) -> _Contribution:
        """The review contribution object of ``review``."""
        pr = self.prs_by_url[review.pr_url]
        return self._once("contribution", review.node_id, lambda: _Contribution(self, review, pr))

    def engagement(self, login: str, kind: str) -> list[Discussion]:
        """The answers (``kind="answer"``) or discussions started (``"started"``) of ``login``, oldest first."""
        return self.posts.get((login.lower(), kind), [])

    def discussion(self, item: Discussion) -> _Discussion:
        """The Discussion object a post belongs to (the discussion itself for one started)."""
        return self._once("discussion", item.node_id, lambda: _Discussion(self, item))

    def discussion_comment(self, item: Discussion) -> _DiscussionComment:
        """The DiscussionComment object of an answer."""
        return self._once("discussion_comment", item.node_id, lambda: _DiscussionComment(self, item))

    def issue_comment(self, comment: Comment) -> _IssueComment:
        """The IssueComment object of ``comment``."""
        return self._once("issue_comment", comment.node_id, lambda: _IssueComment(self, comment))

    def issue_by_url(self, url: str) -> _Issue | None:
        """The Issue at ``url``, if the dataset has it."""
        issue = self.issues_by_url.get(url)
        return None if issue is None else self.issue(issue)

    def pull_request_by_url(self, url: str) -> _PullRequest | None:
        """The PullRequest at ``url``, if the dataset has it."""
        pr = self.prs_by_url.get(url)
        return None if pr is None else self.pull_request(pr)

    def label(self, full_name: str, name: str) -> dict[str, Any]:
        """A label of a repository, as the REST rendering shows it."""

        def build() -> dict[str, Any]:
            body = self.payloads.label(full_name, name)
            return {
                "id": body["node_id"],
                "name": name,
                "color": body["color"],
                "description": body["description"],
            }

        return self._once("label", f"{full_name.lower()}:{name}", build)

    def node(self, node_id: str) -> Any:
        """Any object by its global id, or None."""
        if self._by_node_id is None:
            table: dict[str, Any] = {}
            for login in self.dataset.profiles:
                table[self.payloads.user(login)["node_id"]] = ("actor", login)
            for full_name in self.dataset.repos:
                table[self.payloads.repo(self.dataset.repos[full_name])["node_id"]] = ("repo", full_name)
            for pr in self.dataset.pull_requests:
                table[pr.node_id] = ("pr", pr)
            for issue in self.dataset.issues:
                table[issue.node_id] = ("issue", issue)
            for review in self.dataset.reviews:
                if review.pr_url in self.prs_by_url:
                    table[review.node_id] = ("review", review)
            self._by_node_id = table
        found = self._by_node_id.get(node_id)
        if found is None:
            return None
        kind, value = found
        build = {
            "actor": self.actor,
            "repo": self.repository,
            "pr": self.pull_request,
            "issue": self.issue,
            "review": self.review,
        }[kind]
        return build(value)

    def search(self, text: str, viewer: str | None) -> list[PullRequest | Issue]:
        """Every hit of an issue search, with GitHub's ``sort:`` qualifier applied; cached per query."""
        sort = order = ""
        chosen = _SORT.search(text)
        if chosen:
            field, _, direction = chosen.group(1).partition("-")
            sort, order = field, direction or "desc"
            text = _SORT.sub(" ", text).strip()
        key = (text, sort, order, viewer or "")
        with self._lock:
            found = self._searches.get(key)
            if found is not None:
                self._searches.move_to_end(key)
                return found
        try:
            found = self.searcher.search(text, sort or None, order or None, viewer)
        except SearchError as error:
            detail = "; ".join(e.get("message", "") for e in error.errors if e.get("message"))
            raise GitHubError("INVALID", detail or error.message) from None
        with self._lock:
            self._searches[key] = found
            if len(self._searches) > 128:
                self._searches.popitem(last=False)
        return found


# -- the root --------------------------------------------------------------------------------------------


@dataclass
class _Rate:
    """What one query cost and what is left, for its ``rateLimit`` field."""

    cost: int
    limit: int
    remaining: int
    reset_at: int
    nodes: int

    def as_graphql(self) -> dict[str, Any]:
        """The RateLimit object."""
        return {
            "cost": self.cost,
            "limit": self.limit,
            "remaining": self.remaining,
            "used": self.limit - self.remaining,
            "resetAt": iso(datetime.fromtimestamp(self.reset_at, UTC)),
            "nodeCount": self.nodes,
        }


class _Root:
    """The Query type's fields for one request."""

    def __init__(self, world: _World, viewer: str | None, rate: _Rate) -> None:
        self.world = world
        self._viewer = viewer
        self._rate = rate

    def _account(self, login: str, typename: str) -> _Actor:
        """The account ``login`` if it is a ``typename``; GitHub's NOT_FOUND otherwise."""
        profile = self.world.dataset.profile(login)
        if profile is None or (profile.type or "User") != typename:
            kind = "a User" if typename == "User" else "an Organization"
            raise GitHubError("NOT_FOUND", f"Could not resolve to {kind} with the login of '{login}'.")
        return self.world.actor(login)

    def user(self, _info: Any, login: str) -> _Actor:
        return self._account(login, "User")

    def organization(self, _info: Any, login: str) -> _Actor:
        return self._account(login, "Organization")

    def repositoryOwner(self, _info: Any, login: str) -> _Actor | None:
        return self.world.actor(login) if self.world.dataset.profile(login) else None

    @property
    def viewer(self) -> _Actor:
        return self.world.actor(self._viewer or "ghost")

    def repository(self, _info: Any, owner: str, name: str, followRenames: bool = True) -> _Repository:
        repo = self.world.dataset.repo(f"{owner}/{name}")
        status = self.world.dataset.unavailable.get(f"{owner}/{name}".lower())
        if status is not None:
            raise unavailable_error(f"{owner}/{name}", status)
        if repo is None:
            raise GitHubError(
                "NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'."
            )
        return self.world.repository(repo.full_name)

    def node(self, _info: Any, id: str) -> Any:
        found = self.world.node(id)
        if found is None:
            raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of '{id}'")
        return found

    def nodes(self, _info: Any, ids: list[str]) -> list[Any]:
        return [self.world.node(node_id) for node_id in ids]

    def rateLimit(self, _info: Any, dryRun: bool = False) -> dict[str, Any]:
        return self._rate.as_graphql()

    def search(self, info: Any, query: str, type: str, **args: Any) -> dict[str, Any]:
        hits = self.world.search(query, self._viewer) if type == "ISSUE" else []
        page = connection(info, hits, args, available=SEARCH_CAP, wrap=self.world.item)
        counts = dict.fromkeys(
            ("codeCount", "discussionCount", "repositoryCount", "userCount", "wikiCount"), 0
        )
        return {**page, **counts, "issueCount": len(hits)}


# -- cost ------------------------------------------------------------------------------------------------


def query_cost(
    document: DocumentNode, operation: OperationDefinitionNode, variables: dict[str, Any]
) -> tuple[int, int]:
    """(points, nodes) of a query by GitHub's formula: connections fetched, assuming every page is full."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    requests = nodes = 0

    def size(field: FieldNode) -> int | None:
        """The page size a connection field asks for (first or last), or None for other fields."""
        for argument in field.arguments:
            if argument.name.value in ("first", "last"):
                value = argument.value
                if isinstance(value, VariableNode):
                    return variables.get(value.name.value)
                return value_from_ast_untyped(value)
        return None

    def walk(selections: SelectionSetNode | None, multiplier: int) -> None:
        """Count the connections under ``selections``, each fetched once per ``multiplier`` parents."""
        nonlocal requests, nodes
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                page = size(selection)
                inner = multiplier
                if isinstance(page, int):
                    requests += multiplier
                    inner = multiplier * max(page, 0)
                    nodes += inner
                walk(selection.selection_set, inner)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, multiplier)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                walk(fragments[selection.name.value].selection_set, multiplier)

    walk(operation.selection_set, 1)
    return max(1, math.floor(requests / 100 + 0.5)), nodes


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation to run: the one named, or the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _format(error: GraphQLError) -> dict[str, Any]:
    """A graphql-core error in GitHub's shape: type, path, locations, message."""
    out: dict[str, Any] = {}
    original = error.original_error
    if isinstance(original, GitHubError):
        out["type"] = original.kind
    if error.path:
        out["path"] = list(error.path)
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    out["message"] = error.message
    return out


# -- the handler -----------------------------------------------------------------------------------------


class GraphqlHandler:
    """``POST /graphql`` for a FakeGitHub: authenticates, prices, executes and answers like GitHub."""

    def __init__(self, points: int = POINTS, window: int = WINDOW, enforce: bool = False) -> None:
        self.limit = points
        self.window = window
        self.remaining = points
        self.reset_at = int(time.time()) + window
        self.enforce = enforce  # off: like the REST budgets, points roll over before they run out
        self._lock = threading.Lock()
        self._world: _World | None = None
        self._documents: OrderedDict[str, DocumentNode | list[dict[str, Any]]] = OrderedDict()

    def set_points(self, remaining: int, reset_in_seconds: float = WINDOW, enforce: bool = True) -> None:
        """Set the points left in this hour and when they refill, and enforce the budget from now on."""
        with self._lock:
            self.remaining = max(0, min(remaining, self.limit))
            self.reset_at = int(time.time() + reset_in_seconds)
            self.enforce = enforce

    def __call__(self, dataset: Dataset, request: ApiRequest) -> ApiResponse:
        """Answer one request."""
        if not request.authenticated:
            return ApiResponse(
                401, error_body("This endpoint requires you to be authenticated.", 401, AUTH_DOCS)
            )
        try:
            payload = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return ApiResponse(
                400, error_body("Problems parsing JSON", 400, "https://docs.github.com/graphql")
            )
        query = payload.get("query") if isinstance(payload, dict) else None
        if not isinstance(query, str):
            return self._errors([{"message": "A query attribute must be specified and must be a string."}])
        variables = payload.get("variables") or {}
        if isinstance(variables, str):
            variables = json.loads(variables or "{}")
        document = self._document(query)
        if isinstance(document, list):
            return self._errors(document)
        operation = _operation(document, payload.get("operationName"))
        if operation is None:
            return self._errors([{"message": "An operation name is required when a document has several."}])
        cost, nodes = query_cost(document, operation, variables)
        if nodes > NODE_LIMIT:
            return self._errors(
                [{"type": "MAX_NODE_LIMIT_EXCEEDED",
                  "message": f"This query requests up to {nodes:,} possible nodes which exceeds the maximum limit "
                  f"of {NODE_LIMIT:,}."}]
            )  # fmt: skip
        rate, headers = self._spend(cost, nodes, request)
        if rate is None:
            return ApiResponse(
                200, {"errors": [{"type": "RATE_LIMITED", "message": headers.pop("message")}]}, headers
            )
        world = self._world_for(dataset, request.base_url)
        result = execute(
            fake_schema(),
            document,
            root_value=_Root(world, request.viewer, rate),
            variable_values=variables,
            operation_name=payload.get("operationName"),
        )
        body: dict[str, Any] = {}
        if result.data is not None:
            body["data"] = result.data
        if result.errors:
            body["errors"] = [_format(e) for e in result.errors]
        return ApiResponse(200, body, headers)

    def _errors(self, errors: list[dict[str, Any]]) -> ApiResponse:
        """An answer with errors and no data (GitHub still says 200)."""
        with self._lock:
            headers = self._headers()
        return ApiResponse(200, {"errors": errors}, headers)

    def _document(self, query: str) -> DocumentNode | list[dict[str, Any]]:
        """The parsed, validated document for ``query`` (or GitHub-shaped errors), cached by its text."""
        with self._lock:
            found = self._documents.get(query)
            if found is not None:
                self._documents.move_to_end(query)
                return found
        try:
            document: DocumentNode | list[dict[str, Any]] = parse(query)
            problems = validate(fake_schema(), document)
        except GraphQLError as error:
            document, problems = [_format(error)], []
        if problems:
            document = [_format(p) for p in problems]
        with self._lock:
            self._documents[query] = document
            if len(self._documents) > 64:
                self._documents.popitem(last=False)
        return document

    def _headers(self) -> dict[str, str]:
        """The X-RateLimit headers of the GraphQL budget; call with the lock held."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
            "X-RateLimit-Used": str(self.limit - self.remaining),
            "X-RateLimit-Resource": "graphql",
        }

    def _spend(self, cost: int, nodes: int, request: ApiRequest) -> tuple[_Rate | None, dict[str, str]]:
        """Charge ``cost`` points; (None, headers with a message) when the budget cannot pay."""
        now = time.time()
        with self._lock:
            if now >= self.reset_at:
                self.remaining = self.limit
                self.reset_at = int(now) + self.window
            if not self.enforce and cost >= self.remaining:
                self.remaining, self.reset_at = self.limit, int(now) + self.window
            if cost > self.remaining:
                headers = {**self._headers(), "X-RateLimit-Remaining": "0"}
                who = request.viewer or "1"
                headers["message"] = f"API rate limit exceeded for user ID {database_id(f'user:{who}')}."
                return None, headers
            self.remaining = max(0, self.remaining - cost)
            rate = _Rate(cost, self.limit, self.remaining, self.reset_at, nodes)
            return rate, self._headers()

    def _world_for(self, dataset: Dataset, base_url: str) -> _World:
        """The objects of ``dataset`` rendered for ``base_url``, built once."""
        with self._lock:
            if self._world is None or self._world.dataset is not dataset or self._world.base_url != base_url:
                self._world = _World(dataset, base_url)
            return self._world
