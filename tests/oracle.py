"""The readable track record: classification, points with caps and headline metrics, one row at a time.

This is the test oracle of :func:`portfolio.record.track_record`, whose vectorised core is written for a
million rows and is hard to read. Each rule here is the plain-Python statement of a rule of the track
record, from the same path table, label and title rules and weights; ``tests/test_oracle.py`` checks that
both agree on random records, and ``bench/record.py`` times this loop against the vectorised one.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from portfolio.classify import CATEGORIES, LABEL_RULES, TITLE_RULES, UNKNOWN, classify_change
from portfolio.model import Record, Repo
from portfolio.record import TrackRecord
from portfolio.reports import is_reproducible
from portfolio.weights import Weights

Row = dict[str, Any]

_TITLE_RULES = [(category, re.compile(pattern)) for category, pattern in TITLE_RULES]
_LABEL_RULES = [(category, re.compile(pattern)) for category, pattern in LABEL_RULES]
_LAST = datetime.max.replace(tzinfo=UTC)


def _is(login: str | None, other: str) -> bool:
    """Whether two logins are the same account (GitHub logins ignore case)."""
    return (login or "").lower() == other.lower()


def _utc(when: datetime | None) -> datetime | None:
    """``when`` in UTC, the time zone every date of the record is counted in."""
    return when.astimezone(UTC) if when is not None else None


def _week(when: datetime) -> int:
    """The Monday-based week of a UTC instant (day 1 of the proleptic calendar was a Monday)."""
    return (when.date().toordinal() - 1) // 7


def _text_category(labels: tuple[str, ...], title: str) -> str:
    """A PR's category without files: the earliest label rule any label matches, else the title's, else unknown."""
    lowered = [label.lower() for label in labels]
    for category, rule in _LABEL_RULES:
        if any(rule.search(label) for label in lowered):
            return category
    for category, rule in _TITLE_RULES:
        if rule.search(title.strip().lower()):
            return category
    return UNKNOWN


def _context(repo_name: str, login: str, repos: dict[str, Repo]) -> Row:
    """The repository facts every contribution carries: canonical name, owner, ownership, organisation, stars."""
    repo = repos.get(repo_name.lower())
    owner = repo_name.split("/")[0]
    return {
        "repo": repo.full_name if repo else repo_name,
        "owner": owner,
        "own": _is(owner, login),
        "org": bool(repo and repo.owner_type == "Organization"),
        "stars": repo.stars if repo else None,
    }


def _pull_requests(record: Record, login: str, repos: dict[str, Repo]) -> list[Row]:
    """The login's PRs: category from files, else labels and title; lines; track."""
    rows = []
    for pr in record.pull_requests:
        if not _is(pr.author, login):
            continue
        changed = [(f.path, (f.additions or 0) + (f.deletions or 0)) for f in pr.files or ()]
        category = classify_change(changed)[0] if changed else _text_category(pr.labels, pr.title)
        if pr.additions is not None and pr.deletions is not None:
            lines = pr.additions + pr.deletions
        else:
            lines = sum(n for _, n in changed) if changed else None
        outcome = pr.state.lower()
        self_merged = outcome == "merged" and _is(pr.merged_by, login)
        context = _context(pr.repo, login, repos)
        merged = outcome == "merged" and pr.merged_at is not None
        rows.append(
            {
                "id": pr.node_id,
                "kind": "pr",
                "category": category,
                "outcome": outcome,
                "date": _utc(pr.created_at),
                "lines": lines,
                "track": "maintainer" if context["own"] or self_merged else "external",
                "self_merged": self_merged,
                "hours": (pr.merged_at - pr.created_at).total_seconds() / 3600 if merged else None,
                "url": pr.url,
                **context,
            }
        )
    return rows


