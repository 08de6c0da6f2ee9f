"""Bad input gets one sentence and exit 2: a foreign, damaged or newer store file, an inverted or future window."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from portfolio.cli import cli
from portfolio.model import Profile, PullRequest
from portfolio.store import SCHEMA_VERSION, Store

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
T0 = datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)
CHOOSE = "move it aside or choose another store with --db or PORTFOLIO_DB"


def _small_store(path: Path) -> None:
    """A real store with a profile, a few pull requests and a finished sync."""
    with Store(path) as store:
        store.save([Profile("octo-cat", name="Octo Cat", created_at=T0)])
        store.save(
            PullRequest(
                node_id=f"PR_{n}",
                repo="psf/requests",
                number=n,
                title=f"Fix {n} with a long enough title to fill a few pages " * 3,
                url=f"https://github.com/psf/requests/pull/{n}",
                author="octo-cat",
                state="merged",
                created_at=T0 + timedelta(days=n),
                labels=("bug", "docs"),
            )
            for n in range(200)
        )
        sync = store.start_sync("octo-cat", "rest")
        store.finish_sync(sync, complete=True, requests=3)
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    _small_store(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(1).randbytes(8192))


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(2).randbytes(4096))


def _truncated(path: Path) -> None:
    _small_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_STORES = {
    "random bytes": (
        _random_bytes,
        "is not a portfolio store (it is not an SQLite database): " + CHOOSE + ".",
    ),
    "SQLite header, garbage after it": (_header_then_garbage, "is a damaged SQLite database ("),
    "truncated store": (_truncated, "is a damaged SQLite database ("),
    "another program's database": (
        _foreign,
        "is an SQLite database of another program, not a portfolio store: " + CHOOSE + ".",
    ),
    "newer schema": (
        _newer,
        f"was written by a newer portfolio (schema {SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION}): "
        f"upgrade portfolio, or {CHOOSE}.",
    ),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def runner(monkeypatch, tmp_path):
    """A CLI runner with no token and a store path in its own folder."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "data" / "store.sqlite"))
    return CliRunner()


def _bad_store(tmp_path: Path, case: str) -> tuple[Path, str]:
    path = tmp_path / "data" / "store.sqlite"
    path.parent.mkdir(exist_ok=True)
    make, message = BAD_STORES[case]
    make(path)
    return path, message


@pytest.mark.parametrize("case", BAD_STORES)
@pytest.mark.parametrize("command", ["collect", "export"])
def test_unusable_store_is_one_sentence_and_exit_2(runner, hub, tmp_path, case, command):
    """A foreign, damaged or newer store file stops collect and export with exit 2, no request, the file untouched."""
    path, message = _bad_store(tmp_path, case)
    before = _snapshot(path.parent)
    args = [command, "octo-cat"] + (["--api-url", hub.base_url] if command == "collect" else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path} ")
    assert message in lines[0]
    assert "unexpected" not in result.output
    assert hub.request_count() == 0
    assert _snapshot(path.parent) == before


@pytest.mark.parametrize("case", BAD_STORES)
def test_unusable_store_is_one_sentence_on_the_dashboard(monkeypatch, tmp_path, case):
    """The dashboard over a foreign, damaged or newer store shows the CLI's sentence and leaves the file as it was."""
    import streamlit as st

    path, message = _bad_store(tmp_path, case)
    monkeypatch.setenv("PORTFOLIO_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    before = _snapshot(path.parent)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith(f"{path} ")
    assert message in at.error[0].value
    assert _snapshot(path.parent) == before


def test_store_of_an_older_version_still_opens(tmp_path):
    """A store written before the application id existed is recognised by its tables and adopted."""
    path = tmp_path / "old.sqlite"
    _small_store(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.close()
    with Store(path) as store:
        assert store.profile("octo-cat").name == "Octo Cat"
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] != 0


def test_empty_file_becomes_a_new_store(tmp_path):
    """An empty file (as `touch` leaves it) is a new store, as SQLite itself treats it."""
    path = tmp_path / "empty.sqlite"
    path.touch()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION


def test_fuzzed_store_files_never_reach_a_traceback(runner, tmp_path):
    """Truncated, zeroed and randomly overwritten stores give a sentence (or work), never a traceback or a change."""
    path = tmp_path / "data" / "store.sqlite"
    _small_store(path)
    pristine = path.read_bytes()
    rng = random.Random(20261204)
    outcomes: dict[int, int] = {}
    for trial in range(60):
        data = bytearray(pristine)
        start = rng.randrange(1, len(data))
        if trial % 3 == 0:
            data = data[:start]
        else:
            size = rng.randrange(1, 2048)
            filler = bytes(size) if trial % 3 == 1 else rng.randbytes(size)
            data[start : start + size] = filler[: len(data) - start]
        path.write_bytes(bytes(data))
        for leftover in path.parent.glob("store.sqlite-*"):
            leftover.unlink()
        result = runner.invoke(cli, ["export", "octo-cat", "--format", "md"])
        assert "Traceback" not in result.output and "unexpected" not in result.output, (trial, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (trial, result.exception)
        assert result.exit_code in (0, 2, 3), (trial, result.output)
        if result.exit_code == 2:
            assert result.output.startswith(f"error: {path} "), (trial, result.output)
        assert path.read_bytes() == bytes(data), trial
        outcomes[result.exit_code] = outcomes.get(result.exit_code, 0) + 1
    assert outcomes.get(2, 0) >= 20, outcomes


WINDOWS = [
    (
        ["export", "octo-cat", "--since", "2025-01-01", "--until", "2020-01-01"],
        "error: --since 2025-01-01 is after --until 2020-01-01: give the earlier date to --since.",
    ),
    (
        ["export", "octo-cat", "--since", "9999-12-31"],
        "error: --since 9999-12-31 is in the future (today is {today} UTC): give a date up to today, "
        "or leave --since out.",
    ),
    (
        ["export", "octo-cat", "--until", "9999-12-31"],
        "error: --until 9999-12-31 is in the future (today is {today} UTC): give a date up to today, "
        "or leave --until out.",
    ),
    (
        ["collect", "octo-cat", "--since", "9999-12-31"],
        "error: --since 9999-12-31 is in the future (today is {today} UTC): give a date up to today, "
        "or leave --since out.",
    ),
]


@pytest.mark.parametrize(
    ("args", "expected"), WINDOWS, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_impossible_window_is_exit_2_before_any_work(runner, hub, tmp_path, args, expected):
    """An inverted window or a future date is invalid input naming both values, before any request or store."""
    args = args + (["--api-url", hub.base_url] if args[0] == "collect" else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [expected.format(today=datetime.now(UTC).date())]
    assert hub.request_count() == 0
    assert list((tmp_path / "data").iterdir()) == []
