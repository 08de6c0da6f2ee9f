"""One login's stored record read straight into the track record's DataFrames, a column at a time.

:meth:`portfolio.store.Store.load_record` builds one model object per row and
:func:`portfolio.frames.record_frames` takes them apart again; this reads the same rows as columns, decodes
each column in one pass (ISO times by pandas, JSON lists in one parse, changed files by SQLite's
``json_each``) and returns :class:`~portfolio.frames.Frames` equal to ``record_frames(load_record(login))``:
the same rows, in the same order, with the same dtypes.
"""

from __future__ import annotations

import json
import sqlite3
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


def read_frames(conn: sqlite3.Connection, login: str) -> Frames | None:
    """Everything stored for ``login`` as typed frames, or None if its profile was never collected."""
    profile = _frame(conn, "profiles", PROFILE_COLUMNS, "login = ?", (login,), "rowid")
    if profile.empty:
        return None
    owned = (login,)
    known = {"files_known": "files IS NOT NULL"}  # the files column itself becomes the files frame
    prs = _frame(conn, "pull_requests", PR_COLUMNS, "author = ?", owned, _BY_NUMBER, known)
    issues = _frame(conn, "issues", ISSUE_COLUMNS, "author = ?", owned, _BY_NUMBER)
    reviews = _frame(conn, "reviews", REVIEW_COLUMNS, "author = ?", owned, "node_id")
    discussions = _frame(conn, "discussions", DISCUSSION_COLUMNS, "author = ?", owned, "node_id")
    touched = {
        repo.lower()
        for frame in (prs, issues, reviews, discussions)
        for repo in frame["repo"].dropna().unique()
    }
    repos = _frame(conn, "repos", REPO_COLUMNS, "1 = 1", (), "full_name COLLATE BINARY")
    kept = [name.lower() in touched for name in repos["full_name"]]
    return Frames(
        prs=prs,
        files=_files(conn, login, prs["node_id"]),
        issues=issues,
        reviews=reviews,
        repos=repos[kept].reset_index(drop=True),
        profile=profile,
        discussions=discussions,
        comments=_frame(conn, "comments", COMMENT_COLUMNS, "author = ?", owned, "node_id"),
        commit_years=_frame(conn, "commit_years", COMMIT_YEAR_COLUMNS, "login = ?", owned, "year"),
    )


def _frame(
    conn: sqlite3.Connection,
    table: str,
    names: list[str],
    where: str,
    params: tuple[Any, ...],
    order: str,
    computed: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The typed frame of ``table``'s rows in ``order``: columns ``names``, some ``computed`` by SQL."""
    computed = computed or {}
    selected = [f"{computed[name]} AS {name}" if name in computed else name for name in names]
    rows = _rows(conn, f"SELECT {', '.join(selected)} FROM {table} WHERE {where} ORDER BY {order}", params)
    try:
        columns = {
            name: _decoded(name, value) for name, value in zip(names, _columns(rows, names), strict=True)
        }
        return typed_frame(columns, names)
    except (ValueError, TypeError) as error:
        raise sqlite3.DataError(f"a row of {table} cannot be decoded") from error


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` as plain tuples (the store's row factory builds a mapping per row)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params).fetchall()


def _columns(rows: list[tuple[Any, ...]], names: list[str]) -> list[tuple[Any, ...]]:
    """``rows`` turned into one tuple per column of ``names``."""
    return list(zip(*rows, strict=True)) if rows else [() for _ in names]


def _decoded(name: str, values: tuple[Any, ...]) -> Any:
    """One column as stored, as the model holds it: times parsed, JSON lists as tuples, the rest as-is."""
    if name in TIME_FIELDS:
        return pd.to_datetime(values, utc=True, format="ISO8601")
    if name in TUPLE_FIELDS:
        # One parse of all the column's arrays: a call of json.loads per row costs more than the rest.
        parsed = json.loads("[" + ",".join("null" if v is None else v for v in values) + "]")
        return [None if v is None else tuple(v) for v in parsed]
    return values


def _files(conn: sqlite3.Connection, login: str, pr_ids: pd.Series) -> pd.DataFrame:
    """The changed files of ``login``'s pull requests (``pr_ids``, in order), then in each PR's own order."""
    # Each stored file is a JSON array [path, status, additions, deletions]; ->> gives NULL past its end.
    rows = _rows(
        conn,
        "SELECT p.node_id, f.value ->> 0, f.value ->> 1, f.value ->> 2, f.value ->> 3, f.key "
        "FROM pull_requests AS p, json_each(p.files) AS f WHERE p.author = ?",
        (login,),
    )
    *columns, keys = _columns(rows, [*FILE_COLUMNS, "key"])
    try:
        files = typed_frame(dict(zip(FILE_COLUMNS, columns, strict=True)), FILE_COLUMNS)
    except (ValueError, TypeError) as error:
        raise sqlite3.DataError("a changed file of pull_requests cannot be decoded") from error
    # Sorted here rather than by SQL: ordering every file row in SQLite costs more than reading them all.
    order = np.lexsort((np.asarray(keys, dtype="int64"), pd.Index(pr_ids).get_indexer(files["pr"])))
    return files.take(order).reset_index(drop=True)
