"""The login's pull requests, issues and reviews as columns of the contributions frame, one kind each.

Each function returns ``{column: array}`` with the kind's rows in their source order; text columns are
codes into the value tables of :data:`portfolio.record.contributions.CODE_TABLES`, and a column a kind
lacks is left out (the assembly fills it as missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORIES, PathFacts, classify_prs, file_positions, path_facts
from portfolio.frames import Frames, codes_in, member_of
from portfolio.record.arrays import (
    floats,
    is_login,
    label_flags,
    lower,
    maintainer_association,
    naive_datetimes,
    objects,
    repeated,
    repeated_code,
    text_column,
    track_codes,
    tuple_lengths,
)
from portfolio.record.hacktoberfest import counts_for_hacktoberfest
from portfolio.record.repos import REPO_CONTEXT_COLUMNS, RepoTable, repository_context
from portfolio.reports import REPRODUCIBLE_MIN_LENGTH, REPRODUCIBLE_MIN_SIGNALS
from portfolio.weights import CATEGORY_VALUES, KINDS, OUTCOMES

SOURCES: tuple[str, ...] = ("files", "labels", "title", "none", "kind")
"""Where a contribution's category came from (``kind`` for issues and reviews)."""

GOOD_FIRST_ISSUE_LABELS = frozenset({"good first issue", "good-first-issue", "beginner", "first-timers-only"})
"""Labels GitHub and its communities give issues meant for newcomers (compared in lower case)."""

BUG_LABEL = r"(?:^|[^a-z])(?:bug|crash|regression)(?:[^a-z]|$)"
"""A label that marks an issue as a bug report."""


@dataclass(frozen=True)
class PullRequestColumns:
    """The login's PRs: their contribution columns, classification, and the files behind them."""

    columns: dict[str, Any]
    classification: pd.DataFrame  # one row per PR, in source order
    file_positions: np.ndarray  # each file's PR row, -1 where the PR is not the login's
    path_facts: PathFacts  # of the login's PRs' files


