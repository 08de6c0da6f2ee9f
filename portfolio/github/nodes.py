"""GraphQL nodes parsed into the model, one selection of ``queries/fragments.graphql`` each; no requests."""

from __future__ import annotations

from typing import Any

from portfolio.github.search import parse_time
from portfolio.model import ChangedFile, Comment, Discussion, Issue, Profile, PullRequest, Repo, Review
from portfolio.reports import report_signals

# GraphQL's PatchStatus in the REST words the model uses (REST calls a deleted file "removed").
_FILE_STATUS = {
    "ADDED": "added",
    "DELETED": "removed",
    "MODIFIED": "modified",
    "RENAMED": "renamed",
    "COPIED": "copied",
    "CHANGED": "changed",
}


def actor_login(actor: dict[str, Any] | None) -> str | None:
    """The login of an Actor selection (null for a deleted account)."""
    return (actor or {}).get("login")


def _names(connection: dict[str, Any] | None, key: str = "name") -> tuple[str, ...]:
    """``key`` of every node of a connection, in order."""
    return tuple(node[key] for node in (connection or {}).get("nodes") or () if node)


def _count(connection: dict[str, Any] | None) -> int | None:
    """A connection's totalCount, or None when it was not asked for."""
    return None if connection is None else connection.get("totalCount")


def repo_from_node(node: dict[str, Any]) -> Repo:
    """A Repo from a ``RepositoryFields`` selection."""
    owner = node.get("owner") or {}
    topics = (node.get("repositoryTopics") or {}).get("nodes") or ()
    return Repo(
        full_name=node["nameWithOwner"],
        owner_login=owner.get("login") or node["nameWithOwner"].split("/")[0],
        owner_type=owner.get("__typename"),
        stars=node.get("stargazerCount"),
        forks=node.get("forkCount"),
        language=(node.get("primaryLanguage") or {}).get("name"),
        topics=tuple(t["topic"]["name"] for t in topics if t and t.get("topic")),
        is_fork=node.get("isFork"),
        archived=node.get("isArchived"),
        description=node.get("description"),
        html_url=node.get("url"),
        node_id=node.get("id"),
    )


def file_from_node(node: dict[str, Any]) -> ChangedFile:
    """A ChangedFile from a ``ChangedFileFields`` selection."""
    change = node.get("changeType")
    return ChangedFile(
        path=node["path"],
        status=_FILE_STATUS.get(change, change.lower() if change else None),
        additions=node.get("additions"),
        deletions=node.get("deletions"),
    )


def pr_from_node(node: dict[str, Any], files: list[ChangedFile] | None = None) -> PullRequest:
    """A PullRequest from a ``PullRequestFields`` selection; ``files`` replaces the inline first page."""
    if files is None:
        files = [file_from_node(f) for f in (node.get("files") or {}).get("nodes") or () if f]
    return PullRequest(
        **_item_fields(node),
        draft=node.get("isDraft"),
        merged_at=parse_time(node.get("mergedAt")),
        merged_by=actor_login(node.get("mergedBy")),
        additions=node.get("additions"),
        deletions=node.get("deletions"),
        changed_files=node.get("changedFiles"),
        files=tuple(files),
        closes=_names(node.get("closingIssuesReferences"), "url"),
        closes_labels=_closing_labels(node.get("closingIssueLabels")),
    )


def _closing_labels(connection: dict[str, Any] | None) -> tuple[str, ...] | None:
    """The labels of the issues a pull request closes, each once, in order (None when not asked for)."""
    if connection is None:
        return None
    names = (name for issue in connection.get("nodes") or () if issue for name in _names(issue.get("labels")))
    return tuple(dict.fromkeys(names))


def issue_from_node(node: dict[str, Any]) -> Issue:
    """An Issue from an ``IssueFields`` selection."""
    reason = node.get("stateReason")
    return Issue(
        **_item_fields(node),
        state_reason=reason.lower() if reason else None,
        closed_by=_names(node.get("closedByPullRequestsReferences"), "url"),
        **(report_signals(node["body"]) if "body" in node else {}),
    )


