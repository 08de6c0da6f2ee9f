"""Search queries and pages, shared by the REST and GraphQL paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from portfolio.model import Gap, Validators, validate_login

SEARCH_CAP = 1000  # GitHub returns at most this many results for one search query
KINDS = ("pr", "issue", "review")


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its records, the query's true total, and where to go next."""

    items: list[Any]
    total: int
    next_page: Any | None  # a page number (REST) or an end cursor (GraphQL); None on the last page
    last_created: datetime | None  # creation time of the last hit: the resume point


@dataclass
class Outcomes:
    """What per-item reads found since they were last taken: gaps, items read in full, their validators."""

    gaps: list[Gap] = field(default_factory=list)
    settled: list[tuple[str, str]] = field(default_factory=list)  # (gap kind, item) read without a fault
    # (kind, item) -> the ETag and Last-Modified of its latest full answer, for a later conditional read
    validators: dict[tuple[str, str], Validators] = field(default_factory=dict)

    def gap(self, kind: str, item: str, reason: str) -> None:
        """Note that ``kind`` of ``item`` could not be read, and why (one of GAP_REASONS)."""
        self.gaps.append(Gap(kind, item, reason))

    def ok(self, kind: str, item: str) -> None:
        """Note that ``kind`` of ``item`` was read, so an earlier gap of it is closed."""
        self.settled.append((kind, item))

    def validated(self, kind: str, item: str, validators: Validators | None) -> None:
        """Note the validators GitHub sent with a full answer for ``item``, if it sent any."""
        if validators is not None:
            self.validators[(kind, item)] = validators

    def take(self) -> Outcomes:
        """Everything noted so far, leaving this empty."""
        taken = Outcomes(self.gaps, self.settled, self.validators)
        self.gaps, self.settled, self.validators = [], [], {}
        return taken


def gap_reason(status: int | None) -> str:
    """The GAP_REASONS word for GitHub's answer to a request for one item."""
    if status in (404, 410):
        return "gone"
    if status in (403, 451):
        return "blocked"
    return "failing"


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
