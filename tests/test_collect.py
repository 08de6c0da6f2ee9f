"""The REST collector end to end: real PyGithub, a real HTTP server, a real SQLite store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from fakehub import DEFAULT_TOKEN
from fakehub.demo import DEMO_LOGIN, LARGE_LOGIN
from portfolio.collect import collect
from portfolio.errors import BadCredentials, UserNotFound
from portfolio.github.search import SEARCH_CAP
from portfolio.store import Store


def rest_visible(record):
    """``record`` with the fields the REST path cannot see set to None and its GraphQL-only streams empty."""
    contributed = {item.repo for item in (*record.pull_requests, *record.issues, *record.reviews)}
    return replace(
        record,
        repos=tuple(r for r in record.repos if r.full_name in contributed),
        discussions=(),
        comments=(),
        commit_years=(),
        pull_requests=tuple(replace(p, closes=None, closes_labels=None) for p in record.pull_requests),
        issues=tuple(replace(i, closed_by=None) for i in record.issues),
        reviews=tuple(replace(r, comments=None) for r in record.reviews),
    )


def test_rest_with_token_collects_the_exact_record(hub, demo_data):
    """With a token, REST collects every record of the demo contributor exactly, field for field."""
    store = Store(":memory:")
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    assert store.load_record(DEMO_LOGIN) == rest_visible(demo_data.record_for(DEMO_LOGIN))
    assert result.requests == hub.request_count()
    assert store.last_sync(DEMO_LOGIN).backend == "rest"


def test_rest_without_token_sees_search_fields_and_says_what_it_misses(hub, demo_data):
    """Anonymous REST gets every PR and issue with state and labels, no files, and records why."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=None)
    record = store.load_record(DEMO_LOGIN)
    expected = demo_data.record_for(DEMO_LOGIN)
    assert [(p.node_id, p.state, p.labels, p.merged_at) for p in record.pull_requests] == [
        (p.node_id, p.state, p.labels, p.merged_at) for p in expected.pull_requests
    ]
    assert all(p.files is None and p.additions is None for p in record.pull_requests)
    assert [i.node_id for i in record.issues] == [i.node_id for i in expected.issues]
    assert {r.pr_url for r in record.reviews} == {r.pr_url for r in expected.reviews}
    assert all(r.state is None for r in record.reviews)
    sync = store.last_sync(DEMO_LOGIN)
    assert sync.complete
    assert any("without a token" in limit for limit in sync.limits)
    assert not any(entry.authenticated for entry in hub.requests)


def test_search_is_sliced_past_the_cap(large_hub, large_data):
    """A year with more than 1,000 PRs is split by created: range so no PR is dropped."""
    store = Store(":memory:")
    collect(LARGE_LOGIN, store, api_url=large_hub.base_url, token=None)
    expected = {p.node_id for p in large_data.record_for(LARGE_LOGIN).pull_requests}
    assert len(expected) >= 5000
    assert {p.node_id for p in store.load_record(LARGE_LOGIN).pull_requests} == expected
    searches = [e for e in large_hub.requests if e.path == "/search/issues"]
    assert all(e.status == 200 for e in searches), "the collector never asks past the 1,000-result cap"
    assert SEARCH_CAP == 1000


def test_second_collection_is_incremental(hub):
    """A refresh with nothing new costs at most 5 requests."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    before = store.load_record(DEMO_LOGIN)
    hub.reset_log()
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    assert result.incremental
    assert hub.request_count() <= 5
    assert store.load_record(DEMO_LOGIN) == before


def test_unknown_user_raises_user_not_found(hub):
    """A login GitHub does not know ends with UserNotFound and writes nothing."""
    store = Store(":memory:")
    with pytest.raises(UserNotFound, match="no-such-person"):
        collect("no-such-person", store, api_url=hub.base_url)
    assert store.logins() == []


def test_bad_token_raises_bad_credentials(hub):
    """A token the server refuses ends with BadCredentials, without the token in the message."""
    with pytest.raises(BadCredentials) as caught:
        collect(
            DEMO_LOGIN, Store(":memory:"), api_url=hub.base_url, token="ghp_wrong_token_123", backend="rest"
        )
    assert "ghp_wrong_token_123" not in str(caught.value)


def test_since_truncates_the_window_and_says_so(hub, demo_data):
    """--since collects only later contributions, and the sync's limits say the window was truncated."""
    store = Store(":memory:")
    since = datetime(2025, 1, 1, tzinfo=UTC)
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, since=since)
    prs = store.load_record(DEMO_LOGIN).pull_requests
    expected = [p.node_id for p in demo_data.record_for(DEMO_LOGIN).pull_requests if p.created_at >= since]
    assert [p.node_id for p in prs] == expected
    assert "on or after 2025-01-01" in store.last_sync(DEMO_LOGIN).limits[0]
    assert result.limits == store.last_sync(DEMO_LOGIN).limits
