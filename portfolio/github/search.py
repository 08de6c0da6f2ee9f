"""Search queries and pages, shared by the REST and GraphQL paths."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portfolio.model import validate_login

SEARCH_CAP = 1000  # GitHub returns at most this many results for one search query
KINDS = ("pr", "issue", "review")


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its records, the query's true total, and where to go next."""

    items: list[Any]
    total: int
    next_page: Any | None  # a page number (REST) or an end cursor (GraphQL); None on the last page
    last_created: datetime | None  # creation time of the last hit: the resume point


def parse_time(value: str | None) -> datetime | None:
    """GitHub's ISO-8601 timestamp (REST or GraphQL) as an aware datetime."""
    return datetime.fromisoformat(value) if value else None


def iso(moment: datetime) -> str:
    """A search-qualifier timestamp (GitHub accepts ISO-8601 in ``created:`` ranges)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def search_query(
    kind: str, login: str, start: datetime, end: datetime, updated_since: datetime | None = None
) -> str:
    """The search for ``kind`` contributions of ``login`` created in [start, end] (and updated since)."""
    login = validate_login(login)  # a second guard: nothing un-validated reaches a query string
    created = f"created:{iso(start)}..{iso(end)}"
    if updated_since is not None:
        created += f" updated:>={iso(updated_since)}"
    if kind == "pr":
        return f"author:{login} is:pr {created}"
    if kind == "issue":
        return f"author:{login} is:issue {created}"
    if kind == "review":
        return f"reviewed-by:{login} -author:{login} is:pr {created}"
    raise ValueError(f"unknown search kind {kind!r}")
