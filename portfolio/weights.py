"""The weights in force: the vocabulary they are keyed by, and ``weights.toml`` loaded, laid over and checked.

Every weight and cap lives in one TOML file shipped with the package (``portfolio/weights.toml``);
:func:`load_weights` reads it, or a user's file laid over it, into :class:`Weights`, which refuses values that
would break the score's promises. :mod:`portfolio.score` applies them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from portfolio.classify import CATEGORIES, UNKNOWN

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
    reach_milestones: tuple[int, ...]
    track: dict[str, float]
    trivial_per_repo_week: int
    trivial_points: float
    reviews_per_pr: int
    answers_per_repo_month: int
    discussion_points: float
    source: str = field(default="portfolio/weights.toml", compare=False)

    @property
    def trivial_max_lines(self) -> int:
        """The most changed lines a trivial PR has."""
        return self.size_max_lines[0]

    @property
    def notable_stars(self) -> int:
        """From these stars on, a project is named by its size ("merged into a 40k★ project")."""
        return self.reach_milestones[0]

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
                "milestones": list(self.reach_milestones),
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
            "reach": {"stars", "factor", "unknown", "milestones"},
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
                reach_milestones=tuple(int(v) for v in data["reach"]["milestones"]),
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
        milestones = self.reach_milestones
        if (
            not milestones
            or not set(milestones) <= set(self.reach_stars[1:])
            or list(milestones) != sorted(milestones)
        ):
            raise WeightsError(
                f"{source}: [reach] milestones must be one or more of its stars floors above 0, increasing."
            )
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
