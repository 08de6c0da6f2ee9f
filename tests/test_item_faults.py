"""One bad item never sinks a collection: gone, taken-down and blocked repositories, and an endpoint that keeps failing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import DEMO_LOGIN
from portfolio.cli import cli
from portfolio.collect import collect, gap_lines
from portfolio.model import Gap, Record, Repo
from portfolio.store import Store
from tests.paths import rest_blind

# The four ways a repository disappears from under a contribution, as GitHub answers them over REST.
STATUSES = (404, 410, 451, 403)
REASONS = {404: "gone", 410: "gone", 451: "blocked", 403: "blocked"}


@pytest.fixture(scope="module")
def lost(demo_data):
    """Four repositories the demo contributor opened PRs in (and reviewed nothing in), each lost one way."""
    reviewed = {r.repo.lower() for r in demo_data.reviews if r.author.lower() == DEMO_LOGIN.lower()}
    authored = sorted(
        {p.repo for p in demo_data.pull_requests if p.author.lower() == DEMO_LOGIN.lower()}
        - {r for r in demo_data.repos if r.lower() in reviewed}
    )
    chosen = [name for name in authored if name.lower() not in reviewed][:4]
    assert len(chosen) == 4
    return dict(zip(chosen, STATUSES, strict=True))


@pytest.fixture(scope="module")
def faulty(demo_data, lost):
    """The demo dataset with those four repositories answering 404, 410, 451 and 403."""
    return replace(demo_data, unavailable={name.lower(): status for name, status in lost.items()})


def expected_record(demo_data, lost) -> Record:
    """The clean record, with the lost repositories' PRs as search shows them and their metadata unknown."""
    clean = rest_blind(demo_data.record_for(DEMO_LOGIN))
    gone = {name.lower() for name in lost}
    prs = tuple(
        replace(p, additions=None, deletions=None, changed_files=None, merged_by=None, files=None)
        if p.repo.lower() in gone
        else p
        for p in clean.pull_requests
    )
    repos = tuple(
        Repo(r.full_name, r.full_name.split("/")[0]) if r.full_name.lower() in gone else r
        for r in clean.repos
    )
    return replace(clean, pull_requests=prs, repos=repos)


def expected_gaps(demo_data, lost) -> list[Gap]:
    """A details gap per PR in a lost repository and a metadata gap per lost repository, by kind then item."""
    gaps = [
        Gap("details", p.url, REASONS[lost[p.repo]])
        for p in demo_data.pull_requests
        if p.author.lower() == DEMO_LOGIN.lower() and p.repo in lost
    ]
    gaps += [Gap("repository", name, REASONS[status]) for name, status in lost.items()]
    return sorted(gaps, key=lambda g: (g.kind, g.item.lower()))


@pytest.fixture(scope="module")
def both_paths(faulty):
    """The faulty dataset collected over REST and over GraphQL with a token: (store, result) per path."""
    out = {}
    with FakeGitHub(faulty) as hub:
        for backend in ("rest", "graphql"):
            store = Store(":memory:")
            result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend=backend)
            out[backend] = (store, result)
    return out


@pytest.mark.parametrize("backend", ["rest", "graphql"])
def test_lost_repositories_leave_a_complete_record_and_their_gaps(both_paths, demo_data, lost, backend):
    """Each path ends with everything else complete and exactly the lost items listed as gaps."""
    store, result = both_paths[backend]
    assert rest_blind(store.load_record(DEMO_LOGIN)) == expected_record(demo_data, lost)
    gaps = sorted(store.gaps(DEMO_LOGIN), key=lambda g: (g.kind, g.item.lower()))
    assert gaps == expected_gaps(demo_data, lost)
    assert set(gap_lines(gaps)) <= set(result.limits)
    assert set(gap_lines(gaps)) <= set(store.last_sync(DEMO_LOGIN).limits)
    assert store.last_sync(DEMO_LOGIN).complete


def test_both_paths_end_with_the_identical_record_and_gaps(both_paths):
    """REST and GraphQL agree on the record (as far as REST sees) and on the list of gaps."""
    (rest_store, _), (graphql_store, _) = both_paths["rest"], both_paths["graphql"]
    assert rest_store.load_record(DEMO_LOGIN) == rest_blind(graphql_store.load_record(DEMO_LOGIN))
    assert rest_store.gaps(DEMO_LOGIN) == graphql_store.gaps(DEMO_LOGIN)


