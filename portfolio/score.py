"""Points per contribution: kind x outcome x size x reach x track, then caps that make spam worthless.

Every weight and cap lives in one TOML file shipped with the package (``portfolio/weights.toml``);
:func:`load_weights` reads it, or a user's file laid over it. :func:`score_arrays` keeps every factor
next to its contribution, so each point is traceable (:data:`BREAKDOWN_COLUMNS`):

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

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORIES, UNKNOWN
from portfolio.frames import codes_in, week_numbers
from portfolio.labels import CATEGORY_NAMES, OUTCOME_NAMES, TRACK_NAMES

KINDS: tuple[str, ...] = ("pr", "issue", "review", "answer", "discussion")
TRACKS: tuple[str, ...] = ("external", "maintainer")
SIZE_TIERS: tuple[str, ...] = ("trivial", "small", "medium", "large")
PR_OUTCOMES: tuple[str, ...] = ("merged", "open", "closed")
ISSUE_OUTCOMES: tuple[str, ...] = ("fixed", "open", "closed", "not_planned")
REVIEW_OUTCOMES: tuple[str, ...] = ("approved", "changes_requested", "commented", "dismissed")
ANSWER_OUTCOMES: tuple[str, ...] = ("accepted",)  # only comments marked as the answer are collected
DISCUSSION_OUTCOMES: tuple[str, ...] = ("answered", "unanswered")
KIND_OUTCOMES: dict[str, tuple[str, ...]] = {
    "pr": PR_OUTCOMES,
    "issue": ISSUE_OUTCOMES,
    "review": REVIEW_OUTCOMES,
    "answer": ANSWER_OUTCOMES,
    "discussion": DISCUSSION_OUTCOMES,
}
"""The outcomes of each kind; in weights.toml a kind's outcome is keyed ``{kind}_{outcome}`` (PRs bare)."""
OUTCOMES: tuple[str, ...] = tuple(dict.fromkeys(o for outcomes in KIND_OUTCOMES.values() for o in outcomes))
CATEGORY_VALUES: tuple[str, ...] = (*CATEGORIES, UNKNOWN, "issue", "review", "answer", "discussion")
"""Every ``category`` of a contribution: a PR's category, else its kind."""

STAR_MILESTONES: tuple[int, ...] = (1_000, 10_000)
"""Stars that make a project notable: the milestones "first PR merged into a 1k+ / 10k+ star project", and
from the first, a highlight's "merged into a 40k★ project". They are floors of the packaged ``[reach]``
tiers, so crossing one also raises the reach factor."""
NOTABLE_STARS = STAR_MILESTONES[0]
"""From these stars on, a highlight names the project's size."""

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


