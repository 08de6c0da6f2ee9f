"""The journey: the first time the login did each thing that marks a step from first issue to core work.

One entry per contribution: a PR that was the first PR, the first documentation PR and the first merged
into someone else's project is one step of the journey, named by all three.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from portfolio.frames import DATETIME, MISSING_SECONDS, utc_seconds
from portfolio.record.arrays import maintainer_association
from portfolio.record.hacktoberfest import required_prs
from portfolio.text import format_stars, iso_date
from portfolio.weights import Weights

MILESTONE_COLUMNS: list[str] = [
    "milestone",
    "earned",
    "title",
    "label",
    "date",
    "id",
    "kind",
    "category",
    "repo",
    "number",
    "contribution_title",
    "url",
    "detail",
]
"""``milestone``: the entry's first key (by date, then the order below); ``earned``: every key it names;
``title``: all of their titles in one sentence; ``label``: their short names, one per line, for a chart."""

MILESTONES: dict[str, tuple[str, str]] = {
    "first_issue": ("first issue reported", "First issue"),
    "first_pr": ("first pull request", "First PR"),
    "first_docs_pr": ("first documentation PR", "First docs PR"),
    "first_external_merge": ("first PR merged into someone else's project", "First PR merged elsewhere"),
    "first_merged_code_pr": ("first merged code PR in someone else's project", "First code PR merged"),
    "first_good_first_issue": (
        "first good first issue solved (a merged PR closing it)",
        "First good first issue",
    ),
    "first_review": ("first review of someone else's PR", "First review"),
    "first_accepted_answer": ("first accepted answer in someone else's project", "First accepted answer"),
    "first_maintainer_role": ("first maintainer role in someone else's project", "First maintainer role"),
}
"""Milestone keys with their title and short name, in the order an entry names them; star milestones
(:func:`star_milestone`) follow ``first_merged_code_pr`` and Hacktoberfest years come last. Merge milestones
are dated by the merge, the others by the contribution; an entry by the earliest of its milestones."""
MERGE_MILESTONES = ("first_external_merge", "first_merged_code_pr", "first_good_first_issue")


def star_milestone(stars: int) -> tuple[str, str, str]:
    """Key, title and short name of the milestone "first PR merged into a project with ``stars``+ stars"."""
    short = format_stars(stars).removesuffix("★")
    return (
        f"first_{short}_star_merge",
        f"first PR merged into a project with {short}+ stars",
        f"First {short}★ merge",
    )


def _earliest(when: pd.Series, seconds: np.ndarray, mask: np.ndarray, key: str) -> dict[str, Any] | None:
    """The milestone ``key`` earned by the earliest row of ``mask`` by ``when`` (rows in canonical order)."""
    candidates = np.flatnonzero(mask & (seconds != MISSING_SECONDS))
    if len(candidates) == 0:
        return None
    # Rows are sorted by date then id, so among equal times the lowest position is the canonical first.
    position = int(candidates[np.argmin(seconds[candidates])])
    return {"key": key, "position": position, "date": when.iloc[position], "detail": ""}


def _hacktoberfests(contributions: pd.DataFrame) -> list[dict[str, Any]]:
    """One milestone per year whose Hacktoberfest goal was met, dated by the PR that reached it."""
    counts = contributions["hacktoberfest"].to_numpy(dtype=bool)
    years = contributions["date"].dt.year.to_numpy()
    found = []
    for year in np.unique(years[counts]):
        needed = required_prs(int(year))
        rows = np.flatnonzero(counts & (years == year))  # in canonical (date) order
        if needed is None or len(rows) < needed:
            continue
        position = int(rows[needed - 1])
        detail = f"{len(rows)} accepted PRs in October {year}; the event asked for {needed}"
        found.append(
            {
                "key": f"hacktoberfest_{year}",
                "position": position,
                "date": contributions["date"].iloc[position],
                "detail": detail,
            }
        )
    return found


def _names(weights: Weights) -> dict[str, tuple[str, str]]:
    """Every fixed milestone's title and short name, star milestones in their place."""
    names = dict(MILESTONES)
    stars = {key: (title, short) for key, title, short in map(star_milestone, weights.reach_milestones)}
    at = list(names).index("first_merged_code_pr") + 1
    items = list(names.items())
    return dict([*items[:at], *stars.items(), *items[at:]])


