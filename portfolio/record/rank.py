"""The github-readme-stats rank of the same counts: a familiar reference point, not our score."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portfolio.frames import Frames
from portfolio.record.arrays import is_login

# github-readme-stats src/calculateRank.js: medians and weights of each input's CDF, and the level cut-offs.
README_STATS_INPUTS: dict[str, tuple[float, float, str]] = {
    "commits": (250, 2, "exponential"),
    "prs": (50, 3, "exponential"),
    "issues": (25, 1, "exponential"),
    "reviews": (2, 1, "exponential"),
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
    notes: tuple[str, ...] = (),
) -> RankReference:
    """github-readme-stats' rank of these counts (its calculateRank: weighted CDFs, lower percentile is better)."""
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
        relative = inputs[name] / median
        weighted += weight * ((1 - 2**-relative) if shape == "exponential" else relative / (1 + relative))
    total_weight = sum(weight for _, weight, _ in README_STATS_INPUTS.values())
    percentile = (1 - weighted / total_weight) * 100
    level = next(name for cut, name in README_STATS_LEVELS if percentile <= cut)
    return RankReference(level=level, percentile=round(percentile, 2), inputs=inputs, notes=notes)


def reference_rank(contributions: pd.DataFrame, frames: Frames, commits: int | None) -> RankReference:
    """The github-readme-stats reference rank of the window's counts, with notes on its inputs."""
    repos = frames.repos
    owned = repos[is_login(repos["owner_login"], frames.login) & ~repos["is_fork"].fillna(False).astype(bool)]
    followers = frames.profile["followers"].iloc[0] if not frames.profile.empty else None
    notes = [
        "github-readme-stats' rank, recomputed from this record as a familiar reference point; it is not our score.",
        "commits are not collected: fed as 0, which lowers the rank"
        if commits is None
        else f"commits: {commits}, given by the caller",
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
        notes=tuple(notes),
    )