class WeightsError(ValueError):
    """A weights file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Weights:
    """The scoring weights and caps of ``weights.toml`` (see that file for what each one means)."""

    kind: dict[str, float]
    outcome: dict[str, float]
    size_max_lines: tuple[int, ...]
    size_factor: tuple[float, ...]
    size_unknown: float
    reach_stars: tuple[int, ...]
    reach_factor: tuple[float, ...]
    reach_unknown: float
    track: dict[str, float]
    trivial_per_repo_week: int
    trivial_points: float
    reviews_per_pr: int
    answers_per_repo_month: int = 5
    discussion_points: float = 15.0
    source: str = field(default="portfolio/weights.toml", compare=False)

    @property
    def trivial_max_lines(self) -> int:
        """The most changed lines a trivial PR has."""
        return self.size_max_lines[0]

    def as_dict(self) -> dict[str, Any]:
        """The weights in the TOML file's shape (for exports and the Methodology page)."""
        return {
            "kind": dict(self.kind),
            "outcome": dict(self.outcome),
            "size": {
                "max_lines": list(self.size_max_lines),
                "factor": list(self.size_factor),
                "unknown": self.size_unknown,
            },
            "reach": {
                "stars": list(self.reach_stars),
                "factor": list(self.reach_factor),
                "unknown": self.reach_unknown,
            },
            "track": dict(self.track),
            "caps": {
                "trivial_per_repo_week": self.trivial_per_repo_week,
                "trivial_points": self.trivial_points,
                "reviews_per_pr": self.reviews_per_pr,
                "answers_per_repo_month": self.answers_per_repo_month,
                "discussion_points": self.discussion_points,
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "weights") -> Weights:
        """Weights from a parsed TOML document, checked; raises WeightsError saying what to fix."""
        expected = {
            "kind": {*CATEGORIES, UNKNOWN, *KINDS[1:]},
            "outcome": {
                *PR_OUTCOMES,
                *(
                    f"{kind}_{o}"
                    for kind, outcomes in KIND_OUTCOMES.items()
                    if kind != "pr"
                    for o in outcomes
                ),
            },
            "size": {"max_lines", "factor", "unknown"},
            "reach": {"stars", "factor", "unknown"},
            "track": set(TRACKS),
            "caps": {
                "trivial_per_repo_week",
                "trivial_points",
                "reviews_per_pr",
                "answers_per_repo_month",
                "discussion_points",
            },
        }
        if unknown_sections := set(data) - set(expected):
            raise WeightsError(
                f"{source}: unknown section(s) {sorted(unknown_sections)}; expected {sorted(expected)}."
            )
        for section, keys in expected.items():
            got = set(data.get(section, {}))
            if missing := keys - got:
                raise WeightsError(f"{source}: [{section}] lacks {sorted(missing)}.")
            if extra := got - keys:
                raise WeightsError(f"{source}: [{section}] has unknown key(s) {sorted(extra)}.")
        try:
            weights = cls(
                kind={k: float(v) for k, v in data["kind"].items()},
                outcome={k: float(v) for k, v in data["outcome"].items()},
                size_max_lines=tuple(int(v) for v in data["size"]["max_lines"]),
                size_factor=tuple(float(v) for v in data["size"]["factor"]),
                size_unknown=float(data["size"]["unknown"]),
                reach_stars=tuple(int(v) for v in data["reach"]["stars"]),
                reach_factor=tuple(float(v) for v in data["reach"]["factor"]),
                reach_unknown=float(data["reach"]["unknown"]),
                track={k: float(v) for k, v in data["track"].items()},
                trivial_per_repo_week=int(data["caps"]["trivial_per_repo_week"]),
                trivial_points=float(data["caps"]["trivial_points"]),
                reviews_per_pr=int(data["caps"]["reviews_per_pr"]),
                answers_per_repo_month=int(data["caps"]["answers_per_repo_month"]),
                discussion_points=float(data["caps"]["discussion_points"]),
                source=source,
            )
        except (TypeError, ValueError) as error:
            raise WeightsError(f"{source}: every weight must be a number ({error}).") from None
        weights._check(source)
        return weights

    def _check(self, source: str) -> None:
        """Raise WeightsError if the weights cannot keep the score's promises."""
        numbers = [
            *self.kind.values(),
            *self.outcome.values(),
            *self.size_factor,
            *self.reach_factor,
            *self.track.values(),
            self.size_unknown,
            self.reach_unknown,
            self.trivial_points,
            self.discussion_points,
        ]
        if any(not np.isfinite(n) or n < 0 for n in numbers):
            raise WeightsError(f"{source}: weights must be finite and not negative.")
        if len(self.size_factor) != len(self.size_max_lines) + 1 or not self.size_max_lines:
            raise WeightsError(f"{source}: [size] needs one more factor than max_lines (the open top tier).")
        if any(b <= a for a, b in zip(self.size_max_lines, self.size_max_lines[1:], strict=False)):
            raise WeightsError(f"{source}: [size] max_lines must increase.")
        if (
            len(self.reach_factor) != len(self.reach_stars)
            or not self.reach_stars
            or self.reach_stars[0] != 0
        ):
            raise WeightsError(f"{source}: [reach] needs one factor per stars floor, the first floor 0.")
        if any(b <= a for a, b in zip(self.reach_stars, self.reach_stars[1:], strict=False)):
            raise WeightsError(f"{source}: [reach] stars must increase.")
        if min(self.trivial_per_repo_week, self.reviews_per_pr, self.answers_per_repo_month) < 0:
            raise WeightsError(f"{source}: [caps] counts must not be negative.")
        worst_merge = self.outcome["merged"] * min(self.track.values())
        best_unmerged = max(self.outcome["open"], self.outcome["closed"]) * max(self.track.values())
        if worst_merge < best_unmerged:
            raise WeightsError(
                f"{source}: outcome.merged × the smallest track factor must be at least outcome.open and "
                "outcome.closed × the largest, or merging (even a self-merge) could lower a score."
            )


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override``'s tables laid over it, key by key."""
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def default_weights_text() -> str:
    """The packaged ``weights.toml``, comments included (for the Methodology page)."""
    return resources.files("portfolio").joinpath("weights.toml").read_text(encoding="utf-8")


def load_weights(path: str | Path | None = None) -> Weights:
    """The packaged weights, or ``path``'s TOML laid over them (a user file may set only what it changes)."""
    data = tomllib.loads(default_weights_text())
    if path is None:
        return Weights.from_dict(data, source="portfolio/weights.toml")
    try:
        override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise WeightsError(f"{Path(path).name}: not valid TOML ({error}).") from None
    return Weights.from_dict(_merge(data, override), source=Path(path).name)


def size_tier_names(weights: Weights) -> list[str]:
    """Names of the size tiers: trivial, small, medium, large for the packaged bounds."""
    bounds = weights.size_max_lines
    if len(bounds) == len(SIZE_TIERS) - 1:
        return list(SIZE_TIERS)
    return ["trivial", *(f"up to {n} lines" for n in bounds[1:]), "large"]


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
