"""Faults on the wire: every one ends with the complete, identical record, or a clear stop that keeps what was fetched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakehub import DEFAULT_TOKEN
from fakehub.demo import DEMO_LOGIN
from portfolio.collect import collect
from portfolio.errors import RateLimited
from portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]
SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."


BACKENDS = ["rest", "graphql"]
# Where each path pages: REST walks search pages, GraphQL posts every query to one endpoint.
PAGED_PATH = {"rest": "/search/issues", "graphql": "/graphql"}


@pytest.fixture(scope="module")
def clean_records(demo_data):
    """The demo record as an uninterrupted, fault-free collection stores it, per backend."""
    from fakehub import FakeGitHub

    records = {}
    with FakeGitHub(demo_data) as server:
        for backend in BACKENDS:
            store = Store(":memory:")
            collect(DEMO_LOGIN, store, api_url=server.base_url, token=DEFAULT_TOKEN, backend=backend)
            records[backend] = store.load_record(DEMO_LOGIN)
    return records


def _collect(hub, backend, **options):
    store = Store(":memory:")
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend=backend, **options)
    return store, result


@pytest.mark.parametrize(("backend", "seed"), [("rest", 7), ("graphql", 3)])
def test_random_502s_and_timeouts_are_retried(hub, clean_records, backend, seed, caplog):
    """Random 502s and stalled responses still end with the complete record."""
    if backend == "rest":
        hub.random_faults(rate=0.05, timeout_rate=0.01, timeout_seconds=2.5, seed=seed)
    else:  # eleven requests: fail a third of them so the run surely meets both kinds of fault
        hub.random_faults(rate=0.3, timeout_rate=0.1, timeout_seconds=2.5, seed=seed)
    store, _ = _collect(hub, backend, timeout=1)
    assert store.load_record(DEMO_LOGIN) == clean_records[backend]
    random_faults = [entry for entry in hub.requests if entry.fault == "random"]
    assert any(entry.status == 502 for entry in random_faults)
    assert "Read timed out" in caplog.text, "the client met a stalled answer and retried it"


@pytest.mark.parametrize("backend", BACKENDS)
def test_secondary_limit_with_retry_after_mid_pagination(hub, clean_records, backend):
    """A secondary-limit 403 with Retry-After on the third page is waited out."""
    hub.inject(
        403,
        after=2,
        path_prefix=PAGED_PATH[backend],
        headers={"Retry-After": "1"},
        body={"message": SECONDARY},
    )
    store, result = _collect(hub, backend)
    assert store.load_record(DEMO_LOGIN) == clean_records[backend]
    assert [e.status for e in hub.requests].count(403) == 1
    assert result.requests == hub.request_count()


@pytest.mark.parametrize("backend", BACKENDS)
def test_429_is_waited_out(hub, clean_records, backend):
    """A 429 Too Many Requests with Retry-After is waited out."""
    hub.inject(429, after=3, headers={"Retry-After": "1"}, body={"message": SECONDARY})
    store, _ = _collect(hub, backend)
    assert store.load_record(DEMO_LOGIN) == clean_records[backend]


def test_primary_limit_that_resets_in_one_second(hub, clean_records):
    """An exhausted primary budget that resets within two seconds is waited for, then collection goes on."""
    hub.enforce_rate_limits = True
    hub.set_budget("core", remaining=3, reset_in_seconds=2)  # the server truncates resets to whole seconds
    started = time.monotonic()
    store, _ = _collect(hub, "rest")
    assert store.load_record(DEMO_LOGIN) == clean_records["rest"]
    assert 403 in {e.status for e in hub.requests}
    assert time.monotonic() - started < 30


def test_primary_limit_on_graphql_resets_in_one_second(hub, clean_records):
    """GitHub's primary-limit 403 (remaining 0, reset in a second) on the GraphQL endpoint is waited for."""
    reset = str(int(time.time()) + 1)
    hub.inject(403, after=2, path_prefix="/graphql", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
               body={"message": "API rate limit exceeded for user ID 1."})  # fmt: skip
    store, _ = _collect(hub, "graphql")
    assert store.load_record(DEMO_LOGIN) == clean_records["graphql"]


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


@pytest.mark.parametrize(
    ("backend", "kill_after"), [("rest", 7), ("rest", 40), ("rest", 200), ("graphql", 3), ("graphql", 7)]
)
def test_killed_collection_resumes_to_the_identical_record(hub, clean_records, tmp_path, backend, kill_after):
    """SIGKILL after some requests, then a rerun, ends with exactly the uninterrupted record."""
    clean_record = clean_records[backend]
    db = tmp_path / "killed.sqlite"
    env = {**os.environ, "GITHUB_TOKEN": DEFAULT_TOKEN, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "portfolio", "collect", DEMO_LOGIN, "--api-url", hub.base_url,
               "--db", str(db), "--backend", backend]  # fmt: skip
    hub.latency = 0.005 if backend == "rest" else 0.05
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
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend=backend)
    assert store.load_record(DEMO_LOGIN) == clean_record
    counts = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT node_id) FROM pull_requests").fetchone()
    assert counts[0] == counts[1]
