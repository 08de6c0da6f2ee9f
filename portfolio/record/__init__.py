"""The track record: what one login's open-source work was, where it was accepted, and why each number is what it is.

Pure functions over DataFrames (no I/O)::

    from portfolio.record import track_record
    tr = track_record(record, weights=None, since=None, until=None)  # a Record or portfolio.frames.Frames

``since`` / ``until`` are inclusive ``date`` or ``datetime`` bounds (naive means UTC) on each
contribution's ``date``: when a PR or issue was opened, when a review was submitted. Points are computed once
over the whole record and the window only selects rows, so a contribution has the same points in every view
and every total in a window is the sum of that window's rows.

One module per job: :mod:`.contributions` (the scored contributions frame and windows, built from
:mod:`.kinds` and :mod:`.repos`), :mod:`.metrics` (metrics and languages), :mod:`.milestones`,
:mod:`.highlights`, :mod:`.projects` (roles, projects, activity), :mod:`.rank` and :mod:`.limits`.
JSON and Markdown renderings live in :mod:`portfolio.export`.

:class:`TrackRecord` fields:

- ``contributions``: one row per PR, issue and review-given-to-others authored by the login, sorted by
  ``date`` then ``id``, with :data:`CONTRIBUTION_COLUMNS` (context, outcome, score factors and ``points``);
- ``classification``: PRs only: ``id, url, repo, number, title, category, category_source, lines, lines_*``;
- ``breakdown``: :data:`portfolio.score.BREAKDOWN_COLUMNS` of every contribution;
- ``score``: :class:`portfolio.score.ScoreSummary` (``external``, ``maintainer``, ``total``, ``by_kind``,
  ``by_category``);
- ``metrics``: name -> value, each defined in :data:`METRIC_DEFINITIONS`;
- ``milestones``: :data:`MILESTONE_COLUMNS`, one row per contribution that earned milestones (first ever,
  then windowed);
- ``highlights``: :data:`HIGHLIGHT_COLUMNS`, the contributions to open first, each with a ``reason``;
- ``rank``: :class:`RankReference`, the github-readme-stats rank as a reference point, not our score;
- ``languages``: ``language, type, prs, merged_prs, lines, files, share``;
- ``activity``: ``month, kind, category, track, contributions, merged, points`` (for charts);
- ``projects``: per repository ``repo, url, owner, org_owned, own_repo, stars, role, prs, merged_prs,
  issues, reviews, answers, discussions, points, first, latest``;
- ``limits``: sentences saying what this record cannot see;
- ``help_given``: :data:`HELP_COLUMNS`, comments on others' issues and PRs per repository and month
  (context only, never points).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from portfolio.frames import Frames, record_frames
from portfolio.model import Record
from portfolio.record.contributions import (
    CONTRIBUTION_COLUMNS,
    contributions_frame,
    in_window,
    scored_contributions,
    window_bound,
)
from portfolio.record.hacktoberfest import hacktoberfest_rule
from portfolio.record.help import HELP_COLUMNS, help_given
from portfolio.record.highlights import HIGHLIGHT_COLUMNS, highlight_reason, highlight_rules, highlights
from portfolio.record.limits import limits
from portfolio.record.metrics import METRIC_DEFINITIONS, languages, longest_streak, metrics, top_languages
from portfolio.record.milestones import MILESTONE_COLUMNS, MILESTONES, milestones
from portfolio.record.projects import activity, projects, roles
from portfolio.record.rank import RankReference, readme_stats_rank, reference_rank
from portfolio.score import BREAKDOWN_COLUMNS, ScoreSummary, summarise
from portfolio.weights import Weights, load_weights

__all__ = [
    "CONTRIBUTION_COLUMNS",
    "HELP_COLUMNS",
    "HIGHLIGHT_COLUMNS",
    "METRIC_DEFINITIONS",
    "MILESTONES",
    "MILESTONE_COLUMNS",
    "RankReference",
    "TrackRecord",
    "contributions_frame",
    "hacktoberfest_rule",
    "highlight_reason",
    "highlight_rules",
    "longest_streak",
    "readme_stats_rank",
    "top_languages",
    "track_record",
]


@dataclass(frozen=True)
class TrackRecord:
    """One login's track record over a window (see the module docstring for every field)."""

    login: str
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    contributions: pd.DataFrame
    classification: pd.DataFrame
    breakdown: pd.DataFrame
    score: ScoreSummary
    metrics: dict[str, Any]
    milestones: pd.DataFrame
    highlights: pd.DataFrame
    rank: RankReference
    languages: pd.DataFrame
    activity: pd.DataFrame
    projects: pd.DataFrame
    limits: tuple[str, ...]
    weights: Weights = field(repr=False)
    help_given: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(HELP_COLUMNS)))

    @property
    def metric_definitions(self) -> dict[str, str]:
        """What each metric counts."""
        return METRIC_DEFINITIONS

    @property
    def highlight_rules(self) -> tuple[str, ...]:
        """The reasons a highlight can carry under this record's weights, in priority order."""
        return highlight_rules(self.weights)


def track_record(
    record: Record | Frames,
    weights: Weights | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    *,
    commits: int | None = None,
) -> TrackRecord:
    """The track record of ``record`` over an inclusive window; ``commits`` only feeds the reference rank."""
    frames = record if isinstance(record, Frames) else record_frames(record)
    weights = weights if weights is not None else load_weights()
    since_at, until_at = window_bound(since, end=False), window_bound(until, end=True)
    if since_at is not None and until_at is not None and since_at > until_at:
        raise ValueError(f"the window starts ({since_at.date()}) after it ends ({until_at.date()}).")
    scored = scored_contributions(frames, weights)
    everything = scored.contributions
    keep = np.ones(len(everything), dtype=bool)
    window, classification = everything, scored.classification
    if since_at is not None or until_at is not None:
        keep = in_window(everything["date"], since_at, until_at)
        window = everything[keep].reset_index(drop=True)
        classification = classification[keep[scored.pr_rows]].reset_index(drop=True)
    breakdown = window[BREAKDOWN_COLUMNS]
    score = summarise(breakdown)
    repo_roles = roles(everything)
    window_languages = languages(scored, keep)
    earned = milestones(everything, weights)
    return TrackRecord(
        login=frames.login,
        since=since_at,
        until=until_at,
        contributions=window,
        classification=classification,
        breakdown=breakdown,
        score=score,
        metrics=metrics(window, window_languages, score, repo_roles.reindex(window["repo"].unique())),
        milestones=earned[in_window(earned["date"], since_at, until_at)].reset_index(drop=True),
        highlights=highlights(window, weights),
        rank=reference_rank(window, frames, commits, since_at, until_at),
        languages=window_languages,
        activity=activity(window),
        projects=projects(window, repo_roles, scored.repos),
        limits=limits(frames, everything),
        weights=weights,
        help_given=help_given(frames, since_at, until_at),
    )
