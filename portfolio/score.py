"""Points per contribution: kind x outcome x size x reach x track, then caps that make spam worthless.

The weights come from :mod:`portfolio.weights`. :func:`score_arrays` keeps every factor next to its
contribution, so each point is traceable (:data:`BREAKDOWN_COLUMNS`):

- ``base``: ``[kind]`` weight of the PR category, or of ``issue`` / ``review``;
- ``outcome_factor``: ``[outcome]`` (merged / open / closed; issue_fixed / ...; review_approved / ...);
- ``size`` and ``size_factor``: PR tier by changed lines (``[size]``; issues and reviews are ``n/a``, 1.0);
- ``reach_factor``: repository stars (``[reach]``);
- ``track_factor``: ``[track]`` external or maintainer (own repositories and self-merged PRs);
- ``raw_points``: their product; ``cap_factor``: the share the caps leave (0..1), ``capped_by`` why;
- ``points`` = ``raw_points x cap_factor``, rounded to 4 decimals; totals are sums of these.

Caps, in this order: of several reviews of one PR only the best ``reviews_per_pr`` count; of the trivial PRs
(first size tier) in one repository and ISO week only the best ``trivial_per_repo_week`` count; and the
counted trivial PRs together add at most ``trivial_points`` (external first, then maintainer, each in date
order). "Best" is the most raw points, then the earliest, then the smallest id, so a score never depends
on row order, merging a PR never lowers a total, and adding trivial or own-repository PRs raises the
external score by at most ``trivial_points``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORIES, UNKNOWN
from portfolio.frames import codes_in, week_numbers
from portfolio.labels import CATEGORY_NAMES, OUTCOME_NAMES, TRACK_NAMES
from portfolio.weights import (
    CATEGORY_VALUES,
    KIND_OUTCOMES,
    KINDS,
    OUTCOMES,
    TRACKS,
    Weights,
    size_tier_names,
)

BREAKDOWN_COLUMNS: list[str] = [
    "id",
    "kind",
    "category",
    "repo",
    "url",
    "date",
    "outcome",
    "track",
    "base",
    "outcome_factor",
    "size",
    "size_factor",
    "reach_factor",
    "track_factor",
    "raw_points",
    "cap_factor",
    "capped_by",
    "points",
]

CAPPED_REVIEW = "another review of the same PR counts"
CAPPED_TRIVIAL_WEEK = "a better trivial PR in this repository that week counts"
CAPPED_TRIVIAL_TOTAL = "trivial PRs reached their total cap"
CAPPED_ANSWERS_MONTH = "better answers in this repository that month count"
CAPPED_DISCUSSIONS_TOTAL = "discussions started reached their total cap"
CAP_REASONS: tuple[str, ...] = (
    "",
    CAPPED_REVIEW,
    CAPPED_TRIVIAL_WEEK,
    CAPPED_TRIVIAL_TOTAL,
    CAPPED_ANSWERS_MONTH,
    CAPPED_DISCUSSIONS_TOTAL,
)


def _rank_within(groups: list[np.ndarray], raw: np.ndarray, position: np.ndarray) -> np.ndarray:
    """0 for the best row of each group (most raw points, then earliest in ``position``), 1 for the next, ..."""
    order = np.lexsort((position, -raw, *reversed(groups)))
    new_group = np.ones(len(order), dtype=bool)
    for key in groups:
        ordered = key[order]
        new_group[1:] &= ordered[1:] == ordered[:-1]
    new_group = ~new_group
    new_group[:1] = True
    steps = np.arange(len(order))
    starts = np.maximum.accumulate(np.where(new_group, steps, 0))
    rank = np.empty(len(order), dtype="int64")
    rank[order] = steps - starts
    return rank


def text_array(values: tuple[str, ...], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[code]`` for every code as a pandas string array (an Arrow take, not a Python loop)."""
    return pd.array(list(values), dtype="str").take(codes, allow_fill=True)


def _table(values: tuple[str, ...], lookup: dict[str, float]) -> np.ndarray:
    """Weights by code, with NaN last so that code -1 (not a known value) finds no weight."""
    return np.asarray([lookup.get(v, np.nan) for v in values] + [np.nan], dtype="float64")


