"""The local store: one SQLite file holding every collected record, keyed by GitHub's node ids.

Saving and fetching are separate: collectors yield model records, this module only writes and reads them.
Each ``save_page`` call is one transaction, together with the cursor that says where the collection got
to, so a collection killed at any point resumes from its last committed page.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from portfolio.errors import StoreBusy
from portfolio.model import Gap, Profile, PullRequest, Record, SyncInfo, Validators
from portfolio.store_record import read_record, read_rows, row_to
from portfolio.store_schema import (
    APPLICATION_ID,
    ENRICHED,
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    Table,
    check_store_file,
    damaged,
    encode,
)

if TYPE_CHECKING:
    from portfolio.frames import Frames

T = TypeVar("T")
BUSY_TIMEOUT = 30.0  # seconds a write waits for another one to commit before giving up


class Outcomes(Protocol):
    """What per-item reads found (as ``portfolio.github.search.Outcomes`` keeps it), for one transaction."""

    gaps: list[Gap]
    settled: list[tuple[str, str]]  # (gap kind, item) read without a fault
    validators: dict[tuple[str, str], Validators]  # (kind, item) -> validators of its latest full answer


def _readable(method: Callable[..., T]) -> Callable[..., T]:
    """``method``, with damage SQLite finds only when it reads a page or a row turned into UnusableStore."""

    @functools.wraps(method)
    def guarded(self: Store, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreBusy(
                    f"The store {self.path} stayed locked by another program for {self.busy_timeout:g} s: "
                    "let it finish, then try again."
                ) from None
            raise damaged(self.path, "its rows cannot be read") from None
        except sqlite3.DatabaseError:
            raise damaged(self.path, "its rows cannot be read") from None

    return guarded


class Store:
    """One SQLite file of collected records; open it with ``Store.open(path)`` or ``Store(":memory:")``."""

    def __init__(self, path: str | Path, busy_timeout: float = BUSY_TIMEOUT) -> None:
        if str(path) != ":memory:":
            check_store_file(path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.busy_timeout = busy_timeout
        self.conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self._use_wal()
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

    @_readable
    def _use_wal(self) -> None:
        """Switch the file to write-ahead logging (kept in the file), waiting out another process's switch."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                # Two processes creating a store at once meet in SQLite's deadlock check, which answers
                # "locked" at once instead of calling the busy handler: try again until the busy timeout.
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    @_readable
    def migrate(self) -> None:
        """Bring the schema up to ``SCHEMA_VERSION``, one migration per transaction."""
        while self.version < SCHEMA_VERSION:
            with self._writing():
                # Read again under the write lock: another process may have migrated while this one waited.
                version = self.version
                if version < SCHEMA_VERSION:
                    for statement in MIGRATIONS[version]:
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {version + 1}")
        if self.conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if self._missing_model_columns():
            with self._writing():
                for table, column in self._missing_model_columns():
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")

    def _missing_model_columns(self) -> list[tuple[str, str]]:
        """(table, column) for each optional field the model gained since the table was created."""
        missing = []
        for table in TABLES.values():
            present = {row["name"] for row in self.conn.execute(f"PRAGMA table_info({table.name})")}
            missing += [(table.name, column) for column in table.columns if column not in present]
        return missing

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A transaction that takes the write lock at once, so what it reads first no other writer changes."""
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            yield

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Hold the store's one collection slot while a collection runs; StoreBusy if another holds it."""
        if str(self.path) == ":memory:":
            yield
            return
        # An exclusive transaction on a lock file beside the store: SQLite's own file locking, on every
        # platform, released by the system even when the holder is killed. Readers never take it.
        lock = sqlite3.connect(f"{self.path}-collecting", timeout=0, isolation_level=None)
        try:
            try:
                lock.execute("BEGIN EXCLUSIVE")
            except sqlite3.OperationalError:
                raise StoreBusy(
                    f"Another collection is writing to the store {self.path}: "
                    "wait for it to finish, then run this one again."
                ) from None
            yield
        finally:
            lock.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of writes: all of it lands or none does."""
        with self.conn:
            yield self.conn

    # -- writing ---------------------------------------------------------------------------------------

    def _upsert(self, conn: sqlite3.Connection, items: Iterable[Any]) -> int:
        rows_by_table: dict[Table, list[tuple]] = {}
        for item in items:
            table = TABLES[type(item)]
            rows_by_table.setdefault(table, []).append(tuple(encode(getattr(item, c)) for c in table.columns))
        for table, rows in rows_by_table.items():
            cols = table.columns
            updates = ", ".join(
                f"{c} = COALESCE(excluded.{c}, {c})" if c in ENRICHED[table.name] else f"{c} = excluded.{c}"
                for c in cols
                if c != table.key
            )
            conn.executemany(
                f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                f"ON CONFLICT({table.key}) DO UPDATE SET {updates}",
                rows,
            )
        return sum(len(r) for r in rows_by_table.values())

    @_readable
    def save(self, items: Iterable[Any]) -> int:
        """Upsert model records of any kind in one transaction; returns how many were written."""
        with self.transaction() as conn:
            return self._upsert(conn, items)

    @_readable
    def save_page(
        self,
        login: str,
        stream: str,
        items: Iterable[Any],
        cursor: str | None,
        done: bool = False,
        outcomes: Outcomes | None = None,
    ) -> int:
        """Upsert one fetched page, its gaps, and where its stream got to, in one transaction."""
        with self.transaction() as conn:
            count = self._upsert(conn, items)
            if outcomes is not None:
                self._save_outcomes(conn, login, outcomes)
            conn.execute(
                "INSERT INTO cursors (login, stream, cursor, done, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(login, stream) DO UPDATE SET cursor = excluded.cursor, done = excluded.done, "
                "updated_at = excluded.updated_at",
                (login, stream, cursor, int(done), _now()),
            )
        return count

    @_readable
    def replace_record(self, record: Record, sync: SyncInfo | None) -> None:
        """Make ``record`` the login's stored work, with ``sync`` as its latest collection, in one transaction.

        The login's pull requests, issues, reviews, discussions, comments and commit counts are replaced, so importing a file twice, or after an
        older file, leaves exactly what the file holds. Repositories are shared between logins: they are
        upserted by the usual rule, so a poorer file never erases what a richer collection learned.
        """
        login = record.profile.login
        sync = None if sync is None else replace(sync, login=login)
        items = [
            record.profile,
            *record.repos,
            *record.pull_requests,
            *record.issues,
            *record.reviews,
            *record.discussions,
            *record.comments,
            *record.commit_years,
        ]
        with self.transaction() as conn:
            for table in ("pull_requests", "issues", "reviews", "discussions", "comments"):
                conn.execute(f"DELETE FROM {table} WHERE author = ?", (login,))
            conn.execute("DELETE FROM commit_years WHERE login = ?", (login,))
            conn.execute("DELETE FROM cursors WHERE login = ?", (login,))
            conn.execute("DELETE FROM gaps WHERE login = ?", (login,))
            # The file's rows may be older than GitHub's answers these validators vouch for: a 304 must
            # not keep them, so the next read of this profile and these repositories is a full one.
            conn.executemany(
                "DELETE FROM validators WHERE kind = ? AND item = ?",
                [("user", login), *(("repository", r.full_name) for r in record.repos)],
            )
            self._upsert(conn, items)
            if sync is not None and self.last_sync(login) != sync:
                conn.execute(
                    "INSERT INTO syncs (login, backend, started_at, finished_at, complete, limits, requests) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        login,
                        sync.backend,
                        encode(sync.started_at),
                        encode(sync.finished_at),
                        int(sync.complete),
                        json.dumps(list(sync.limits)),
                        sync.requests,
                    ),
                )

    @_readable
    def save_outcomes(self, login: str, items: Iterable[Any], outcomes: Outcomes) -> None:
        """Upsert records with the gaps found and closed, and the validators got, while reading them."""
        with self.transaction() as conn:
            self._upsert(conn, items)
            self._save_outcomes(conn, login, outcomes)

    def _save_outcomes(self, conn: sqlite3.Connection, login: str, outcomes: Outcomes) -> None:
        conn.executemany(
            "DELETE FROM gaps WHERE login = ? AND kind = ? AND item = ?",
            [(login, kind, item) for kind, item in outcomes.settled],
        )
        conn.executemany(
            "INSERT INTO gaps (login, kind, item, reason, recorded_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(login, kind, item) DO UPDATE SET reason = excluded.reason, "
            "recorded_at = excluded.recorded_at",
            [(login, g.kind, g.item, g.reason, _now()) for g in outcomes.gaps],
        )
        conn.executemany(
            "INSERT INTO validators (kind, item, etag, last_modified, recorded_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(kind, item) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, recorded_at = excluded.recorded_at",
            [
                (kind, item, v.etag, v.last_modified, _now())
                for (kind, item), v in outcomes.validators.items()
            ],
        )

    @_readable
    def validators(self, kind: str, items: Iterable[str]) -> dict[str, Validators]:
        """The stored validators of ``items`` of ``kind`` ("user" or "repository"), by the names asked for."""
        stored = {
            r["item"].lower(): Validators(r["etag"], r["last_modified"])
            for r in self.conn.execute(
                "SELECT item, etag, last_modified FROM validators WHERE kind = ?", (kind,)
            ).fetchall()
        }
        return {item: stored[item.lower()] for item in items if item.lower() in stored}

    @_readable
    def gaps(self, login: str) -> list[Gap]:
        """What the collections of ``login`` could not read and have not read since, by kind then item."""
        rows = self.conn.execute(
            "SELECT kind, item, reason FROM gaps WHERE login = ? ORDER BY kind, item", (login,)
        ).fetchall()
        return [Gap(r["kind"], r["item"], r["reason"]) for r in rows]

    @_readable
    def pull_request(self, url: str) -> PullRequest | None:
        """The stored pull request at ``url``, or None."""
        found = read_rows(self.conn, PullRequest, "url = ?", (url,))
        return found[0] if found else None

    @_readable
    def mark_repos_fetched(self, names: Iterable[str], when: datetime | None = None) -> None:
        """Remember when repository metadata was last fetched, for its refresh TTL."""
        stamp = encode(when or datetime.now(UTC))
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE repos SET fetched_at = ? WHERE full_name = ?", [(stamp, n) for n in names]
            )

    # -- cursors and syncs -----------------------------------------------------------------------------

    @_readable
    def cursor(self, login: str, stream: str) -> tuple[str | None, bool] | None:
        """Where ``stream`` of ``login`` got to: (cursor, done), or None if it never started."""
        row = self.conn.execute(
            "SELECT cursor, done FROM cursors WHERE login = ? AND stream = ?", (login, stream)
        ).fetchone()
        return None if row is None else (row["cursor"], bool(row["done"]))

    @_readable
    def clear_cursors(self, login: str) -> None:
        """Forget the stream positions of ``login`` once a collection has completed."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM cursors WHERE login = ?", (login,))

    @_readable
    def start_sync(self, login: str, backend: str, limits: Iterable[str] = ()) -> int:
        """Record that a collection of ``login`` started; returns its id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO syncs (login, backend, started_at, complete, limits) VALUES (?, ?, ?, 0, ?)",
                (login, backend, _now(), json.dumps(list(limits))),
            )
        return int(cur.lastrowid)

    @_readable
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

    @_readable
    def last_sync(self, login: str, complete_only: bool = False) -> SyncInfo | None:
        """The latest collection of ``login`` (the latest complete one with ``complete_only``)."""
        where = "login = ?" + (" AND complete = 1" if complete_only else "")
        row = self.conn.execute(
            f"SELECT * FROM syncs WHERE {where} ORDER BY id DESC LIMIT 1", (login,)
        ).fetchone()
        if row is None:
            return None
        try:
            return SyncInfo(
                login=row["login"],
                backend=row["backend"],
                started_at=datetime.fromisoformat(row["started_at"]),
                finished_at=datetime.fromisoformat(row["finished_at"]) if row["finished_at"] else None,
                complete=bool(row["complete"]),
                limits=tuple(json.loads(row["limits"] or "[]")),
                requests=row["requests"],
            )
        except (ValueError, TypeError) as error:
            raise sqlite3.DataError("a sync row cannot be decoded") from error

    # -- reading ---------------------------------------------------------------------------------------

    @_readable
    def logins(self) -> list[str]:
        """Every login with a stored profile and at least one sync, sorted case-insensitively."""
        rows = self.conn.execute(
            "SELECT p.login FROM profiles p WHERE EXISTS (SELECT 1 FROM syncs s WHERE s.login = p.login) "
            "ORDER BY p.login COLLATE NOCASE"
        ).fetchall()
        return [r["login"] for r in rows]

    @_readable
    def profile(self, login: str) -> Profile | None:
        """The stored profile of ``login``, or None."""
        row = self.conn.execute("SELECT * FROM profiles WHERE login = ?", (login,)).fetchone()
        return None if row is None else row_to(Profile, row)

    @_readable
    def repos_fetched_before(self, names: Iterable[str], cutoff: datetime) -> set[str]:
        """Which of ``names`` have no metadata, or metadata fetched before ``cutoff``."""
        wanted = set(names)
        fresh = {
            r["full_name"]
            for r in self.conn.execute(
                "SELECT full_name FROM repos WHERE fetched_at >= ?", (encode(cutoff),)
            ).fetchall()
        }
        lowered = {f.lower() for f in fresh}
        return {n for n in wanted if n.lower() not in lowered}

    @_readable
    def touched_repos(self, login: str) -> list[str]:
        """Repositories ``login`` contributed to, most contributions first, then by name."""
        rows = self.conn.execute(
            "SELECT repo, COUNT(*) AS n FROM (SELECT repo FROM pull_requests WHERE author = ? "
            "UNION ALL SELECT repo FROM issues WHERE author = ? UNION ALL SELECT repo FROM reviews WHERE author = ? "
            "UNION ALL SELECT repo FROM discussions WHERE author = ?) "
            "GROUP BY repo COLLATE NOCASE ORDER BY n DESC, repo",
            (login, login, login, login),
        ).fetchall()
        return [r["repo"] for r in rows]

    @_readable
    def load_record(self, login: str) -> Record | None:
        """Everything stored for ``login``, sorted stably, or None if its profile was never collected."""
        return read_record(self.conn, login)

    @_readable
    def load_frames(self, login: str) -> Frames | None:
        """What ``load_record`` returns, as the track record's typed frames, read a column at a time."""
        from portfolio.store_frames import read_frames  # it loads pandas, which writing never needs

        return read_frames(self.conn, login)


def _now() -> str:
    return datetime.now(UTC).isoformat()
