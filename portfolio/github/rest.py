"""The REST path: GitHub's search and repository endpoints through PyGithub, parsed into model records.

The parsers are pure functions of GitHub's JSON, so they are tested against real recorded responses.
Without a token the path sees what search results show (state, merge time, labels, comments) and the
metadata of the most-touched repositories; with one it also reads each PR's size, files and merger,
and each reviewed PR's reviews.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from portfolio.errors import ItemUnavailable, UserNotFound
from portfolio.github.client import Client, validators_of
from portfolio.github.engagement import EngagementPage
from portfolio.github.search import Outcomes, SearchPage, gap_reason, parse_time, search_query
from portfolio.model import ChangedFile, Gap, Issue, Profile, PullRequest, Repo, Review, Validators
from portfolio.reports import report_signals

# GitHub's REST API has no list of a user's discussion answers, discussions or comments, nor commit counts.
REST_UNSEEN = (
    "Collected over REST: accepted answers and discussions started in GitHub Discussions, comments on "
    "others' issues and pull requests (help given) and commit counts are not visible on this path (GraphQL, "
    "with a token, collects them), so they are missing here and the reference rank is fed 0 commits."
)
ANONYMOUS_REPO_LIMIT = 25  # an anonymous client has 60 core requests an hour; keep most for retries
FILES_PER_PAGE = 100


def profile_from_json(data: dict[str, Any]) -> Profile:
    """A Profile from ``GET /users/{login}``."""
    return Profile(
        login=data["login"],
        name=data.get("name"),
        avatar_url=data.get("avatar_url"),
        bio=data.get("bio"),
        company=data.get("company"),
        location=data.get("location"),
        blog=data.get("blog") or None,
        followers=data.get("followers"),
        public_repos=data.get("public_repos"),
        created_at=parse_time(data.get("created_at")),
        html_url=data.get("html_url"),
        node_id=data.get("node_id"),
        type=data.get("type"),
    )


def repo_from_json(data: dict[str, Any]) -> Repo:
    """A Repo from ``GET /repos/{owner}/{repo}`` (or any full repository object)."""
    owner = data.get("owner") or {}
    topics = data.get("topics")
    return Repo(
        full_name=data["full_name"],
        owner_login=owner.get("login") or data["full_name"].split("/")[0],
        owner_type=owner.get("type"),
        stars=data.get("stargazers_count"),
        forks=data.get("forks_count"),
        language=data.get("language"),
        topics=tuple(topics) if topics is not None else None,
        is_fork=data.get("fork"),
        archived=data.get("archived"),
        description=data.get("description"),
        html_url=data.get("html_url"),
        node_id=data.get("node_id"),
    )


def repo_of(item: dict[str, Any]) -> str:
    """``owner/name`` of a search item: from ``repository_url``, or its ``html_url`` on old servers."""
    if item.get("repository_url"):
        owner, name = item["repository_url"].rstrip("/").split("/")[-2:]
    else:
        owner, name = urlsplit(item["html_url"]).path.split("/")[1:3]
    return f"{owner}/{name}"


def node_id_of(data: dict[str, Any]) -> str:
    """GitHub's node id, or (from servers too old to send one) a stable key made of the html url."""
    return data.get("node_id") or f"url:{data['html_url']}"


def _labels(data: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        label["name"] if isinstance(label, dict) else str(label) for label in data.get("labels") or ()
    )


def pr_from_search_item(data: dict[str, Any]) -> PullRequest:
    """A PullRequest from a ``/search/issues`` item; what search cannot see stays None."""
    merged_at = parse_time((data.get("pull_request") or {}).get("merged_at"))
    state = "merged" if merged_at else data["state"]
    return PullRequest(
        **_search_item_fields(data),
        state=state,
        draft=data.get("draft"),
        merged_at=merged_at,
    )


def issue_from_search_item(data: dict[str, Any]) -> Issue:
    """An Issue from a ``/search/issues`` item; REST cannot see which PRs closed it."""
    # GitHub sends ``"body": null`` for an empty body; the key itself is always there.
    signals = report_signals(data["body"]) if "body" in data else {}
    return Issue(
        **_search_item_fields(data),
        state=data["state"],
        state_reason=data.get("state_reason") or None,
        **signals,
    )


