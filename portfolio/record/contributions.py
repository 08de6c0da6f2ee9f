"""The contributions frame: every PR, issue and review of the login, scored, in canonical order; windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import file_lines
from portfolio.frames import DATETIME, Frames, canonical_order, datetime_seconds
from portfolio.record.arrays import first_of_groups, floats, lower
from portfolio.record.kinds import (
    SOURCES,
    discussion_columns,
    issue_columns,
    pull_request_columns,
    review_columns,
)
from portfolio.record.repos import RepoTable
from portfolio.score import BREAKDOWN_COLUMNS, score_arrays, text_array
from portfolio.weights import CATEGORY_VALUES, KINDS, OUTCOMES, TRACKS, Weights

CONTRIBUTION_DTYPES: dict[str, str] = {
    "id": "str",
    "kind": "str",
    "category": "str",
    "category_source": "str",
    "with_tests": "bool",
    "repo": "str",
    "owner": "str",
    "number": "Int64",
    "title": "str",
    "url": "str",
    "labels": "object",
    "state": "str",
    "outcome": "str",
    "date": DATETIME,
    "closed_at": DATETIME,
    "merged_at": DATETIME,
    "merged_by": "str",
    "author_association": "str",
    "lines": "Int64",
    "lines_code": "Int64",
    "lines_tests": "Int64",
    "lines_docs": "Int64",
    "lines_ci": "Int64",
    "lines_examples": "Int64",
    "stars": "Int64",
    "external": "bool",
    "own_repo": "bool",
    "org_owned": "boolean",
    "first_in_repo": "bool",
    "self_merged": "bool",
    "maintainer_signal": "bool",
    "hours_to_merge": "float64",
    "closes_issues": "int64",
    "fixes_own_issue": "bool",
    "fixes_own_bug": "bool",
    "hacktoberfest": "bool",
    "good_first_issue": "bool",
    "bug": "bool",
    "reproducible": "bool",
    "track": "str",
}

CONTRIBUTION_COLUMNS: list[str] = [
    *CONTRIBUTION_DTYPES,
    *(name for name in BREAKDOWN_COLUMNS if name not in CONTRIBUTION_DTYPES),
]
"""Columns of ``TrackRecord.contributions``. ``kind`` is pr / issue / review / answer (a comment accepted as
the answer to someone else's discussion) / discussion (one the login started); ``category`` a PR's category
(code, tests, docs, ci, examples, unknown), else the kind; ``with_tests``: a code PR that also changed
tests; ``lines_<category>``: a PR's changed lines in files of each category (missing when unseen); ``outcome`` is merged / open / closed, fixed / open /
closed / not_planned, approved / changes_requested / commented / dismissed, accepted, or answered / unanswered; ``external``:
the repository's owner is not the login; ``track``: maintainer for own repositories and self-merged PRs, else
external; ``first_in_repo``: the login's earliest contribution of this kind to the repository;
``maintainer_signal``: the row shows a maintainer role (author association MEMBER / OWNER / COLLABORATOR, or
a self-merge, outside the login's own repositories); ``fixes_own_issue``: a merged PR closing an issue the
login reported; ``good_first_issue``: a merged PR closing an issue labelled good first issue, good-first-issue, beginner or
first-timers-only; ``reproducible``: an issue whose body had the signals of a well-made report
(:data:`portfolio.reports.REPRODUCIBLE_RULE`); ``hacktoberfest``: a PR that counts toward Hacktoberfest by the event's rules
(:func:`portfolio.record.hacktoberfest.counts_for_hacktoberfest`)."""

CODE_TABLES: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "category": CATEGORY_VALUES,
    "category_source": SOURCES,
    "outcome": OUTCOMES,
    "track": TRACKS,
}
"""Text columns the kinds give as codes into these value tables (cheap to join, sort and score)."""


@dataclass(frozen=True)
class ScoredContributions:
    """The whole record's contributions, scored and in canonical order, with what windows need."""

    contributions: pd.DataFrame
    classification: pd.DataFrame  # one row per PR, in contribution order
    pr_rows: np.ndarray  # contribution row of each classification row
    file_rows: np.ndarray  # contribution row of each file of the login's PRs
    file_language: np.ndarray
    file_lines: np.ndarray
    repos: RepoTable


def _missing_values(dtype: str, length: int) -> Any:
    """An all-missing stretch of a column of ``dtype``, for a kind that lacks the column."""
    if dtype in ("bool", "int64"):
        return np.zeros(length, dtype=dtype)
    if dtype in ("Int64", "float64", "boolean"):
        return np.full(length, np.nan)
    if dtype == DATETIME:
        return np.full(length, np.datetime64("NaT"), dtype="datetime64[s]")
    if dtype == "str":
        # Taking "missing" from a one-item array is the cheap way to an all-missing Arrow string column.
        return pd.Series(pd.array([""], dtype="str").take(np.full(length, -1), allow_fill=True))
    return np.full(length, None, dtype=object)


def _typed_column(stretches: list[Any], order: np.ndarray, dtype: str) -> pd.Series:
    """One column of the contributions frame: the kinds' stretches joined, put in ``order``, typed."""
    if dtype == "str" and any(isinstance(stretch, pd.Series) for stretch in stretches):
        texts = [s if isinstance(s, pd.Series) else pd.Series(pd.array(s, dtype="str")) for s in stretches]
        return pd.concat(texts, ignore_index=True).take(order).reset_index(drop=True)
    values = np.concatenate(stretches)[order]
    if dtype == DATETIME:
        return pd.Series(pd.DatetimeIndex(values.astype("datetime64[s]")).tz_localize("UTC"))
    if dtype in ("Int64", "boolean"):
        return pd.Series(pd.array(values.astype("float64"), dtype="Float64").astype(dtype))
    if dtype == "object":
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=dtype)


def _profile_type(frames: Frames) -> str | None:
    """User or Organization: the kind of account the login is, when known."""
    profile_type = None if frames.profile.empty else frames.profile["type"].iloc[0]
    return None if pd.isna(profile_type) else str(profile_type)


def _scores(
    data: dict[str, pd.Series], codes: dict[str, np.ndarray], seconds: np.ndarray, weights: Weights
) -> dict[str, pd.Series]:
    """The score columns of rows already in canonical order (``codes`` of :data:`CODE_TABLES`)."""
    repo_codes, _ = pd.factorize(lower(data["repo"]))
    is_review = codes["kind"] == KINDS.index("review")
    reviewed_pr = np.full(len(seconds), -1, dtype="int64")
    reviewed_pr[is_review] = pd.factorize(data["url"][is_review])[0]
    scores = score_arrays(
        kind=codes["kind"],
        category=codes["category"],
        outcome=codes["outcome"],
        track=codes["track"],
        lines=floats(data["lines"]),
        stars=floats(data["stars"]),
        repo=repo_codes,
        url=reviewed_pr,
        seconds=seconds,
        position=np.arange(len(seconds)),
        weights=weights,
    )
    # Rows are in canonical order, so the first of each (kind, repo) is the earliest contribution there.
    first_in_repo = first_of_groups(codes["kind"], repo_codes)
    return {"first_in_repo": pd.Series(first_in_repo)} | {name: pd.Series(v) for name, v in scores.items()}


def scored_contributions(frames: Frames, weights: Weights) -> ScoredContributions:
    """Every contribution of the whole record, scored, sorted by date then id."""
    repos = RepoTable.of(frames)
    profile_type = _profile_type(frames)
    issues, own_issues = issue_columns(frames, repos, profile_type)
    prs = pull_request_columns(frames, repos, profile_type, own_issues)
    kinds = (
        prs.columns,
        issues,
        review_columns(frames, repos, profile_type),
        discussion_columns(frames, repos, profile_type),
    )
    sizes = [len(columns["kind"]) for columns in kinds]

    def stretches(name: str) -> list[Any]:
        """Each kind's values of column ``name``, missing where a kind lacks it."""
        dtype = CONTRIBUTION_DTYPES[name]
        return [
            columns.get(name, _missing_values(dtype, size))
            for columns, size in zip(kinds, sizes, strict=True)
        ]

    seconds = datetime_seconds(np.concatenate(stretches("date")))
    order = canonical_order(seconds, pd.concat(stretches("id"), ignore_index=True))
    codes = {name: np.concatenate(stretches(name))[order] for name in CODE_TABLES}
    data = {name: pd.Series(text_array(values, codes[name])) for name, values in CODE_TABLES.items()}
    for name, dtype in CONTRIBUTION_DTYPES.items():
        if name not in data and name != "first_in_repo":
            data[name] = _typed_column(stretches(name), order, dtype)
    data |= _scores(data, codes, seconds[order], weights)
    contributions = pd.DataFrame({name: data[name] for name in CONTRIBUTION_COLUMNS})

    row_of = np.empty(len(order), dtype="int64")
    row_of[order] = np.arange(len(order))
    pr_rows = row_of[: sizes[0]]
    login_files = prs.file_positions >= 0
    by_row = np.argsort(pr_rows, kind="stable")
    return ScoredContributions(
        contributions=contributions,
        classification=prs.classification.iloc[by_row].reset_index(drop=True),
        pr_rows=pr_rows[by_row],
        file_rows=pr_rows[prs.file_positions[login_files]],
        file_language=prs.path_facts.language,
        file_lines=file_lines(frames.files[login_files]),
        repos=repos,
    )


def contributions_frame(frames: Frames, weights: Weights) -> pd.DataFrame:
    """Every contribution of the whole record, scored, sorted by date then id (:data:`CONTRIBUTION_COLUMNS`)."""
    return scored_contributions(frames, weights).contributions


def window_bound(bound: date | datetime | None, *, end: bool) -> pd.Timestamp | None:
    """A UTC instant for an inclusive bound; a bare date ``until`` means the end of that day."""
    if bound is None:
        return None
    if isinstance(bound, datetime):
        stamp = pd.Timestamp(bound)
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    day = datetime.combine(bound, time.min)
    stamp = pd.Timestamp(day + timedelta(days=1) - timedelta(seconds=1) if end else day)
    return stamp.tz_localize("UTC")


def in_window(dates: pd.Series, since: pd.Timestamp | None, until: pd.Timestamp | None) -> np.ndarray:
    """Which of ``dates`` fall inside the inclusive bounds (missing dates never do)."""
    keep = np.ones(len(dates), dtype=bool)
    if since is not None:
        keep &= (dates >= since).fillna(False).to_numpy(dtype=bool)
    if until is not None:
        keep &= (dates <= until).fillna(False).to_numpy(dtype=bool)
    return keep
