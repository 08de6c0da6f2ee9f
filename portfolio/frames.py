"""A :class:`~portfolio.model.Record` as pandas DataFrames, the input of the track record.

:func:`record_frames` returns :class:`Frames` whose columns are the model's field names, with one change:
``PullRequest.files`` becomes its own frame, ``files`` (``pr`` = the PR's node id, ``path``, ``status``,
``additions``, ``deletions``), and ``prs`` gains ``files_known`` (False where the collector could not see
the files, True even when it saw none). ``profile`` is a one-row frame.

Dtypes: datetimes are ``datetime64[s, UTC]``; counts are nullable ``Int64``; flags nullable ``boolean``;
text is pandas' ``str``; tuples (labels, topics, closes, closed_by) stay tuples in ``object`` columns.
Missing values stay missing (``<NA>``/``NaN``/``NaT``/None), never invented.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from portfolio.model import (
    ChangedFile,
    Comment,
    CommitYear,
    Discussion,
    Issue,
    Profile,
    PullRequest,
    Record,
    Repo,
    Review,
    field_names,
)

DATETIME = "datetime64[s, UTC]"

MISSING_SECONDS = int(np.iinfo("int64").max)
"""The UTC seconds given to a missing date, so that it sorts after every real one."""

_DTYPES: dict[str, str] = {
    "number": "Int64",
    "additions": "Int64",
    "deletions": "Int64",
    "changed_files": "Int64",
    "comments": "Int64",
    "stars": "Int64",
    "forks": "Int64",
    "followers": "Int64",
    "public_repos": "Int64",
    "draft": "boolean",
    "body_length": "Int64",
    "has_steps": "boolean",
    "has_code": "boolean",
    "has_environment": "boolean",
    "answered": "boolean",
    "upvotes": "Int64",
    "words": "Int64",
    "year": "int64",
    "commits": "int64",
    "is_fork": "boolean",
    "archived": "boolean",
    "files_known": "bool",
    "created_at": DATETIME,
    "closed_at": DATETIME,
    "merged_at": DATETIME,
    "updated_at": DATETIME,
    "submitted_at": DATETIME,
}
_OBJECT_COLUMNS = frozenset({"labels", "topics", "closes", "closed_by", "closes_labels"})

PR_COLUMNS: list[str] = [*(f for f in field_names(PullRequest) if f != "files"), "files_known"]
FILE_COLUMNS: list[str] = ["pr", *field_names(ChangedFile)]
ISSUE_COLUMNS: list[str] = field_names(Issue)
REVIEW_COLUMNS: list[str] = field_names(Review)
REPO_COLUMNS: list[str] = field_names(Repo)
PROFILE_COLUMNS: list[str] = field_names(Profile)
DISCUSSION_COLUMNS: list[str] = field_names(Discussion)
COMMENT_COLUMNS: list[str] = field_names(Comment)
COMMIT_YEAR_COLUMNS: list[str] = field_names(CommitYear)


@dataclass(frozen=True, slots=True)
class Frames:
    """One login's record as DataFrames (see the module docstring for columns and dtypes)."""

    prs: pd.DataFrame
    files: pd.DataFrame
    issues: pd.DataFrame
    reviews: pd.DataFrame
    repos: pd.DataFrame
    profile: pd.DataFrame
    discussions: pd.DataFrame = field(default_factory=lambda: typed_frame({}, DISCUSSION_COLUMNS))
    comments: pd.DataFrame = field(default_factory=lambda: typed_frame({}, COMMENT_COLUMNS))
    commit_years: pd.DataFrame = field(default_factory=lambda: typed_frame({}, COMMIT_YEAR_COLUMNS))

    @property
    def login(self) -> str:
        """The login this record belongs to."""
        return str(self.profile["login"].iloc[0])


def typed_frame(columns: dict[str, Any], order: list[str]) -> pd.DataFrame:
    """A frame of ``columns`` (name -> values) in ``order`` with this module's dtypes; missing ones empty."""
    length = len(next(iter(columns.values()))) if columns else 0
    data: dict[str, Any] = {}
    for name in order:
        values = columns.get(name, [None] * length)
        if name in _OBJECT_COLUMNS:
            series = pd.Series(values, dtype=object)
        elif _DTYPES.get(name) == DATETIME:
            series = pd.Series(pd.to_datetime(values, utc=True), dtype=DATETIME)
        elif name in _DTYPES:
            series = pd.Series(values, dtype=_DTYPES[name])
        else:
            series = pd.Series(values, dtype="str")
        data[name] = series.reset_index(drop=True)
    return pd.DataFrame(data, columns=order)


def _rows_frame(items: tuple[Any, ...], names: list[str], order: list[str]) -> pd.DataFrame:
    """A typed frame of ``items``' attributes ``names``."""
    return typed_frame({name: [getattr(item, name) for item in items] for name in names}, order)


