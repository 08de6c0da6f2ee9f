"""One schema, two paths: REST and GraphQL collect the same contributor into the same record."""

from __future__ import annotations

import math

import pytest

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import DEMO_LOGIN, LARGE_LOGIN
from portfolio.collect import collect
from portfolio.model import Record
from portfolio.store import Store
from tests.paths import rest_blind

SLACK = 1.3  # the most GraphQL may spend over one request per hundred contributions on a large profile


def contributions(record: Record) -> int:
    """Everything a collection pages through: PRs, issues, reviews, answers, discussions and comments."""
    return (
        len(record.pull_requests)
        + len(record.issues)
        + len(record.reviews)
        + len(record.discussions)
        + len(record.comments)
    )


def extra_file_pages(record: Record) -> int:
    """Requests a PR's files need beyond the first 100 that come inline with it."""
    return sum(math.ceil(len(p.files or ()) / 100) - 1 for p in record.pull_requests if p.files)


@pytest.fixture(scope="module")
def both(demo_data):
    """The demo contributor collected over REST and over GraphQL from one fake GitHub: (rest, graphql)."""
    results = {}
    with FakeGitHub(demo_data) as hub:
        for backend in ("rest", "graphql"):
            store = Store(":memory:")
            hub.reset_log()
            result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend=backend)
            assert result.requests == hub.request_count()
            assert store.last_sync(DEMO_LOGIN).backend == backend
            results[backend] = (store.load_record(DEMO_LOGIN), result.requests)
    return results["rest"], results["graphql"]


def test_graphql_collects_the_exact_record(both, demo_data):
    """GraphQL sees every field of every record: the store equals the dataset's record exactly."""
    (_, _), (graphql_record, _) = both
    assert graphql_record == demo_data.record_for(DEMO_LOGIN)


def test_rest_and_graphql_agree_on_every_field_both_see(both, demo_data):
    """REST's record is GraphQL's with only the fields REST cannot see left empty."""
    (rest_record, _), (graphql_record, _) = both
    assert rest_record == rest_blind(graphql_record)
    assert rest_record == rest_blind(demo_data.record_for(DEMO_LOGIN))


def test_graphql_requests_are_near_the_floor(both, demo_data):
    """GraphQL needs about one request per hundred contributions: the floor, the profile, big PRs' files."""
    (_, rest_requests), (_, graphql_requests) = both
    expected = demo_data.record_for(DEMO_LOGIN)
    floor = math.ceil(contributions(expected) / 100)
    # The profile, one part-filled last page per stream (PRs, issues, reviews; the engagement query brings
    # the answers, discussions and comments streams' first pages together), and files past a PR's first 100.
    ceiling = floor + 1 + 3 + extra_file_pages(expected)
    assert floor <= graphql_requests <= ceiling, f"{graphql_requests} requests, floor {floor}"
    assert graphql_requests * 20 < rest_requests


def test_large_profile_over_graphql_is_complete_and_within_slack_of_the_floor(large_hub, large_data):
    """A profile with over 5,000 PRs (searches split past the 1,000 cap) is exact within 1.3x the floor."""
    store = Store(":memory:")
    result = collect(LARGE_LOGIN, store, api_url=large_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    expected = large_data.record_for(LARGE_LOGIN)
    assert len(expected.pull_requests) >= 5000
    assert store.load_record(LARGE_LOGIN) == expected
    floor = math.ceil(contributions(expected) / 100)
    assert result.requests <= SLACK * floor, f"{result.requests} requests, floor {floor}"
    assert all(entry.path == "/graphql" and entry.status == 200 for entry in large_hub.requests)
