"""Headline metrics of a window and the languages of its PRs, each metric defined in one sentence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORIES, LANGUAGE_TYPES, UNKNOWN
from portfolio.frames import utc_seconds, week_numbers
from portfolio.record.contributions import ScoredContributions
from portfolio.score import ScoreSummary

METRIC_DEFINITIONS: dict[str, str] = {
    "contributions": "PRs opened, issues reported, reviews given to others, accepted answers and discussions "
    "started, in the window.",
    "answers_accepted": "Comments of the login accepted as the answer to someone else's discussion, in "
    "repositories the login does not own (GitHub Discussions).",
    "own_repo_answers": "Accepted answers in the login's own repositories (maintainer track).",
    "discussions_started": "Discussions the login started (GitHub Discussions).",
    "prs_opened": "Pull requests the login opened, in any repository and state.",
    "merged_prs": "Pull requests merged, in any repository (own ones included).",
    "external_prs": "Pull requests opened in repositories the login does not own, not self-merged.",
    "merged_external_prs": "External pull requests merged by someone else: accepted work.",
    "merge_rate": "Merged external PRs / external PRs that were merged or closed (open ones left out).",
    "external_projects": "Distinct repositories, not owned by the login, with a merged external PR.",
    "external_organisations": "Distinct organisations owning those repositories.",
    "first_time_projects": "External repositories whose first PR from the login was merged.",
    "code_prs": "Merged external PRs that change source code (whatever tests, docs or build edits came along).",
    "code_prs_with_tests": "Merged external code PRs that also changed tests.",
    "code_with_tests_share": "Share of the merged external code PRs that came with tests (none: no code PRs).",
    "tests_prs": "Merged external PRs that change no source and whose changed lines are mostly tests.",
    "docs_prs": "Merged external PRs that change no source and whose changed lines are mostly documentation "
    "(or docs by label/title).",
    "ci_prs": "Merged external PRs that change no source and whose changed lines are mostly CI and build files.",
    "examples_prs": "Merged external PRs that change no source and whose changed lines are mostly examples.",
    "unknown_prs": "Merged external PRs whose files were not seen and whose labels and title say nothing.",
    "issues_reported": "Issues the login opened.",
    "issues_fixed": "Of those, issues closed as completed or closed by a linked pull request.",
    "reproducible_reports": "Issues reported whose body had the signals of a reproducible report (see "
    "Methodology).",
    "reproducible_reports_fixed": "Of those, issues that were fixed.",
    "well_made_fixed_share": "Reproducible reports that were fixed / issues reported (0 without issues).",
    "issues_fixed_by_own_prs": "Issue links (closes / fixes) of the login's merged PRs, anyone's issues.",
    "reviews_given": "Reviews the login submitted on other people's pull requests.",
    "reviews_approved": "Of those, approvals.",
    "reviews_changes_requested": "Of those, requests for changes.",
    "reviews_commented": "Of those, comment-only reviews.",
    "self_merged_prs": "PRs in others' repositories that the login merged themselves (maintainer track).",
    "own_repo_prs": "PRs in the login's own repositories (maintainer track).",
    "maintainer_projects": "Repositories not owned by the login where it acts as a maintainer (member "
    "or collaborator association, or merging its own PRs).",
    "largest_project_stars": "Stars of the largest repository with a merged external PR (today's count).",
    "active_months": "Calendar months (UTC) with at least one contribution.",
    "longest_streak_weeks": "Most consecutive ISO weeks with at least one contribution.",
    "median_hours_to_merge": "Median hours from opening to merge of merged external PRs.",
    "languages": "Up to five programming/markup languages of the changed files, most PRs first.",
    "first_contribution": "Date of the earliest contribution.",
    "latest_contribution": "Date of the latest contribution.",
    "score_external": "Points of the external track (see the breakdown).",
    "score_maintainer": "Points of the maintainer track (see the breakdown).",
}

LANGUAGE_COLUMNS: dict[str, str] = {
    "language": "str",
    "type": "str",
    "prs": "int64",
    "merged_prs": "int64",
    "lines": "int64",
    "files": "int64",
    "share": "float64",
}
"""Columns and dtypes of ``TrackRecord.languages``."""


def longest_streak(weeks: np.ndarray) -> int:
    """The longest run of consecutive integers in sorted unique ``weeks``."""
    if len(weeks) == 0:
        return 0
    breaks = np.flatnonzero(np.diff(weeks) != 1)
    bounds = np.concatenate(([-1], breaks, [len(weeks) - 1]))
    return int(np.diff(bounds).max())


def active_weeks(dates: pd.Series) -> np.ndarray:
    """The distinct Monday-based week numbers of ``dates``, sorted."""
    return np.unique(week_numbers(utc_seconds(dates.dropna())))


def _count(mask: np.ndarray) -> int:
    """How many rows ``mask`` holds."""
    return int(mask.sum())


def _pr_metrics(contributions: pd.DataFrame) -> dict[str, Any]:
    """The metrics of PRs: opened, merged, external, accepted, and merged work by category."""
    kind, outcome = contributions["kind"], contributions["outcome"]
    pr = (kind == "pr").to_numpy(dtype=bool)
    external = pr & (contributions["track"] == "external").to_numpy(dtype=bool)
    merged = pr & (outcome == "merged").to_numpy(dtype=bool)
    merged_external = merged & external
    decided_external = external & outcome.isin(["merged", "closed"]).to_numpy(dtype=bool)
    accepted = contributions.loc[merged_external, ["repo", "owner", "org_owned", "first_in_repo"]]
    org_owned = accepted["org_owned"].fillna(False).to_numpy(dtype=bool)
    rate = _count(merged_external) / _count(decided_external) if decided_external.any() else None
    # GitHub's names ignore case: an unlisted repository seen as Ghost/X and ghost/x is one project.
    accepted_repo = accepted["repo"].str.lower()
    metrics: dict[str, Any] = {
        "prs_opened": _count(pr),
        "merged_prs": _count(merged),
        "external_prs": _count(external),
        "merged_external_prs": _count(merged_external),
        "merge_rate": round(float(rate), 4) if rate is not None else None,
        "external_projects": int(accepted_repo.nunique()),
        "external_organisations": int(accepted.loc[org_owned, "owner"].str.lower().nunique()),
        "first_time_projects": int(accepted_repo[accepted["first_in_repo"].to_numpy(dtype=bool)].nunique()),
    }
    category = contributions["category"]
    for name in (*CATEGORIES, UNKNOWN):
        metrics[f"{name}_prs"] = _count(merged_external & (category == name).to_numpy(dtype=bool))
    with_tests = (
        merged_external & (category == "code").to_numpy(dtype=bool) & contributions["with_tests"].to_numpy()
    )
    metrics["code_prs_with_tests"] = _count(with_tests)
    code_prs = metrics["code_prs"]
    metrics["code_with_tests_share"] = (
        round(metrics["code_prs_with_tests"] / code_prs, 4) if code_prs else None
    )
    return metrics


def _report_metrics(contributions: pd.DataFrame, issue: np.ndarray, outcome: pd.Series) -> dict[str, Any]:
    """How many reports were reproducible, how many of those were fixed, and their share of all reports."""
    reproducible = issue & contributions["reproducible"].to_numpy(dtype=bool)
    fixed = reproducible & (outcome == "fixed").to_numpy(dtype=bool)
    reported = _count(issue)
    return {
        "reproducible_reports": _count(reproducible),
        "reproducible_reports_fixed": _count(fixed),
        "well_made_fixed_share": round(_count(fixed) / reported, 4) if reported else 0.0,
    }


def metrics(
    contributions: pd.DataFrame, languages: pd.DataFrame, score: ScoreSummary, roles: pd.Series
) -> dict[str, Any]:
    """Every metric of :data:`METRIC_DEFINITIONS` over the (windowed) contributions."""
    kind, outcome = contributions["kind"], contributions["outcome"]
    pr = (kind == "pr").to_numpy(dtype=bool)
    issue = (kind == "issue").to_numpy(dtype=bool)
    review = (kind == "review").to_numpy(dtype=bool)
    merged = pr & (outcome == "merged").to_numpy(dtype=bool)
    merged_external = merged & (contributions["track"] == "external").to_numpy(dtype=bool)
    hours = contributions.loc[merged_external, "hours_to_merge"].dropna()
    stars = contributions.loc[merged_external, "stars"].dropna()
    dates = contributions["date"].dropna()
    months = dates.dt.tz_convert(None).to_numpy().astype("datetime64[M]")
    return {
        "contributions": len(contributions),
        **_pr_metrics(contributions),
        "issues_reported": _count(issue),
        "issues_fixed": _count(issue & (outcome == "fixed").to_numpy(dtype=bool)),
        **_report_metrics(contributions, issue, outcome),
        "answers_accepted": _count(
            (kind == "answer").to_numpy(dtype=bool)
            & (contributions["track"] == "external").to_numpy(dtype=bool)
        ),
        "own_repo_answers": _count(
            (kind == "answer").to_numpy(dtype=bool)
            & (contributions["track"] == "maintainer").to_numpy(dtype=bool)
        ),
        "discussions_started": _count((kind == "discussion").to_numpy(dtype=bool)),
        "issues_fixed_by_own_prs": int(contributions.loc[merged, "closes_issues"].sum()),
        "reviews_given": _count(review),
        "reviews_approved": _count(review & (outcome == "approved").to_numpy(dtype=bool)),
        "reviews_changes_requested": _count(review & (outcome == "changes_requested").to_numpy(dtype=bool)),
        "reviews_commented": _count(review & (outcome == "commented").to_numpy(dtype=bool)),
        "self_merged_prs": _count(pr & contributions["self_merged"].to_numpy(dtype=bool)),
        "own_repo_prs": _count(pr & contributions["own_repo"].to_numpy(dtype=bool)),
        "maintainer_projects": int((roles == "maintainer").sum()),
        "largest_project_stars": int(stars.max()) if len(stars) else None,
        "active_months": len(np.unique(months)),
        "longest_streak_weeks": longest_streak(active_weeks(contributions["date"])),
        "median_hours_to_merge": round(float(hours.median()), 1) if len(hours) else None,
        "languages": top_languages(languages),
        "first_contribution": dates.min() if len(dates) else None,
        "latest_contribution": dates.max() if len(dates) else None,
        "score_external": score.external,
        "score_maintainer": score.maintainer,
    }


def top_languages(languages: pd.DataFrame, limit: int = 5) -> list[str]:
    """The programming and markup languages with the most PRs, at most ``limit``."""
    useful = languages[languages["type"].isin(["programming", "markup"])]
    return useful["language"].head(limit).astype("str").tolist()


def _language_rows(scored: ScoredContributions, keep: np.ndarray, is_pr: np.ndarray) -> pd.DataFrame:
    """One row per (contribution row, language) evidence: each seen file, or the repository's language
    for a kept PR whose files were not seen."""
    has_files = np.zeros(len(is_pr), dtype=bool)
    has_files[scored.file_rows] = True
    in_files = keep[scored.file_rows] & pd.notna(scored.file_language)
    without = np.flatnonzero(is_pr & keep & ~has_files)
    repo_language = scored.repos.take("language", scored.contributions["repo"].iloc[without])
    return pd.DataFrame(
        {
            "row": np.concatenate([scored.file_rows[in_files], without]),
            "language": np.concatenate([scored.file_language[in_files], repo_language]),
            "lines": np.concatenate([scored.file_lines[in_files], np.zeros(len(without), dtype="int64")]),
            "files": np.concatenate(
                [np.ones(in_files.sum(), dtype="int64"), np.zeros(len(without), dtype="int64")]
            ),
        }
    ).dropna(subset=["language"])


def languages(scored: ScoredContributions, keep: np.ndarray) -> pd.DataFrame:
    """Languages of the PRs in ``keep``: their files' extensions, or the repository's language without files."""
    contributions = scored.contributions
    is_pr = (contributions["kind"] == "pr").to_numpy(dtype=bool)
    merged = is_pr & (contributions["outcome"] == "merged").to_numpy(dtype=bool)
    rows = _language_rows(scored, keep, is_pr)
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in LANGUAGE_COLUMNS.items()})
    totals = rows.groupby("language").agg(lines=("lines", "sum"), files=("files", "sum"))
    distinct = rows.drop_duplicates(["language", "row"])
    distinct = distinct.assign(merged=merged[distinct["row"].to_numpy()])
    counts = distinct.groupby("language").agg(prs=("row", "size"), merged_prs=("merged", "sum"))
    out = counts.join(totals).reset_index()
    out.insert(1, "type", out["language"].map(LANGUAGE_TYPES).fillna("programming"))
    total = out["lines"].sum()
    out["share"] = (out["lines"] / total).round(4) if total else 0.0
    out = out.sort_values(["prs", "lines", "language"], ascending=[False, False, True], kind="stable")
    return out.astype(LANGUAGE_COLUMNS).reset_index(drop=True)[list(LANGUAGE_COLUMNS)]