def _issues(record: Record, login: str, repos: dict[str, Repo]) -> list[Row]:
    """The login's issues: fixed when closed as completed, by a linked PR, or by one of its merged PRs."""
    closed_by_own_prs = {
        url
        for pr in record.pull_requests
        if _is(pr.author, login) and pr.state.lower() == "merged"
        for url in pr.closes or ()
    }
    rows = []
    for issue in record.issues:
        if not _is(issue.author, login):
            continue
        closed = issue.state.lower() == "closed"
        reason = (issue.state_reason or "").lower()
        fixed = closed and (reason == "completed" or bool(issue.closed_by) or issue.url in closed_by_own_prs)
        if fixed:
            outcome = "fixed"
        elif closed and reason == "not_planned":
            outcome = "not_planned"
        else:
            outcome = "closed" if closed else "open"
        context = _context(issue.repo, login, repos)
        rows.append(
            {
                "id": issue.node_id,
                "kind": "issue",
                "category": "issue",
                "outcome": outcome,
                "date": _utc(issue.created_at),
                "lines": None,
                "track": "maintainer" if context["own"] else "external",
                "url": issue.url,
                "reproducible": is_reproducible(
                    issue.body_length, issue.has_steps, issue.has_code, issue.has_environment
                ),
                **context,
            }
        )
    return rows


def _reviews(record: Record, login: str, repos: dict[str, Repo]) -> list[Row]:
    """The login's reviews of other people's PRs (a review without a state counts as a comment)."""
    rows = []
    for review in record.reviews:
        if not _is(review.author, login) or _is(review.pr_author, login):
            continue
        context = _context(review.repo, login, repos)
        rows.append(
            {
                "id": review.node_id,
                "kind": "review",
                "category": "review",
                "outcome": (review.state or "commented").lower(),
                "date": _utc(review.submitted_at),
                "lines": None,
                "track": "maintainer" if context["own"] else "external",
                "url": review.pr_url,
                **context,
            }
        )
    return rows


def _discussions(record: Record, login: str, repos: dict[str, Repo]) -> list[Row]:
    """The login's accepted answers to others' discussions, and the discussions it started."""
    rows = []
    for post in record.discussions:
        answer = post.kind == "answer"
        if not _is(post.author, login) or (answer and _is(post.discussion_author, login)):
            continue
        kind = "answer" if answer else "discussion"
        context = _context(post.repo, login, repos)
        rows.append(
            {
                "id": post.node_id,
                "kind": kind,
                "category": kind,
                "outcome": "accepted" if answer else ("answered" if post.answered else "unanswered"),
                "date": _utc(post.created_at),
                "lines": None,
                "track": "maintainer" if context["own"] else "external",
                "url": post.url,
                **context,
            }
        )
    return rows


def _tier(value: float, bounds: tuple[int, ...]) -> int:
    """Index of the first bound ``value`` does not exceed (the last tier above them all)."""
    for i, bound in enumerate(bounds):
        if value <= bound:
            return i
    return len(bounds)


def _raw_points(row: Row, weights: Weights) -> tuple[str, float]:
    """A row's size tier and its points before caps: kind x outcome x size x reach x track."""
    if row["kind"] == "pr":
        base, outcome = weights.kind[row["category"]], weights.outcome[row["outcome"]]
    else:
        base, outcome = weights.kind[row["kind"]], weights.outcome[f"{row['kind']}_{row['outcome']}"]
    if row["kind"] != "pr":
        size_name, size = "n/a", 1.0
    elif row["lines"] is None:
        size_name, size = "unknown", weights.size_unknown
    else:
        tier = _tier(row["lines"], weights.size_max_lines)
        size_name, size = ("trivial" if tier == 0 else "other"), weights.size_factor[tier]
    if row["stars"] is None:
        reach = weights.reach_unknown
    else:
        reach = weights.reach_factor[max(i for i, s in enumerate(weights.reach_stars) if row["stars"] >= s)]
    return size_name, base * outcome * size * reach * weights.track[row["track"]]


