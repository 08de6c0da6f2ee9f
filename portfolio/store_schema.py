"""The store's SQLite schema: its tables, their migrations, how values are encoded, which files hold one.

``portfolio.store`` reads and writes through these definitions; this module only describes the file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from portfolio.errors import UnusableStore
from portfolio.model import (
    ChangedFile,
    Comment,
    CommitYear,
    Discussion,
    Issue,
    Profile,
    PullRequest,
    Repo,
    Review,
)

# Columns a poorer path (REST without a token) cannot see: a later sync that sees None keeps the old value,
# so an anonymous refresh never erases what an authenticated one learned.
ENRICHED = {
    "pull_requests": {
        "additions",
        "deletions",
        "changed_files",
        "files",
        "merged_by",
        "closes",
        "comments",
        "closes_labels",
    },
    "issues": {"closed_by", "comments", "body_length", "has_steps", "has_code", "has_environment"},
    "reviews": {"comments", "state", "submitted_at", "pr_author"},
    "repos": {
        "owner_type",
        "stars",
        "forks",
        "language",
        "topics",
        "is_fork",
        "archived",
        "description",
        "html_url",
        "node_id",
    },
    "profiles": set(),
    "discussions": set(),
    "comments": set(),
    "commit_years": set(),
}


@dataclass(frozen=True)
class Table:
    """One model class's table: its name, its columns (the class's fields) and its primary key."""

    name: str
    cls: type
    key: str

    @cached_property  # read once per row written
    def columns(self) -> list[str]:
        return [f.name for f in fields(self.cls)]


TABLES = {
    Profile: Table("profiles", Profile, "login"),
    Repo: Table("repos", Repo, "full_name"),
    PullRequest: Table("pull_requests", PullRequest, "node_id"),
    Issue: Table("issues", Issue, "node_id"),
    Review: Table("reviews", Review, "node_id"),
    Discussion: Table("discussions", Discussion, "node_id"),
    Comment: Table("comments", Comment, "node_id"),
    CommitYear: Table("commit_years", CommitYear, "key"),
}
# The tables of the first schema; later tables come with the migration that added them.
FIRST_TABLES = (Profile, Repo, PullRequest, Issue, Review)


def _columns_sql(table: Table) -> str:
    nocase = {
        "login",
        "author",
        "full_name",
        "repo",
        "owner_login",
        "pr_author",
        "discussion_author",
        "thread_author",
        "repo_owner",
    }
    cols = []
    for name in table.columns:
        collate = " COLLATE NOCASE" if name in nocase else ""
        primary = " PRIMARY KEY" if name == table.key else ""
        cols.append(f"{name}{collate}{primary}")
    return ", ".join(cols)


# Each entry upgrades the schema by one version; a database is at version len(MIGRATIONS) when current.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        *(f"CREATE TABLE {TABLES[cls].name} ({_columns_sql(TABLES[cls])})" for cls in FIRST_TABLES),
        "CREATE TABLE syncs (id INTEGER PRIMARY KEY, login TEXT COLLATE NOCASE, backend TEXT, "
        "started_at TEXT, finished_at TEXT, complete INTEGER, limits TEXT, requests INTEGER)",
        "CREATE TABLE cursors (login TEXT COLLATE NOCASE, stream TEXT, cursor TEXT, done INTEGER, "
        "updated_at TEXT, PRIMARY KEY (login, stream))",
    ),
    (
        "CREATE INDEX pull_requests_author ON pull_requests (author)",
        "CREATE INDEX issues_author ON issues (author)",
        "CREATE INDEX reviews_author ON reviews (author)",
        "ALTER TABLE repos ADD COLUMN fetched_at TEXT",
    ),
    # Answers and discussions, comments kept as counts, commits per year. The report signals of issues
    # (body_length, has_steps, ...) are new optional columns, added by Store.migrate.
    (
        *(
            f"CREATE TABLE {TABLES[cls].name} ({_columns_sql(TABLES[cls])})"
            for cls in (Discussion, Comment, CommitYear)
        ),
        "CREATE INDEX discussions_author ON discussions (author)",
        "CREATE INDEX comments_author ON comments (author)",
        "CREATE INDEX commit_years_login ON commit_years (login)",
    ),
    (
        "CREATE TABLE gaps (login TEXT COLLATE NOCASE, kind TEXT, item TEXT COLLATE NOCASE, reason TEXT, "
        "recorded_at TEXT, PRIMARY KEY (login, kind, item))",
    ),
    # The validators of GitHub's last full answer for a profile ("user") or a repository: a cache, kept out
    # of exports, so a later read can be conditional and a 304 keeps the stored row.
    (
        "CREATE TABLE validators (kind TEXT, item TEXT COLLATE NOCASE, etag TEXT, last_modified TEXT, "
        "recorded_at TEXT, PRIMARY KEY (kind, item))",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
# SQLite's header field for "which program's file is this" ("PFOL"); stores older than it carry 0.
APPLICATION_ID = 0x50464F4C
_SQLITE_MAGIC = b"SQLite format 3\x00"
CHOOSE_ANOTHER = "move it aside or choose another store with --db or PORTFOLIO_DB"


_FILE_FIELDS = tuple(f.name for f in fields(ChangedFile))


# The fields encode turns into text or 0/1, by name, so that every reader turns them back alike.
TIME_FIELDS = frozenset({"created_at", "closed_at", "merged_at", "updated_at", "submitted_at"})
TUPLE_FIELDS = frozenset({"labels", "topics", "closes", "closed_by", "closes_labels"})
BOOL_FIELDS = frozenset(
    {"draft", "is_fork", "archived", "has_steps", "has_code", "has_environment", "answered"}
)


def encode(value: Any) -> Any:
    """A model value as something SQLite stores: ISO text for datetimes, JSON for tuples."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, tuple):
        # Fields by name, not astuple, which deep-copies each file: a 10k record has 14k files.
        return json.dumps(
            [[getattr(v, name) for name in _FILE_FIELDS] if isinstance(v, ChangedFile) else v for v in value],
            ensure_ascii=False,
        )
    return value