def member_of(values: pd.Series | np.ndarray, allowed: pd.Series | np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in ``allowed``, by factorizing both at once (Arrow ``isin`` loops in Python)."""
    both = pd.concat([pd.Series(allowed).astype("str"), pd.Series(values).astype("str")], ignore_index=True)
    codes, uniques = pd.factorize(both)
    seen = np.zeros(len(uniques) + 1, dtype=bool)
    allowed_codes = codes[: len(allowed)]
    seen[allowed_codes[allowed_codes >= 0]] = True
    return seen[codes[len(allowed) :]]


def datetime_seconds(values: np.ndarray) -> np.ndarray:
    """Seconds since the epoch of naive UTC ``datetime64[s]`` values; :data:`MISSING_SECONDS` for NaT."""
    seconds = values.astype("int64")
    seconds[np.isnat(values)] = MISSING_SECONDS
    return seconds


def utc_seconds(dates: pd.Series) -> np.ndarray:
    """UTC seconds since the epoch of a datetime column; missing dates sort last."""
    naive = dates.dt.tz_convert(None) if isinstance(dates.dtype, pd.DatetimeTZDtype) else dates
    return datetime_seconds(naive.to_numpy(dtype="datetime64[s]"))


def week_numbers(seconds: np.ndarray) -> np.ndarray:
    """The week of each UTC instant, counted in weeks that start on Monday, like ISO weeks."""
    # 1970-01-01 was a Thursday: shifting by three days makes weeks start on Monday.
    return (seconds // 86400 + 3) // 7


def canonical_order(seconds: np.ndarray, ids: pd.Series) -> np.ndarray:
    """The positions that sort rows by date (missing last), then id: the order every table is in."""
    id_codes, _ = pd.factorize(ids, sort=True)
    return np.lexsort((id_codes, seconds))


def codes_in(values: pd.Series | np.ndarray, categories: list[str] | tuple[str, ...]) -> np.ndarray:
    """The position of each value in ``categories`` (-1 when absent), looking each distinct value up once."""
    codes, uniques = pd.factorize(values)
    positions = pd.Index(list(categories), dtype=object).get_indexer(np.asarray(uniques, dtype=object))
    return np.append(positions, -1)[codes]


def record_frames(record: Record) -> Frames:
    """Every part of ``record`` as a typed DataFrame; the columns are the model's fields."""
    pr_fields = [f for f in field_names(PullRequest) if f != "files"]
    prs = _rows_frame(record.pull_requests, pr_fields, PR_COLUMNS)
    prs["files_known"] = pd.Series([pr.files is not None for pr in record.pull_requests], dtype="bool")
    listed = [(pr.node_id, pr.files) for pr in record.pull_requests if pr.files]
    changed = [f for _, files in listed for f in files]
    files = typed_frame(
        {
            "pr": np.repeat(
                np.asarray([node for node, _ in listed], dtype=object), [len(f) for _, f in listed]
            ),
            **{name: [getattr(f, name) for f in changed] for name in FILE_COLUMNS[1:]},
        },
        FILE_COLUMNS,
    )
    return Frames(
        prs=prs,
        files=files,
        issues=_rows_frame(record.issues, ISSUE_COLUMNS, ISSUE_COLUMNS),
        reviews=_rows_frame(record.reviews, REVIEW_COLUMNS, REVIEW_COLUMNS),
        repos=_rows_frame(record.repos, REPO_COLUMNS, REPO_COLUMNS),
        profile=_rows_frame((record.profile,), PROFILE_COLUMNS, PROFILE_COLUMNS),
        discussions=_rows_frame(record.discussions, DISCUSSION_COLUMNS, DISCUSSION_COLUMNS),
        comments=_rows_frame(record.comments, COMMENT_COLUMNS, COMMENT_COLUMNS),
        commit_years=_rows_frame(record.commit_years, COMMIT_YEAR_COLUMNS, COMMIT_YEAR_COLUMNS),
    )


def hide_frames(frames: Frames, hidden: Collection[str]) -> Frames:
    """``frames`` without the contributions whose URLs are ``hidden``, as ``site.hide_contributions`` does."""
    if not hidden:
        return frames
    allowed = list(hidden)

    def kept(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame[~member_of(frame[column], allowed)].reset_index(drop=True)

    prs = kept(frames.prs, "url")
    return replace(
        frames,
        prs=prs,
        files=frames.files[member_of(frames.files["pr"], prs["node_id"])].reset_index(drop=True),
        issues=kept(frames.issues, "url"),
        reviews=kept(frames.reviews, "pr_url"),
        discussions=kept(frames.discussions, "url"),
    )
