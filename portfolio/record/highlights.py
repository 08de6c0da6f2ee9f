"""Highlights: the few contributions an interviewer should open first, each with the reason why.

Candidates are merged PRs, fixed issues, approving or change-requesting reviews and accepted answers with
points, ranked external first, then the most points, then the latest. Every kind of work present gets its
due: the best of each of :data:`HIGHLIGHT_KINDS` comes first (in rank order), then the rest fill by rank;
at most two per repository (relaxed only to reach five, or to give a kind its place); at most ten. Each
gets the first reason of :func:`highlight_rules` that applies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORIES
from portfolio.frames import utc_seconds
from portfolio.labels import CATEGORY_NAMES
from portfolio.text import format_stars
from portfolio.weights import Weights

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
HIGHLIGHT_KINDS: dict[str, str] = {
    "code": "code",
    "docs": "documentation",
    "tests": "tests",
    "review": "a review",
    "issue": "a reported issue",
    "answer": "an accepted answer",
}
"""The kinds of work that each get a highlight when present: a PR's category, else the contribution's kind."""


def highlight_rules(weights: Weights) -> tuple[str, ...]:
    """The rules picking and explaining highlights under ``weights``: first the choice, then each reason in
    priority order (the first that applies is shown)."""
    notable = format_stars(weights.notable_stars).removesuffix("★")
    large = weights.size_max_lines[-1]
    kinds = ", ".join(HIGHLIGHT_KINDS.values())
    return (
        f"chosen: the best of each kind of work present ({kinds}) first, then the most points; work in "
        f"others' projects before the contributor's own, at most {HIGHLIGHT_PER_REPO} per repository",
        "a merged PR closing an issue the login reported: 'fixed a bug they reported'",
        f"merged into a project with {notable}+ stars: 'documentation merged into a 40k★ project' (its kind)",
        "the login's first PR to an organisation's project: 'first contribution to owner/repo: code, merged'",
        "a merged PR by a member or collaborator: 'code merged as a maintainer of owner/repo'",
        f"a merged PR with more than {large:,} changed lines (the largest size tier): "
        "'1,234 changed lines of code merged into owner/repo'",
        "any other merged PR: 'documentation merged into owner/repo' (its kind)",
        "a reported issue that was fixed: 'reported a bug that owner/repo fixed'",
        "a review: 'requested changes on a PR in owner/repo' / 'approved a PR in owner/repo'",
        "an accepted answer: 'answer accepted in a discussion of owner/repo'",
        f"for reviews and answers the project is named by its size from {notable}+ stars: 'in a 40k★ project'",
        "maintainer track: 'in their own project owner/repo' or 'self-merged as a maintainer of owner/repo'",
    )


def _pr_reason(row: pd.Series, stars: int | None, notable: int) -> str:
    """Why a merged PR is worth opening (see :func:`highlight_rules`)."""
    repo = row["repo"]
    what = CATEGORY_NAMES[row["category"]] if row["category"] in CATEGORIES else "a PR"
    if row["track"] == "maintainer":
        if row["self_merged"] and not row["own_repo"]:
            return f"self-merged as a maintainer of {repo}"
        return f"in their own project {repo}" + (f" ({format_stars(stars)})" if stars else "")
    if row["fixes_own_issue"]:
        return "fixed a bug they reported" if row["fixes_own_bug"] else "fixed an issue they reported"
    if stars is not None and stars >= notable:
        return f"{what} merged into a {format_stars(stars)} project"
    if row["first_in_repo"] and row["org_owned"] is True:
        return f"first contribution to {repo}: {what}, merged"
    if row["maintainer_signal"]:
        return f"{what} merged as a maintainer of {repo}"
    if row["size"] == "large" and not pd.isna(row["lines"]):
        return f"{int(row['lines']):,} changed lines of {what} merged into {repo}"
    return f"{what} merged into {repo}"


def highlight_reason(row: pd.Series, weights: Weights) -> str:
    """The first of :func:`highlight_rules` that applies to one contribution."""
    stars = None if pd.isna(row["stars"]) else int(row["stars"])
    notable = weights.notable_stars
    if row["kind"] == "pr":
        return _pr_reason(row, stars, notable)
    repo = row["repo"]
    if row["kind"] == "issue":
        return f"reported a {'bug' if row['bug'] else 'problem'} that {repo} fixed"
    where = f"a {format_stars(stars)} project" if stars is not None and stars >= notable else repo
    if row["kind"] == "answer":
        return f"answer accepted in a discussion of {where}"
    if row["outcome"] == "changes_requested":
        return f"requested changes on a PR in {where}"
    return f"approved a PR in {where}"


def _ranked_candidates(contributions: pd.DataFrame) -> np.ndarray:
    """Positions of the rows that can be highlights, best first: external, most points, latest."""
    kind, outcome = contributions["kind"], contributions["outcome"]
    candidate = (
        ((kind == "pr") & (outcome == "merged"))
        | ((kind == "issue") & (outcome == "fixed"))
        | ((kind == "review") & outcome.isin(["approved", "changes_requested"]))
        | ((kind == "answer") & (outcome == "accepted"))
    ) & (contributions["points"] > 0)
    rows = np.flatnonzero(candidate.to_numpy(dtype=bool))
    maintainer_last = (contributions["track"].to_numpy(dtype=object)[rows] != "external").astype("int64")
    points = contributions["points"].to_numpy()[rows]
    seconds = utc_seconds(contributions["date"])[rows]
    # Rows are in canonical order, so position breaks the remaining ties.
    return rows[np.lexsort((rows, -seconds, -points, maintainer_last))]


def _one_of_each_kind(work: pd.Series, ranked: np.ndarray, repo_codes: np.ndarray) -> np.ndarray:
    """Indexes (into the ``ranked`` rows) of the best of each kind of ``work``, in rank order; a repository
    that already holds the per-repository limit of them gives way to the kind's next best elsewhere, if any."""
    codes, names = pd.factorize(work)
    ranked_codes = codes[ranked]
    taken = np.zeros(repo_codes.max() + 1 if len(repo_codes) else 0, dtype="int64")
    chosen = []
    of_kind = [
        np.flatnonzero(ranked_codes == code) for code, name in enumerate(names) if name in HIGHLIGHT_KINDS
    ]
    # Kinds whose best ranks higher choose first.
    for rows in sorted((rows for rows in of_kind if len(rows)), key=lambda rows: rows[0]):
        room = rows[taken[repo_codes[rows]] < HIGHLIGHT_PER_REPO]
        pick = int(room[0] if len(room) else rows[0])
        taken[repo_codes[pick]] += 1
        chosen.append(pick)
    return np.sort(np.asarray(chosen, dtype="int64"))