def _search_item_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The fields a search hit gives a pull request and an issue alike."""
    return {
        "node_id": node_id_of(data),
        "repo": repo_of(data),
        "number": data["number"],
        "title": data["title"],
        "url": data["html_url"],
        "author": (data.get("user") or {}).get("login", ""),
        "created_at": parse_time(data["created_at"]),
        "closed_at": parse_time(data.get("closed_at")),
        "labels": _labels(data),
        "comments": data.get("comments"),
        "author_association": data.get("author_association"),
        "updated_at": parse_time(data.get("updated_at")),
    }


def file_from_json(data: dict[str, Any]) -> ChangedFile:
    """A ChangedFile from ``GET …/pulls/{n}/files``."""
    return ChangedFile(
        path=data["filename"],
        status=data.get("status"),
        additions=data.get("additions"),
        deletions=data.get("deletions"),
    )


def enrich_pr(pr: PullRequest, pull: dict[str, Any], files: Iterable[ChangedFile]) -> PullRequest:
    """``pr`` with what ``GET …/pulls/{n}`` and its files add: size, merger, draft, files."""
    return replace(
        pr,
        draft=pull.get("draft", pr.draft),
        additions=pull.get("additions"),
        deletions=pull.get("deletions"),
        changed_files=pull.get("changed_files"),
        merged_by=(pull.get("merged_by") or {}).get("login"),
        files=tuple(files),
    )


def review_from_json(data: dict[str, Any], pr: PullRequest) -> Review:
    """A Review from ``GET …/pulls/{n}/reviews``; REST does not count its comments."""
    return Review(
        node_id=node_id_of(data),
        pr_url=pr.url,
        repo=pr.repo,
        author=(data.get("user") or {}).get("login", ""),
        state=data.get("state"),
        submitted_at=parse_time(data.get("submitted_at")),
        pr_author=pr.author,
    )


def reviewed_placeholder(pr: PullRequest, login: str) -> Review:
    """What anonymous search proves: ``login`` reviewed ``pr``; state and time need a token."""
    return Review(
        node_id=f"reviewed:{pr.node_id}:{login}",
        pr_url=pr.url,
        repo=pr.repo,
        author=login,
        pr_author=pr.author,
    )


class RestBackend:
    """Collects through GitHub's REST API (search, pulls, repos) with PyGithub."""

    name = "rest"

    def __init__(self, client: Client) -> None:
        self.client = client
        self.outcomes = Outcomes()

    @property
    def limits(self) -> tuple[str, ...]:
        """Sentences saying what this path leaves out of the record."""
        base = (
            "Collected over REST: the issues a pull request closes and review comment counts are not shown.",
            REST_UNSEEN,
        )
        if self.client.authenticated:
            return base
        return (
            "Collected without a token: pull request files and sizes are unknown, so categories come from titles "
            "and labels; reviews show which PRs were reviewed but not how; repository metadata covers only the "
            f"{ANONYMOUS_REPO_LIMIT} most-touched repositories.",
            *base,
        )

    def engagement(
        self,
        login: str,
        start: datetime,
        end: datetime,
        updated_since: datetime | None,
        resume: dict[str, tuple[str | None, bool] | None],
    ) -> Iterator[EngagementPage]:
        """Nothing: answers, discussions, comments and commits are GraphQL-only (see REST_UNSEEN)."""
        return iter(())

    def profile(self, login: str, known: Validators | None = None) -> Profile | None:
        """The public profile of ``login``, or None when it is unchanged since the answer ``known`` names."""
        try:
            headers, data = self.client.get_json(f"/users/{login}", what=f"user {login!r}", known=known)
        except ItemUnavailable as error:
            if error.status == 404:
                raise UserNotFound(
                    f"GitHub has no user {login!r} (404 Not Found); check the spelling."
                ) from None
            raise
        if data is None:
            return None
        self.outcomes.validated("user", login, validators_of(headers))
        return profile_from_json(data)

    def search(
        self,
        kind: str,
        login: str,
        start: datetime,
        end: datetime,
        page: int | None,
        updated_since: datetime | None,
    ) -> SearchPage:
        """Page ``page`` (1-based; None for the first) of ``kind`` contributions created in [start, end]."""
        page = page or 1
        query = search_query(kind, login, start, end, updated_since)
        _, data = self.client.get_json(
            "/search/issues",
            {"q": query, "sort": "created", "order": "asc", "per_page": 100, "page": page},
        )
        raw = data.get("items") or []
        total = int(data.get("total_count") or 0)
        last = parse_time(raw[-1]["created_at"]) if raw else None
        more = page * 100 < min(total, 1000) and len(raw) == 100
        if kind == "issue":
            items: list[Any] = [issue_from_search_item(item) for item in raw]
        else:
            prs = [pr_from_search_item(item) for item in raw]
            items = self._complete_prs(prs) if kind == "pr" else self._reviews_of(prs, login)
        return SearchPage(items=items, total=total, next_page=page + 1 if more else None, last_created=last)

    def _complete_prs(self, prs: list[PullRequest]) -> list[PullRequest]:
        if not self.client.authenticated:
            return prs
        return [self._complete_pr(pr) for pr in prs]

    def _complete_pr(self, pr: PullRequest) -> PullRequest:
        """``pr`` with its size, merger and files; what cannot be read stays as search gave it, as a gap."""
        base = f"/repos/{pr.repo}/pulls/{pr.number}"
        try:
            _, pull = self.client.get_json(base, what=f"pull request {pr.url}")
        except ItemUnavailable as error:
            self.outcomes.gap("details", pr.url, gap_reason(error.status))
            return pr
        self.outcomes.ok("details", pr.url)
        try:
            files = self._files(base, pr)
        except ItemUnavailable as error:
            self.outcomes.gap("files", pr.url, gap_reason(error.status))
            return replace(enrich_pr(pr, pull, ()), files=None)
        self.outcomes.ok("files", pr.url)
        return enrich_pr(pr, pull, files)

    def _files(self, base: str, pr: PullRequest) -> list[ChangedFile]:
        files: list[ChangedFile] = []
        page = 1
        while True:
            _, batch = self.client.get_json(
                f"{base}/files", {"per_page": FILES_PER_PAGE, "page": page}, what=f"the files of {pr.url}"
            )
            files.extend(file_from_json(f) for f in batch)
            # GitHub lists at most 3,000 files of a PR; a short page is the last one.
            if len(batch) < FILES_PER_PAGE or len(files) >= 3000:
                return files
            page += 1

    def _reviews_of(self, prs: list[PullRequest], login: str) -> list[Review]:
        if not self.client.authenticated:
            return [reviewed_placeholder(pr, login) for pr in prs]
        reviews: list[Review] = []
        for pr in prs:
            try:
                reviews.extend(self._reviews_by(pr, login))
            except ItemUnavailable as error:
                self.outcomes.gap("reviews", pr.url, gap_reason(error.status))
                continue
            self.outcomes.ok("reviews", pr.url)
        return reviews

    def _reviews_by(self, pr: PullRequest, login: str) -> list[Review]:
        reviews: list[Review] = []
        page = 1
        while True:
            _, batch = self.client.get_json(
                f"/repos/{pr.repo}/pulls/{pr.number}/reviews",
                {"per_page": 100, "page": page},
                what=f"the reviews of {pr.url}",
            )
            reviews.extend(
                review_from_json(r, pr)
                for r in batch
                if (r.get("user") or {}).get("login", "").lower() == login.lower()
            )
            if len(batch) < 100:
                return reviews
            page += 1

    def retry(self, gap: Gap, stored: PullRequest | None, login: str) -> list[Any]:
        """Read again what ``gap`` left out: a stored pull request's details and files, or reviews of a PR."""
        if gap.kind in ("details", "files") and stored is not None:
            return [self._complete_pr(stored)]
        if gap.kind != "reviews":
            return []
        repo, number = _pull_of(gap.item)
        try:
            _, pull = self.client.get_json(f"/repos/{repo}/pulls/{number}", what=f"pull request {gap.item}")
        except ItemUnavailable as error:
            self.outcomes.gap("reviews", gap.item, gap_reason(error.status))
            return []
        author = (pull.get("user") or {}).get("login", "")
        pr = PullRequest(
            node_id=node_id_of(pull), repo=repo, number=number, title=pull.get("title", ""), url=gap.item,
            author=author, state=pull.get("state", "open"), created_at=parse_time(pull["created_at"]),
        )  # fmt: skip
        return self._reviews_of([pr], login)

    @property
    def repo_limit(self) -> int | None:
        """How many of the most-touched repositories get metadata: all with a token."""
        return None if self.client.authenticated else ANONYMOUS_REPO_LIMIT

    def repos(self, names: list[str], known: Mapping[str, Validators] | None = None) -> list[Repo]:
        """Metadata of the repositories ``names`` that changed since the answers ``known`` names."""
        repos = []
        for name in names:
            try:
                headers, data = self.client.get_json(
                    f"/repos/{name}", what=f"repository {name}", known=(known or {}).get(name)
                )
            except ItemUnavailable as error:
                # Deleted, made private, taken down or failing since the contribution: a gap, not the end.
                self.outcomes.gap("repository", name, gap_reason(error.status))
                continue
            self.outcomes.ok("repository", name)
            if data is None:
                continue  # 304 Not Modified: the stored row is still GitHub's answer
            self.outcomes.validated("repository", name, validators_of(headers))
            repos.append(repo_from_json(data))
        return repos


def _pull_of(url: str) -> tuple[str, int]:
    """(owner/name, number) of a pull request's html url."""
    owner, name, _, number = urlsplit(url).path.strip("/").split("/")[:4]
    return f"{owner}/{name}", int(number)
