"""What the REST path cannot see, shared by the tests that compare it with GraphQL."""

from __future__ import annotations

from dataclasses import replace

from portfolio.model import Record


def rest_blind(record: Record) -> Record:
    """``record`` without what REST cannot see: closing links, review comment counts, GraphQL-only streams."""
    return replace(
        record,
        discussions=(),
        comments=(),
        commit_years=(),
        repos=tuple(r for r in record.repos if r.full_name in _contributed(record)),
        pull_requests=tuple(replace(p, closes=None, closes_labels=None) for p in record.pull_requests),
        issues=tuple(replace(i, closed_by=None) for i in record.issues),
        reviews=tuple(replace(r, comments=None) for r in record.reviews),
    )


def _contributed(record: Record) -> set[str]:
    """Repositories of the record's pull requests, issues and reviews."""
    return {item.repo for item in (*record.pull_requests, *record.issues, *record.reviews)}