def highlights(contributions: pd.DataFrame, weights: Weights) -> pd.DataFrame:
    """The contributions to open first, chosen and explained by :func:`highlight_rules`."""
    rows = _ranked_candidates(contributions)
    repo_codes, _ = pd.factorize(contributions["repo"].to_numpy(dtype=object)[rows])
    # A contribution's category is its kind of work: a PR's category, else its kind (issue, review, ...).
    first = _one_of_each_kind(contributions["category"], rows, repo_codes)
    rest = np.setdiff1d(np.arange(len(rows)), first)
    # The rest fill by rank, each repository keeping the places its kinds' best already took.
    taken = np.bincount(repo_codes[first], minlength=len(repo_codes) + 1)
    rest_codes = repo_codes[rest]
    rest_in_repo = pd.Series(rest_codes).groupby(rest_codes).cumcount().to_numpy() + taken[rest_codes]
    room = max(HIGHLIGHT_MAX - len(first), 0)
    fill = rest[rest_in_repo < HIGHLIGHT_PER_REPO][:room]
    if len(first) + len(fill) < HIGHLIGHT_MIN:
        extra = rest[rest_in_repo >= HIGHLIGHT_PER_REPO][: HIGHLIGHT_MIN - len(first) - len(fill)]
        fill = np.sort(np.concatenate([fill, extra]))
    picked = contributions.iloc[rows[np.concatenate([first, fill])]]
    reasons = [highlight_reason(row, weights) for _, row in picked.iterrows()]
    out = picked.assign(rank=np.arange(1, len(picked) + 1), reason=pd.array(reasons, dtype="str"))
    return out[HIGHLIGHT_COLUMNS].reset_index(drop=True)