def score_arrays(
    *,
    kind: np.ndarray,
    category: np.ndarray,
    outcome: np.ndarray,
    track: np.ndarray,
    lines: np.ndarray,
    stars: np.ndarray,
    repo: np.ndarray,
    url: np.ndarray,
    seconds: np.ndarray,
    position: np.ndarray,
    weights: Weights,
) -> dict[str, Any]:
    """The score columns of :data:`BREAKDOWN_COLUMNS` from NumPy columns.

    ``kind``, ``category``, ``outcome`` and ``track`` are codes into :data:`KINDS`, :data:`CATEGORY_VALUES`,
    :data:`OUTCOMES` and :data:`TRACKS` (-1: unknown, which is an error); ``lines`` and ``stars`` floats
    (NaN: unknown); ``repo`` and ``url`` codes equal for the same repository (any case) and the same PR
    (only reviews' are read); ``seconds`` from :func:`utc_seconds`; ``position`` the canonical order.
    """
    is_pr, is_review = kind == KINDS.index("pr"), kind == KINDS.index("review")
    base = np.where(is_pr, _table(CATEGORY_VALUES, weights.kind)[category], _table(KINDS, weights.kind)[kind])
    outcome_table = np.full((len(KINDS) + 1, len(OUTCOMES) + 1), np.nan)
    for row, name in enumerate(KINDS):
        prefix = "" if name == "pr" else f"{name}_"
        for column, value in enumerate(OUTCOMES):
            if value in KIND_OUTCOMES[name]:
                outcome_table[row, column] = weights.outcome[prefix + value]
    outcome_factor = outcome_table[kind, outcome]

    tier = np.searchsorted(np.asarray(weights.size_max_lines, dtype="float64"), lines, side="left")
    known_lines = ~np.isnan(lines)
    size_names = (*size_tier_names(weights), "unknown", "n/a")
    size_code = np.where(is_pr, np.where(known_lines, tier, len(size_names) - 2), len(size_names) - 1)
    size_factor = np.where(
        is_pr, np.where(known_lines, np.asarray(weights.size_factor)[tier], weights.size_unknown), 1.0
    )
    reach_tier = np.searchsorted(np.asarray(weights.reach_stars, dtype="float64"), stars, side="right") - 1
    reach_factor = np.where(
        np.isnan(stars),
        weights.reach_unknown,
        np.asarray(weights.reach_factor)[np.clip(reach_tier, 0, len(weights.reach_factor) - 1)],
    )
    track_factor = _table(TRACKS, weights.track)[track]

    raw = base * outcome_factor * size_factor * reach_factor * track_factor
    if np.isnan(raw).any():
        at = np.flatnonzero(np.isnan(raw))[:3]
        tables = (KINDS, CATEGORY_VALUES, OUTCOMES, TRACKS)
        named = [
            tuple(table[code] if code >= 0 else "?" for table, code in zip(tables, codes, strict=True))
            for codes in zip(kind[at], category[at], outcome[at], track[at], strict=True)
        ]
        raise ValueError(f"contributions with no weight for their (kind, category, outcome, track): {named}")

    cap = np.ones(len(kind))
    capped = np.zeros(len(kind), dtype="int64")  # index into CAP_REASONS
    if is_review.any():
        rows = np.flatnonzero(is_review)
        over = _rank_within([url[rows]], raw[rows], position[rows]) >= weights.reviews_per_pr
        cap[rows[over]] = 0.0
        capped[rows[over]] = CAP_REASONS.index(CAPPED_REVIEW)

    trivial = is_pr & known_lines & (tier == 0)
    if trivial.any():
        rows = np.flatnonzero(trivial)
        week = week_numbers(seconds[rows])
        over = _rank_within([repo[rows], week], raw[rows], position[rows]) >= weights.trivial_per_repo_week
        cap[rows[over]] = 0.0
        capped[rows[over]] = CAP_REASONS.index(CAPPED_TRIVIAL_WEEK)

        counted = rows[~over]
        maintainer_last = (track[counted] != TRACKS.index("external")).astype("int64")
        counted = counted[np.lexsort((position[counted], maintainer_last))]
        before = np.cumsum(raw[counted]) - raw[counted]
        allowed = np.clip(weights.trivial_points - before, 0.0, raw[counted])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(raw[counted] > 0, allowed / raw[counted], 1.0)
        cap[counted] = share
        capped[counted[share < 1.0]] = CAP_REASONS.index(CAPPED_TRIVIAL_TOTAL)

    _cap_engagement(kind, raw, repo, seconds, position, weights, cap, capped)
    return {
        "base": base,
        "outcome_factor": outcome_factor,
        "size": text_array(size_names, size_code),
        "size_factor": size_factor,
        "reach_factor": reach_factor,
        "track_factor": track_factor,
        "raw_points": np.round(raw, 4),
        "cap_factor": cap,
        "capped_by": text_array(CAP_REASONS, capped),
        "points": np.round(raw * cap, 4),
    }


