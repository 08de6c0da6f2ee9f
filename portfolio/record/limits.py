"""What a record cannot see, in sentences a reader can weigh the numbers by."""

from __future__ import annotations

import pandas as pd

from portfolio.classify import UNKNOWN
from portfolio.frames import Frames

ALWAYS_LIMITS: tuple[str, ...] = (
    "Only public work is counted: private repositories and private contributions are not in the record; "
    "comments count as help given, never as points.",
    "Merges the login made of other people's PRs are not collected: a maintainer role is inferred from "
    "author association (member, owner, collaborator) and from merging its own PRs in others' repositories.",
    "Stars, organisation ownership and followers are today's values, not those at the time of the work.",
)
"""What no record collected from the public API can see."""


def _pr_limits(prs: pd.DataFrame) -> list[str]:
    """What the login's PRs lack: files, sizes, who merged them."""
    limits = []
    no_files = prs["category_source"] != "files"
    if no_files.any():
        unknown = int((prs["category"] == UNKNOWN).sum())
        limits.append(
            f"{int(no_files.sum())} of {len(prs)} PRs were collected without their changed files (REST without "
            f"a token): their category comes from labels and titles ({unknown} stay unknown)."
        )
    no_lines = prs["lines"].isna()
    if no_lines.any():
        limits.append(
            f"The size of {int(no_lines.sum())} PRs is unknown: they get the 'unknown' size factor and the "
            "trivial-PR cap cannot apply to them."
        )
    return limits


def _repository_limits(external: pd.DataFrame) -> list[str]:
    """What is unknown about the external repositories: stars and organisation ownership."""
    limits = []
    unknown_stars = external.loc[external["stars"].isna(), "repo"].nunique()
    if unknown_stars:
        limits.append(
            f"Stars of {unknown_stars} external repositories are unknown: their reach factor is neutral."
        )
    unknown_owner = external.loc[external["org_owned"].isna(), "repo"].nunique()
    if unknown_owner:
        limits.append(
            f"Whether {unknown_owner} external repositories belong to an organisation is unknown: they are not "
            "counted as organisations."
        )
    return limits


def limits(frames: Frames, everything: pd.DataFrame) -> tuple[str, ...]:
    """Sentences saying what this record cannot see, the data-dependent ones first."""
    is_pr = (everything["kind"] == "pr").to_numpy(dtype=bool)
    prs = everything.loc[is_pr, ["category_source", "category", "lines", "outcome", "external", "merged_by"]]
    external = everything.loc[everything["external"].to_numpy(dtype=bool), ["repo", "stars", "org_owned"]]
    found = [*_pr_limits(prs), *_repository_limits(external)]
    merged_external = prs[(prs["outcome"] == "merged") & prs["external"]]
    if merged_external["merged_by"].isna().any():
        found.append(
            f"Who merged {int(merged_external['merged_by'].isna().sum())} external PRs is unknown: self-merges "
            "among them cannot be told apart from acceptance by others."
        )
    if frames.issues["closed_by"].isna().any():
        found.append(
            "Which pull request closed an issue is unknown for some issues: they count as fixed only when "
            "closed as completed or by one of the login's merged PRs."
        )
    return (*found, *ALWAYS_LIMITS)
