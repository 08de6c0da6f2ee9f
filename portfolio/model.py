"""The records a collection produces: plain, immutable, stdlib-only.

Every collector path (REST, GraphQL) and the fake GitHub server's dataset speak these types.
A field that a path cannot see is ``None``; it is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime

# GitHub's own rule: letters, digits and single hyphens, no hyphen at either end, 1-39 characters.
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")


class InvalidLogin(ValueError):
    """A string that cannot be a GitHub login (and could inject search qualifiers)."""


def validate_login(login: str) -> str:
    """Return ``login`` if GitHub could have issued it, else raise InvalidLogin before any request."""
    if not isinstance(login, str) or not login.isascii() or not _LOGIN.fullmatch(login):
        shown = login if isinstance(login, str) and len(login) <= 60 else f"{str(login)[:60]}…"
        raise InvalidLogin(
            f"{shown!r} is not a GitHub login: use 1-39 letters, digits or single hyphens, "
            "not starting or ending with a hyphen."
        )
    return login


@dataclass(frozen=True, slots=True)
class Profile:
    """A GitHub account as its public profile shows it."""

    login: str
    name: str | None = None
    avatar_url: str | None = None
    bio: str | None = None
    company: str | None = None
    location: str | None = None
    blog: str | None = None
    followers: int | None = None
    public_repos: int | None = None
    created_at: datetime | None = None
    html_url: str | None = None
    node_id: str | None = None
    type: str | None = None  # "User" or "Organization"


@dataclass(frozen=True, slots=True)
class Repo:
    """A repository someone contributed to, with the reach figures the record uses."""

    full_name: str
    owner_login: str
    owner_type: str | None = None  # "User" or "Organization"
    stars: int | None = None
    forks: int | None = None
    language: str | None = None
    topics: tuple[str, ...] | None = None
    is_fork: bool | None = None
    archived: bool | None = None
    description: str | None = None
    html_url: str | None = None
    node_id: str | None = None


@dataclass(frozen=True, slots=True)
class ChangedFile:
    """One file a pull request changed."""

    path: str
    status: str | None = None  # added / modified / removed / renamed / ...
    additions: int | None = None
    deletions: int | None = None


@dataclass(frozen=True, slots=True)
class PullRequest:
    """A pull request; ``state`` is ``open``, ``closed`` (unmerged) or ``merged``."""

    node_id: str
    repo: str
    number: int
    title: str
    url: str
    author: str
    state: str
    created_at: datetime
    draft: bool | None = None
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    merged_by: str | None = None
    additions: int | None = None
    deletions: int | None = None
    changed_files: int | None = None
    labels: tuple[str, ...] = ()
    files: tuple[ChangedFile, ...] | None = None
    comments: int | None = None
    author_association: str | None = None
    closes: tuple[str, ...] | None = None  # html urls of the issues it closes
    updated_at: datetime | None = None
    closes_labels: tuple[str, ...] | None = None  # labels of the issues it closes (10 issues, 10 labels each)


@dataclass(frozen=True, slots=True)
class Issue:
    """An issue; ``state`` is ``open`` or ``closed``, ``state_reason`` says how it closed."""

    node_id: str
    repo: str
    number: int
    title: str
    url: str
    author: str
    state: str
    created_at: datetime
    state_reason: str | None = None  # completed / not_planned / reopened, lower case
    closed_at: datetime | None = None
    labels: tuple[str, ...] = ()
    comments: int | None = None
    closed_by: tuple[str, ...] | None = None  # html urls of the pull requests that closed it
    author_association: str | None = None
    updated_at: datetime | None = None
    # What the body showed when collected (portfolio/reports.py); the body itself is never stored.
    body_length: int | None = None  # characters
    has_steps: bool | None = None  # steps to reproduce or a numbered list
    has_code: bool | None = None  # a code block, a traceback or a log
    has_environment: bool | None = None  # versions, operating system or other environment details


@dataclass(frozen=True, slots=True)
class Review:
    """A review ``author`` gave on someone's pull request."""

    node_id: str
    pr_url: str
    repo: str
    author: str
    state: str | None = None  # APPROVED / CHANGES_REQUESTED / COMMENTED / DISMISSED
    submitted_at: datetime | None = None
    comments: int | None = None
    pr_author: str | None = None


@dataclass(frozen=True, slots=True)
class Discussion:
    """A GitHub Discussions post of ``author``: a discussion they started, or their comment marked as the answer.

    ``kind`` is ``answer`` or ``started``. For an answer, ``url`` is the comment's and ``title``,
    ``discussion_url`` and ``discussion_author`` are those of the discussion it answered.
    """

    node_id: str
    kind: str
    repo: str
    title: str
    url: str
    author: str
    created_at: datetime
    discussion_url: str | None = None
    discussion_author: str | None = None
    category: str | None = None
    answered: bool | None = None  # a started discussion: whether someone's answer was chosen
    upvotes: int | None = None
    author_association: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment ``author`` left on an issue or pull request, kept as counts: its body is never stored."""

    node_id: str
    repo: str
    author: str
    created_at: datetime
    thread_url: str  # the issue or pull request it was left on
    thread_author: str | None = None
    repo_owner: str | None = None
    words: int | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CommitYear:
    """``contributionsCollection.totalCommitContributions`` of ``login`` in one calendar year."""

    key: str  # "login/year", lower case: one row per login and calendar year
    login: str
    year: int
    commits: int  # this year's count runs to the time of collection


@dataclass(frozen=True, slots=True)
class Record:
    """Everything collected for one login."""

    profile: Profile
    repos: tuple[Repo, ...] = ()
    pull_requests: tuple[PullRequest, ...] = ()
    issues: tuple[Issue, ...] = ()
    reviews: tuple[Review, ...] = ()
    discussions: tuple[Discussion, ...] = ()
    comments: tuple[Comment, ...] = ()
    commit_years: tuple[CommitYear, ...] = ()


@dataclass(frozen=True, slots=True)
class SyncInfo:
    """What the last collection of a login did and could not do."""

    login: str
    backend: str
    started_at: datetime
    finished_at: datetime | None = None
    complete: bool = False
    limits: tuple[str, ...] = field(default_factory=tuple)  # sentences: what this record leaves out
    requests: int | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    """Something a collection could not read about one item, and GitHub's answer (a later run retries it)."""

    kind: str  # one of GAP_KINDS
    item: str  # the pull request's url, or the repository's owner/name
    reason: str  # one of GAP_REASONS


@dataclass(frozen=True, slots=True)
class Validators:
    """GitHub's ETag and Last-Modified for one answer: sent back, they let GitHub answer 304 Not Modified."""

    etag: str | None = None
    last_modified: str | None = None


# What a gap is of: the pull request's details (size, merger), its changed files, its reviews by the
# login, or a repository's metadata.
GAP_KINDS = ("details", "files", "reviews", "repository")
# Why: its repository is gone (404, 410; GraphQL NOT_FOUND), GitHub blocks it (403 "Repository access
# blocked", 451; GraphQL FORBIDDEN), or GitHub kept failing on it past the retries (5xx).
GAP_REASONS = ("gone", "blocked", "failing")


def field_names(cls: type) -> list[str]:
    """The field names of a record type, in declaration order."""
    return [f.name for f in fields(cls)]
