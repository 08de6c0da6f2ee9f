"""Faults on the wire: every one ends with the complete, identical record, or a clear stop that keeps what was fetched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portfolio.collect import collect
from portfolio.errors import RateLimited
from portfolio.fakehub import DEFAULT_TOKEN
from portfolio.fakehub.demo import DEMO_LOGIN
from portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]
SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."


@pytest.fixture(scope="module")
def clean_record(demo_data):
    """The demo record as an uninterrupted, fault-free REST collection stores it."""
    from portfolio.fakehub import FakeGitHub

    with FakeGitHub(demo_data) as server:
        store = Store(":memory:")
        collect(DEMO_LOGIN, store, api_url=server.base_url, token=DEFAULT_TOKEN, backend="rest")
        return store.load_record(DEMO_LOGIN)


def _collect(hub, **options):
    store = Store(":memory:")
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", **options)
    return store, result


def test_random_502s_and_timeouts_are_retried(hub, clean_record):
    """5% random 502s and 1% stalled responses still end with the complete record."""
    hub.random_faults(rate=0.05, timeout_rate=0.01, timeout_seconds=2.5, seed=7)
    store, _ = _collect(hub, timeout=1)
    assert store.load_record(DEMO_LOGIN) == clean_record
    statuses = [entry.status for entry in hub.requests]
    assert statuses.count(502) >= 10


def test_secondary_limit_with_retry_after_mid_pagination(hub, clean_record):
    """A secondary-limit 403 with Retry-After on the third search page is waited out."""
    hub.inject(
        403, after=2, path_prefix="/search/issues", headers={"Retry-After": "1"}, body={"message": SECONDARY}
    )
    store, _ = _collect(hub)
    assert store.load_record(DEMO_LOGIN) == clean_record
    assert [e.status for e in hub.requests].count(403) == 1


def test_429_is_waited_out(hub, clean_record):
    """A 429 Too Many Requests with Retry-After is waited out."""
    hub.inject(429, after=5, headers={"Retry-After": "1"}, body={"message": SECONDARY})
    store, _ = _collect(hub)
    assert store.load_record(DEMO_LOGIN) == clean_record


def test_primary_limit_that_resets_in_one_second(hub, clean_record):
    """An exhausted primary budget that resets in a second is waited for, then collection goes on."""
    hub.enforce_rate_limits = True
    hub.set_budget("core", remaining=3, reset_in_seconds=1)
    started = time.monotonic()
    store, _ = _collect(hub)
    assert store.load_record(DEMO_LOGIN) == clean_record
    assert 403 in {e.status for e in hub.requests}
    assert time.monotonic() - started < 30


def test_long_rate_limit_stops_with_exit_5_and_keeps_what_was_fetched(hub):
    """A limit that lifts only in an hour stops the run, names the reset time, and keeps the profile and pages."""
    hub.enforce_rate_limits = True
    hub.set_budget("search", remaining=2, reset_in_seconds=3600)
    store = Store(":memory:")
    with pytest.raises(RateLimited, match="UTC") as caught:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", max_wait=5)
    assert caught.value.exit_code == 5
    kept = store.load_record(DEMO_LOGIN)
    assert kept is not None
    assert len(kept.pull_requests) >= 100
    assert not store.last_sync(DEMO_LOGIN).complete


@pytest.mark.parametrize("kill_after", [7, 40, 200])
def test_killed_collection_resumes_to_the_identical_record(hub, clean_record, tmp_path, kill_after):
    """SIGKILL after some requests, then a rerun, ends with exactly the uninterrupted record."""
    db = tmp_path / "killed.sqlite"
    env = {**os.environ, "GITHUB_TOKEN": DEFAULT_TOKEN, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "portfolio", "collect", DEMO_LOGIN, "--api-url", hub.base_url,
               "--db", str(db), "--backend", "rest"]  # fmt: skip
    hub.latency = 0.005
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while hub.request_count() < kill_after and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    child.wait()
    hub.latency = 0.0
    store = Store(db)
    partial = store.load_record(DEMO_LOGIN)
    assert partial is None or len(partial.pull_requests) < len(clean_record.pull_requests)
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    assert store.load_record(DEMO_LOGIN) == clean_record
    counts = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT node_id) FROM pull_requests").fetchone()
    assert counts[0] == counts[1]
