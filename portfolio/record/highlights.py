"""Highlights: the few contributions an interviewer should open first, each with the reason why.

Candidates are merged PRs, fixed issues and approving or change-requesting reviews with points; external
ones come first, then the most points, then the latest; at most two per repository (relaxed only to reach
five); at most ten. Each gets the first reason of :func:`highlight_rules` that applies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORY_LABELS
from portfolio.frames import utc_seconds
from portfolio.score import NOTABLE_STARS, Weights
from portfolio.text import format_stars

HIGHLIGHT_COLUMNS: list[str] = [
    "rank",
    "id",
    "kind",
    "category",
    "repo",
    "number",
    "title",
    "url",
    "date",
    "outcome",
    "stars",
    "points",
    "reason",
]
HIGHLIGHT_MAX = 10
HIGHLIGHT_MIN = 5
HIGHLIGHT_PER_REPO = 2


def highlight_rules(weights: Weights) -> tuple[str, ...]:
    """The reasons a highlight can carry under ``weights``, in priority order (the first that applies is shown)."""
    notable = format_stars(NOTABLE_STARS).removesuffix("★")
    large = weights.size_max_lines[-1]
    return (
        "a merged PR closing an issue the login reported: 'fixed a bug they reported'",
        f"merged into a project with {notable}+ stars: 'merged into a 40k★ project'",
        "the login's first PR to an organisation's project: 'first contribution to owner/repo, merged'",
        "a merged PR by a member or collaborator: 'merged as a maintainer of owner/repo'",
        f"a merged PR with more than {large:,} changed lines (the large size tier): "
        "'1,234 changed lines merged into owner/repo'",
        "any other merged PR: 'documentation merged into owner/repo' (its category)",
        "a reported issue that was fixed: 'reported a bug that owner/repo fixed'",
        "a review: 'requested changes on a PR in owner/repo' / 'approved a PR in owner/repo' "
        f"(with stars from {notable})",
        "maintainer track: 'in their own project owner/repo' or 'self-merged as a maintainer of owner/repo'",
    )


def _pr_reason(row: pd.Series, stars: int | None) -> str:
    """Why a merged PR is worth opening (see :func:`highlight_rules`)."""
    repo = row["repo"]
    if row["track"] == "maintainer":
        if row["self_merged"] and not row["own_repo"]:
            return f"self-merged as a maintainer of {repo}"
        return f"in their own project {repo}" + (f" ({format_stars(stars)})" if stars else "")
    if row["fixes_own_issue"]:
        return "fixed a bug they reported" if row["fixes_own_bug"] else "fixed an issue they reported"
    if stars is not None and stars >= NOTABLE_STARS:
        return f"merged into a {format_stars(stars)} project"
    if row["first_in_repo"] and row["org_owned"] is True:
        return f"first contribution to {repo}, merged"
    if row["maintainer_signal"]:
        return f"merged as a maintainer of {repo}"
    if row["size"] == "large" and not pd.isna(row["lines"]):
        return f"{int(row['lines']):,} changed lines merged into {repo}"
    what = {"code": "code", "unknown": "a PR"}.get(
        row["category"], CATEGORY_LABELS.get(row["category"], "a PR")
    )
    return f"{what} merged into {repo}"


def highlight_reason(row: pd.Series) -> str:
    """The first of :func:`highlight_rules` that applies to one contribution."""
    stars = None if pd.isna(row["stars"]) else int(row["stars"])
    if row["kind"] == "pr":
        return _pr_reason(row, stars)
    repo = row["repo"]
    if row["kind"] == "issue":
        return f"reported a {'bug' if row['bug'] else 'problem'} that {repo} fixed"
    where = f"a {format_stars(stars)} project" if stars is not None and stars >= NOTABLE_STARS else repo
    if row["outcome"] == "changes_requested":
        return f"requested changes on a PR in {where}"
    return f"approved a PR in {where}"


def highlights(contributions: pd.DataFrame) -> pd.DataFrame:
    """The contributions to open first, chosen and explained by :func:`highlight_rules`."""
    kind, outcome = contributions["kind"], contributions["outcome"]
    candidate = (
        ((kind == "pr") & (outcome == "merged"))
        | ((kind == "issue") & (outcome == "fixed"))
        | ((kind == "review") & outcome.isin(["approved", "changes_requested"]))
    ) & (contributions["points"] > 0)
    rows = np.flatnonzero(candidate.to_numpy(dtype=bool))
    maintainer_last = (contributions["track"].to_numpy(dtype=object)[rows] != "external").astype("int64")
    points = contributions["points"].to_numpy()[rows]
    seconds = utc_seconds(contributions["date"])[rows]
    # External first, then most points, then latest; rows are in canonical order, so position breaks ties.
    rows = rows[np.lexsort((rows, -seconds, -points, maintainer_last))]
    repo_codes, _ = pd.factorize(contributions["repo"].to_numpy(dtype=object)[rows])
    in_repo = pd.Series(repo_codes).groupby(repo_codes).cumcount().to_numpy()
    chosen = rows[in_repo < HIGHLIGHT_PER_REPO][:HIGHLIGHT_MAX]
    if len(chosen) < HIGHLIGHT_MIN:
        extra = rows[in_repo >= HIGHLIGHT_PER_REPO][: HIGHLIGHT_MIN - len(chosen)]
        chosen = rows[np.isin(rows, np.concatenate([chosen, extra]))]
    picked = contributions.iloc[chosen]
    reasons = [highlight_reason(row) for _, row in picked.iterrows()]
    out = picked.assign(rank=np.arange(1, len(picked) + 1), reason=pd.array(reasons, dtype="str"))
    return out[HIGHLIGHT_COLUMNS].reset_index(drop=True)
