"""The journey: the first time the login did each thing that marks a step from first issue to core work."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from portfolio.frames import DATETIME, MISSING_SECONDS, utc_seconds
from portfolio.record.arrays import maintainer_association
from portfolio.score import STAR_MILESTONES
from portfolio.text import count

MILESTONE_COLUMNS: list[str] = [
    "milestone",
    "title",
    "date",
    "id",
    "kind",
    "repo",
    "number",
    "contribution_title",
    "url",
    "detail",
]


def _stars_key(stars: int) -> str:
    """``1k`` for 1,000 stars, ``10k`` for 10,000: the short form in a milestone's key and title."""
    return f"{stars // 1000}k" if stars % 1000 == 0 else str(stars)


MILESTONES: dict[str, str] = {
    "first_issue": "First issue reported",
    "first_pr": "First pull request",
    "first_docs_pr": "First documentation PR",
    "first_external_merge": "First PR merged into someone else's project",
    "first_merged_code_pr": "First merged code PR in someone else's project",
    **{
        f"first_{_stars_key(stars)}_star_merge": f"First PR merged into a project with {_stars_key(stars)}+ stars"
        for stars in STAR_MILESTONES
    },
    "first_good_first_issue": "First good first issue solved (a merged PR closing it)",
    "first_review": "First review of someone else's PR",
    "first_accepted_answer": "First accepted answer in someone else's project",
    "first_maintainer_role": "First maintainer role in someone else's project",
    "hacktoberfest": "Hacktoberfest",
}
"""Milestone keys and titles; ``hacktoberfest`` rows are keyed ``hacktoberfest_<year>``. Merge milestones
are dated by the merge, the others by the contribution."""


def _earliest(
    rows: pd.DataFrame, when: pd.Series, seconds: np.ndarray, mask: np.ndarray, key: str, detail: str = ""
) -> dict[str, Any] | None:
    """The milestone ``key`` earned by the earliest row of ``mask`` by ``when`` (``rows`` in canonical order)."""
    candidates = np.flatnonzero(mask & (seconds != MISSING_SECONDS))
    if len(candidates) == 0:
        return None
    # Rows are sorted by date then id, so among equal times the lowest position is the canonical first.
    position = candidates[np.argmin(seconds[candidates])]
    row = rows.iloc[position]
    return {
        "milestone": key,
        "title": MILESTONES.get(key, key),
        "date": when.iloc[position],
        "id": row["id"],
        "kind": row["kind"],
        "repo": row["repo"],
        "number": row["number"],
        "contribution_title": row["title"],
        "url": row["url"],
        "detail": detail,
    }


def _hacktoberfests(
    rows: pd.DataFrame, contributions: pd.DataFrame, opened: np.ndarray
) -> list[dict[str, Any]]:
    """One milestone per year with Hacktoberfest PRs, saying how many there were and how many merged."""
    hacktoberfest = contributions["hacktoberfest"].to_numpy(dtype=bool)
    merged = (contributions["outcome"] == "merged").to_numpy(dtype=bool)
    years = contributions["date"].dt.year.to_numpy()
    found = []
    for year in np.unique(years[hacktoberfest]):
        in_year = hacktoberfest & (years == year)
        detail = (
            f"{count(int(in_year.sum()), 'PR')} in October {year}, {int((in_year & merged).sum())} merged"
        )
        key = f"hacktoberfest_{year}"
        milestone = _earliest(rows, contributions["date"], opened, in_year, key, detail=detail)
        if milestone is not None:
            milestone["title"] = f"Hacktoberfest {year}"
            found.append(milestone)
    return found


def milestones(contributions: pd.DataFrame) -> pd.DataFrame:
    """The milestones of the whole history, each with the contribution that earned it (see MILESTONES)."""
    kind = contributions["kind"].to_numpy(dtype=object)
    pr = kind == "pr"
    merged_external = (
        pr
        & (contributions["outcome"] == "merged").to_numpy(dtype=bool)
        & (contributions["track"] == "external").to_numpy(dtype=bool)
    )
    category = contributions["category"].to_numpy(dtype=object)
    stars = contributions["stars"].fillna(-1).to_numpy(dtype="int64")
    opened, merged_at = contributions["date"], contributions["merged_at"]
    # A member's or collaborator's role shows from the first contribution; a self-merge from the merge.
    evidence = opened.where(maintainer_association(contributions["author_association"]), merged_at)
    by_opening, by_merge = utc_seconds(opened), utc_seconds(merged_at)
    rows = contributions[["id", "kind", "repo", "number", "title", "url"]]
    found = [
        _earliest(rows, opened, by_opening, kind == "issue", "first_issue"),
        _earliest(rows, opened, by_opening, pr, "first_pr"),
        _earliest(rows, opened, by_opening, pr & (category == "docs"), "first_docs_pr"),
        _earliest(rows, merged_at, by_merge, merged_external, "first_external_merge"),
        _earliest(rows, merged_at, by_merge, merged_external & (category == "code"), "first_merged_code_pr"),
        *(
            _earliest(
                rows,
                merged_at,
                by_merge,
                merged_external & (stars >= floor),
                f"first_{_stars_key(floor)}_star_merge",
            )
            for floor in STAR_MILESTONES
        ),
        _earliest(
            rows,
            merged_at,
            by_merge,
            pr & contributions["good_first_issue"].to_numpy(dtype=bool),
            "first_good_first_issue",
        ),
        _earliest(rows, opened, by_opening, kind == "review", "first_review"),
        _earliest(
            rows,
            opened,
            by_opening,
            (kind == "answer") & (contributions["track"] == "external").to_numpy(dtype=bool),
            "first_accepted_answer",
        ),
        _earliest(
            rows,
            evidence,
            utc_seconds(evidence),
            contributions["maintainer_signal"].to_numpy(dtype=bool),
            "first_maintainer_role",
        ),
        *_hacktoberfests(rows, contributions, by_opening),
    ]
    frame = pd.DataFrame([m for m in found if m is not None], columns=MILESTONE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], utc=True).astype(DATETIME)
    frame["number"] = frame["number"].astype("Int64")
    for name in ("milestone", "title", "id", "kind", "repo", "contribution_title", "url", "detail"):
        frame[name] = frame[name].astype("str")
    return frame.sort_values(["date", "milestone"], kind="stable").reset_index(drop=True)
