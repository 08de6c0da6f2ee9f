"""One login's stored record read straight into the track record's DataFrames, a column at a time.

:meth:`portfolio.store.Store.load_record` builds one model object per row and
:func:`portfolio.frames.record_frames` takes them apart again; this reads the same rows as columns, decodes
each column in one pass (ISO times by pandas, JSON lists and the changed files each in one parse) and
returns :class:`~portfolio.frames.Frames` equal to ``record_frames(load_record(login))``:
the same rows, in the same order, with the same dtypes.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from portfolio.frames import (
    COMMENT_COLUMNS,
    COMMIT_YEAR_COLUMNS,
    DISCUSSION_COLUMNS,
    FILE_COLUMNS,
    ISSUE_COLUMNS,
    PR_COLUMNS,
    PROFILE_COLUMNS,
    REPO_COLUMNS,
    REVIEW_COLUMNS,
    Frames,
    typed_frame,
)
from portfolio.store_schema import TIME_FIELDS, TUPLE_FIELDS

# load_record's orders: Python sorts strings by code point, as SQLite's BINARY collation does with UTF-8;
# rowid breaks ties as the stable sort of rows read in rowid order does.
_BY_NUMBER = "repo COLLATE BINARY, number, rowid"
# A stored changed file is the JSON array [path, status, additions, deletions], FILE_COLUMNS after "pr".
_FILE_FIELDS = len(FILE_COLUMNS) - 1


def read_frames(conn: sqlite3.Connection, login: str) -> Frames | None:
    """Everything stored for ``login`` as typed frames, or None if its profile was never collected."""
    with _collector_paused():
        return _read_frames(conn, login)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the rows are decoded.

    A 100k record is some 400k container objects (a tuple per row, a list per changed file) that all live
    until the frames are built and form no cycle; with the collector on, each of its full passes walks them
    all again, a quarter of the read. Only a caller that found it on turns it back on, so threads reading at
    once leave it on, as they found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_frames(conn: sqlite3.Connection, login: str) -> Frames | None:
    profile = _frame(conn, "profiles", PROFILE_COLUMNS, "login = ?", (login,), "rowid")
    if profile.empty:
        return None
    owned = (login,)
    # The stored files (JSON, NULL where unseen) are read with the rest of each PR and become the files frame.
    pr_columns = _read_columns(
        conn, "pull_requests", [*PR_COLUMNS[:-1], "files"], "author = ?", owned, _BY_NUMBER
    )
    stored_files = pr_columns.pop("files")
    pr_columns["files_known"] = [value is not None for value in stored_files]
    prs = _typed("pull_requests", pr_columns, PR_COLUMNS)
    issues = _frame(conn, "issues", ISSUE_COLUMNS, "author = ?", owned, _BY_NUMBER)
    reviews = _frame(conn, "reviews", REVIEW_COLUMNS, "author = ?", owned, "node_id")
    discussions = _frame(conn, "discussions", DISCUSSION_COLUMNS, "author = ?", owned, "node_id")
    touched = {
        repo.lower()
        for frame in (prs, issues, reviews, discussions)
        for repo in frame["repo"].dropna().unique()
    }
    repos = _frame(conn, "repos", REPO_COLUMNS, "1 = 1", (), "full_name COLLATE BINARY")
    # A boolean array, not a list: an empty list would select no columns rather than no rows.
    kept = np.array([name.lower() in touched for name in repos["full_name"]], dtype=bool)
    return Frames(
        prs=prs,
        files=_files(pr_columns["node_id"], stored_files),
        issues=issues,
        reviews=reviews,
        repos=repos[kept].reset_index(drop=True),
        profile=profile,
        discussions=discussions,
        comments=_frame(conn, "comments", COMMENT_COLUMNS, "author = ?", owned, "node_id"),
        commit_years=_frame(conn, "commit_years", COMMIT_YEAR_COLUMNS, "login = ?", owned, "year"),
    )


def _frame(
    conn: sqlite3.Connection, table: str, names: list[str], where: str, params: tuple[Any, ...], order: str
) -> pd.DataFrame:
    """The typed frame of ``table``'s rows matching ``where`` in ``order``, columns ``names``."""
    return _typed(table, _read_columns(conn, table, names, where, params, order), names)


