"""What the fake GitHub knows: accounts, repositories, pull requests, issues and reviews, with lookups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property

from portfolio.model import Comment, CommitYear, Discussion, Issue, Profile, PullRequest, Record, Repo, Review
from portfolio.reports import report_signals

# A made-up token in GitHub's classic-PAT shape; the fake accepts it, GitHub never would.
DEFAULT_TOKEN = "ghp_fakehubDemoTokenNotARealSecret000000"  # noqa: S105


@dataclass(frozen=True, slots=True)
class Label:
    """How a label looks in a repository: GitHub's hex colour and its description."""

    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class Dataset:
    """Everything the fake server can answer about; treat it as immutable once a server uses it."""

    profiles: dict[str, Profile]
    repos: dict[str, Repo]
    pull_requests: list[PullRequest]
    issues: list[Issue]
    reviews: list[Review]
    tokens: set[str] = field(default_factory=lambda: {DEFAULT_TOKEN})
    viewer: str | None = None  # the login ``GET /user`` answers with for any accepted token
    bodies: dict[str, str] = field(default_factory=dict)  # markdown bodies by node id
    labels: dict[str, Label] = field(default_factory=dict)  # by label name; unknown names look default
    fork_parents: dict[str, str] = field(default_factory=dict)  # fork full_name -> parent full_name
    review_associations: dict[str, str] = field(default_factory=dict)  # review node id -> MEMBER, ...
    discussions: list[Discussion] = field(default_factory=list)  # answers chosen and discussions started
    comments: list[Comment] = field(default_factory=list)  # comments on issues and PRs; text in ``bodies``
    commits: dict[str, list[tuple[datetime, int]]] = field(default_factory=dict)  # login -> (day, commits)
    # Repositories search still lists work in but that answer with an error: lower-case full name -> 404
    # (deleted), 410 (gone), 451 (taken down) or 403 (access blocked).
    unavailable: dict[str, int] = field(default_factory=dict)

    def profile(self, login: str) -> Profile | None:
        """The account with this login, ignoring case as GitHub does."""
        return self.index.profiles.get(login.lower())

    def repo(self, full_name: str) -> Repo | None:
        """The repository with this ``owner/name``, ignoring case."""
        return self.index.repos.get(full_name.lower())

    def pull_request(self, full_name: str, number: int) -> PullRequest | None:
        """The pull request ``number`` of a repository."""
        return self.index.pull_requests.get((full_name.lower(), number))

    def issue(self, full_name: str, number: int) -> Issue | None:
        """The issue ``number`` of a repository (pull requests excluded)."""
        return self.index.issues.get((full_name.lower(), number))

    def reviews_of(self, pr: PullRequest) -> list[Review]:
        """The reviews of one pull request, oldest first."""
        return self.index.reviews_by_pr.get(pr.url, [])

    @cached_property
    def index(self) -> DatasetIndex:
        """Lookup tables built once, so each request is answered without scanning the dataset."""
        return DatasetIndex(self)

    def closing_labels(self, pr: PullRequest) -> tuple[str, ...]:
        """The labels of the first 10 issues ``pr`` closes that this dataset has, 10 each, once each."""
        issues = [self.index.issue_by_url[url] for url in pr.closes or () if url in self.index.issue_by_url]
        return tuple(dict.fromkeys(name for issue in issues[:10] for name in issue.labels[:10]))

    def commits_in(self, login: str, low: datetime, high: datetime) -> int:
        """Commits ``login`` made in [low, high], as ``totalCommitContributions`` counts them."""
        return sum(n for moment, n in self.commits.get(login.lower(), ()) if low <= moment <= high)

    def record_for(self, login: str, now: datetime | None = None) -> Record:
        """What a complete, token-authenticated collection of ``login`` (at ``now``) must produce."""
        profile = self.profile(login)
        if profile is None:
            raise KeyError(f"no account {login!r} in this dataset")
        key = profile.login.lower()
        prs = sorted(
            (
                replace(pr, closes_labels=self.closing_labels(pr))
                for pr in self.pull_requests
                if pr.author.lower() == key
            ),
            key=lambda p: (p.repo, p.number),
        )
        issues = sorted(
            (
                replace(i, **report_signals(self.bodies.get(i.node_id)))
                for i in self.issues
                if i.author.lower() == key
            ),
            key=lambda i: (i.repo, i.number),
        )
        reviews = sorted((r for r in self.reviews if r.author.lower() == key), key=lambda r: r.node_id)
        discussions = sorted(
            (d for d in self.discussions if d.author.lower() == key), key=lambda d: d.node_id
        )
        comments = sorted(
            (
                replace(c, words=len(self.bodies.get(c.node_id, "").split()))
                for c in self.comments
                if c.author.lower() == key
            ),
            key=lambda c: c.node_id,
        )
        touched = (
            {pr.repo for pr in prs}
            | {i.repo for i in issues}
            | {r.repo for r in reviews}
            | {d.repo for d in discussions}
        )
        repos = sorted(
            (self.repos[name] for name in touched if name in self.repos), key=lambda r: r.full_name
        )
        return Record(
            profile=profile,
            repos=tuple(repos),
            pull_requests=tuple(prs),
            issues=tuple(issues),
            reviews=tuple(reviews),
            discussions=tuple(discussions) if profile.type != "Organization" else (),
            comments=tuple(comments) if profile.type != "Organization" else (),
            commit_years=self.commit_years(profile, now) if profile.type != "Organization" else (),
        )

    def commit_years(self, profile: Profile, now: datetime | None = None) -> tuple[CommitYear, ...]:
        """The commits of every calendar year from the account's creation to ``now``, as collected."""
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        first = (profile.created_at or datetime(2008, 1, 1, tzinfo=UTC)).astimezone(UTC).year
        years = []
        for year in range(max(first, 2008), now.year + 1):
            low = datetime(year, 1, 1, tzinfo=UTC)
            high = min(datetime(year, 12, 31, 23, 59, 59, tzinfo=UTC), now)
            key = f"{profile.login.lower()}/{year}"
            years.append(CommitYear(key, profile.login, year, self.commits_in(profile.login, low, high)))
        return tuple(years)


