"""The github-readme-stats rank of the same counts: a familiar reference point, not our score."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portfolio.frames import Frames
from portfolio.record.arrays import is_login

# github-readme-stats src/calculateRank.js: medians and weights of each input's CDF, and the level cut-offs.
# Its tests/calculateRank.test.js fixes the current medians: the "median user" (250 commits, 50 PRs, 25
# issues, 10 reviews, 50 stars, 10 followers) is at 50%, and so is the include_all_commits one at 1,000.
README_STATS_INPUTS: dict[str, tuple[float, float, str]] = {
    "commits": (250, 2, "exponential"),
    "prs": (50, 3, "exponential"),
    "issues": (25, 1, "exponential"),
    "reviews": (10, 1, "exponential"),
    "stars": (50, 4, "log_normal"),
    "followers": (10, 1, "log_normal"),
}
README_STATS_LEVELS: tuple[tuple[float, str], ...] = (
    (1, "S"),
    (12.5, "A+"),
    (25, "A"),
    (37.5, "A-"),
    (50, "B+"),
    (62.5, "B"),
    (75, "B-"),
    (87.5, "C+"),
    (100, "C"),
)
ALL_COMMITS_MEDIAN = 1000  # the commits median in include_all_commits mode (every commit, not one year's)


@dataclass(frozen=True)
class RankReference:
    """The github-readme-stats rank of the same counts: a familiar reference point, not our score."""

    level: str
    percentile: float  # lower is better: "top x %"
    inputs: dict[str, int]
    notes: tuple[str, ...]


def readme_stats_rank(
    *,
    commits: int,
    prs: int,
    issues: int,
    reviews: int,
    stars: int,
    followers: int,
    all_commits: bool = False,
    notes: tuple[str, ...] = (),
) -> RankReference:
    """github-readme-stats' rank of these counts (its calculateRank: weighted CDFs, lower percentile is better).

    ``all_commits`` is its ``include_all_commits`` mode, where commits are every commit and their median 1,000.
    """
    inputs = {
        "commits": commits,
        "prs": prs,
        "issues": issues,
        "reviews": reviews,
        "stars": stars,
        "followers": followers,
    }
    weighted = 0.0
    for name, (median, weight, shape) in README_STATS_INPUTS.items():
        if name == "commits" and all_commits:
            median = ALL_COMMITS_MEDIAN
        relative = inputs[name] / median
        weighted += weight * ((1 - 2**-relative) if shape == "exponential" else relative / (1 + relative))
    total_weight = sum(weight for _, weight, _ in README_STATS_INPUTS.values())
    percentile = (1 - weighted / total_weight) * 100
    level = next(name for cut, name in README_STATS_LEVELS if percentile <= cut)
    return RankReference(level=level, percentile=round(percentile, 2), inputs=inputs, notes=notes)


def window_commits(
    frames: Frames, since: pd.Timestamp | None, until: pd.Timestamp | None
) -> tuple[int | None, int]:
    """Commits of the calendar years the window touches (None when none were collected), and how many years."""
    years = frames.commit_years
    if years.empty:
        return None, 0
    low = since.year if since is not None else -1
    high = until.year if until is not None else 10_000
    inside = years[(years["year"] >= low) & (years["year"] <= high)]
    return int(inside["commits"].sum()), len(inside)


def reference_rank(
    contributions: pd.DataFrame,
    frames: Frames,
    commits: int | None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> RankReference:
    """The github-readme-stats reference rank of the window's counts, with notes on its inputs.

    Commits are ``contributionsCollection.totalCommitContributions`` of the calendar years the window
    touches, summed: every commit of those years, so the rank uses the include_all_commits mode.
    """
    collected, years = window_commits(frames, since, until)
    if commits is not None:
        commit_note = f"commits: {commits}, given by the caller (include_all_commits mode, median 1,000)"
    elif collected is not None:
        commits = collected
        commit_note = (
            f"commits: {collected}, GitHub's commit contributions of the {years} calendar years the window "
            "touches (include_all_commits mode, median 1,000)"
        )
    else:
        commit_note = "commits were not collected (REST): fed as 0, which lowers the rank"
    repos = frames.repos
    owned = repos[is_login(repos["owner_login"], frames.login) & ~repos["is_fork"].fillna(False).astype(bool)]
    followers = frames.profile["followers"].iloc[0] if not frames.profile.empty else None
    notes = [
        "github-readme-stats' rank, recomputed from this record as a familiar reference point; it is not our score.",
        commit_note,
        "prs, issues and reviews are the login's PRs, issues and reviews of others' PRs in the window.",
        "stars: today's stars of the login's own non-fork repositories in the record.",
    ]
    if pd.isna(followers):
        notes.append("followers unknown: fed as 0")
    kind = contributions["kind"]
    return readme_stats_rank(
        commits=commits or 0,
        prs=int((kind == "pr").sum()),
        issues=int((kind == "issue").sum()),
        reviews=int((kind == "review").sum()),
        stars=int(owned["stars"].fillna(0).sum()),
        followers=0 if pd.isna(followers) else int(followers),
        all_commits=commits is not None,
        notes=tuple(notes),
    )