def _entry(found: list[dict[str, Any]], names: dict[str, tuple[str, str]], row: pd.Series) -> dict[str, Any]:
    """One journey entry for the milestones ``found`` that one contribution earned."""
    order = list(names)
    found = sorted(
        found, key=lambda m: (m["date"], order.index(m["key"]) if m["key"] in names else len(order))
    )
    keys = sorted((m["key"] for m in found), key=lambda k: order.index(k) if k in names else len(order))
    stars = [k for k in keys if k.endswith("_star_merge")]
    # The highest star milestone says the lower ones too: "10k+ stars" needs no "1k+ stars" beside it.
    shown = [k for k in keys if k not in stars[:-1]]
    titles = [names[k][0] if k in names else f"Hacktoberfest {k.rsplit('_', 1)[1]}" for k in shown]
    shorts = [names[k][1] if k in names else f"Hacktoberfest {k.rsplit('_', 1)[1]}" for k in shown]
    title = " · ".join(titles)
    date = found[0]["date"]
    details = [m["detail"] for m in found if m["detail"]]
    merges = [m for m in found if m["key"] in MERGE_MILESTONES and m["date"] != date]
    if merges:
        details.append(f"merged on {iso_date(merges[0]['date'])}")
    return {
        "milestone": found[0]["key"],
        "earned": tuple(keys),
        "title": title[0].upper() + title[1:],
        "label": tuple(shorts),
        "date": date,
        "id": row["id"],
        "kind": row["kind"],
        "category": row["category"],
        "repo": row["repo"],
        "number": row["number"],
        "contribution_title": row["title"],
        "url": row["url"],
        "detail": "; ".join(details),
    }


def milestones(contributions: pd.DataFrame, weights: Weights) -> pd.DataFrame:
    """The journey of the whole history: one entry per contribution that earned milestones (see MILESTONES)."""
    kind = contributions["kind"].to_numpy(dtype=object)
    pr = kind == "pr"
    external = (contributions["track"] == "external").to_numpy(dtype=bool)
    merged_external = pr & (contributions["outcome"] == "merged").to_numpy(dtype=bool) & external
    category = contributions["category"].to_numpy(dtype=object)
    stars = contributions["stars"].fillna(-1).to_numpy(dtype="int64")
    opened, merged_at = contributions["date"], contributions["merged_at"]
    # A member's or collaborator's role shows from the first contribution; a self-merge from the merge.
    evidence = opened.where(maintainer_association(contributions["author_association"]), merged_at)
    by_opening, by_merge = utc_seconds(opened), utc_seconds(merged_at)
    good_first_issue = pr & contributions["good_first_issue"].to_numpy(dtype=bool)
    found = [
        _earliest(opened, by_opening, kind == "issue", "first_issue"),
        _earliest(opened, by_opening, pr, "first_pr"),
        _earliest(opened, by_opening, pr & (category == "docs"), "first_docs_pr"),
        _earliest(merged_at, by_merge, merged_external, "first_external_merge"),
        _earliest(merged_at, by_merge, merged_external & (category == "code"), "first_merged_code_pr"),
        *(
            _earliest(merged_at, by_merge, merged_external & (stars >= floor), star_milestone(floor)[0])
            for floor in weights.reach_milestones
        ),
        _earliest(merged_at, by_merge, good_first_issue, "first_good_first_issue"),
        _earliest(opened, by_opening, kind == "review", "first_review"),
        _earliest(opened, by_opening, (kind == "answer") & external, "first_accepted_answer"),
        _earliest(
            evidence,
            utc_seconds(evidence),
            contributions["maintainer_signal"].to_numpy(dtype=bool),
            "first_maintainer_role",
        ),
        *_hacktoberfests(contributions),
    ]
    by_contribution: dict[int, list[dict[str, Any]]] = {}
    for milestone in found:
        if milestone is not None:
            by_contribution.setdefault(milestone["position"], []).append(milestone)
    names = _names(weights)
    rows = contributions[["id", "kind", "category", "repo", "number", "title", "url"]]
    entries = [_entry(earned, names, rows.iloc[position]) for position, earned in by_contribution.items()]
    frame = pd.DataFrame(entries, columns=MILESTONE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], utc=True).astype(DATETIME)
    frame["number"] = frame["number"].astype("Int64")
    for name in (
        "milestone",
        "title",
        "id",
        "kind",
        "category",
        "repo",
        "contribution_title",
        "url",
        "detail",
    ):
        frame[name] = frame[name].astype("str")
    order = {key: index for index, key in enumerate(names)}
    rank = frame["milestone"].map(lambda key: order.get(key, len(order)))
    return (
        frame.assign(_rank=rank)
        .sort_values(["date", "_rank"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