def _position(row: Row) -> tuple[Any, ...]:
    """The canonical order: by date (missing last), then by id."""
    return (row["date"] is None, row["date"] or _LAST, row["id"])


def _best_first(row: Row) -> tuple[Any, ...]:
    """Which of several rows a cap keeps: most raw points, then the canonical order."""
    return (-row["raw"], *_position(row))


def _repo_week(row: Row) -> tuple[str, int]:
    """The trivial-PR cap's group: repository (any case) and week."""
    return row["repo"].lower(), _week(row["date"])


def _repo_month(row: Row) -> tuple[str, int, int]:
    """The accepted-answer cap's group: repository (any case) and calendar month."""
    return row["repo"].lower(), row["date"].year, row["date"].month


def _external_first(row: Row) -> tuple[Any, ...]:
    """The order the trivial total is given out in: external work first, each track in canonical order."""
    return (row["track"] != "external", *_position(row))


def _keep_best(rows: Iterable[Row], key: Callable[[Row], Any], keep: int) -> list[Row]:
    """Of each group of rows with the same ``key``, the best ``keep``; the others get no points."""
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    kept = []
    for group in groups.values():
        ranked = sorted(group, key=_best_first)
        kept += ranked[:keep]
        for row in ranked[keep:]:
            row["points"] = 0.0
    return kept


def _cap_total(rows: list[Row], total: float) -> None:
    """Give ``rows``, in the order given, their points until together they reach ``total``."""
    left = total
    for row in rows:
        row["points"] = min(row["raw"], max(left, 0.0))
        left -= row["raw"]


def _score(rows: list[Row], weights: Weights) -> None:
    """Write each row's raw points and its points after the caps, in the caps' order."""
    for row in rows:
        row["size"], row["raw"] = _raw_points(row, weights)
        row["points"] = row["raw"]
    reviews = [r for r in rows if r["kind"] == "review"]
    _keep_best(reviews, lambda r: r["url"], weights.reviews_per_pr)
    trivial = [r for r in rows if r["size"] == "trivial"]
    counted = _keep_best(trivial, _repo_week, weights.trivial_per_repo_week)
    _cap_total(sorted(counted, key=_external_first), weights.trivial_points)
    answers = [r for r in rows if r["kind"] == "answer"]
    _keep_best(answers, _repo_month, weights.answers_per_repo_month)
    _cap_total(
        sorted((r for r in rows if r["kind"] == "discussion"), key=_position), weights.discussion_points
    )


