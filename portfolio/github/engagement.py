"""Work outside pull requests and issues, over GraphQL: accepted answers, discussions, comments, commits.

One ``Engagement`` query brings the first page of each of three ``User`` connections — discussion comments
marked as the answer (``repositoryDiscussionComments(onlyAnswers: true)``), discussions started
(``repositoryDiscussions``) and comments on issues and pull requests (``issueComments``) — together with
``contributionsCollection.totalCommitContributions`` of every calendar year asked for, by alias. Only a
connection with more than 100 items costs further requests. Comments come most recently updated first, so a
refresh stops at the first page older than the last sync. REST has none of these connections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from portfolio.github.nodes import answer_from_node, comment_from_node, discussion_from_node

# The streams this module fills, in the order they are collected; each has its own resume cursor.
ENGAGEMENT_STREAMS = ("answer", "discussion", "comment")
COMMITS_STREAM = "commits"
# Each stream's field on User and the query document (queries/*.graphql) of its next pages.
CONNECTIONS = {
    "answer": ("repositoryDiscussionComments", "answers"),
    "discussion": ("repositoryDiscussions", "discussions"),
    "comment": ("issueComments", "issue_comments"),
}
_FIRST_PAGES = {
    "answer": "repositoryDiscussionComments(first: 100, onlyAnswers: true) {\n"
    "      ...AnswerConnectionFields\n    }",
    "discussion": "repositoryDiscussions(first: 100, orderBy: {field: CREATED_AT, direction: ASC}) {\n"
    "      ...DiscussionConnectionFields\n    }",
    "comment": "issueComments(first: 100, orderBy: {field: UPDATED_AT, direction: DESC}) {\n"
    "      ...IssueCommentConnectionFields\n    }",
}


@dataclass(frozen=True)
class EngagementPage:
    """One page of one stream, the cursor to go on from, and whether the stream is finished."""

    stream: str
    items: list[Any]
    cursor: str | None
    done: bool


@cache
def engagement_operation(years: int) -> str:
    """The first page of every engagement connection plus commits of ``years`` calendar years (``c0``...).

    The operation's fragments are appended by ``documents.with_fragments``.
    """
    variables = "".join(f", $from{i}: DateTime!, $to{i}: DateTime!" for i in range(years))
    commits = "".join(
        f"\n    c{i}: contributionsCollection(from: $from{i}, to: $to{i}) {{\n"
        "      totalCommitContributions\n    }"
        for i in range(years)
    )
    connections = "".join(f"\n    {page}" for page in _FIRST_PAGES.values())
    rate = "  rateLimit {\n    ...RateLimitFields\n  }"
    return (
        f"query Engagement($login: String!{variables}) {{\n  user(login: $login) {{{connections}{commits}\n  }}\n"
        f"{rate}\n}}"
    )


def calendar_years(low: datetime, high: datetime) -> list[tuple[datetime, datetime]]:
    """The calendar years [1 January, 31 December 23:59:59] from ``low``'s year to ``high``'s, in UTC."""
    years = range(low.astimezone(UTC).year, high.astimezone(UTC).year + 1)
    return [
        (datetime(year, 1, 1, tzinfo=UTC), datetime(year, 12, 31, 23, 59, 59, tzinfo=UTC)) for year in years
    ]


PARSERS = {"answer": answer_from_node, "discussion": discussion_from_node, "comment": comment_from_node}
