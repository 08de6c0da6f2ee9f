"""The store under concurrency: collections in separate processes, and a reader while one writes."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakehub import FakeGitHub
from fakehub.demo import DEMO_LOGIN
from portfolio.collect import collect
from portfolio.errors import StoreBusy
from portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]
LATENCY = 0.1  # seconds per answer: an anonymous collection of the demo then takes a few seconds

pytestmark = pytest.mark.slow


def start_collect(hub: FakeGitHub, db: Path) -> subprocess.Popen:
    """``python -m portfolio collect`` of the demo contributor without a token, in a new process."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env.update(PYTHONPATH=str(ROOT), PORTFOLIO_DB=str(db))
    return subprocess.Popen(
        [sys.executable, "-m", "portfolio", "collect", DEMO_LOGIN, "--api-url", hub.base_url],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_requests(hub: FakeGitHub, child: subprocess.Popen) -> None:
    """Return once ``child`` has made its first request, so it holds the store when the test goes on."""
    deadline = time.monotonic() + 60
    while hub.request_count() == 0:
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the collection never reached the fake GitHub"
        time.sleep(0.01)


def reference_record(hub: FakeGitHub):
    """The record one uninterrupted anonymous collection stores."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url)
    return store.load_record(DEMO_LOGIN)


def test_a_second_collection_of_the_same_store_stops_with_one_sentence(hub, tmp_path):
    """While one collection writes, a second one exits 6 with one sentence and no request; the store ends exact."""
    db = tmp_path / "store.sqlite"
    hub.latency = LATENCY
    first = start_collect(hub, db)
    wait_for_requests(hub, first)
    second = start_collect(hub, db)
    second_out, second_err = second.communicate(timeout=120)
    first_out, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert second.returncode == StoreBusy.exit_code == 6
    assert (second_out, second_err) == (
        "",
        f"error: Another collection is writing to the store {db}: wait for it to finish, then run this one again.\n",
    )
    assert f" in {hub.request_count()} requests into " in first_out, "the second one asked GitHub nothing"
    hub.latency = 0.0
    expected = reference_record(hub)
    with Store(db) as store:
        assert store.load_record(DEMO_LOGIN) == expected
        assert store.last_sync(DEMO_LOGIN).complete
    again = start_collect(hub, db)
    again.communicate(timeout=120)
    assert again.returncode == 0
    with Store(db) as store:
        assert store.load_record(DEMO_LOGIN) == expected


def test_two_collections_started_together_on_a_new_store_leave_one_running(hub, tmp_path):
    """Both create the store at once: neither calls it damaged, one collects and the other is told it is busy."""
    db = tmp_path / "new.sqlite"
    hub.latency = LATENCY
    children = [start_collect(hub, db), start_collect(hub, db)]
    errors = [child.communicate(timeout=120)[1] for child in children]
    assert sorted(child.returncode for child in children) == [0, 6], errors
    assert not any("damaged" in error or "Traceback" in error for error in errors)
    hub.latency = 0.0
    with Store(db) as store:
        assert store.load_record(DEMO_LOGIN) == reference_record(hub)


def test_a_reader_loads_the_record_while_a_collection_writes(hub, tmp_path):
    """Loading the record in a loop during a collection never fails, and the store ends exact."""
    db = tmp_path / "store.sqlite"
    hub.latency = LATENCY
    writer = start_collect(hub, db)
    loads, seen = 0, set()
    while writer.poll() is None:
        with Store(db) as store:
            record = store.load_record(DEMO_LOGIN)
        loads += 1
        seen.add(None if record is None else len(record.pull_requests))
    assert writer.returncode == 0, writer.communicate()[1]
    assert loads > 20 and len(seen) > 1, "the reader ran while the collection wrote"
    hub.latency = 0.0
    with Store(db) as store:
        assert store.load_record(DEMO_LOGIN) == reference_record(hub)


def test_a_store_locked_past_the_busy_timeout_is_one_sentence(tmp_path):
    """A write that waits past the busy timeout for another program's lock ends as StoreBusy, not "database is locked"."""
    db = tmp_path / "store.sqlite"
    Store(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store(db, busy_timeout=0.2) as store, pytest.raises(StoreBusy) as caught:
            store.start_sync(DEMO_LOGIN, "rest")
    finally:
        other.close()
    assert str(caught.value) == (
        f"The store {db} stayed locked by another program for 0.2 s: let it finish, then try again."
    )


def _open_store(path: str) -> str:
    """Open (creating) the store at ``path`` in a child process: "ok", or the error it raised."""
    try:
        Store(path).close()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return "ok"


def test_processes_creating_one_store_at_once_all_open_it(tmp_path):
    """Pairs of processes creating the same new store never fail on its switch to write-ahead logging."""
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        for round_ in range(40):
            path = str(tmp_path / f"new-{round_}.sqlite")
            assert pool.map(_open_store, [path, path]) == ["ok", "ok"]