def _read_columns(
    conn: sqlite3.Connection, table: str, names: list[str], where: str, params: tuple[Any, ...], order: str
) -> dict[str, Any]:
    """``table``'s columns ``names`` of the rows matching ``where`` in ``order``, each decoded."""
    rows = _rows(conn, f"SELECT {', '.join(names)} FROM {table} WHERE {where} ORDER BY {order}", params)
    with _refused(f"a row of {table}"):
        return {name: _decoded(name, value) for name, value in zip(names, _columns(rows, names), strict=True)}


def _typed(table: str, columns: dict[str, Any], names: list[str]) -> pd.DataFrame:
    """The frame of ``table``'s decoded ``columns`` in the order ``names``, with the track record's dtypes."""
    with _refused(f"a row of {table}"):
        return typed_frame(columns, names)


@contextmanager
def _refused(what: str) -> Iterator[None]:
    """Values that do not decode as ``what`` should become a DataError, as load_record's do."""
    try:
        yield
    except (ValueError, TypeError) as error:
        raise sqlite3.DataError(f"{what} cannot be decoded") from error


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` as plain tuples (the store's row factory builds a mapping per row)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params).fetchall()


def _columns(rows: list[tuple[Any, ...]], names: list[str]) -> list[np.ndarray]:
    """``rows`` turned into one object array per column of ``names``.

    Arrays rather than zip's tuples, which pandas copies into an array before converting them: a fifth of
    the time the 100k record's PR frame took to build.
    """
    return list(np.array(rows, dtype=object).reshape(len(rows), len(names)).T)


def _decoded(name: str, values: np.ndarray) -> Any:
    """One column as stored, as the model holds it: times parsed, JSON lists as tuples, the rest as-is."""
    if name in TIME_FIELDS:
        # Without pandas' cache of distinct values: stored times are nearly all distinct, and on a column
        # half empty (merged_at) building the cache costs six times the parse.
        return pd.to_datetime(values, utc=True, format="ISO8601", cache=False)
    if name in TUPLE_FIELDS:
        # Only the column's distinct arrays are parsed (most are empty or repeat a few labels); rows holding
        # the same array share its tuple.
        distinct = list(set(values))
        parsed = _json_arrays(distinct)
        tuples = {text: None if v is None else tuple(v) for text, v in zip(distinct, parsed, strict=True)}
        return [tuples[text] for text in values]
    return values


def _json_arrays(texts: Iterable[str | None]) -> list[Any]:
    """Stored JSON texts (None for NULL) parsed in one call, as one array of them: a call of json.loads per
    value costs more than all the rest of a column's decoding."""
    return json.loads("[" + ",".join("null" if text is None else text for text in texts) + "]")


def _files(pr_ids: np.ndarray, stored: np.ndarray) -> pd.DataFrame:
    """The changed files ``stored`` for the pull requests ``pr_ids`` (in order), then in each PR's own order."""
    listed = [(pr, files) for pr, files in zip(pr_ids, stored, strict=True) if files is not None]
    with _refused("a changed file of pull_requests"):
        # All PRs' lists in one parse: SQLite's json_each, a row per file, costs twice as much.
        parsed = _json_arrays(map(itemgetter(1), listed))
        changed = list(chain.from_iterable(parsed))
        if set(map(len, changed)) - {_FILE_FIELDS}:
            changed = [_padded(file) for file in changed]
        # A column at a time: zip(*changed), one iterator per file, took four times as long.
        fields = [list(map(itemgetter(i), changed)) for i in range(_FILE_FIELDS)]
        pr = np.repeat(np.asarray([pr for pr, _ in listed], dtype=object), [len(files) for files in parsed])
        return typed_frame(dict(zip(FILE_COLUMNS, [pr, *fields], strict=True)), FILE_COLUMNS)


def _padded(file: list[Any]) -> list[Any]:
    """A stored file [path, status, additions, deletions] whose missing trailing fields are None, as
    ChangedFile's defaults; one with no path or more fields than ChangedFile does not decode."""
    if not 1 <= len(file) <= _FILE_FIELDS:
        raise ValueError(f"a changed file has {len(file)} fields")
    return [*file, *[None] * (_FILE_FIELDS - len(file))]