class DatasetIndex:
    """Case-insensitive lookups and per-login lists over one dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.profiles = {login.lower(): p for login, p in dataset.profiles.items()}
        self.repos = {name.lower(): r for name, r in dataset.repos.items()}
        self.pull_requests = {(pr.repo.lower(), pr.number): pr for pr in dataset.pull_requests}
        self.issues = {(i.repo.lower(), i.number): i for i in dataset.issues}
        self.pr_by_url = {pr.url: pr for pr in dataset.pull_requests}
        self.issue_by_url = {i.url: i for i in dataset.issues}
        by_pr: dict[str, list[Review]] = defaultdict(list)
        for review in dataset.reviews:
            by_pr[review.pr_url].append(review)
        for reviews in by_pr.values():
            reviews.sort(key=lambda r: (r.submitted_at is None, r.submitted_at, r.node_id))
        self.reviews_by_pr = dict(by_pr)
        reviewed: dict[str, dict[str, PullRequest]] = defaultdict(dict)
        for review in dataset.reviews:
            pr = self.pr_by_url.get(review.pr_url)
            if pr is not None:
                reviewed[review.author.lower()][pr.node_id] = pr
        self.reviewed_by = {login: list(prs.values()) for login, prs in reviewed.items()}
        by_author: dict[str, list[PullRequest | Issue]] = defaultdict(list)
        by_repo: dict[str, list[PullRequest | Issue]] = defaultdict(list)
        self.items: list[PullRequest | Issue] = [*dataset.pull_requests, *dataset.issues]
        for item in self.items:
            by_author[item.author.lower()].append(item)
            by_repo[item.repo.lower()].append(item)
        self.by_author = dict(by_author)
        self.by_repo = dict(by_repo)
        owned: dict[str, list[Repo]] = defaultdict(list)
        for repo in sorted(dataset.repos.values(), key=lambda r: r.full_name.lower()):
            owned[repo.owner_login.lower()].append(repo)
        self.repos_by_owner = dict(owned)
        # Who closed an issue: the merger of the PR that closed it, so GET /issues/{n} can say so.
        self.closer: dict[str, str] = {}
        for issue in dataset.issues:
            for url in issue.closed_by or ():
                pr = self.pr_by_url.get(url)
                if pr is not None:
                    self.closer[issue.node_id] = pr.merged_by or pr.author
                    break
