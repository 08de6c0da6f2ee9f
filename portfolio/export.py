"""Exports of a stored record: stable JSON and a flat CSV of contributions."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from portfolio.model import Record, SyncInfo

CSV_COLUMNS = (
    "kind", "repo", "number", "title", "url", "state", "created_at", "closed_at", "merged_at",
    "labels", "additions", "deletions", "changed_files", "comments", "author_association", "node_id",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """A JSON-ready value: ISO-8601 for datetimes, lists for tuples, recursively."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record_json(
    record: Record, sync: SyncInfo | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole record as a JSON-ready dict with top-level profile, repos, pull_requests, issues, reviews."""
    data: dict[str, Any] = {
        "profile": _plain(asdict(record.profile)),
        "repos": [_plain(asdict(r)) for r in sorted(record.repos, key=lambda r: r.full_name)],
        "pull_requests": [
            _plain(asdict(p)) for p in sorted(record.pull_requests, key=lambda p: (p.repo, p.number))
        ],
        "issues": [_plain(asdict(i)) for i in sorted(record.issues, key=lambda i: (i.repo, i.number))],
        "reviews": [_plain(asdict(r)) for r in sorted(record.reviews, key=lambda r: r.node_id)],
    }
    if sync is not None:
        data["sync"] = _plain({f.name: getattr(sync, f.name) for f in fields(sync)})
    if extra:
        data.update(extra)
    return data


def dumps(data: dict[str, Any]) -> str:
    """JSON text that is byte-identical between runs for the same data."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def record_csv(record: Record) -> str:
    """One CSV row per contribution (pull request, issue, review), sorted by time then url."""
    rows = []
    for pr in record.pull_requests:
        rows.append({**{c: getattr(pr, c, None) for c in CSV_COLUMNS}, "kind": "pull_request"})
    for issue in record.issues:
        rows.append({**{c: getattr(issue, c, None) for c in CSV_COLUMNS}, "kind": "issue"})
    for review in record.reviews:
        rows.append({
            "kind": "review", "repo": review.repo, "number": int(review.pr_url.rstrip("/").split("/")[-1]),
            "url": review.pr_url, "state": review.state, "created_at": review.submitted_at,
            "comments": review.comments, "node_id": review.node_id,
        })  # fmt: skip
    rows.sort(key=lambda r: (_plain(r["created_at"]) or "", r["url"], r["node_id"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({
            k: ";".join(v) if isinstance(v, tuple) else _plain(v) for k, v in row.items() if k in CSV_COLUMNS
        })  # fmt: skip
    return out.getvalue()