def _item_fields(node: dict[str, Any]) -> dict[str, Any]:
    """The fields a pull request node and an issue node give alike."""
    return {
        "node_id": node["id"],
        "repo": node["repository"]["nameWithOwner"],
        "number": node["number"],
        "title": node["title"],
        "url": node["url"],
        "author": actor_login(node.get("author")) or "",
        "state": node["state"].lower(),
        "created_at": parse_time(node["createdAt"]),
        "closed_at": parse_time(node.get("closedAt")),
        "labels": _names(node.get("labels")),
        "comments": _count(node.get("comments")),
        "author_association": node.get("authorAssociation"),
        "updated_at": parse_time(node.get("updatedAt")),
    }


def review_from_contribution(node: dict[str, Any], login: str) -> Review:
    """A Review from one ``pullRequestReviewContributions`` node."""
    review = node["pullRequestReview"]
    pull = node["pullRequest"]
    return Review(
        node_id=review["id"],
        pr_url=pull["url"],
        repo=pull["repository"]["nameWithOwner"],
        author=actor_login(review.get("author")) or login,
        state=review.get("state"),
        submitted_at=parse_time(review.get("submittedAt") or node.get("occurredAt")),
        comments=_count(review.get("comments")),
        pr_author=actor_login(pull.get("author")),
    )


def profile_from_node(node: dict[str, Any]) -> Profile:
    """A Profile from the ``Profile`` query's ``repositoryOwner``."""
    return Profile(
        login=node["login"],
        name=node.get("name"),
        avatar_url=node.get("avatarUrl"),
        bio=node.get("bio"),
        company=node.get("company"),
        location=node.get("location"),
        blog=node.get("websiteUrl") or None,
        followers=_count(node.get("followers")),
        public_repos=_count(node.get("repositories")),
        created_at=parse_time(node.get("createdAt")),
        html_url=node.get("url"),
        node_id=node.get("id"),
        type=node.get("__typename"),
    )


def answer_from_node(node: dict[str, Any], login: str) -> Discussion:
    """A Discussion of kind ``answer`` from an ``AnswerConnectionFields`` node."""
    discussion = node.get("discussion") or {}
    return Discussion(
        node_id=node["id"],
        kind="answer",
        repo=discussion["repository"]["nameWithOwner"],
        title=discussion.get("title") or "",
        url=node["url"],
        author=actor_login(node.get("author")) or login,
        created_at=parse_time(node["createdAt"]),
        discussion_url=discussion.get("url"),
        discussion_author=actor_login(discussion.get("author")),
        category=(discussion.get("category") or {}).get("name"),
        upvotes=node.get("upvoteCount"),
        author_association=node.get("authorAssociation"),
        updated_at=parse_time(node.get("updatedAt")),
    )


def discussion_from_node(node: dict[str, Any], login: str) -> Discussion:
    """A Discussion of kind ``started`` from a ``DiscussionConnectionFields`` node."""
    return Discussion(
        node_id=node["id"],
        kind="started",
        repo=node["repository"]["nameWithOwner"],
        title=node.get("title") or "",
        url=node["url"],
        author=actor_login(node.get("author")) or login,
        created_at=parse_time(node["createdAt"]),
        discussion_url=node["url"],
        discussion_author=actor_login(node.get("author")) or login,
        category=(node.get("category") or {}).get("name"),
        answered=node.get("isAnswered"),
        upvotes=node.get("upvoteCount"),
        author_association=node.get("authorAssociation"),
        updated_at=parse_time(node.get("updatedAt")),
    )


def comment_from_node(node: dict[str, Any], login: str) -> Comment:
    """A Comment from an ``IssueCommentConnectionFields`` node: its words are counted, its text dropped."""
    thread = node.get("pullRequest") or node.get("issue") or {}
    repository = node.get("repository") or {}
    return Comment(
        node_id=node["id"],
        repo=repository["nameWithOwner"],
        author=actor_login(node.get("author")) or login,
        created_at=parse_time(node["createdAt"]),
        thread_url=thread.get("url") or "",
        thread_author=actor_login(thread.get("author")),
        repo_owner=actor_login(repository.get("owner")),
        words=len((node.get("bodyText") or "").split()),
        updated_at=parse_time(node.get("updatedAt")),
    )
