"""The track record: what one login's open-source work was, where it was accepted, and why each number is what it is.

Pure functions over DataFrames (no I/O)::

    from portfolio.record import track_record, track_record_json, track_record_markdown
    tr = track_record(record, weights=None, since=None, until=None)  # a Record or portfolio.frames.Frames

``since`` / ``until`` are inclusive ``date`` or ``datetime`` bounds (naive means UTC) on each
contribution's ``date``: when a PR or issue was opened, when a review was submitted. Points are computed once
over the whole record and the window only selects rows, so a contribution has the same points in every view
and every total in a window is the sum of that window's rows.

:class:`TrackRecord` fields:

- ``contributions``: one row per PR, issue and review-given-to-others authored by the login, sorted by
  ``date`` then ``id``, with :data:`CONTRIBUTION_COLUMNS` (context, outcome, score factors and ``points``);
- ``classification``: PRs only: ``id, url, repo, number, title, category, category_source, lines, lines_*``;
- ``breakdown``: :data:`portfolio.score.BREAKDOWN_COLUMNS` of every contribution;
- ``score``: :class:`portfolio.score.ScoreSummary` (``external``, ``maintainer``, ``total``, ``by_kind``,
  ``by_category``);
- ``metrics``: name -> value, each defined in :data:`METRIC_DEFINITIONS`;
- ``milestones``: :data:`MILESTONE_COLUMNS`, one row per milestone earned (first ever, then windowed);
- ``highlights``: :data:`HIGHLIGHT_COLUMNS`, the contributions to open first, each with a ``reason``;
- ``rank``: :class:`RankReference`, the github-readme-stats rank as a reference point, not our score;
- ``languages``: ``language, type, prs, merged_prs, lines, files, share``;
- ``activity``: ``month, kind, category, track, contributions, merged, points`` (for charts);
- ``projects``: per repository ``repo, url, owner, org_owned, own_repo, stars, role, prs, merged_prs,
  issues, reviews, points, first, latest``;
- ``limits``: sentences saying what this record cannot see.

Highlights (:data:`HIGHLIGHT_RULES`): candidates are merged PRs, fixed issues and approving or
change-requesting reviews with points; external ones come first, then the most points, then the latest;
at most two per repository (relaxed only to reach five); at most ten. Each gets the first matching reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import (
    CATEGORIES,
    CATEGORY_LABELS,
    LANGUAGES,
    UNKNOWN,
    PathFacts,
    classify_prs,
    file_lines,
    file_positions,
    path_facts,
)
from portfolio.frames import DATETIME, Frames, codes_in, member_of, record_frames
from portfolio.model import Record
from portfolio.score import (
    BREAKDOWN_COLUMNS,
    CATEGORY_VALUES,
    KINDS,
    OUTCOMES,
    TRACKS,
    ScoreSummary,
    Weights,
    load_weights,
    score_arrays,
    summarise,
    text_array,
    utc_seconds,
)

MAINTAINER_ASSOCIATIONS = frozenset({"MEMBER", "OWNER", "COLLABORATOR"})

_CONTRIBUTION_DTYPES: dict[str, str] = {
    "id": "str",
    "kind": "str",
    "category": "str",
    "category_source": "str",
    "repo": "str",
    "owner": "str",
    "number": "Int64",
    "title": "str",
    "url": "str",
    "labels": "object",
    "state": "str",
    "outcome": "str",
    "date": DATETIME,
    "closed_at": DATETIME,
    "merged_at": DATETIME,
    "merged_by": "str",
    "author_association": "str",
    "lines": "Int64",
    "stars": "Int64",
    "external": "bool",
    "own_repo": "bool",
    "org_owned": "boolean",
    "first_in_repo": "bool",
    "self_merged": "bool",
    "maintainer_signal": "bool",
    "hours_to_merge": "float64",
    "closes_issues": "int64",
    "fixes_own_issue": "bool",
    "fixes_own_bug": "bool",
    "hacktoberfest": "bool",
    "bug": "bool",
    "track": "str",
}

CONTRIBUTION_COLUMNS: list[str] = [
    *_CONTRIBUTION_DTYPES,
    *(c for c in BREAKDOWN_COLUMNS if c not in _CONTRIBUTION_DTYPES),
]
"""Columns of ``TrackRecord.contributions``. ``kind`` is pr / issue / review; ``category`` a PR's category
(code, tests, docs, ci, examples, unknown), else ``issue`` / ``review``; ``outcome`` is merged / open / closed,
fixed / open / closed / not_planned, or approved / changes_requested / commented / dismissed; ``external``:
the repository's owner is not the login; ``track``: maintainer for own repositories and self-merged PRs, else
external; ``first_in_repo``: the login's earliest contribution of this kind to the repository;
``maintainer_signal``: the row shows a maintainer role (author association MEMBER / OWNER / COLLABORATOR, or
a self-merge, outside the login's own repositories); ``fixes_own_issue``: a merged PR closing an issue the
login reported; ``hacktoberfest``: an October PR labelled hacktoberfest-accepted, or open or merged in a
repository with the hacktoberfest topic, and not labelled spam or invalid (Hacktoberfest's own rules)."""

METRIC_DEFINITIONS: dict[str, str] = {
    "contributions": "PRs opened, issues reported and reviews given to others, in the window.",
    "prs_opened": "Pull requests the login opened, in any repository and state.",
    "merged_prs": "Pull requests merged, in any repository (own ones included).",
    "external_prs": "Pull requests opened in repositories the login does not own, not self-merged.",
    "merged_external_prs": "External pull requests merged by someone else: accepted work.",
    "merge_rate": "Merged external PRs / external PRs that were merged or closed (open ones left out).",
    "external_projects": "Distinct repositories, not owned by the login, with a merged external PR.",
    "external_organisations": "Distinct organisations owning those repositories.",
    "first_time_projects": "External repositories whose first PR from the login was merged.",
    "code_prs": "Merged external PRs whose changed lines are mostly code.",
    "tests_prs": "Merged external PRs whose changed lines are mostly tests.",
    "docs_prs": "Merged external PRs whose changed lines are mostly documentation (or docs by label/title).",
    "ci_prs": "Merged external PRs whose changed lines are mostly CI and build files.",
    "examples_prs": "Merged external PRs whose changed lines are mostly examples.",
    "unknown_prs": "Merged external PRs whose files were not seen and whose labels and title say nothing.",
    "issues_reported": "Issues the login opened.",
    "issues_fixed": "Of those, issues closed as completed or closed by a linked pull request.",
    "issues_fixed_by_own_prs": "Issue links (closes / fixes) of the login's merged PRs, anyone's issues.",
    "reviews_given": "Reviews the login submitted on other people's pull requests.",
    "reviews_approved": "Of those, approvals.",
    "reviews_changes_requested": "Of those, requests for changes.",
    "reviews_commented": "Of those, comment-only reviews.",
    "self_merged_prs": "PRs in others' repositories that the login merged themselves (maintainer track).",
    "own_repo_prs": "PRs in the login's own repositories (maintainer track).",
    "maintainer_projects": "Repositories not owned by the login where it acts as a maintainer (member "
    "or collaborator association, or merging its own PRs).",
    "largest_project_stars": "Stars of the largest repository with a merged external PR (today's count).",
    "active_months": "Calendar months (UTC) with at least one contribution.",
    "longest_streak_weeks": "Most consecutive ISO weeks with at least one contribution.",
    "median_hours_to_merge": "Median hours from opening to merge of merged external PRs.",
    "languages": "Up to five programming/markup languages of the changed files, most PRs first.",
    "first_contribution": "Date of the earliest contribution.",
    "latest_contribution": "Date of the latest contribution.",
    "score_external": "Points of the external track (see the breakdown).",
    "score_maintainer": "Points of the maintainer track (see the breakdown).",
}

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
MILESTONES: dict[str, str] = {
    "first_issue": "First issue reported",
    "first_pr": "First pull request",
    "first_docs_pr": "First documentation PR",
    "first_external_merge": "First PR merged into someone else's project",
    "first_merged_code_pr": "First merged code PR in someone else's project",
    "first_1k_star_merge": "First PR merged into a project with 1k+ stars",
    "first_10k_star_merge": "First PR merged into a project with 10k+ stars",
    "first_review": "First review of someone else's PR",
    "first_maintainer_role": "First maintainer role in someone else's project",
    "hacktoberfest": "Hacktoberfest",
}
"""Milestone keys and titles; ``hacktoberfest`` rows are keyed ``hacktoberfest_<year>``. Merge milestones
are dated by the merge, the others by the contribution."""

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
HIGHLIGHT_RULES: tuple[str, ...] = (
    "a merged PR closing an issue the login reported: 'fixed a bug they reported'",
    "merged into a project with 1k+ stars: 'merged into a 40k★ project'",
    "the login's first PR to an organisation's project: 'first contribution to owner/repo, merged'",
    "a merged PR by a member or collaborator: 'merged as a maintainer of owner/repo'",
    "a merged PR with 500+ changed lines: '1,234 changed lines merged into owner/repo'",
    "any other merged PR: 'documentation merged into owner/repo' (its category)",
    "a reported issue that was fixed: 'reported a bug that owner/repo fixed'",
    "a review: 'requested changes on a PR in owner/repo' / 'approved a PR in owner/repo' (with stars from 1k)",
    "maintainer track: 'in their own project owner/repo' or 'self-merged as a maintainer of owner/repo'",
)
"""The reasons a highlight can carry, in priority order (the first that applies is shown)."""

HIGHLIGHT_MAX = 10
HIGHLIGHT_MIN = 5
HIGHLIGHT_PER_REPO = 2

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

    @property
    def metric_definitions(self) -> dict[str, str]:
        """What each metric counts."""
        return METRIC_DEFINITIONS


def _lower(series: pd.Series) -> pd.Series:
    """Lower-case text of a column."""
    return series.astype("str").str.lower()


def _objects(series: pd.Series) -> np.ndarray:
    """A column as a NumPy object array with None for missing values."""
    return series.to_numpy(dtype=object, na_value=None)


def _naive(dates: pd.Series) -> np.ndarray:
    """UTC datetimes as naive ``datetime64[s]`` (NaT for missing), cheap to concatenate and reorder."""
    return dates.dt.tz_convert(None).to_numpy(dtype="datetime64[s]")


def _floats(series: pd.Series) -> np.ndarray:
    """A numeric column as float64, NaN for missing."""
    return series.to_numpy(dtype="float64", na_value=np.nan)


def _constant(value: Any, length: int) -> np.ndarray:
    """An object array holding ``value`` (even a tuple) ``length`` times."""
    out = np.empty(length, dtype=object)
    out.fill(value)
    return out


def _coded(value: str, values: tuple[str, ...], length: int) -> np.ndarray:
    """``value``'s code in ``values`` for ``length`` rows."""
    return np.full(length, values.index(value), dtype="int64")


def _track(maintainer: np.ndarray) -> np.ndarray:
    """Track codes: maintainer where ``maintainer``, else external."""
    return np.where(maintainer, TRACKS.index("maintainer"), TRACKS.index("external")).astype("int64")


SOURCES: tuple[str, ...] = ("files", "labels", "title", "none", "kind")
"""Where a contribution's category came from (``kind`` for issues and reviews)."""
_CODED: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "category": CATEGORY_VALUES,
    "category_source": SOURCES,
    "outcome": OUTCOMES,
    "track": TRACKS,
}


def _text(series: pd.Series) -> pd.Series:
    """A text column kept in pandas' string dtype: reordering it later is a cheap Arrow take."""
    return series.astype("str").reset_index(drop=True)


def _label_flags(labels: pd.Series, patterns: dict[str, str]) -> dict[str, np.ndarray]:
    """For each named pattern, whether any (lower-case) label of a row matches it; one explode for all."""
    exploded = labels.reset_index(drop=True).explode().dropna()
    flags = {name: np.zeros(len(labels), dtype=bool) for name in patterns}
    if exploded.empty:
        return flags
    text = exploded.astype("str").str.lower()
    rows = exploded.index.to_numpy(dtype="int64")
    for name, pattern in patterns.items():
        flags[name][rows[text.str.contains(pattern, regex=True).to_numpy(dtype=bool)]] = True
    return flags


def _tuple_counts(values: pd.Series) -> np.ndarray:
    """Items in each row's tuple (None counts 0)."""
    exploded = values.reset_index(drop=True).explode().dropna()
    return np.bincount(exploded.index.to_numpy(dtype="int64"), minlength=len(values))


_BUG_LABEL = r"(?:^|[^a-z])(?:bug|crash|regression)(?:[^a-z]|$)"


@dataclass(frozen=True)
class _Repos:
    """Repository facts, looked up by lower-case full name."""

    keys: pd.Series
    full_name: np.ndarray
    owner_type: np.ndarray
    stars: np.ndarray
    language: np.ndarray
    html_url: np.ndarray
    hacktoberfest_topic: np.ndarray

    @classmethod
    def of(cls, frames: Frames) -> _Repos:
        """The repository table of ``frames``, the last row winning for a repeated name."""
        repos = frames.repos.assign(key=_lower(frames.repos["full_name"]))
        repos = repos.drop_duplicates("key", keep="last").reset_index(drop=True)
        topics = _label_flags(repos["topics"], {"hacktoberfest": r"^hacktoberfest$"})["hacktoberfest"]
        return cls(
            keys=repos["key"].reset_index(drop=True),
            full_name=_objects(repos["full_name"]),
            owner_type=_objects(repos["owner_type"]),
            stars=_floats(repos["stars"]),
            language=_objects(repos["language"]),
            html_url=_objects(repos["html_url"]),
            hacktoberfest_topic=topics,
        )

    def locate(self, repo: pd.Series) -> np.ndarray:
        """Row of each of ``repo`` in this table, -1 where unknown."""
        codes, uniques = pd.factorize(pd.concat([self.keys, _lower(repo)], ignore_index=True))
        row = np.full(len(uniques) + 1, -1, dtype="int64")
        row[codes[: len(self.keys)]] = np.arange(len(self.keys))
        return row[codes[len(self.keys) :]]

    def pick(self, name: str, at: np.ndarray) -> np.ndarray:
        """Column ``name`` at rows ``at`` (None, NaN or False at -1)."""
        values = getattr(self, name)
        fill = np.nan if values.dtype.kind == "f" else (False if values.dtype.kind == "b" else None)
        if not len(values):
            return np.full(len(at), fill, dtype=values.dtype if values.dtype.kind in "fb" else object)
        return np.where(at >= 0, values[np.maximum(at, 0)], fill)

    def take(self, name: str, repo: pd.Series) -> np.ndarray:
        """Column ``name`` for each of ``repo``."""
        return self.pick(name, self.locate(repo))


def _context(repo: pd.Series, login: str, repos: _Repos, profile_type: str | None) -> dict[str, Any]:
    """Canonical name, owner, ownership, organisation and stars of each row's repository."""
    at = repos.locate(repo)
    canonical = repos.pick("full_name", at)
    owner = repo.astype("str").str.replace(r"/.*$", "", regex=True)
    own = (owner.str.lower() == login.lower()).to_numpy(dtype=bool)
    owner_type = repos.pick("owner_type", at)
    org = np.where(pd.isna(owner_type), np.nan, owner_type == "Organization").astype("float64")
    if profile_type is not None:
        org[own] = float(profile_type == "Organization")
    return {
        "repo": np.where(pd.isna(canonical), _objects(repo.astype("str")), canonical),
        "owner": _text(owner),
        "own_repo": own,
        "external": ~own,
        "org_owned": org,
        "stars": repos.pick("stars", at),
        "hacktoberfest_topic": repos.pick("hacktoberfest_topic", at).astype(bool),
    }


_SHARED = ("repo", "owner", "own_repo", "external", "org_owned", "stars")


def _pr_part(
    frames: Frames, login: str, repos: _Repos, profile_type: str | None, own_issues: pd.DataFrame
) -> tuple[dict[str, Any], pd.DataFrame, np.ndarray, PathFacts]:
    """Columns of the login's PRs, their classification, each file's PR row (-1: not the login's), and
    the facts of those files' paths."""
    prs = frames.prs[(_lower(frames.prs["author"]) == login.lower()).to_numpy(dtype=bool)]
    prs = prs.drop_duplicates("node_id").reset_index(drop=True)
    positions = file_positions(prs, frames.files)
    facts = path_facts(frames.files["path"][positions >= 0])
    classes = classify_prs(prs, frames.files, positions, facts.category)
    ctx = _context(prs["repo"], login, repos, profile_type)
    outcome = _lower(prs["state"])
    merged = (outcome == "merged").to_numpy(dtype=bool)
    self_merged = merged & (_lower(prs["merged_by"]) == login.lower()).to_numpy(dtype=bool)
    association = prs["author_association"].astype("str").str.upper().isin(list(MAINTAINER_ASSOCIATIONS))
    created, merged_at = _naive(prs["created_at"]), _naive(prs["merged_at"])

    closed_urls = prs["closes"].explode().dropna()
    linked = pd.DataFrame({"pr": closed_urls.index.to_numpy(dtype="int64"), "url": _objects(closed_urls)})
    linked = linked.merge(own_issues, on="url", how="inner")
    fixes_own = np.zeros(len(prs), dtype=bool)
    fixes_bug = np.zeros(len(prs), dtype=bool)
    fixes_own[linked["pr"].to_numpy(dtype="int64")] = True
    fixes_bug[linked.loc[linked["bug"], "pr"].to_numpy(dtype="int64")] = True

    flags = _label_flags(
        prs["labels"], {"accepted": r"^hacktoberfest-accepted$", "spam": r"^(?:spam|invalid)$"}
    )
    october = (prs["created_at"].dt.month == 10).to_numpy(dtype=bool)
    open_or_merged = (outcome != "closed").to_numpy(dtype=bool)
    hacktoberfest = (
        october & ~flags["spam"] & (flags["accepted"] | (ctx["hacktoberfest_topic"] & open_or_merged))
    )
    columns = {
        "id": _text(prs["node_id"]),
        "kind": _coded("pr", KINDS, len(prs)),
        "category": codes_in(classes["category"], CATEGORY_VALUES),
        "category_source": codes_in(classes["category_source"], SOURCES),
        **{k: ctx[k] for k in _SHARED},
        "number": _floats(prs["number"]),
        "title": _text(prs["title"]),
        "url": _text(prs["url"]),
        "labels": _objects(prs["labels"]),
        "state": _text(prs["state"]),
        "outcome": codes_in(outcome, OUTCOMES),
        "date": created,
        "closed_at": _naive(prs["closed_at"]),
        "merged_at": merged_at,
        "merged_by": _text(prs["merged_by"]),
        "author_association": _text(prs["author_association"]),
        "lines": _floats(classes["lines"]),
        "self_merged": self_merged,
        "maintainer_signal": ctx["external"] & (association.to_numpy(dtype=bool) | self_merged),
        "hours_to_merge": np.where(merged, (merged_at - created).astype("float64") / 3600.0, np.nan),
        "closes_issues": _tuple_counts(prs["closes"]),
        "fixes_own_issue": fixes_own & merged,
        "fixes_own_bug": fixes_bug & merged,
        "hacktoberfest": hacktoberfest,
        "track": _track(ctx["own_repo"] | self_merged),
    }
    classification = classes.drop(columns="node_id")
    classification.insert(0, "title", prs["title"].array)
    classification.insert(0, "number", prs["number"].array)
    classification.insert(0, "repo", pd.array(ctx["repo"], dtype="str"))
    classification.insert(0, "url", prs["url"].array)
    classification.insert(0, "id", prs["node_id"].array)
    return columns, classification, positions, facts


def _issue_part(
    frames: Frames, login: str, repos: _Repos, profile_type: str | None
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Columns of the login's issues, and (url, bug) of each for linking PRs to them."""
    issues = frames.issues[(_lower(frames.issues["author"]) == login.lower()).to_numpy(dtype=bool)]
    issues = issues.drop_duplicates("node_id").reset_index(drop=True)
    ctx = _context(issues["repo"], login, repos, profile_type)
    prs = frames.prs
    by_login = (_lower(prs["author"]) == login.lower()) & (_lower(prs["state"]) == "merged")
    closed_by_own_pr = member_of(issues["url"], _objects(prs.loc[by_login, "closes"].explode().dropna()))
    closed = (_lower(issues["state"]) == "closed").to_numpy(dtype=bool)
    reason = _lower(issues["state_reason"])
    fixed = closed & (
        (reason == "completed").to_numpy(dtype=bool)
        | (_tuple_counts(issues["closed_by"]) > 0)
        | closed_by_own_pr
    )
    not_planned = closed & ~fixed & (reason == "not_planned").to_numpy(dtype=bool)
    outcome = np.where(
        fixed, "fixed", np.where(not_planned, "not_planned", np.where(closed, "closed", "open"))
    )
    association = issues["author_association"].astype("str").str.upper().isin(list(MAINTAINER_ASSOCIATIONS))
    bug = _label_flags(issues["labels"], {"bug": _BUG_LABEL})["bug"]
    columns = {
        "id": _text(issues["node_id"]),
        "kind": _coded("issue", KINDS, len(issues)),
        "category": _coded("issue", CATEGORY_VALUES, len(issues)),
        "category_source": _coded("kind", SOURCES, len(issues)),
        **{k: ctx[k] for k in _SHARED},
        "number": _floats(issues["number"]),
        "title": _text(issues["title"]),
        "url": _text(issues["url"]),
        "labels": _objects(issues["labels"]),
        "state": _text(issues["state"]),
        "outcome": codes_in(outcome, OUTCOMES),
        "date": _naive(issues["created_at"]),
        "closed_at": _naive(issues["closed_at"]),
        "author_association": _text(issues["author_association"]),
        "maintainer_signal": ctx["external"] & association.to_numpy(dtype=bool),
        "bug": bug,
        "track": _track(ctx["own_repo"]),
    }
    return columns, pd.DataFrame({"url": _objects(issues["url"]), "bug": bug})


def _review_part(frames: Frames, login: str, repos: _Repos, profile_type: str | None) -> dict[str, Any]:
    """Columns of the reviews the login gave on other people's PRs."""
    reviews = frames.reviews
    given = (_lower(reviews["author"]) == login.lower()) & ~(_lower(reviews["pr_author"]) == login.lower())
    reviews = reviews[given.to_numpy(dtype=bool)].drop_duplicates("node_id").reset_index(drop=True)
    ctx = _context(reviews["repo"], login, repos, profile_type)
    # A review without a state is counted as the weakest kind kept, a comment.
    outcome = _lower(reviews["state"]).fillna("commented")
    number = reviews["pr_url"].astype("str").str.replace(r"^.*/pull/(\d+).*$", r"\1", regex=True)
    return {
        "id": _text(reviews["node_id"]),
        "kind": _coded("review", KINDS, len(reviews)),
        "category": _coded("review", CATEGORY_VALUES, len(reviews)),
        "category_source": _coded("kind", SOURCES, len(reviews)),
        **{k: ctx[k] for k in _SHARED},
        "number": pd.to_numeric(number, errors="coerce").to_numpy(dtype="float64"),
        "url": _text(reviews["pr_url"]),
        "labels": _constant((), len(reviews)),
        "state": _text(reviews["state"]),
        "outcome": codes_in(outcome, OUTCOMES),
        "date": _naive(reviews["submitted_at"]),
        "track": _track(ctx["own_repo"]),
    }


def _blank(dtype: str, length: int) -> Any:
    """An all-missing piece of a column of ``dtype``, for a part that lacks it."""
    if dtype in ("bool", "int64"):
        return np.zeros(length, dtype=dtype)
    if dtype in ("Int64", "float64", "boolean"):
        return np.full(length, np.nan)
    if dtype == DATETIME:
        return np.full(length, np.datetime64("NaT"), dtype="datetime64[s]")
    if dtype == "str":
        # Taking "missing" from a one-item array is the cheap way to an all-missing Arrow string column.
        return pd.Series(pd.array([""], dtype="str").take(np.full(length, -1), allow_fill=True))
    return np.full(length, None, dtype=object)


def _joined(pieces: list[Any], order: np.ndarray, dtype: str) -> pd.Series:
    """One column of the contributions frame: the parts' pieces joined, put in ``order``, typed."""
    if dtype == "str" and any(isinstance(p, pd.Series) for p in pieces):
        texts = [p if isinstance(p, pd.Series) else pd.Series(pd.array(p, dtype="str")) for p in pieces]
        return pd.concat(texts, ignore_index=True).take(order).reset_index(drop=True)
    values = np.concatenate(pieces)[order]
    if dtype == DATETIME:
        return pd.Series(pd.DatetimeIndex(values.astype("datetime64[s]")).tz_localize("UTC"))
    if dtype in ("Int64", "boolean"):
        return pd.Series(pd.array(values.astype("float64"), dtype="Float64").astype(dtype))
    if dtype == "object":
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=dtype)


@dataclass(frozen=True)
class _Base:
    """The whole record's contributions, scored and in canonical order, with what windows need."""

    contributions: pd.DataFrame
    classification: pd.DataFrame  # one row per PR, in contribution order
    pr_rows: np.ndarray  # contribution row of each classification row
    file_rows: np.ndarray  # contribution row of each file of the login's PRs
    file_language: np.ndarray
    file_lines: np.ndarray
    repos: _Repos


def _first_of_groups(*keys: np.ndarray) -> np.ndarray:
    """True for the first row (lowest position) of each group of equal ``keys``."""
    n = len(keys[0])
    order = np.lexsort((np.arange(n), *reversed(keys)))
    new = np.zeros(n, dtype=bool)
    if n:
        new[0] = True
        for key in keys:
            new[1:] |= key[order][1:] != key[order][:-1]
    first = np.zeros(n, dtype=bool)
    first[order[new]] = True
    return first


def _base(frames: Frames, weights: Weights) -> _Base:
    """Every contribution of the whole record, scored, sorted by date then id."""
    login = frames.login
    profile_type = None if frames.profile.empty else frames.profile["type"].iloc[0]
    profile_type = None if pd.isna(profile_type) else str(profile_type)
    repos = _Repos.of(frames)
    issues, own_issues = _issue_part(frames, login, repos, profile_type)
    prs, classification, positions, facts = _pr_part(frames, login, repos, profile_type, own_issues)
    reviews = _review_part(frames, login, repos, profile_type)
    parts = (prs, issues, reviews)
    sizes = [len(part["kind"]) for part in parts]

    def pieces(name: str) -> list[Any]:
        """Each part's piece of column ``name``, blank where a part lacks it."""
        dtype = _CONTRIBUTION_DTYPES[name]
        return [part.get(name, _blank(dtype, size)) for part, size in zip(parts, sizes, strict=True)]

    dates = np.concatenate(pieces("date"))
    seconds = np.where(np.isnat(dates), np.iinfo("int64").max, dates.astype("int64"))
    id_codes, _ = pd.factorize(pd.concat(pieces("id"), ignore_index=True), sort=True)
    order = np.lexsort((id_codes, seconds))
    codes = {name: np.concatenate(pieces(name))[order] for name in _CODED}
    data = {name: pd.Series(text_array(values, codes[name])) for name, values in _CODED.items()}
    for name, dtype in _CONTRIBUTION_DTYPES.items():
        if name not in data and name != "first_in_repo":
            data[name] = _joined(pieces(name), order, dtype)
    repo_codes, _ = pd.factorize(_lower(data["repo"]))
    is_review = codes["kind"] == KINDS.index("review")
    review_urls = np.full(len(order), -1, dtype="int64")
    review_urls[is_review] = pd.factorize(data["url"][is_review])[0]
    # Rows are in canonical order, so the first of each (kind, repo) is the earliest contribution there.
    data["first_in_repo"] = pd.Series(_first_of_groups(codes["kind"], repo_codes))
    scores = score_arrays(
        kind=codes["kind"],
        category=codes["category"],
        outcome=codes["outcome"],
        track=codes["track"],
        lines=_floats(data["lines"]),
        stars=_floats(data["stars"]),
        repo=repo_codes,
        url=review_urls,
        seconds=seconds[order],
        position=np.arange(len(order)),
        weights=weights,
    )
    data |= {name: pd.Series(values) for name, values in scores.items()}
    contributions = pd.DataFrame({name: data[name] for name in CONTRIBUTION_COLUMNS})

    row_of = np.empty(len(order), dtype="int64")
    row_of[order] = np.arange(len(order))
    pr_rows = row_of[: sizes[0]]
    ours = positions >= 0
    by_row = np.argsort(pr_rows, kind="stable")
    return _Base(
        contributions=contributions,
        classification=classification.iloc[by_row].reset_index(drop=True),
        pr_rows=pr_rows[by_row],
        file_rows=pr_rows[positions[ours]],
        file_language=facts.language,
        file_lines=file_lines(frames.files[ours]),
        repos=repos,
    )


def contributions_frame(frames: Frames, weights: Weights) -> pd.DataFrame:
    """Every contribution of the whole record, scored, sorted by date then id (:data:`CONTRIBUTION_COLUMNS`)."""
    return _base(frames, weights).contributions


def _timestamp(bound: date | datetime | None, *, end: bool) -> pd.Timestamp | None:
    """A UTC instant for an inclusive bound; a bare date ``until`` means the end of that day."""
    if bound is None:
        return None
    if isinstance(bound, datetime):
        stamp = pd.Timestamp(bound)
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    day = datetime.combine(bound, time.min)
    stamp = pd.Timestamp(day + timedelta(days=1) - timedelta(seconds=1) if end else day)
    return stamp.tz_localize("UTC")


def _in_window(dates: pd.Series, since: pd.Timestamp | None, until: pd.Timestamp | None) -> np.ndarray:
    """Which of ``dates`` fall inside the inclusive bounds (missing dates never do)."""
    keep = np.ones(len(dates), dtype=bool)
    if since is not None:
        keep &= (dates >= since).fillna(False).to_numpy(dtype=bool)
    if until is not None:
        keep &= (dates <= until).fillna(False).to_numpy(dtype=bool)
    return keep


def _weeks(dates: pd.Series) -> np.ndarray:
    """The distinct Monday-based week numbers of ``dates``, sorted."""
    days = dates.dropna().dt.tz_convert(None).to_numpy().astype("datetime64[D]").astype("int64")
    # 1970-01-01 was a Thursday: shifting by three days makes weeks start on Monday, like ISO weeks.
    return np.unique((days + 3) // 7)


def longest_streak(weeks: np.ndarray) -> int:
    """The longest run of consecutive integers in sorted unique ``weeks``."""
    if len(weeks) == 0:
        return 0
    breaks = np.flatnonzero(np.diff(weeks) != 1)
    bounds = np.concatenate(([-1], breaks, [len(weeks) - 1]))
    return int(np.diff(bounds).max())


def _iso(value: Any) -> str | None:
    """An ISO 8601 string of a timestamp, None when missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return pd.Timestamp(value).isoformat()


def _metrics(
    c: pd.DataFrame, languages: pd.DataFrame, score: ScoreSummary, roles: pd.Series
) -> dict[str, Any]:
    """Every metric of :data:`METRIC_DEFINITIONS` over the (windowed) contributions."""
    kind = c["kind"]
    pr = (kind == "pr").to_numpy(dtype=bool)
    issue = (kind == "issue").to_numpy(dtype=bool)
    review = (kind == "review").to_numpy(dtype=bool)
    outcome = c["outcome"]
    external_track = (c["track"] == "external").to_numpy(dtype=bool)
    merged = pr & (outcome == "merged").to_numpy(dtype=bool)
    merged_ext = merged & external_track
    decided_ext = pr & external_track & outcome.isin(["merged", "closed"]).to_numpy(dtype=bool)
    merged_rows = c.loc[
        merged_ext, ["repo", "owner", "org_owned", "first_in_repo", "hours_to_merge", "stars"]
    ]
    org_owned = merged_rows["org_owned"].fillna(False).to_numpy(dtype=bool)
    first_merged = merged_rows[merged_rows["first_in_repo"]]
    category = c["category"]
    hours = merged_rows["hours_to_merge"].dropna()
    dates = c["date"].dropna()
    months = dates.dt.tz_convert(None).to_numpy().astype("datetime64[M]")
    reviews_given = int(review.sum())
    metrics: dict[str, Any] = {
        "contributions": len(c),
        "prs_opened": int(pr.sum()),
        "merged_prs": int(merged.sum()),
        "external_prs": int((pr & external_track).sum()),
        "merged_external_prs": int(merged_ext.sum()),
        "merge_rate": round(float(merged_ext.sum() / decided_ext.sum()), 4) if decided_ext.any() else None,
        "external_projects": int(merged_rows["repo"].nunique()),
        "external_organisations": int(merged_rows.loc[org_owned, "owner"].str.lower().nunique()),
        "first_time_projects": int(first_merged["repo"].nunique()),
    }
    for name in (*CATEGORIES, UNKNOWN):
        metrics[f"{name}_prs"] = int((merged_ext & (category == name).to_numpy(dtype=bool)).sum())
    stars = merged_rows["stars"].dropna()
    metrics |= {
        "issues_reported": int(issue.sum()),
        "issues_fixed": int((issue & (outcome == "fixed").to_numpy(dtype=bool)).sum()),
        "issues_fixed_by_own_prs": int(c.loc[merged, "closes_issues"].sum()),
        "reviews_given": reviews_given,
        "reviews_approved": int((review & (outcome == "approved").to_numpy(dtype=bool)).sum()),
        "reviews_changes_requested": int(
            (review & (outcome == "changes_requested").to_numpy(dtype=bool)).sum()
        ),
        "reviews_commented": int((review & (outcome == "commented").to_numpy(dtype=bool)).sum()),
        "self_merged_prs": int((pr & c["self_merged"].to_numpy(dtype=bool)).sum()),
        "own_repo_prs": int((pr & c["own_repo"].to_numpy(dtype=bool)).sum()),
        "maintainer_projects": int((roles == "maintainer").sum()),
        "largest_project_stars": int(stars.max()) if len(stars) else None,
        "active_months": len(np.unique(months)),
        "longest_streak_weeks": longest_streak(_weeks(c["date"])),
        "median_hours_to_merge": round(float(hours.median()), 1) if len(hours) else None,
        "languages": top_languages(languages),
        "first_contribution": dates.min() if len(dates) else None,
        "latest_contribution": dates.max() if len(dates) else None,
        "score_external": score.external,
        "score_maintainer": score.maintainer,
    }
    return metrics


def top_languages(languages: pd.DataFrame, limit: int = 5) -> list[str]:
    """The programming and markup languages with the most PRs, at most ``limit``."""
    useful = languages[languages["type"].isin(["programming", "markup"])]
    return useful["language"].head(limit).astype("str").tolist()


_LANGUAGE_TYPES = {name: kind for name, kind in LANGUAGES.values()}
_LANGUAGE_COLUMNS = {
    "language": "str",
    "type": "str",
    "prs": "int64",
    "merged_prs": "int64",
    "lines": "int64",
    "files": "int64",
    "share": "float64",
}


def _languages(base: _Base, keep: np.ndarray) -> pd.DataFrame:
    """Languages of the PRs in ``keep``: their files' extensions, or the repository's language without files."""
    c = base.contributions
    is_pr = (c["kind"] == "pr").to_numpy(dtype=bool)
    merged = is_pr & (c["outcome"] == "merged").to_numpy(dtype=bool)
    has_files = np.zeros(len(c), dtype=bool)
    has_files[base.file_rows] = True
    in_files = keep[base.file_rows] & pd.notna(base.file_language)
    without = np.flatnonzero(is_pr & keep & ~has_files)
    rows = pd.DataFrame(
        {
            "row": np.concatenate([base.file_rows[in_files], without]),
            "language": np.concatenate(
                [base.file_language[in_files], base.repos.take("language", c["repo"].iloc[without])]
            ),
            "lines": np.concatenate([base.file_lines[in_files], np.zeros(len(without), dtype="int64")]),
            "files": np.concatenate(
                [np.ones(in_files.sum(), dtype="int64"), np.zeros(len(without), dtype="int64")]
            ),
        }
    ).dropna(subset=["language"])
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in _LANGUAGE_COLUMNS.items()})
    totals = rows.groupby("language").agg(lines=("lines", "sum"), files=("files", "sum"))
    distinct = rows.drop_duplicates(["language", "row"])
    distinct = distinct.assign(merged=merged[distinct["row"].to_numpy()])
    counts = distinct.groupby("language").agg(prs=("row", "size"), merged_prs=("merged", "sum"))
    out = counts.join(totals).reset_index()
    out.insert(1, "type", out["language"].map(_LANGUAGE_TYPES).fillna("programming"))
    total = out["lines"].sum()
    out["share"] = (out["lines"] / total).round(4) if total else 0.0
    out = out.sort_values(["prs", "lines", "language"], ascending=[False, False, True], kind="stable")
    return out.astype(_LANGUAGE_COLUMNS).reset_index(drop=True)[list(_LANGUAGE_COLUMNS)]


def _roles(c: pd.DataFrame) -> pd.Series:
    """owner / maintainer / contributor per repository, from the whole history."""
    grouped = c.groupby("repo", sort=True)
    own = grouped["own_repo"].any()
    maintainer = grouped["maintainer_signal"].any()
    return pd.Series(
        np.where(own, "owner", np.where(maintainer, "maintainer", "contributor")),
        index=own.index,
        dtype="str",
    )


def _first(
    c: pd.DataFrame, when: pd.Series, seconds: np.ndarray, mask: np.ndarray, key: str, detail: str = ""
) -> dict[str, Any] | None:
    """The milestone ``key`` earned by the earliest row of ``mask`` by ``when`` (``c`` is in canonical order)."""
    candidates = np.flatnonzero(mask & (seconds != np.iinfo("int64").max))
    if len(candidates) == 0:
        return None
    # Rows are sorted by date then id, so among equal times the lowest position is the canonical first.
    at = candidates[np.argmin(seconds[candidates])]
    row = c.iloc[at]
    return {
        "milestone": key,
        "title": MILESTONES.get(key, key),
        "date": when.iloc[at],
        "id": row["id"],
        "kind": row["kind"],
        "repo": row["repo"],
        "number": row["number"],
        "contribution_title": row["title"],
        "url": row["url"],
        "detail": detail,
    }


def _milestones(c: pd.DataFrame) -> pd.DataFrame:
    """The milestones of the whole history, each with the contribution that earned it (see MILESTONES)."""
    kind = c["kind"].to_numpy(dtype=object)
    pr = kind == "pr"
    merged_ext = (
        pr & (c["outcome"] == "merged").to_numpy(dtype=bool) & (c["track"] == "external").to_numpy(dtype=bool)
    )
    category = c["category"].to_numpy(dtype=object)
    stars = c["stars"].fillna(-1).to_numpy(dtype="int64")
    association = (
        c["author_association"].astype("str").str.upper().isin(MAINTAINER_ASSOCIATIONS).to_numpy(dtype=bool)
    )
    maintainer_signal = c["maintainer_signal"].to_numpy(dtype=bool)
    hacktoberfest = c["hacktoberfest"].to_numpy(dtype=bool)
    years = c["date"].dt.year.to_numpy()
    merged = (c["outcome"] == "merged").to_numpy(dtype=bool)
    opened, merged_at = c["date"], c["merged_at"]
    evidence = opened.where(association, merged_at)
    seconds = {
        "opened": utc_seconds(opened),
        "merged": utc_seconds(merged_at),
        "evidence": utc_seconds(evidence),
    }
    c = c[["id", "kind", "repo", "number", "title", "url"]]
    found = [
        _first(c, opened, seconds["opened"], kind == "issue", "first_issue"),
        _first(c, opened, seconds["opened"], pr, "first_pr"),
        _first(c, opened, seconds["opened"], pr & (category == "docs"), "first_docs_pr"),
        _first(c, merged_at, seconds["merged"], merged_ext, "first_external_merge"),
        _first(c, merged_at, seconds["merged"], merged_ext & (category == "code"), "first_merged_code_pr"),
        _first(c, merged_at, seconds["merged"], merged_ext & (stars >= 1000), "first_1k_star_merge"),
        _first(c, merged_at, seconds["merged"], merged_ext & (stars >= 10000), "first_10k_star_merge"),
        _first(c, opened, seconds["opened"], kind == "review", "first_review"),
        _first(c, evidence, seconds["evidence"], maintainer_signal, "first_maintainer_role"),
    ]
    for year in np.unique(years[hacktoberfest]):
        in_year = hacktoberfest & (years == year)
        count, merged_count = int(in_year.sum()), int((in_year & merged).sum())
        detail = f"{count} PR{'s' if count != 1 else ''} in October {year}, {merged_count} merged"
        milestone = _first(c, opened, seconds["opened"], in_year, f"hacktoberfest_{year}", detail=detail)
        if milestone is not None:
            milestone["title"] = f"Hacktoberfest {year}"
            found.append(milestone)
    frame = pd.DataFrame([m for m in found if m is not None], columns=MILESTONE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], utc=True).astype(DATETIME)
    frame["number"] = frame["number"].astype("Int64")
    for name in ("milestone", "title", "id", "kind", "repo", "contribution_title", "url", "detail"):
        frame[name] = frame[name].astype("str")
    return frame.sort_values(["date", "milestone"], kind="stable").reset_index(drop=True)


def format_stars(stars: int) -> str:
    """A star count as people write it: 999★, 1.5k★, 40k★, 1.2M★."""
    if stars >= 1_000_000:
        return f"{stars / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M★"
    if stars >= 10_000:
        return f"{stars // 1000}k★"
    if stars >= 1000:
        return f"{stars / 1000:.1f}".rstrip("0").rstrip(".") + "k★"
    return f"{stars}★"


def highlight_reason(row: pd.Series) -> str:
    """The first of :data:`HIGHLIGHT_RULES` that applies to one contribution."""
    repo = row["repo"]
    stars = None if pd.isna(row["stars"]) else int(row["stars"])
    big = stars is not None and stars >= 1000
    if row["kind"] == "pr":
        if row["track"] == "maintainer":
            if row["self_merged"] and not row["own_repo"]:
                return f"self-merged as a maintainer of {repo}"
            return f"in their own project {repo}" + (f" ({format_stars(stars)})" if stars else "")
        if row["fixes_own_issue"]:
            return "fixed a bug they reported" if row["fixes_own_bug"] else "fixed an issue they reported"
        if big:
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
    where = f"a {format_stars(stars)} project" if big else repo
    if row["kind"] == "issue":
        return f"reported a {'bug' if row['bug'] else 'problem'} that {repo} fixed"
    if row["outcome"] == "changes_requested":
        return f"requested changes on a PR in {where}"
    return f"approved a PR in {where}"


def _highlights(c: pd.DataFrame) -> pd.DataFrame:
    """The contributions to open first, chosen and explained by :data:`HIGHLIGHT_RULES`."""
    kind, outcome = c["kind"], c["outcome"]
    candidate = (
        ((kind == "pr") & (outcome == "merged"))
        | ((kind == "issue") & (outcome == "fixed"))
        | ((kind == "review") & outcome.isin(["approved", "changes_requested"]))
    ) & (c["points"] > 0)
    rows = np.flatnonzero(candidate.to_numpy(dtype=bool))
    maintainer_last = (c["track"].to_numpy(dtype=object)[rows] != "external").astype("int64")
    points = c["points"].to_numpy()[rows]
    seconds = utc_seconds(c["date"])[rows]
    # External first, then most points, then latest; rows are in canonical order, so position breaks ties.
    rows = rows[np.lexsort((rows, -seconds, -points, maintainer_last))]
    repo_codes, _ = pd.factorize(c["repo"].to_numpy(dtype=object)[rows])
    in_repo = pd.Series(repo_codes).groupby(repo_codes).cumcount().to_numpy()
    chosen = rows[in_repo < HIGHLIGHT_PER_REPO][:HIGHLIGHT_MAX]
    if len(chosen) < HIGHLIGHT_MIN:
        extra = rows[in_repo >= HIGHLIGHT_PER_REPO][: HIGHLIGHT_MIN - len(chosen)]
        chosen = rows[np.isin(rows, np.concatenate([chosen, extra]))]
    picked = c.iloc[chosen]
    reasons = [highlight_reason(row) for _, row in picked.iterrows()]
    out = picked.assign(rank=np.arange(1, len(picked) + 1), reason=pd.array(reasons, dtype="str"))
    return out[HIGHLIGHT_COLUMNS].reset_index(drop=True)


def _activity(c: pd.DataFrame) -> pd.DataFrame:
    """Contributions, merged PRs and points per month, kind, category and track."""
    dated = c["date"].notna().to_numpy(dtype=bool)
    names = ("kind", "category", "track")
    # Grouping on integer codes rather than Arrow strings keeps this cheap at a million rows.
    coded = {name: pd.factorize(c[name].to_numpy(dtype=object)[dated]) for name in names}
    frame = pd.DataFrame(
        {
            "month": c["date"].dt.tz_convert(None).to_numpy()[dated].astype("datetime64[M]").astype("int64"),
            **{name: codes for name, (codes, _) in coded.items()},
            "merged": (c["outcome"] == "merged").to_numpy(dtype="int64")[dated],
            "points": c["points"].to_numpy(dtype="float64")[dated],
        }
    )
    out = (
        frame.groupby(["month", *names])
        .agg(contributions=("merged", "size"), merged=("merged", "sum"), points=("points", "sum"))
        .reset_index()
    )
    out["month"] = pd.DatetimeIndex(out["month"].to_numpy().astype("datetime64[M]").astype("datetime64[s]"))
    out["month"] = out["month"].dt.tz_localize("UTC")
    for name, (_, uniques) in coded.items():
        out[name] = pd.array(np.asarray(uniques, dtype=object)[out[name].to_numpy()], dtype="str")
    out["points"] = out["points"].astype("float64").round(4)
    out = out.astype({"contributions": "int64", "merged": "int64"})
    return out.sort_values(["month", *names], kind="stable").reset_index(drop=True)


def _projects(c: pd.DataFrame, roles: pd.Series, repos: _Repos) -> pd.DataFrame:
    """One row per repository of the window: who owns it, the login's role, and what the login did there."""
    kind = c["kind"]
    frame = c[["repo", "url", "owner", "org_owned", "own_repo", "stars", "points", "date"]].assign(
        is_pr=(kind == "pr").astype("int64"),
        is_merged=((kind == "pr") & (c["outcome"] == "merged")).astype("int64"),
        is_issue=(kind == "issue").astype("int64"),
        is_review=(kind == "review").astype("int64"),
    )
    out = (
        frame.groupby("repo", sort=False)
        .agg(
            url=("url", "first"),
            owner=("owner", "first"),
            org_owned=("org_owned", "first"),
            own_repo=("own_repo", "first"),
            stars=("stars", "first"),
            prs=("is_pr", "sum"),
            merged_prs=("is_merged", "sum"),
            issues=("is_issue", "sum"),
            reviews=("is_review", "sum"),
            points=("points", "sum"),
            first=("date", "min"),
            latest=("date", "max"),
        )
        .reset_index()
    )
    # The repository's own page, else one of its contributions' URLs cut back to the repository.
    home = out["url"].astype("str").str.replace(r"/(?:pull|issues)/\d+.*$", "", regex=True)
    html = repos.take("html_url", out["repo"])
    out["url"] = np.where(pd.notna(html), html, home.to_numpy(dtype=object))
    out.insert(6, "role", roles.reindex(out["repo"].to_numpy()).to_numpy(dtype=object))
    out["points"] = out["points"].round(4)
    out = out.sort_values(["points", "repo"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out.astype(
        {"repo": "str", "url": "str", "owner": "str", "role": "str", "org_owned": "boolean", "stars": "Int64"}
    )


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
        x = inputs[name] / median
        weighted += weight * ((1 - 2**-x) if shape == "exponential" else x / (1 + x))
    total_weight = sum(weight for _, weight, _ in README_STATS_INPUTS.values())
    percentile = (1 - weighted / total_weight) * 100
    level = next(name for cut, name in README_STATS_LEVELS if percentile <= cut)
    return RankReference(level=level, percentile=round(percentile, 2), inputs=inputs, notes=notes)


def _rank(c: pd.DataFrame, frames: Frames, commits: int | None) -> RankReference:
    """The github-readme-stats reference rank of the window's counts, with notes on its inputs."""
    login = frames.login.lower()
    repos = frames.repos
    owned = repos[(_lower(repos["owner_login"]) == login) & ~repos["is_fork"].fillna(False).astype(bool)]
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
    return readme_stats_rank(
        commits=commits or 0,
        prs=int((c["kind"] == "pr").sum()),
        issues=int((c["kind"] == "issue").sum()),
        reviews=int((c["kind"] == "review").sum()),
        stars=int(owned["stars"].fillna(0).sum()),
        followers=0 if pd.isna(followers) else int(followers),
        notes=tuple(notes),
    )


def _limits(frames: Frames, everything: pd.DataFrame) -> tuple[str, ...]:
    """Sentences saying what this record cannot see, the data-dependent ones first."""
    limits: list[str] = []
    is_pr = (everything["kind"] == "pr").to_numpy(dtype=bool)
    prs = everything.loc[is_pr, ["category_source", "category", "lines", "outcome", "external", "merged_by"]]
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
    ext = everything.loc[everything["external"].to_numpy(dtype=bool), ["repo", "stars", "org_owned"]]
    unknown_repos = ext.loc[ext["stars"].isna(), "repo"].nunique()
    if unknown_repos:
        limits.append(
            f"Stars of {unknown_repos} external repositories are unknown: their reach factor is neutral."
        )
    unknown_owner = ext.loc[ext["org_owned"].isna(), "repo"].nunique()
    if unknown_owner:
        limits.append(
            f"Whether {unknown_owner} external repositories belong to an organisation is unknown: they are not "
            "counted as organisations."
        )
    merged_ext = prs[(prs["outcome"] == "merged") & prs["external"]]
    if merged_ext["merged_by"].isna().any():
        limits.append(
            f"Who merged {int(merged_ext['merged_by'].isna().sum())} external PRs is unknown: self-merges among "
            "them cannot be told apart from acceptance by others."
        )
    if frames.issues["closed_by"].isna().any():
        limits.append(
            "Which pull request closed an issue is unknown for some issues: they count as fixed only when "
            "closed as completed or by one of the login's merged PRs."
        )
    limits += [
        "Only public work is counted: private repositories, commits pushed without a pull request, comments "
        "and discussions are not in the record.",
        "Merges the login made of other people's PRs are not collected: a maintainer role is inferred from "
        "author association (member, owner, collaborator) and from merging its own PRs in others' repositories.",
        "Stars, organisation ownership and followers are today's values, not those at the time of the work.",
        "Commits are not collected, so the github-readme-stats reference rank is fed 0 commits.",
    ]
    return tuple(limits)


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
    lo, hi = _timestamp(since, end=False), _timestamp(until, end=True)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"the window starts ({lo.date()}) after it ends ({hi.date()}).")
    base = _base(frames, weights)
    everything = base.contributions
    keep = np.ones(len(everything), dtype=bool)
    c, classification = everything, base.classification
    if lo is not None or hi is not None:
        keep = _in_window(everything["date"], lo, hi)
        c = everything[keep].reset_index(drop=True)
        classification = classification[keep[base.pr_rows]].reset_index(drop=True)
    breakdown = c[BREAKDOWN_COLUMNS]
    score = summarise(breakdown)
    roles = _roles(everything)
    languages = _languages(base, keep)
    milestones = _milestones(everything)
    milestones = milestones[_in_window(milestones["date"], lo, hi)].reset_index(drop=True)
    return TrackRecord(
        login=frames.login,
        since=lo,
        until=hi,
        contributions=c,
        classification=classification,
        breakdown=breakdown,
        score=score,
        metrics=_metrics(c, languages, score, roles.reindex(c["repo"].unique())),
        milestones=milestones,
        highlights=_highlights(c),
        rank=_rank(c, frames, commits),
        languages=languages,
        activity=_activity(c),
        projects=_projects(c, roles, base.repos),
        limits=_limits(frames, everything),
        weights=weights,
    )


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: ISO dates, None for missing, floats rounded to 4 decimals."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return _iso(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), 4)
    return str(value)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts of ``columns``."""
    return [
        {name: _plain(value) for name, value in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False)
    ]


def track_record_json(tr: TrackRecord) -> dict[str, Any]:
    """The track record as JSON-ready data: every total sits next to the rows (breakdown) it sums."""
    breakdown_columns = [*BREAKDOWN_COLUMNS[:6], "number", "title", *BREAKDOWN_COLUMNS[6:]]
    breakdown = tr.contributions.sort_values(["date", "id"], kind="stable")
    classification = tr.classification.sort_values(["url", "id"], kind="stable")
    return {
        "login": tr.login,
        "window": {"since": _iso(tr.since), "until": _iso(tr.until)},
        "metrics": {name: _plain(tr.metrics[name]) for name in sorted(tr.metrics)},
        "metric_definitions": dict(sorted(METRIC_DEFINITIONS.items())),
        "score": {
            "external": tr.score.external,
            "maintainer": tr.score.maintainer,
            "total": tr.score.total,
            "by_kind": _records(tr.score.by_kind, list(tr.score.by_kind.columns)),
            "by_category": _records(tr.score.by_category, list(tr.score.by_category.columns)),
            "weights": tr.weights.as_dict(),
            "breakdown": _records(breakdown, breakdown_columns),
        },
        "rank_reference": {
            "level": tr.rank.level,
            "percentile": tr.rank.percentile,
            "inputs": dict(sorted(tr.rank.inputs.items())),
            "notes": list(tr.rank.notes),
        },
        "milestones": _records(tr.milestones, MILESTONE_COLUMNS),
        "highlights": _records(tr.highlights, HIGHLIGHT_COLUMNS),
        "languages": _records(tr.languages, list(tr.languages.columns)),
        "classification": _records(classification, list(classification.columns)),
        "limits": list(tr.limits),
    }


# Characters with inline meaning in CommonMark/GFM: emphasis, code, links and images, raw HTML and entities,
# tables, strikethrough, and @mentions (which would notify people where the section is pasted on GitHub).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>|~&!@])")
# A line-start marker (heading, list, quote, numbered list) would turn a title into structure.
_LINE_START = re.compile(r"^(\s*)(?:([#+\->=])|(\d+)([.)]))")
# GFM turns bare URLs and www. names into links; a backslash in "://" and "www." keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=\w):(?=//)|(?<![\w.])(www)\.")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_URL = re.compile(r"https?://[^\s<>\"'()\[\]`\\]+")


def markdown_text(text: Any) -> str:
    """Untrusted text as inert Markdown: one line, no markup, no HTML, no autolinks, no mentions."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    line = _CONTROL.sub(" ", str(text)).strip()
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    line = _AUTOLINK.sub(lambda m: r"\:" if m.group(0) == ":" else m.group(1) + r"\.", line)
    return _LINE_START.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), line
    )


def markdown_link(label: str, url: Any) -> str:
    """A Markdown link to an http(s) URL; just the escaped label when the URL is anything else."""
    if isinstance(url, str) and _URL.fullmatch(url):
        return f"[{markdown_text(label)}]({url})"
    return markdown_text(label)


def _ref(row: dict[str, Any] | pd.Series) -> str:
    """``owner/repo#number`` of a row, or just the repository."""
    number = row["number"]
    return f"{row['repo']}#{int(number)}" if not pd.isna(number) else str(row["repo"])


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` with its noun, singular or plural."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def track_record_markdown(tr: TrackRecord) -> str:
    """A résumé-ready Markdown section: headline numbers, highlights and milestones, each linked to GitHub."""
    m = tr.metrics
    login = markdown_text(tr.login)
    if tr.since is None and tr.until is None:
        window = "all public activity"
    else:
        start = tr.since.date().isoformat() if tr.since is not None else "the start"
        end = tr.until.date().isoformat() if tr.until is not None else "today"
        window = f"{start} to {end}"
    lines = [
        f"## Open-source track record: @{login}",
        "",
        f"*{markdown_text(window.capitalize())}, from public GitHub data. Each highlight links to its evidence.*",
        "",
    ]
    rate = f"; merge rate {m['merge_rate'] * 100:.0f}%" if m["merge_rate"] is not None else ""
    lines.append(
        f"- **{_count(m['merged_external_prs'], 'pull request')} merged** into "
        f"{_count(m['external_projects'], 'project')} owned by others "
        f"({_count(m['external_organisations'], 'organisation')}){rate}."
    )
    split = ", ".join(
        f"{m[f'{name}_prs']} {CATEGORY_LABELS[name]}" for name in (*CATEGORIES, UNKNOWN) if m[f"{name}_prs"]
    )
    if split:
        lines.append(f"- Merged work by kind: {split}.")
    lines.append(
        f"- {_count(m['issues_reported'], 'issue')} reported ({m['issues_fixed']} fixed); "
        f"{_count(m['reviews_given'], 'review')} of other people's pull requests."
    )
    if m["first_contribution"] is not None:
        median = m["median_hours_to_merge"]
        merge_time = f"; median time to merge {median / 24:.1f} days" if median is not None else ""
        lines.append(
            f"- Active in {_count(m['active_months'], 'month')} from {m['first_contribution'].date().isoformat()} "
            f"to {m['latest_contribution'].date().isoformat()}; longest streak "
            f"{_count(m['longest_streak_weeks'], 'week')}{merge_time}."
        )
    if m["languages"]:
        lines.append(f"- Languages: {', '.join(markdown_text(lang) for lang in m['languages'])}.")
    if m["maintainer_projects"] or m["own_repo_prs"]:
        lines.append(
            f"- Maintainer work: {_count(m['maintainer_projects'], 'project')} as member or collaborator, "
            f"{_count(m['own_repo_prs'], 'PR')} in own repositories, {m['self_merged_prs']} self-merged."
        )
    if not tr.highlights.empty:
        lines += ["", "### Highlights", ""]
        for row in tr.highlights.to_dict("records"):
            title = (
                f": {markdown_text(row['title'])}" if isinstance(row["title"], str) and row["title"] else ""
            )
            lines.append(
                f"{row['rank']}. {markdown_link(_ref(row), row['url'])}{title} — {markdown_text(row['reason'])}"
            )
    if not tr.milestones.empty:
        lines += ["", "### Journey", ""]
        for row in tr.milestones.to_dict("records"):
            detail = f" ({markdown_text(row['detail'])})" if row["detail"] else ""
            lines.append(
                f"- {row['date'].date().isoformat()} · {markdown_text(row['title'])}: "
                f"{markdown_link(_ref(row), row['url'])} {markdown_text(row['contribution_title'])}{detail}".rstrip()
            )
    by_kind = tr.score.by_kind
    external = by_kind[by_kind["track"] == "external"].set_index("kind")["points"]
    lines += [
        "",
        "### Score",
        "",
        f"External track: **{tr.score.external:,.1f} points** (pull requests {external.get('pr', 0):,.1f}, issues "
        f"{external.get('issue', 0):,.1f}, reviews {external.get('review', 0):,.1f}); maintainer track: "
        f"{tr.score.maintainer:,.1f} points. Points are kind × outcome × size × project reach, with caps on "
        "trivial and repeated work; every point is listed per contribution in the JSON export.",
        "",
        f"For reference, the github-readme-stats rank of the same counts is **{markdown_text(tr.rank.level)}** "
        f"(top {tr.rank.percentile:g}%), computed with "
        + ", ".join(f"{name} = {value}" for name, value in tr.rank.inputs.items())
        + (" (commits are not collected)." if tr.rank.inputs["commits"] == 0 else "."),
        "",
    ]
    return "\n".join(lines)
