"""The local store: one SQLite file holding every collected record, keyed by GitHub's node ids.

Saving and fetching are separate: collectors yield model records, this module only writes and reads them.
Each ``save_page`` call is one transaction, together with the cursor that says where the collection got
to, so a collection killed at any point resumes from its last committed page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portfolio.model import ChangedFile, Issue, Profile, PullRequest, Record, Repo, Review, SyncInfo

# Columns a poorer path (REST without a token) cannot see: a later sync that sees None keeps the old value,
# so an anonymous refresh never erases what an authenticated one learned.
_ENRICHED = {
    "pull_requests": {"additions", "deletions", "changed_files", "files", "merged_by", "closes", "comments"},
    "issues": {"closed_by", "comments"},
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
}


@dataclass(frozen=True)
class _Table:
    name: str
    cls: type
    key: str

    @property
    def columns(self) -> list[str]:
        return [f.name for f in fields(self.cls)]


_TABLES = {
    Profile: _Table("profiles", Profile, "login"),
    Repo: _Table("repos", Repo, "full_name"),
    PullRequest: _Table("pull_requests", PullRequest, "node_id"),
    Issue: _Table("issues", Issue, "node_id"),
    Review: _Table("reviews", Review, "node_id"),
}


def _columns_sql(table: _Table) -> str:
    nocase = {"login", "author", "full_name", "repo", "owner_login", "pr_author"}
    cols = []
    for name in table.columns:
        collate = " COLLATE NOCASE" if name in nocase else ""
        primary = " PRIMARY KEY" if name == table.key else ""
        cols.append(f"{name}{collate}{primary}")
    return ", ".join(cols)


# Each entry upgrades the schema by one version; a database is at version len(MIGRATIONS) when current.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        *(f"CREATE TABLE {t.name} ({_columns_sql(t)})" for t in _TABLES.values()),
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
)
SCHEMA_VERSION = len(MIGRATIONS)


def _encode(value: Any) -> Any:
    """A model value as something SQLite stores: ISO text for datetimes, JSON for tuples."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, tuple):
        return json.dumps(
            [astuple(v) if isinstance(v, ChangedFile) else v for v in value], ensure_ascii=False
        )
    return value


_DATETIME_FIELDS = {"created_at", "closed_at", "merged_at", "updated_at", "submitted_at"}
_TUPLE_FIELDS = {"labels", "topics", "closes", "closed_by"}
_BOOL_FIELDS = {"draft", "is_fork", "archived"}


def _decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATETIME_FIELDS:
        return datetime.fromisoformat(value)
    if name in _TUPLE_FIELDS:
        return tuple(json.loads(value))
    if name == "files":
        return tuple(ChangedFile(*f) for f in json.loads(value))
    if name in _BOOL_FIELDS:
        return bool(value)
    return value


def _row_to(cls: type, row: sqlite3.Row) -> Any:
    return cls(**{name: _decode(name, row[name]) for name in (f.name for f in fields(cls))})