def _fixes_own_issues(prs: pd.DataFrame, own_issues: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Which PRs close an issue the login reported, and which close one of its bug reports."""
    closed_urls = prs["closes"].explode().dropna()
    linked = pd.DataFrame({"pr": closed_urls.index.to_numpy(dtype="int64"), "url": objects(closed_urls)})
    linked = linked.merge(own_issues, on="url", how="inner")
    fixes_issue = np.zeros(len(prs), dtype=bool)
    fixes_bug = np.zeros(len(prs), dtype=bool)
    fixes_issue[linked["pr"].to_numpy(dtype="int64")] = True
    fixes_bug[linked.loc[linked["bug"], "pr"].to_numpy(dtype="int64")] = True
    return fixes_issue, fixes_bug


def _closes_good_first_issue(closes_labels: pd.Series) -> np.ndarray:
    """Whether each PR closes an issue labelled for newcomers (GOOD_FIRST_ISSUE_LABELS)."""
    return np.fromiter(
        (
            isinstance(labels, tuple) and any(str(name).lower() in GOOD_FIRST_ISSUE_LABELS for name in labels)
            for labels in closes_labels
        ),
        dtype=bool,
        count=len(closes_labels),
    )


def pull_request_columns(
    frames: Frames, repos: RepoTable, profile_type: str | None, own_issues: pd.DataFrame
) -> PullRequestColumns:
    """The login's PRs (``own_issues``: url and bug flag of the issues it reported, for linking)."""
    login = frames.login
    prs = frames.prs[is_login(frames.prs["author"], login)].drop_duplicates("node_id").reset_index(drop=True)
    positions = file_positions(prs, frames.files)
    facts = path_facts(frames.files["path"][positions >= 0])
    classes = classify_prs(prs, frames.files, positions, facts.category)
    context = repository_context(prs["repo"], login, repos, profile_type)
    outcome = lower(prs["state"])
    merged = (outcome == "merged").to_numpy(dtype=bool)
    self_merged = merged & is_login(prs["merged_by"], login)
    created, merged_at = naive_datetimes(prs["created_at"]), naive_datetimes(prs["merged_at"])
    fixes_issue, fixes_bug = _fixes_own_issues(prs, own_issues)
    maintainer = maintainer_association(prs["author_association"]) | self_merged
    has_files = (classes["category_source"] == "files").to_numpy(dtype=bool)
    columns = {
        "id": text_column(prs["node_id"]),
        "kind": repeated_code("pr", KINDS, len(prs)),
        "category": codes_in(classes["category"], CATEGORY_VALUES),
        "category_source": codes_in(classes["category_source"], SOURCES),
        "with_tests": classes["with_tests"].to_numpy(dtype=bool),
        **{name: context[name] for name in REPO_CONTEXT_COLUMNS},
        "number": floats(prs["number"]),
        "title": text_column(prs["title"]),
        "url": text_column(prs["url"]),
        "labels": objects(prs["labels"]),
        "state": text_column(prs["state"]),
        "outcome": codes_in(outcome, OUTCOMES),
        "date": created,
        "closed_at": naive_datetimes(prs["closed_at"]),
        "merged_at": merged_at,
        "merged_by": text_column(prs["merged_by"]),
        "author_association": text_column(prs["author_association"]),
        "lines": floats(classes["lines"]),
        **{
            f"lines_{c}": np.where(has_files, classes[f"lines_{c}"].to_numpy(dtype="float64"), np.nan)
            for c in CATEGORIES
        },
        "self_merged": self_merged,
        "maintainer_signal": context["external"] & maintainer,
        "hours_to_merge": np.where(merged, (merged_at - created).astype("float64") / 3600.0, np.nan),
        "closes_issues": tuple_lengths(prs["closes"]),
        "fixes_own_issue": fixes_issue & merged,
        "fixes_own_bug": fixes_bug & merged,
        "hacktoberfest": counts_for_hacktoberfest(
            prs["labels"], prs["created_at"], merged, context["hacktoberfest_topic"], context["own_repo"]
        ),
        "good_first_issue": merged & _closes_good_first_issue(prs["closes_labels"]),
        "track": track_codes(context["own_repo"] | self_merged),
    }
    classification = classes.drop(columns="node_id")
    classification.insert(0, "title", prs["title"].array)
    classification.insert(0, "number", prs["number"].array)
    classification.insert(0, "repo", pd.array(context["repo"], dtype="str"))
    classification.insert(0, "url", prs["url"].array)
    classification.insert(0, "id", prs["node_id"].array)
    return PullRequestColumns(columns, classification, positions, facts)


def _issue_outcomes(issues: pd.DataFrame, prs: pd.DataFrame, login: str) -> np.ndarray:
    """fixed (closed as completed or by a linked PR, the login's merged ones included), not_planned,
    closed or open."""
    merged_by_login = is_login(prs["author"], login) & (lower(prs["state"]) == "merged").to_numpy(dtype=bool)
    closed_by_own_pr = member_of(
        issues["url"], objects(prs.loc[merged_by_login, "closes"].explode().dropna())
    )
    closed = (lower(issues["state"]) == "closed").to_numpy(dtype=bool)
    reason = lower(issues["state_reason"])
    fixed = closed & (
        (reason == "completed").to_numpy(dtype=bool)
        | (tuple_lengths(issues["closed_by"]) > 0)
        | closed_by_own_pr
    )
    not_planned = closed & ~fixed & (reason == "not_planned").to_numpy(dtype=bool)
    return np.where(fixed, "fixed", np.where(not_planned, "not_planned", np.where(closed, "closed", "open")))


def issue_columns(
    frames: Frames, repos: RepoTable, profile_type: str | None
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The login's issues, and (url, bug) of each for linking PRs to them."""
    login = frames.login
    issues = frames.issues[is_login(frames.issues["author"], login)]
    issues = issues.drop_duplicates("node_id").reset_index(drop=True)
    context = repository_context(issues["repo"], login, repos, profile_type)
    bug = label_flags(issues["labels"], {"bug": BUG_LABEL})["bug"]
    columns = {
        "id": text_column(issues["node_id"]),
        "kind": repeated_code("issue", KINDS, len(issues)),
        "category": repeated_code("issue", CATEGORY_VALUES, len(issues)),
        "category_source": repeated_code("kind", SOURCES, len(issues)),
        **{name: context[name] for name in REPO_CONTEXT_COLUMNS},
        "number": floats(issues["number"]),
        "title": text_column(issues["title"]),
        "url": text_column(issues["url"]),
        "labels": objects(issues["labels"]),
        "state": text_column(issues["state"]),
        "outcome": codes_in(_issue_outcomes(issues, frames.prs, login), OUTCOMES),
        "date": naive_datetimes(issues["created_at"]),
        "closed_at": naive_datetimes(issues["closed_at"]),
        "author_association": text_column(issues["author_association"]),
        "maintainer_signal": context["external"] & maintainer_association(issues["author_association"]),
        "bug": bug,
        "reproducible": _reproducible(issues),
        "track": track_codes(context["own_repo"]),
    }
    return columns, pd.DataFrame({"url": objects(issues["url"]), "bug": bug})


def _reproducible(issues: pd.DataFrame) -> np.ndarray:
    """portfolio.reports.is_reproducible of every issue's signals, as one array (unknown counts as absent)."""
    signals = sum(
        issues[name].fillna(False).to_numpy(dtype=bool)
        for name in ("has_steps", "has_code", "has_environment")
    )
    long_enough = issues["body_length"].fillna(0).to_numpy(dtype="int64") >= REPRODUCIBLE_MIN_LENGTH
    return long_enough & (np.asarray(signals) >= REPRODUCIBLE_MIN_SIGNALS)


def review_columns(frames: Frames, repos: RepoTable, profile_type: str | None) -> dict[str, Any]:
    """The reviews the login gave on other people's PRs (a review of its own PR is not one given)."""
    login = frames.login
    reviews = frames.reviews
    given = is_login(reviews["author"], login) & ~is_login(reviews["pr_author"], login)
    reviews = reviews[given].drop_duplicates("node_id").reset_index(drop=True)
    context = repository_context(reviews["repo"], login, repos, profile_type)
    # A review without a state is counted as the weakest kind kept, a comment.
    outcome = lower(reviews["state"]).fillna("commented")
    number = reviews["pr_url"].astype("str").str.replace(r"^.*/pull/(\d+).*$", r"\1", regex=True)
    return {
        "id": text_column(reviews["node_id"]),
        "kind": repeated_code("review", KINDS, len(reviews)),
        "category": repeated_code("review", CATEGORY_VALUES, len(reviews)),
        "category_source": repeated_code("kind", SOURCES, len(reviews)),
        **{name: context[name] for name in REPO_CONTEXT_COLUMNS},
        "number": pd.to_numeric(number, errors="coerce").to_numpy(dtype="float64"),
        "url": text_column(reviews["pr_url"]),
        "labels": repeated((), len(reviews)),
        "state": text_column(reviews["state"]),
        "outcome": codes_in(outcome, OUTCOMES),
        "date": naive_datetimes(reviews["submitted_at"]),
        "track": track_codes(context["own_repo"]),
    }


def discussion_columns(frames: Frames, repos: RepoTable, profile_type: str | None) -> dict[str, Any]:
    """The login's accepted answers (not to its own questions) and the discussions it started."""
    login = frames.login
    posts = frames.discussions
    answer = (posts["kind"] == "answer").to_numpy(dtype=bool)
    own_question = is_login(posts["discussion_author"].fillna(""), login)
    # Marking one's own comment as the answer to one's own question is not help given.
    keep = is_login(posts["author"], login) & ~(answer & own_question)
    posts = posts[keep].drop_duplicates("node_id").reset_index(drop=True)
    answer = (posts["kind"] == "answer").to_numpy(dtype=bool)
    context = repository_context(posts["repo"], login, repos, profile_type)
    kind = np.where(answer, "answer", "discussion")
    answered = posts["answered"].fillna(False).to_numpy(dtype=bool)
    outcome = np.where(answer, "accepted", np.where(answered, "answered", "unanswered"))
    number = posts["discussion_url"].fillna(posts["url"]).astype("str")
    number = number.str.replace(r"^.*/discussions/(\d+).*$", r"\1", regex=True)
    return {
        "id": text_column(posts["node_id"]),
        "kind": codes_in(kind, KINDS),
        "category": codes_in(kind, CATEGORY_VALUES),
        "category_source": repeated_code("kind", SOURCES, len(posts)),
        **{name: context[name] for name in REPO_CONTEXT_COLUMNS},
        "number": pd.to_numeric(number, errors="coerce").to_numpy(dtype="float64"),
        "title": text_column(posts["title"]),
        "url": text_column(posts["url"]),
        "labels": repeated((), len(posts)),
        "state": text_column(posts["kind"]),
        "outcome": codes_in(outcome, OUTCOMES),
        "date": naive_datetimes(posts["created_at"]),
        "author_association": text_column(posts["author_association"]),
        "track": track_codes(context["own_repo"]),
    }
