"""Conditional reads: a refresh with nothing new costs at most 5 requests against GitHub's rate budget."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import DEMO_LOGIN
from portfolio.collect import REPO_TTL, collect
from portfolio.github.rest import ANONYMOUS_REPO_LIMIT
from portfolio.snapshot import export_snapshot, import_snapshot
from portfolio.store import Store

PATHS = {
    "rest without a token": {"token": None, "backend": "rest"},
    "rest with a token": {"token": DEFAULT_TOKEN, "backend": "rest"},
    "graphql": {"token": DEFAULT_TOKEN, "backend": "graphql"},
}
LATER = datetime.now(UTC) + REPO_TTL + timedelta(days=1)  # past the repositories' refresh TTL


def counted(hub: FakeGitHub) -> int:
    """How many logged requests GitHub would charge to a rate-limit budget."""
    return sum(entry.counted for entry in hub.requests)


def statuses(hub: FakeGitHub, prefix: str) -> list[int]:
    """The statuses of the logged requests whose path starts with ``prefix``."""
    return [entry.status for entry in hub.requests if entry.path.startswith(prefix)]


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_a_refresh_with_nothing_new_costs_at_most_five_counted_requests(hub, path):
    """Each path's second collection is charged at most 5 requests and leaves the record as it was."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, **path)
    before = store.load_record(DEMO_LOGIN)
    hub.reset_log()
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, **path)
    assert result.incremental
    assert counted(hub) <= 5
    assert store.load_record(DEMO_LOGIN) == before
    if path["backend"] == "rest":
        assert statuses(hub, "/users/") == [304]
        assert statuses(hub, "/repos/") == []


def test_after_the_ttl_a_token_revalidates_every_repository_for_free(hub):
    """Past the TTL each repository is asked conditionally; the 304s cost nothing and renew the TTL."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    before = store.load_record(DEMO_LOGIN)
    hub.reset_log()
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", now=LATER)
    assert statuses(hub, "/repos/") == [304] * len(before.repos)
    assert counted(hub) <= 5
    assert store.load_record(DEMO_LOGIN) == before
    hub.reset_log()
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", now=LATER)
    assert statuses(hub, "/repos/") == []


def test_without_a_token_the_same_most_touched_repositories_are_covered_every_run(hub):
    """The anonymous cap always means the 25 most-touched repositories: a refresh does not read the next ones."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, backend="rest")
    described = {r.full_name for r in store.load_record(DEMO_LOGIN).repos if r.stars is not None}
    touched = store.touched_repos(DEMO_LOGIN)
    assert len(touched) > ANONYMOUS_REPO_LIMIT
    assert described == set(touched[:ANONYMOUS_REPO_LIMIT])
    hub.reset_log()
    collect(DEMO_LOGIN, store, api_url=hub.base_url, backend="rest", now=LATER)
    # Anonymous 304s still cost a request each: this weekly revalidation is what the cap bounds.
    assert statuses(hub, "/repos/") == [304] * ANONYMOUS_REPO_LIMIT
    assert {r.full_name for r in store.load_record(DEMO_LOGIN).repos if r.stars is not None} == described


def test_a_changed_repository_is_read_in_full(demo_data):
    """When a repository's answer changed, its ETag no longer matches and the new metadata is stored."""
    store = Store(":memory:")
    with FakeGitHub(demo_data) as hub:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
        port = int(hub.base_url.rsplit(":", 1)[1])
    name = store.touched_repos(DEMO_LOGIN)[0]
    starred = replace(demo_data.repos[name], stars=(demo_data.repos[name].stars or 0) + 1)
    # The same port, so every other answer (whose urls name the server) is byte for byte what it was.
    with FakeGitHub(replace(demo_data, repos={**demo_data.repos, name: starred}), port=port) as hub:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", now=LATER)
        assert statuses(hub, f"/repos/{name}") == [200]
        assert statuses(hub, "/repos/").count(304) == len(store.touched_repos(DEMO_LOGIN)) - 1
    assert next(r for r in store.load_record(DEMO_LOGIN).repos if r.full_name == name) == starred


def test_an_import_makes_the_next_reads_full_ones(hub, tmp_path):
    """Rows written by an import are not vouched for by earlier validators, so a 304 cannot keep them."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    current = store.load_record(DEMO_LOGIN)
    older = tmp_path / "older.json"
    older.write_text(export_snapshot(store, DEMO_LOGIN).replace('"stars": ', '"stars": 1'), encoding="utf-8")
    import_snapshot(store, older)
    assert store.load_record(DEMO_LOGIN).repos != current.repos
    hub.reset_log()
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", now=LATER)
    assert set(statuses(hub, "/repos/")) == {200}
    assert statuses(hub, "/users/") == [200]
    assert store.load_record(DEMO_LOGIN) == current