class Store:
    """One SQLite file of collected records; open it with ``Store.open(path)`` or ``Store(":memory:")``."""

    def __init__(self, path: str | Path) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating and migrating as needed) the store at ``path``."""
        return cls(path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        """The schema version of the open database."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema up to ``SCHEMA_VERSION``, one migration per transaction."""
        current = self.version
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"This store was written by a newer portfolio (schema {current}); upgrade portfolio to read it."
            )
        for version in range(current, SCHEMA_VERSION):
            with self.conn:
                for statement in MIGRATIONS[version]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")
        self._add_new_model_columns()

    def _add_new_model_columns(self) -> None:
        """Add a column for any optional field the model gained since the table was created."""
        with self.conn:
            for table in _TABLES.values():
                present = {row["name"] for row in self.conn.execute(f"PRAGMA table_info({table.name})")}
                for column in table.columns:
                    if column not in present:
                        self.conn.execute(f"ALTER TABLE {table.name} ADD COLUMN {column}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of writes: all of it lands or none does."""
        with self.conn:
            yield self.conn

    # -- writing ---------------------------------------------------------------------------------------

    def _upsert(self, conn: sqlite3.Connection, items: Iterable[Any]) -> int:
        rows_by_table: dict[_Table, list[tuple]] = {}
        for item in items:
            table = _TABLES[type(item)]
            rows_by_table.setdefault(table, []).append(
                tuple(_encode(getattr(item, c)) for c in table.columns)
            )
        for table, rows in rows_by_table.items():
            cols = table.columns
            updates = ", ".join(
                f"{c} = COALESCE(excluded.{c}, {c})" if c in _ENRICHED[table.name] else f"{c} = excluded.{c}"
                for c in cols
                if c != table.key
            )
            conn.executemany(
                f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                f"ON CONFLICT({table.key}) DO UPDATE SET {updates}",
                rows,
            )
        return sum(len(r) for r in rows_by_table.values())

    def save(self, items: Iterable[Any]) -> int:
        """Upsert model records of any kind in one transaction; returns how many were written."""
        with self.transaction() as conn:
            return self._upsert(conn, items)

    def save_page(
        self, login: str, stream: str, items: Iterable[Any], cursor: str | None, done: bool = False
    ) -> int:
        """Upsert one fetched page and record where its stream got to, in one transaction."""
        with self.transaction() as conn:
            count = self._upsert(conn, items)
            conn.execute(
                "INSERT INTO cursors (login, stream, cursor, done, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(login, stream) DO UPDATE SET cursor = excluded.cursor, done = excluded.done, "
                "updated_at = excluded.updated_at",
                (login, stream, cursor, int(done), _now()),
            )
        return count

    def mark_repos_fetched(self, names: Iterable[str], when: datetime | None = None) -> None:
        """Remember when repository metadata was last fetched, for its refresh TTL."""
        stamp = _encode(when or datetime.now(UTC))
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE repos SET fetched_at = ? WHERE full_name = ?", [(stamp, n) for n in names]
            )

    # -- cursors and syncs -----------------------------------------------------------------------------

    def cursor(self, login: str, stream: str) -> tuple[str | None, bool] | None:
        """Where ``stream`` of ``login`` got to: (cursor, done), or None if it never started."""
        row = self.conn.execute(
            "SELECT cursor, done FROM cursors WHERE login = ? AND stream = ?", (login, stream)
        ).fetchone()
        return None if row is None else (row["cursor"], bool(row["done"]))

    def clear_cursors(self, login: str) -> None:
        """Forget the stream positions of ``login`` once a collection has completed."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM cursors WHERE login = ?", (login,))

    def start_sync(self, login: str, backend: str, limits: Iterable[str] = ()) -> int:
        """Record that a collection of ``login`` started; returns its id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO syncs (login, backend, started_at, complete, limits) VALUES (?, ?, ?, 0, ?)",
                (login, backend, _now(), json.dumps(list(limits))),
            )
        return int(cur.lastrowid)

    def finish_sync(
        self, sync_id: int, complete: bool, requests: int | None, limits: Iterable[str] | None = None
    ) -> None:
        """Record how a collection ended."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE syncs SET finished_at = ?, complete = ?, requests = ?, "
                "limits = COALESCE(?, limits) WHERE id = ?",
                (
                    _now(),
                    int(complete),
                    requests,
                    None if limits is None else json.dumps(list(limits)),
                    sync_id,
                ),
            )

    def last_sync(self, login: str, complete_only: bool = False) -> SyncInfo | None:
        """The latest collection of ``login`` (the latest complete one with ``complete_only``)."""
        where = "login = ?" + (" AND complete = 1" if complete_only else "")
        row = self.conn.execute(
            f"SELECT * FROM syncs WHERE {where} ORDER BY id DESC LIMIT 1", (login,)
        ).fetchone()
        if row is None:
            return None
        return SyncInfo(
            login=row["login"],
            backend=row["backend"],
            started_at=datetime.fromisoformat(row["started_at"]),
            finished_at=datetime.fromisoformat(row["finished_at"]) if row["finished_at"] else None,
            complete=bool(row["complete"]),
            limits=tuple(json.loads(row["limits"] or "[]")),
            requests=row["requests"],
        )

    # -- reading ---------------------------------------------------------------------------------------

    def logins(self) -> list[str]:
        """Every login with a stored profile and at least one sync, sorted case-insensitively."""
        rows = self.conn.execute(
            "SELECT p.login FROM profiles p WHERE EXISTS (SELECT 1 FROM syncs s WHERE s.login = p.login) "
            "ORDER BY p.login COLLATE NOCASE"
        ).fetchall()
        return [r["login"] for r in rows]

    def profile(self, login: str) -> Profile | None:
        """The stored profile of ``login``, or None."""
        row = self.conn.execute("SELECT * FROM profiles WHERE login = ?", (login,)).fetchone()
        return None if row is None else _row_to(Profile, row)

    def repos_fetched_before(self, names: Iterable[str], cutoff: datetime) -> set[str]:
        """Which of ``names`` have no metadata, or metadata fetched before ``cutoff``."""
        wanted = set(names)
        fresh = {
            r["full_name"]
            for r in self.conn.execute(
                "SELECT full_name FROM repos WHERE fetched_at >= ?", (_encode(cutoff),)
            ).fetchall()
        }
        lowered = {f.lower() for f in fresh}
        return {n for n in wanted if n.lower() not in lowered}

    def touched_repos(self, login: str) -> list[str]:
        """Repositories ``login`` contributed to, most contributions first, then by name."""
        rows = self.conn.execute(
            "SELECT repo, COUNT(*) AS n FROM (SELECT repo FROM pull_requests WHERE author = ? "
            "UNION ALL SELECT repo FROM issues WHERE author = ? UNION ALL SELECT repo FROM reviews WHERE author = ?) "
            "GROUP BY repo COLLATE NOCASE ORDER BY n DESC, repo",
            (login, login, login),
        ).fetchall()
        return [r["repo"] for r in rows]

    def load_record(self, login: str) -> Record | None:
        """Everything stored for ``login``, sorted stably, or None if its profile was never collected."""
        profile = self.profile(login)
        if profile is None:
            return None
        by_number = lambda item: (item.repo, item.number)  # noqa: E731
        prs = tuple(sorted(self._load(PullRequest, "author = ?", (login,)), key=by_number))
        issues = tuple(sorted(self._load(Issue, "author = ?", (login,)), key=by_number))
        reviews = tuple(sorted(self._load(Review, "author = ?", (login,)), key=lambda r: r.node_id))
        touched = (
            {p.repo.lower() for p in prs}
            | {i.repo.lower() for i in issues}
            | {r.repo.lower() for r in reviews}
        )
        repos = tuple(
            sorted(
                (r for r in self._load(Repo, "1 = 1", ()) if r.full_name.lower() in touched),
                key=lambda r: r.full_name,
            )
        )
        return Record(profile=profile, repos=repos, pull_requests=prs, issues=issues, reviews=reviews)

    def _load(self, cls: type, where: str, params: tuple) -> list:
        table = _TABLES[cls]
        rows = self.conn.execute(
            f"SELECT {', '.join(table.columns)} FROM {table.name} WHERE {where}", params
        ).fetchall()
        return [_row_to(cls, row) for row in rows]


def _now() -> str:
    return datetime.now(UTC).isoformat()
