"""The REST collector against real GitHub responses recorded by PyGithub's and hub4j's test suites."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portfolio.errors import BadCredentials, RateLimited, UserNotFound
from portfolio.github.client import Client
from portfolio.github.rest import (
    RestBackend,
    enrich_pr,
    file_from_json,
    issue_from_search_item,
    pr_from_search_item,
    repo_from_json,
    review_from_json,
)
from tests.recordings import ReplayServer, hub4j_exchanges, needs_recordings, pygithub_exchanges

pytestmark = needs_recordings


def _client(server: ReplayServer, token: str | None = None) -> Client:
    return Client(server.base_url, token, sleep=lambda _seconds: None)


def test_search_items_parse_into_pull_requests():
    """Every PR of a real search page parses, with merged PRs marked merged and the rest closed."""
    page = hub4j_exchanges("AppTest", "testIssueSearchPullRequestsOnly")[1].json()
    prs = [pr_from_search_item(item) for item in page["items"]]
    assert len(prs) == 30
    assert {pr.repo for pr in prs} == {"hub4j/github-api"}
    for item, pr in zip(page["items"], prs, strict=True):
        assert pr.state == ("merged" if item["pull_request"]["merged_at"] else "closed")
        assert pr.url == item["html_url"] and pr.node_id == item["node_id"]
        assert pr.created_at.tzinfo is not None
        assert pr.files is None and pr.additions is None  # search cannot see them


def test_issue_search_items_parse():
    """Issues from a real issue search keep state, labels and comments."""
    page = pygithub_exchanges("Search.testUrlquotingOfQualifiers.txt")[0].json()
    issues = [issue_from_search_item(item) for item in page["items"]]
    assert issues and all(i.repo == "saltstack/salt-api" for i in issues)
    assert all(i.state in ("open", "closed") for i in issues)
    assert issues[0].comments == page["items"][0]["comments"]


def test_profile_through_pygithub():
    """A real user response, fetched through PyGithub from a replaying server, becomes a Profile."""
    with ReplayServer(pygithub_exchanges("NamedUser.setUp.txt")) as server:
        profile = RestBackend(_client(server)).profile("jacquev6")
    assert profile.login == "jacquev6"
    assert profile.created_at == datetime(2010, 7, 9, 6, 10, 6, tzinfo=UTC)
    assert profile.html_url.endswith("/jacquev6")


def test_pull_files_and_reviews_enrich_a_search_hit():
    """The pull, its files and its reviews, as GitHub sent them, fill in what search could not see."""
    pull = next(e for e in pygithub_exchanges("PullRequest.setUp.txt") if e.path.endswith("/pulls/31")).json()
    files = pygithub_exchanges("PullRequest.testGetFiles.txt")[0].json()
    hit = pr_from_search_item({**pull, "repository_url": pull["base"]["repo"]["url"], "pull_request": pull})
    pr = enrich_pr(hit, pull, [file_from_json(f) for f in files])
    assert (pr.additions, pr.deletions, pr.changed_files) == (pull["additions"], pull["deletions"], 45)
    assert len(pr.files) == 45 and pr.files[0].path == files[0]["filename"]
    assert pr.merged_by == pull["merged_by"]["login"]
    reviews = pygithub_exchanges("PullRequestReview.testAttributes.txt")[0].json()
    parsed = [review_from_json(r, pr) for r in reviews]
    assert {r.state for r in parsed} <= {"APPROVED", "COMMENTED", "CHANGES_REQUESTED", "DISMISSED"}
    assert all(r.pr_url == pr.url and r.submitted_at for r in parsed)


def test_repository_parses():
    """A real repository object gives stars, forks, language and owner type."""
    data = hub4j_exchanges("AppTest", "testPullRequestSearch")[1].json()
    repo = repo_from_json(data)
    assert repo.full_name == "kgromov/temp-testPullRequestSearch"
    assert repo.owner_type == "User" and repo.stars == data["stargazers_count"]


def test_unknown_user_is_user_not_found():
    """GitHub's real 404 for a user becomes exit code 3 with a sentence naming the login."""
    with (
        ReplayServer(pygithub_exchanges("Exceptions.testUnknownUser.txt")) as server,
        pytest.raises(UserNotFound, match="ThisUserShouldReallyNotExist") as caught,
    ):
        RestBackend(_client(server)).profile("ThisUserShouldReallyNotExist")
    assert caught.value.exit_code == 3


def test_bad_credentials_are_exit_4_without_the_token():
    """GitHub's real 401 becomes exit code 4, and the message never contains the token."""
    token = "ghp_recorded_secret_0123456789"
    with (
        ReplayServer(pygithub_exchanges("SpecificExceptions.testBadCredentials.txt")) as server,
        pytest.raises(BadCredentials) as caught,
    ):
        _client(server, token).get_json("/user")
    assert caught.value.exit_code == 4 and token not in str(caught.value)


def test_primary_rate_limit_stops_with_a_time_to_retry():
    """A real 403 'API rate limit exceeded' that never lifts stops the run with exit 5 and when to retry."""
    with ReplayServer(pygithub_exchanges("SpecificExceptions.testRateLimitExceeded.txt")) as server:
        client = _client(server)
        client.get_json("/users/jacquev6")
        with pytest.raises(RateLimited, match="run the same command again") as caught:
            client.get_json("/users/jacquev6")
    assert caught.value.exit_code == 5


@pytest.mark.parametrize(
    "test", ["testHandler_Wait_Secondary_Limits", "testHandler_Wait_Secondary_Limits_Too_Many_Requests"]
)
def test_secondary_limit_is_waited_out(test):
    """Real secondary-limit answers (403 and 429) are waited out, then the request succeeds."""
    exchanges = hub4j_exchanges("AbuseLimitHandlerTest", test)
    slept = []
    with ReplayServer(exchanges) as server:
        client = Client(server.base_url, "token", sleep=slept.append)
        _, data = client.get_json(urlpath(exchanges[1].path))
    assert data["name"].startswith("temp-testHandler_Wait_Secondary_Limits")
    assert len(slept) == 1 and slept[0] <= 120


def test_server_error_is_retried():
    """A recorded 500 followed by a 200 is retried transparently."""
    with ReplayServer(pygithub_exchanges("Retry.testReturnsRepoAfter1Retry.txt")) as server:
        _, data = _client(server).get_json("/repos/PyGithub/PyGithub")
        assert [status for _, _, status in server.log] == [500, 200]
    assert data["full_name"] == "PyGithub/PyGithub"


def urlpath(path: str) -> str:
    """The path part of a recorded path-and-query."""
    return path.split("?")[0]