def damaged(path: str | Path, why: str) -> UnusableStore:
    """The error for a store file SQLite cannot read, saying ``why`` and what to do."""
    return UnusableStore(
        f"{path} is a damaged SQLite database ({why}): {CHOOSE_ANOTHER}, or restore a copy of it."
    )


def check_store_file(path: str | Path) -> None:
    """Refuse, without writing to it, a file at ``path`` that is not a store this version can use.

    A missing or empty file is fine (it becomes a new store). Anything else must be an intact SQLite
    database that is ours (our application id, or an older store's tables) at a schema we know.
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as error:
        raise UnusableStore(
            f"The store {path} cannot be read ({error.strerror}): {CHOOSE_ANOTHER}."
        ) from None
    if not header:
        return
    if header != _SQLITE_MAGIC:
        raise UnusableStore(
            f"{path} is not a portfolio store (it is not an SQLite database): {CHOOSE_ANOTHER}."
        )
    try:
        application_id, version, tables = _inspect(path)
    except sqlite3.DatabaseError as error:
        raise damaged(path, str(error).splitlines()[0][:100]) from None
    except UnicodeDecodeError:
        # SQLite quoted damaged bytes (a table name, say) in its own error message.
        raise damaged(path, "its schema cannot be read") from None
    ours = application_id == APPLICATION_ID or (
        application_id == 0 and (not tables or {TABLES[cls].name for cls in FIRST_TABLES} <= tables)
    )
    if not ours:
        raise UnusableStore(
            f"{path} is an SQLite database of another program, not a portfolio store: {CHOOSE_ANOTHER}."
        )
    if version > SCHEMA_VERSION:
        raise UnusableStore(
            f"{path} was written by a newer portfolio (schema {version}; this one reads up to {SCHEMA_VERSION}): "
            f"upgrade portfolio, or {CHOOSE_ANOTHER}."
        )


def _inspect(path: Path) -> tuple[int, int, set[str]]:
    """The application id, schema version and table names of an SQLite file, read without writing to it."""
    # Without a write-ahead log no connection is open, so read the file as immutable: a read-only open of
    # a WAL database would leave -wal and -shm files beside a file that may not even be ours.
    wal = path.with_name(path.name + "-wal").exists()
    mode = "mode=ro" if wal else "immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=30)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(1)")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("it fails SQLite's integrity check")
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return application_id, version, tables
