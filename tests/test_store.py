"""The SQLite store: round trips, upserts, migrations, cursors and sync metadata."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from portfolio.errors import UnusableStore
from portfolio.github.search import Outcomes
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
    Validators,
)
from portfolio.store import MIGRATIONS, SCHEMA_VERSION, Store

T0 = datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)

PROFILE = Profile("octo-cat", name="Octo Cat", followers=3, created_at=T0, bio="<b>bio</b> 🐙")
REPO = Repo("org/proj", "org", "Organization", stars=1200, topics=("python", "hacktoberfest"), is_fork=False)
PR = PullRequest(
    node_id="PR_1", repo="org/proj", number=7, title="docs: 修正 <script>", url="https://github.com/org/proj/pull/7",
    author="octo-cat", state="merged", created_at=T0, merged_at=T0, labels=("documentation",),
    files=(ChangedFile("docs/a.md", "modified", 3, 1),), additions=3, deletions=1, changed_files=1,
    closes=("https://github.com/org/proj/issues/6",), draft=False,
)  # fmt: skip
ISSUE = Issue("I_1", "org/proj", 6, "bug", "https://github.com/org/proj/issues/6", "octo-cat", "closed", T0,
              state_reason="completed", closed_by=("https://github.com/org/proj/pull/7",))  # fmt: skip
REVIEW = Review(
    "PRR_1", "https://github.com/org/proj/pull/9", "org/proj", "octo-cat", "APPROVED", T0, 2, "someone"
)


def store_at_schema(path, version: int) -> sqlite3.Connection:
    """A new SQLite file at the older schema ``version``, open for the rows its migration must keep."""
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:version]:
        for statement in migration:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def test_round_trip_returns_equal_records():
    """Every model type comes back from SQLite equal to what went in, unicode and tuples included."""
    store = Store(":memory:")
    store.save([PROFILE, REPO, PR, ISSUE, REVIEW])
    record = store.load_record("octo-cat")
    assert record.profile == PROFILE
    assert record.repos == (REPO,)
    assert record.pull_requests == (PR,)
    assert record.issues == (ISSUE,)
    assert record.reviews == (REVIEW,)


def test_logins_are_case_insensitive():
    """GitHub logins ignore case, so the store does too."""
    store = Store(":memory:")
    store.save([PROFILE, PR])
    assert store.load_record("OCTO-CAT").pull_requests == (PR,)


def test_upsert_by_node_id_replaces_without_duplicates():
    """Saving a changed record under the same node id updates it in place."""
    store = Store(":memory:")
    store.save([PROFILE, replace(PR, state="open", merged_at=None)])
    store.save([PR])
    assert store.load_record("octo-cat").pull_requests == (PR,)


def test_poorer_path_does_not_erase_what_a_richer_one_saw():
    """An anonymous refresh (files unknown) keeps the files an authenticated run stored."""
    store = Store(":memory:")
    store.save([PROFILE, PR])
    store.save([replace(PR, files=None, additions=None, title="docs: renamed")])
    stored = store.load_record("octo-cat").pull_requests[0]
    assert stored.files == PR.files
    assert stored.title == "docs: renamed"


def test_save_page_is_one_transaction(tmp_path):
    """A page that fails half-way writes neither its records nor its cursor."""
    store = Store(tmp_path / "s.sqlite")
    store.save([PROFILE])
    with pytest.raises(KeyError):
        store.save_page("octo-cat", "pr", [PR, object()], "2024-03-04T05:06:07Z")
    assert store.load_record("octo-cat").pull_requests == ()
    assert store.cursor("octo-cat", "pr") is None
    store.save_page("octo-cat", "pr", [PR], "2024-03-04T05:06:07Z")
    assert store.cursor("octo-cat", "pr") == ("2024-03-04T05:06:07Z", False)


def test_fresh_store_is_at_current_schema(tmp_path):
    """A new file is created and migrated to the current schema version."""
    path = tmp_path / "deep" / "dir" / "s.sqlite"
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION == len(MIGRATIONS)
    assert path.exists()


def test_old_schema_is_migrated_keeping_rows(tmp_path):
    """A store written at schema 1 is upgraded in place and keeps its records."""
    path = tmp_path / "old.sqlite"
    conn = store_at_schema(path, 1)
    conn.execute("INSERT INTO profiles (login, name) VALUES ('octo-cat', 'Octo Cat')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION
        assert store.profile("octo-cat").name == "Octo Cat"
        columns = {row[1] for row in store.conn.execute("PRAGMA table_info(repos)")}
        assert "fetched_at" in columns


def test_newer_schema_is_refused(tmp_path):
    """A store from a newer version is not silently misread."""
    path = tmp_path / "new.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(UnusableStore, match="newer portfolio"):
        Store(path)


def test_sync_metadata_records_backend_and_limits():
    """A sync says when it ran, over which backend, whether it finished and what it could not see."""
    store = Store(":memory:")
    sync_id = store.start_sync("octo-cat", "rest", ["no token: files unknown"])
    assert store.last_sync("octo-cat", complete_only=True) is None
    store.finish_sync(sync_id, complete=True, requests=12)
    sync = store.last_sync("octo-cat", complete_only=True)
    assert (sync.backend, sync.complete, sync.requests, sync.limits) == (
        "rest",
        True,
        12,
        ("no token: files unknown",),
    )
    assert sync.finished_at >= sync.started_at


def test_touched_repos_orders_by_contribution_count():
    """The repositories a login touched come most-contributed first."""
    store = Store(":memory:")
    other = replace(PR, node_id="PR_2", repo="me/tool", number=1)
    store.save([PROFILE, PR, replace(PR, node_id="PR_3", number=8), other, ISSUE])
    assert store.touched_repos("octo-cat") == ["org/proj", "me/tool"]


ANSWER = Discussion(
    "DC_1", "answer", "org/proj", "How to cache?", "https://github.com/org/proj/discussions/3#discussioncomment-1",
    "octo-cat", T0, "https://github.com/org/proj/discussions/3", "asker", "Q&A", None, 4, "NONE", T0,
)  # fmt: skip
COMMENT = Comment(
    "IC_1", "org/proj", "octo-cat", T0, "https://github.com/org/proj/issues/6", "someone", "org", 12
)
COMMITS = CommitYear("octo-cat/2024", "octo-cat", 2024, 310)
SIGNALS = replace(ISSUE, body_length=420, has_steps=True, has_code=False, has_environment=True)


def test_answers_comments_commits_and_report_signals_round_trip():
    """Answers, comment counts, commit years and issue report signals come back equal, booleans as booleans."""
    store = Store(":memory:")
    store.save([PROFILE, REPO, SIGNALS, ANSWER, COMMENT, COMMITS])
    record = store.load_record("octo-cat")
    assert record.issues == (SIGNALS,)
    assert (record.discussions, record.comments, record.commit_years) == ((ANSWER,), (COMMENT,), (COMMITS,))
    assert record.repos == (REPO,)


def test_schema_2_store_gains_the_engagement_tables_and_signal_columns(tmp_path):
    """A store at schema 2 is migrated to the answers, comments and commit tables and keeps its issues."""
    path = tmp_path / "two.sqlite"
    conn = store_at_schema(path, 2)
    conn.execute("ALTER TABLE issues DROP COLUMN has_steps")
    conn.execute("INSERT INTO profiles (login) VALUES ('octo-cat')")
    conn.execute("INSERT INTO issues (node_id, author, title) VALUES ('I_9', 'octo-cat', 'old')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION
        tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"discussions", "comments", "commit_years"} <= tables
        store.save([COMMENT, COMMITS])
        issue = store.conn.execute("SELECT title, has_steps FROM issues WHERE node_id = 'I_9'").fetchone()
        assert tuple(issue) == ("old", None)


def test_schema_4_store_gains_the_validators_table_and_keeps_its_gaps(tmp_path):
    """A store at schema 4 is migrated to hold validators, keeps its gaps, and starts with none stored."""
    path = tmp_path / "four.sqlite"
    conn = store_at_schema(path, 4)
    conn.execute(
        "INSERT INTO gaps (login, kind, item, reason) VALUES ('octo-cat', 'repository', 'org/proj', 'gone')"
    )
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION
        assert [g.item for g in store.gaps("octo-cat")] == ["org/proj"]
        assert store.validators("repository", ["org/proj"]) == {}


def test_validators_are_found_whatever_the_case_and_left_out_of_the_record():
    """Validators come back under the names asked for, ignoring case, and are no part of the loaded record."""
    store = Store(":memory:")
    outcomes = Outcomes()
    outcomes.validated("repository", "Org/Proj", Validators('W/"1"', "Mon, 04 Mar 2024 05:06:07 GMT"))
    store.save_outcomes("octo-cat", [PROFILE, REPO, PR], outcomes)
    assert store.validators("repository", ["org/proj", "org/other"]) == {
        "org/proj": Validators('W/"1"', "Mon, 04 Mar 2024 05:06:07 GMT")
    }
    assert store.load_record("octo-cat").repos == (REPO,)