def _inside(when: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    """Whether a date falls in the inclusive window (a missing date never does, unless there is no window)."""
    if since is None and until is None:
        return True
    return when is not None and (since is None or when >= since) and (until is None or when <= until)


def _longest_streak(weeks: set[int]) -> int:
    """The most consecutive weeks in ``weeks``."""
    best = streak = 0
    previous = None
    for week in sorted(weeks):
        streak = streak + 1 if previous is not None and week == previous + 1 else 1
        best, previous = max(best, streak), week
    return best


def _metrics(rows: list[Row]) -> dict[str, Any]:
    """The headline metrics of scored rows."""
    prs = [r for r in rows if r["kind"] == "pr"]
    merged_external = [r for r in prs if r["outcome"] == "merged" and r["track"] == "external"]
    decided = [r for r in prs if r["track"] == "external" and r["outcome"] in ("merged", "closed")]
    issues = [r for r in rows if r["kind"] == "issue"]
    reproducible = [r for r in issues if r["reproducible"]]
    reviews = [r for r in rows if r["kind"] == "review"]
    answers = [r for r in rows if r["kind"] == "answer"]
    dated = [r["date"] for r in rows if r["date"] is not None]
    hours = [r["hours"] for r in merged_external if r["hours"] is not None]
    return {
        "contributions": len(rows),
        "prs_opened": len(prs),
        "merged_external_prs": len(merged_external),
        "merge_rate": round(len(merged_external) / len(decided), 4) if decided else None,
        "external_projects": len({r["repo"].lower() for r in merged_external}),
        "external_organisations": len({r["owner"].lower() for r in merged_external if r["org"]}),
        "first_time_projects": len({r["repo"].lower() for r in merged_external if r["first_in_repo"]}),
        **{f"{c}_prs": sum(r["category"] == c for r in merged_external) for c in (*CATEGORIES, UNKNOWN)},
        "self_merged_prs": sum(r["self_merged"] for r in prs),
        "own_repo_prs": sum(r["own"] for r in prs),
        "issues_reported": len(issues),
        "issues_fixed": sum(r["outcome"] == "fixed" for r in issues),
        "reproducible_reports": len(reproducible),
        "reproducible_reports_fixed": sum(r["outcome"] == "fixed" for r in reproducible),
        "reviews_given": len(reviews),
        **{
            f"reviews_{o}": sum(r["outcome"] == o for r in reviews) for o in ("approved", "changes_requested")
        },
        "answers_accepted": sum(r["track"] == "external" for r in answers),
        "own_repo_answers": sum(r["track"] == "maintainer" for r in answers),
        "discussions_started": sum(r["kind"] == "discussion" for r in rows),
        "active_months": len({(d.year, d.month) for d in dated}),
        "longest_streak_weeks": _longest_streak({_week(d) for d in dated}),
        "median_hours_to_merge": round(statistics.median(hours), 1) if hours else None,
        "score_external": round(sum(r["points"] for r in rows if r["track"] == "external"), 4),
        "score_maintainer": round(sum(r["points"] for r in rows if r["track"] == "maintainer"), 4),
    }


def readable_track_record(
    record: Record, weights: Weights, since: datetime | None = None, until: datetime | None = None
) -> tuple[list[Row], dict[str, Any]]:
    """The login's contributions in an inclusive window, scored over the whole record, and their metrics."""
    login = record.profile.login
    repos = {r.full_name.lower(): r for r in record.repos}
    rows = [
        *_pull_requests(record, login, repos),
        *_issues(record, login, repos),
        *_reviews(record, login, repos),
        *_discussions(record, login, repos),
    ]
    _score(rows, weights)
    seen = set()
    for row in sorted(rows, key=_position):
        row["first_in_repo"] = (row["kind"], row["repo"].lower()) not in seen
        seen.add((row["kind"], row["repo"].lower()))
    window = sorted((r for r in rows if _inside(r["date"], since, until)), key=_position)
    return window, _metrics(window)


ROW_FIELDS = ("kind", "category", "outcome", "track", "raw", "points")
"""What each contribution row of both track records must agree on."""


def disagreements(ours: TrackRecord, rows: list[Row], metrics: dict[str, Any]) -> dict[str, Any]:
    """Where the vectorised track record differs from the readable one: ``{what: (vectorised, readable)}``."""
    frame = ours.contributions
    vectorised = {
        row.id: (row.kind, row.category, row.outcome, row.track, row.raw_points, row.points)
        for row in frame.itertuples(index=False)
    }
    readable = {r["id"]: tuple(r[name] for name in ROW_FIELDS) for r in rows}
    wrong: dict[str, Any] = {}
    if list(frame["id"]) != [r["id"] for r in rows]:
        wrong["order"] = (list(frame["id"]), [r["id"] for r in rows])
    for key in vectorised.keys() | readable.keys():
        a, b = vectorised.get(key), readable.get(key)
        if a is None or b is None or a[:4] != b[:4] or not np.allclose(a[4:], b[4:], atol=1e-3):
            wrong[key] = (a, b)
    for name, expected in metrics.items():
        got = ours.metrics[name]
        same = got == expected if got is None or expected is None else np.isclose(got, expected, atol=1e-3)
        if not same:
            wrong[name] = (got, expected)
    return wrong
