"""One login's stored record read back as model objects, a row at a time: what exports and snapshots need.

The mirror of :func:`portfolio.store_schema.encode`; :mod:`portfolio.store_frames` reads the same rows as
columns for the track record.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from datetime import datetime
from typing import Any

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
)
from portfolio.store_schema import BOOL_FIELDS, TABLES, TIME_FIELDS, TUPLE_FIELDS


def _decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in TIME_FIELDS:
        return datetime.fromisoformat(value)
    if name in TUPLE_FIELDS:
        return tuple(json.loads(value))
    if name == "files":
        return tuple(ChangedFile(*f) for f in json.loads(value))
    if name in BOOL_FIELDS:
        return bool(value)
    return value


def row_to(cls: type, row: sqlite3.Row) -> Any:
    """The model object of class ``cls`` a stored row holds; a row that does not decode is a DataError."""
    try:
        return cls(**{name: _decode(name, row[name]) for name in (f.name for f in fields(cls))})
    except (ValueError, TypeError) as error:
        raise sqlite3.DataError(f"a {cls.__name__} row cannot be decoded") from error


def read_rows(conn: sqlite3.Connection, cls: type, where: str, params: tuple) -> list:
    """The stored ``cls`` objects matching the SQL condition ``where``, in rowid order."""
    table = TABLES[cls]
    rows = conn.execute(
        f"SELECT {', '.join(table.columns)} FROM {table.name} WHERE {where}", params
    ).fetchall()
    return [row_to(cls, row) for row in rows]


def read_record(conn: sqlite3.Connection, login: str) -> Record | None:
    """Everything stored for ``login``, sorted stably, or None if its profile was never collected."""
    row = conn.execute("SELECT * FROM profiles WHERE login = ?", (login,)).fetchone()
    if row is None:
        return None
    profile = row_to(Profile, row)
    by_number = lambda item: (item.repo, item.number)  # noqa: E731
    prs = tuple(sorted(read_rows(conn, PullRequest, "author = ?", (login,)), key=by_number))
    issues = tuple(sorted(read_rows(conn, Issue, "author = ?", (login,)), key=by_number))
    reviews = tuple(sorted(read_rows(conn, Review, "author = ?", (login,)), key=lambda r: r.node_id))
    discussions = tuple(sorted(read_rows(conn, Discussion, "author = ?", (login,)), key=lambda d: d.node_id))
    comments = tuple(sorted(read_rows(conn, Comment, "author = ?", (login,)), key=lambda c: c.node_id))
    commit_years = tuple(sorted(read_rows(conn, CommitYear, "login = ?", (login,)), key=lambda y: y.year))
    touched = (
        {p.repo.lower() for p in prs}
        | {i.repo.lower() for i in issues}
        | {r.repo.lower() for r in reviews}
        | {d.repo.lower() for d in discussions}
    )
    repos = tuple(
        sorted(
            (r for r in read_rows(conn, Repo, "1 = 1", ()) if r.full_name.lower() in touched),
            key=lambda r: r.full_name,
        )
    )
    return Record(
        profile=profile,
        repos=repos,
        pull_requests=prs,
        issues=issues,
        reviews=reviews,
        discussions=discussions,
        comments=comments,
        commit_years=commit_years,
    )