def _cap_engagement(
    kind: np.ndarray,
    raw: np.ndarray,
    repo: np.ndarray,
    seconds: np.ndarray,
    position: np.ndarray,
    weights: Weights,
    cap: np.ndarray,
    capped: np.ndarray,
) -> None:
    """Cap answers (the best ``answers_per_repo_month`` per repository and month) and discussions (their
    total at most ``discussion_points``, in date order), writing into ``cap`` and ``capped``."""
    answers = np.flatnonzero(kind == KINDS.index("answer"))
    if len(answers):
        days = np.minimum(seconds[answers], np.iinfo("int64").max // 2) // 86400
        month = days.astype("datetime64[D]").astype("datetime64[M]").astype("int64")
        over = (
            _rank_within([repo[answers], month], raw[answers], position[answers])
            >= weights.answers_per_repo_month
        )
        cap[answers[over]] = 0.0
        capped[answers[over]] = CAP_REASONS.index(CAPPED_ANSWERS_MONTH)
    started = np.flatnonzero(kind == KINDS.index("discussion"))
    if len(started):
        started = started[np.argsort(position[started], kind="stable")]
        before = np.cumsum(raw[started]) - raw[started]
        allowed = np.clip(weights.discussion_points - before, 0.0, raw[started])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(raw[started] > 0, allowed / raw[started], 1.0)
        cap[started] = share
        capped[started[share < 1.0]] = CAP_REASONS.index(CAPPED_DISCUSSIONS_TOTAL)


@dataclass(frozen=True)
class ScoreSummary:
    """Totals of a breakdown: the external headline, the maintainer track, and points per kind and category."""

    external: float
    maintainer: float
    by_kind: pd.DataFrame  # track, kind, contributions, points (every track x kind, zeros included)
    by_category: pd.DataFrame  # track, category, prs, points (PRs only, every track x category)

    @property
    def total(self) -> float:
        """External plus maintainer points."""
        return round(self.external + self.maintainer, 4)


def _totals(rows: pd.DataFrame, keys: list[tuple[str, tuple[str, ...]]], count: str) -> pd.DataFrame:
    """Rows and points for every combination of ``keys`` (name, all values), zeros included."""
    cell = np.zeros(len(rows), dtype="int64")
    for name, values in keys:
        cell = cell * len(values) + codes_in(rows[name], values)
    size = int(np.prod([len(values) for _, values in keys]))
    points = rows["points"].to_numpy(dtype="float64")
    grid = pd.MultiIndex.from_product([values for _, values in keys], names=[name for name, _ in keys])
    out = grid.to_frame(index=False)
    out[count] = np.bincount(cell, minlength=size).astype("int64")
    out["points"] = np.bincount(cell, weights=points, minlength=size).astype("float64").round(4)
    return out.astype({name: "str" for name, _ in keys})


def summarise(breakdown: pd.DataFrame) -> ScoreSummary:
    """The totals of a scored frame; each is the sum of its rows' ``points``."""
    by_kind = _totals(breakdown, [("track", TRACKS), ("kind", KINDS)], "contributions")
    prs = breakdown[["track", "category", "points"]][(breakdown["kind"] == "pr").to_numpy(dtype=bool)]
    by_category = _totals(prs, [("track", TRACKS), ("category", (*CATEGORIES, UNKNOWN))], "prs")
    track = breakdown["track"].to_numpy(dtype=object)
    points = breakdown["points"].to_numpy(dtype="float64")
    return ScoreSummary(
        external=round(float(points[track == "external"].sum()), 4),
        maintainer=round(float(points[track == "maintainer"].sum()), 4),
        by_kind=by_kind,
        by_category=by_category,
    )


def explain(breakdown: pd.DataFrame) -> pd.Series:
    """One sentence per row saying how its points came about, e.g. ``docs 8 x merged 1 x small 0.8 x …``."""

    def fmt(values: pd.Series) -> pd.Series:
        """Numbers without trailing zeros."""
        return values.map(lambda v: f"{v:g}").astype("str")  # an empty column would otherwise stay numeric

    def words(values: pd.Series, names: dict[str, str]) -> pd.Series:
        """Stored codes in the plain words the pages use (``external`` -> "others' project")."""
        return values.astype("str").map(lambda code: names.get(code, code)).astype("str")

    base_name = words(breakdown["category"], CATEGORY_NAMES).where(
        breakdown["kind"] == "pr", breakdown["kind"]
    )
    text = (
        base_name
        + " "
        + fmt(breakdown["base"])
        + " × "
        + words(breakdown["outcome"], OUTCOME_NAMES)
        + " "
        + fmt(breakdown["outcome_factor"])
        + " × size "
        + breakdown["size"].astype("str")
        + " "
        + fmt(breakdown["size_factor"])
        + " × reach "
        + fmt(breakdown["reach_factor"])
        + " × "
        + words(breakdown["track"], TRACK_NAMES)
        + " "
        + fmt(breakdown["track_factor"])
        + " = "
        + fmt(breakdown["raw_points"])
    )
    capped = breakdown["cap_factor"] < 1.0
    return text.where(~capped, text + " → " + fmt(breakdown["points"]) + " (" + breakdown["capped_by"] + ")")