def test_gap_lines_say_how_many_and_why(demo_data, lost):
    """One line per kind and reason, naming the count and what happened to the repository."""
    lines = gap_lines(expected_gaps(demo_data, lost))
    details = [g for g in expected_gaps(demo_data, lost) if g.kind == "details"]
    gone = sum(1 for g in details if g.reason == "gone")
    blocked = len(details) - gone
    assert lines == (
        f"Details of {gone} pull request{'s' if gone > 1 else ''} unavailable: "
        f"{'their repositories are' if gone > 1 else 'its repository is'} gone (404 or 410: deleted, renamed or "
        "made private); the next collection tries again.",
        f"Details of {blocked} pull request{'s' if blocked > 1 else ''} unavailable: GitHub blocks access to "
        f"{'their repositories' if blocked > 1 else 'its repository'} (403 or 451: taken down or blocked); the next "
        "collection tries again.",
        "Metadata of 2 repositories unavailable: they are gone (404 or 410: deleted, renamed or made private); the "
        "next collection tries again.",
        "Metadata of 2 repositories unavailable: GitHub blocks access to them (403 or 451: taken down or blocked); "
        "the next collection tries again.",
    )


@pytest.mark.parametrize("backend", ["rest", "graphql"])
def test_cli_exits_0_with_one_line_per_kind_of_gap(faulty, monkeypatch, tmp_path, backend):
    """The command finishes with exit 0, prints each kind of gap once and never says "check the spelling"."""
    monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
    with FakeGitHub(faulty) as hub:
        result = CliRunner().invoke(
            cli,
            [
                "collect",
                DEMO_LOGIN,
                "--api-url",
                hub.base_url,
                "--backend",
                backend,
                "--db",
                str(tmp_path / "s"),
            ],
        )
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if "unavailable:" in line]
    assert len(notes) == 4
    assert "check the spelling" not in result.output


@pytest.mark.parametrize("backend", ["rest", "graphql"])
def test_a_later_run_retries_the_gaps(faulty, demo_data, tmp_path, backend):
    """Once the repositories answer again, the next incremental run fills the gaps and clears them."""
    path = tmp_path / "store.sqlite"
    with FakeGitHub(faulty) as hub, Store(path) as store:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend=backend)
        assert store.gaps(DEMO_LOGIN)
    with FakeGitHub(demo_data) as hub, Store(path) as store:
        result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend=backend)
        assert result.incremental
        assert store.gaps(DEMO_LOGIN) == []
        assert rest_blind(store.load_record(DEMO_LOGIN)) == rest_blind(demo_data.record_for(DEMO_LOGIN))
        assert not any("unavailable:" in line for line in store.last_sync(DEMO_LOGIN).limits)


def _one_pr_with_files(demo_data):
    return next(
        p for p in demo_data.pull_requests if p.author.lower() == DEMO_LOGIN.lower() and p.files and p.repo
    )


def test_files_that_fail_five_times_are_retried_to_a_complete_record(hub, demo_data):
    """A PR whose files endpoint answers 502 five times in a row is retried within the request: nothing is lost."""
    pr = _one_pr_with_files(demo_data)
    prefix = f"/repos/{pr.repo}/pulls/{pr.number}/files"
    hub.inject(502, times=5, path_prefix=prefix)
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    assert store.load_record(DEMO_LOGIN) == rest_blind(demo_data.record_for(DEMO_LOGIN))
    assert store.gaps(DEMO_LOGIN) == []
    assert sum(1 for r in hub.requests if r.path == prefix and r.fault == "injected") == 5


def test_files_failing_past_the_retries_are_a_gap_and_the_rest_is_complete(hub, demo_data):
    """A files endpoint that fails longer than the retries leaves only that PR's files unknown, as a gap."""
    pr = _one_pr_with_files(demo_data)
    hub.inject(502, times=5, path_prefix=f"/repos/{pr.repo}/pulls/{pr.number}/files")
    store = Store(":memory:")
    result = collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest", retries=2)
    clean = rest_blind(demo_data.record_for(DEMO_LOGIN))
    expected = replace(
        clean,
        pull_requests=tuple(replace(p, files=None) if p.url == pr.url else p for p in clean.pull_requests),
    )
    assert store.load_record(DEMO_LOGIN) == expected
    assert store.gaps(DEMO_LOGIN) == [Gap("files", pr.url, "failing")]
    assert (
        "Changed files of 1 pull request unavailable: GitHub kept failing on it (5xx) past the retries; the next "
        "collection tries again."
    ) in result.limits


def test_unknown_login_still_ends_the_run_with_check_the_spelling(hub, tmp_path):
    """Only the login itself ends a run as not found, and only it is told to check the spelling."""
    # A store of its own: the user's default store may belong to another version of portfolio.
    store = str(tmp_path / "store.sqlite")
    result = CliRunner().invoke(
        cli, ["collect", "nobody-here", "--api-url", hub.base_url, "--backend", "rest", "--db", store]
    )
    assert result.exit_code == 3
    assert (
        result.output.strip()
        == "error: GitHub has no user 'nobody-here' (404 Not Found); check the spelling."
    )
