"""The fake GitHub server: GitHub's REST shapes, search semantics, paging, auth, rate limits and faults."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from github import Auth, BadCredentialsException, Github, RateLimitExceededException, UnknownObjectException

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import DEMO_LOGIN, LARGE_LOGIN
from fakehub.ids import database_id, node_id
from fakehub.search import Searcher, SearchError, date_bounds
from portfolio.model import Issue, PullRequest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "github-api"
HUB4J = (
    SHARED / "recordings" / "hub4j-github-api" / "src" / "test" / "resources" / "org" / "kohsuke" / "github"
)
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def call(
    hub: FakeGitHub,
    path: str,
    token: str | None = None,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    **params: object,
):
    """One request to the fake: (status, lower-cased headers, parsed JSON body)."""
    split = urlsplit(hub.base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
    headers = {"Accept": "application/vnd.github+json", **(headers or {})}
    if token:
        headers["Authorization"] = f"token {token}"
    query = f"?{urlencode(params)}" if params else ""
    try:
        connection.request(method, path + query, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            json.loads(raw) if raw else None,
        )
    finally:
        connection.close()


def links(headers: dict[str, str]) -> dict[str, str]:
    """The rel -> URL pairs of a Link header."""
    return {rel: url for url, rel in LINK.findall(headers.get("link", ""))}


def pygithub(hub: FakeGitHub, token: str | None = DEFAULT_TOKEN, **options: object) -> Github:
    """A PyGithub client for the fake, without retries or PyGithub's default 0.25 s pacing."""
    auth = Auth.Token(token) if token else None
    return Github(base_url=hub.base_url, auth=auth, retry=None, seconds_between_requests=None, **options)


# -- users, auth and errors --------------------------------------------------------------------------


def test_user_has_githubs_profile_fields(hub, demo_data):
    """GET /users/{login} answers the profile with GitHub's names and ISO timestamps."""
    status, headers, body = call(hub, f"/users/{DEMO_LOGIN}")
    assert status == 200
    assert headers["content-type"] == "application/json; charset=utf-8"
    profile = demo_data.profiles[DEMO_LOGIN]
    assert body["login"] == DEMO_LOGIN
    assert body["type"] == "User"
    assert body["node_id"] == profile.node_id
    assert body["id"] == database_id(profile.node_id)
    assert body["created_at"] == "2021-03-04T05:06:07Z"
    assert body["html_url"] == f"https://github.com/{DEMO_LOGIN}"
    assert "(fictional)" in body["name"]
    assert body["followers"] == profile.followers


def test_logins_are_case_insensitive(hub):
    """GitHub ignores the case of a login in a path, and so does the fake."""
    assert call(hub, f"/users/{DEMO_LOGIN.upper()}")[2]["login"] == DEMO_LOGIN


@pytest.mark.parametrize("path", ["/users/nobody-at-all", "/repos/nobody/nothing", "/no/such/endpoint"])
def test_unknown_things_are_json_404s(hub, path):
    """Unknown users, repositories and endpoints answer GitHub's 404 JSON body."""
    status, headers, body = call(hub, path)
    assert status == 404
    assert body["message"] == "Not Found"
    assert body["documentation_url"].startswith("https://docs.github.com/")
    assert "x-ratelimit-remaining" in headers


def test_pull_number_that_is_an_issue_is_404(hub, demo_data):
    """/pulls/{n} of an issue's number is 404, as on GitHub."""
    issue = demo_data.issues[0]
    assert call(hub, f"/repos/{issue.repo}/pulls/{issue.number}")[0] == 404


def test_bad_token_is_401_and_no_token_is_anonymous(hub):
    """A token the server does not know gets 401 Bad credentials; no token is served anonymously."""
    status, _, body = call(hub, f"/users/{DEMO_LOGIN}", token="ghp_not_a_token")
    assert (status, body["message"]) == (401, "Bad credentials")
    assert call(hub, f"/users/{DEMO_LOGIN}")[0] == 200
    assert [(e.status, e.authenticated) for e in hub.requests] == [(401, False), (200, False)]


def test_authenticated_user_needs_a_token(hub):
    """GET /user answers the token's own account, and 401 without a token."""
    assert call(hub, "/user")[0] == 401
    status, _, body = call(hub, "/user", token=DEFAULT_TOKEN)
    assert (status, body["login"]) == (200, DEMO_LOGIN)
    assert hub.requests[-1].authenticated


def test_request_log_records_method_path_query_and_status(hub):
    """Every request is logged in order with its query but never its token."""
    call(hub, "/search/issues", token=DEFAULT_TOKEN, q=f"author:{DEMO_LOGIN}", per_page=5)
    call(hub, "/users/nobody-at-all")
    first, second = hub.requests
    assert (first.method, first.path, first.query["per_page"], first.status) == (
        "GET",
        "/search/issues",
        "5",
        200,
    )
    assert (second.path, second.status) == ("/users/nobody-at-all", 404)
    assert DEFAULT_TOKEN not in repr(hub.requests)
    assert hub.request_count() == 2
    hub.reset_log()
    assert hub.request_count() == 0


# -- search ------------------------------------------------------------------------------------------


def _items(data):
    return [*data.pull_requests, *data.issues]


def _reviewed_by(data, login):
    urls = {r.pr_url for r in data.reviews if r.author == login}
    return lambda i: isinstance(i, PullRequest) and i.url in urls


def _day(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


QUALIFIERS = [
    (f"author:{DEMO_LOGIN}", lambda d: lambda i: i.author == DEMO_LOGIN),
    (f"author:{DEMO_LOGIN} type:pr", lambda d: lambda i: i.author == DEMO_LOGIN and isinstance(i, PullRequest)),
    (f"author:{DEMO_LOGIN} is:pr", lambda d: lambda i: i.author == DEMO_LOGIN and isinstance(i, PullRequest)),
    (f"author:{DEMO_LOGIN} type:issue", lambda d: lambda i: i.author == DEMO_LOGIN and isinstance(i, Issue)),
    (f"author:{DEMO_LOGIN} is:issue", lambda d: lambda i: i.author == DEMO_LOGIN and isinstance(i, Issue)),
    (f"author:{DEMO_LOGIN} is:merged", lambda d: lambda i: i.author == DEMO_LOGIN and i.state == "merged"),
    (f"author:{DEMO_LOGIN} is:open", lambda d: lambda i: i.author == DEMO_LOGIN and i.state == "open"),
    (f"author:{DEMO_LOGIN} is:closed", lambda d: lambda i: i.author == DEMO_LOGIN and i.state != "open"),
    (f"reviewed-by:{DEMO_LOGIN}", lambda d: _reviewed_by(d, DEMO_LOGIN)),
    (
        f"reviewed-by:{DEMO_LOGIN} -author:{DEMO_LOGIN}",
        lambda d: lambda i: _reviewed_by(d, DEMO_LOGIN)(i) and i.author != DEMO_LOGIN,
    ),
    (
        f"author:{DEMO_LOGIN} created:2023-01-01..2023-12-31",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.created_at.year == 2023,
    ),
    (
        f"author:{DEMO_LOGIN} created:>=2025-01-01",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.created_at >= _day("2025-01-01"),
    ),
    (
        f"author:{DEMO_LOGIN} created:>2025-01-01",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.created_at >= _day("2025-01-02"),
    ),
    (
        f"author:{DEMO_LOGIN} created:<=2022-06-30",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.created_at < _day("2022-07-01"),
    ),
    (
        f"author:{DEMO_LOGIN} created:<2022-06-30",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.created_at < _day("2022-06-30"),
    ),
    (
        f"author:{DEMO_LOGIN} created:2023-03-01T00:00:00Z..2023-03-31T12:00:00Z",
        lambda d: lambda i: i.author == DEMO_LOGIN and _day("2023-03-01") <= i.created_at <= _day("2023-03-31T12:00:00"),
    ),
    (
        f"author:{DEMO_LOGIN} updated:>=2025-06-01",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.updated_at >= _day("2025-06-01"),
    ),
    (
        f"author:{DEMO_LOGIN} updated:>=2025-06-01T08:30:00+00:00",
        lambda d: lambda i: i.author == DEMO_LOGIN and i.updated_at >= _day("2025-06-01T08:30:00"),
    ),
    ("repo:cobalt-http/cobalt is:pr", lambda d: lambda i: i.repo == "cobalt-http/cobalt" and isinstance(i, PullRequest)),
    (f"author:{DEMO_LOGIN} label:documentation", lambda d: lambda i: i.author == DEMO_LOGIN and "documentation" in i.labels),
    (f"user:{DEMO_LOGIN}", lambda d: lambda i: i.repo.startswith(f"{DEMO_LOGIN}/")),
    (f"author:{DEMO_LOGIN} is:pr is:draft", lambda d: lambda i: i.author == DEMO_LOGIN and bool(getattr(i, "draft", False))),
]  # fmt: skip


@pytest.mark.parametrize(("query", "expected"), QUALIFIERS, ids=[q for q, _ in QUALIFIERS])
def test_search_qualifiers_select_what_github_would(demo_data, query, expected):
    """Each qualifier (and negation, date form, type) selects exactly the matching items."""
    wanted = {i.node_id for i in _items(demo_data) if expected(demo_data)(i)}
    found = {i.node_id for i in Searcher(demo_data).search(query)}
    assert wanted, "the demo data should exercise every qualifier"
    assert found == wanted


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        ("2024-01-01..2024-01-31", "2024-01-01T00:00:00", "2024-01-31T23:59:59"),
        ("*..2024-01-31", None, "2024-01-31T23:59:59"),
        ("2024-01-01..*", "2024-01-01T00:00:00", None),
        (">=2024-01-01", "2024-01-01T00:00:00", None),
        (">2024-01-01", "2024-01-02T00:00:00", None),
        ("<=2024-01-01", None, "2024-01-01T23:59:59"),
        ("<2024-01-01", None, "2023-12-31T23:59:59"),
        ("2024-01-01", "2024-01-01T00:00:00", "2024-01-01T23:59:59"),
        (">2024-01-01T10:00:00Z", "2024-01-01T10:00:01", None),
        ("2024-01-01T10:00:00+02:00..2024-01-01T12:00:00Z", "2024-01-01T08:00:00", "2024-01-01T12:00:00"),
    ],
)
def test_date_qualifiers_are_inclusive_bounds(value, low, high):
    """Dates cover whole UTC days; > and < exclude the day or instant they name."""
    expected = tuple(None if t is None else _day(t) for t in (low, high))
    assert date_bounds(value) == expected


def test_bad_date_is_a_validation_error(demo_data):
    """A date GitHub cannot read is refused rather than silently ignored."""
    with pytest.raises(SearchError):
        Searcher(demo_data).search(f"author:{DEMO_LOGIN} created:>=last-week")


@pytest.mark.parametrize(
    ("sort", "order"), [("created", "asc"), ("created", "desc"), ("updated", "asc"), (None, None)]
)
def test_search_sorts_by_the_requested_field(demo_data, sort, order):
    """sort=created|updated with order=asc|desc orders results; best match is newest first."""
    found = Searcher(demo_data).search(f"author:{DEMO_LOGIN}", sort, order)
    keys = [getattr(i, f"{sort or 'created'}_at") for i in found]
    assert keys == sorted(keys, reverse=order != "asc")


@pytest.mark.parametrize("query", ["author:nobody-at-all", "reviewed-by:nobody-at-all", ""])
def test_unsearchable_queries_are_422(hub, query):
    """Unknown users in user qualifiers, and an empty query, are refused with 422 Validation Failed."""
    status, _, body = call(hub, "/search/issues", q=query)
    assert status == 422
    assert body["message"] == "Validation Failed"
    assert body["errors"][0]["resource"] == "Search"


def test_search_body_and_headers_look_like_githubs(hub, demo_data):
    """A search page has total_count, incomplete_results, issue-shaped items and search rate headers."""
    status, headers, body = call(hub, "/search/issues", token=DEFAULT_TOKEN, q=f"author:{DEMO_LOGIN} is:pr")
    expected = demo_data.record_for(DEMO_LOGIN).pull_requests
    assert status == 200
    assert body["total_count"] == len(expected)
    assert body["incomplete_results"] is False
    assert len(body["items"]) == 30
    item = body["items"][0]
    assert (
        item["pull_request"]["url"]
        == f"{hub.base_url}/repos/{urlsplit(item['repository_url']).path[7:]}/pulls/{item['number']}"
    )
    assert item["html_url"].startswith("https://github.com/")
    assert item["url"].startswith(hub.base_url)
    assert headers["x-ratelimit-resource"] == "search"
    assert headers["x-ratelimit-limit"] == "30"


def test_pagination_walks_link_headers_to_the_end(hub, demo_data):
    """Following rel=next from page 1 visits every result once, with absolute URLs on the fake."""
    url = f"/search/issues?{urlencode({'q': f'author:{DEMO_LOGIN}', 'per_page': 40})}"
    seen: list[str] = []
    pages = 0
    while url:
        status, headers, body = call(hub, url)
        assert status == 200
        pages += 1
        seen += [item["node_id"] for item in body["items"]]
        rels = links(headers)
        for target in rels.values():
            assert target.startswith(f"{hub.base_url}/search/issues?")
        if pages > 1:
            assert {"prev", "first"} <= rels.keys()
        url = rels["next"].removeprefix(hub.base_url) if "next" in rels else None
        if url:
            assert "last" in rels
    expected = {i.node_id for i in _items(demo_data) if i.author == DEMO_LOGIN}
    assert len(seen) == len(expected) == body["total_count"]
    assert set(seen) == expected
    assert pages == -(-len(expected) // 40)


def test_search_cap_is_1000_results_with_the_true_total(large_hub, large_data):
    """Past the first 1,000 results GitHub answers 422, while total_count still tells the true total."""
    query = f"author:{LARGE_LOGIN} is:pr"
    total = sum(1 for p in large_data.pull_requests if p.author == LARGE_LOGIN)
    status, headers, body = call(large_hub, "/search/issues", q=query, per_page=100)
    assert (status, body["total_count"]) == (200, total)
    assert total > 1000
    assert "page=10" in links(headers)["last"]
    status, headers, body = call(large_hub, "/search/issues", q=query, per_page=100, page=10)
    assert status == 200 and len(body["items"]) == 100 and "next" not in links(headers)
    status, _, body = call(large_hub, "/search/issues", q=query, per_page=100, page=11)
    assert status == 422
    assert body["message"] == "Only the first 1000 search results are available"


def test_slicing_by_created_gets_everything(large_hub, large_data):
    """Quarter-sized created: slices stay under the cap and together count every PR of a busy year."""
    by_year = {}
    for pr in large_data.pull_requests:
        if pr.author == LARGE_LOGIN:
            by_year[pr.created_at.year] = by_year.get(pr.created_at.year, 0) + 1
    year = max(by_year, key=by_year.get)
    assert by_year[year] > 1000
    total = 0
    quarters = ("01-01..{y}-03-31", "04-01..{y}-06-30", "07-01..{y}-09-30", "10-01..{y}-12-31")
    for quarter in quarters:
        span = f"{year}-{quarter.format(y=year)}"
        body = call(large_hub, "/search/issues", q=f"author:{LARGE_LOGIN} is:pr created:{span}", per_page=1)[
            2
        ]
        assert body["total_count"] < 1000
        total += body["total_count"]
    assert total == by_year[year]


# -- repositories, pulls, files, reviews -------------------------------------------------------------


def test_repo_body_has_reach_fields(hub, demo_data):
    """GET /repos/{o}/{r} carries stars, forks, language, topics, fork, archived and the owner's type."""
    repo = demo_data.repos["nimbus-data/nimbus"]
    body = call(hub, "/repos/nimbus-data/nimbus")[2]
    assert body["full_name"] == repo.full_name
    assert body["stargazers_count"] == repo.stars
    assert body["forks_count"] == repo.forks
    assert body["language"] == repo.language
    assert body["topics"] == list(repo.topics)
    assert body["owner"]["type"] == "Organization"
    assert body["node_id"] == repo.node_id
    fork = call(hub, f"/repos/{DEMO_LOGIN}/nimbus")[2]
    assert fork["fork"] is True
    assert fork["parent"]["full_name"] == "nimbus-data/nimbus"


def test_pull_files_and_reviews_match_the_dataset(hub, demo_data):
    """A pull, its files (paged past 100) and its reviews answer exactly what the dataset holds."""
    pr = max(demo_data.pull_requests, key=lambda p: len(p.files or ()))
    assert len(pr.files) > 200
    body = call(hub, f"/repos/{pr.repo}/pulls/{pr.number}")[2]
    assert (body["merged"], body["changed_files"], body["additions"]) == (
        pr.state == "merged",
        pr.changed_files,
        pr.additions,
    )
    assert body["head"]["repo"]["full_name"] and body["base"]["repo"]["full_name"] == pr.repo
    paths = []
    for page in range(1, 5):
        status, headers, files = call(
            hub, f"/repos/{pr.repo}/pulls/{pr.number}/files", per_page=100, page=page
        )
        assert status == 200
        paths += [f["filename"] for f in files]
        if "next" not in links(headers):
            break
    assert paths == [f.path for f in pr.files]
    reviewed = next(p for p in demo_data.pull_requests if len(demo_data.reviews_of(p)) >= 2)
    reviews = call(hub, f"/repos/{reviewed.repo}/pulls/{reviewed.number}/reviews")[2]
    assert [r["node_id"] for r in reviews] == [r.node_id for r in demo_data.reviews_of(reviewed)]
    assert all(r["pull_request_url"].endswith(f"/pulls/{reviewed.number}") for r in reviews)


def test_issue_endpoint_says_who_closed_it(hub, demo_data):
    """GET /repos/{o}/{r}/issues/{n} answers the issue with closed_by, the merger of the fixing PR."""
    issue = next(i for i in demo_data.issues if i.closed_by)
    fixer = demo_data.index.pr_by_url[issue.closed_by[0]]
    body = call(hub, f"/repos/{issue.repo}/issues/{issue.number}")[2]
    assert (body["state"], body["state_reason"]) == ("closed", "completed")
    assert body["closed_by"]["login"] == fixer.merged_by


def test_keep_alive_serves_many_requests_on_one_connection(hub):
    """HTTP/1.1 keep-alive with a correct Content-Length lets one connection carry many requests."""
    split = urlsplit(hub.base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=5)
    sockets = set()
    for _ in range(20):
        connection.request("GET", f"/users/{DEMO_LOGIN}")
        response = connection.getresponse()
        assert json.loads(response.read())["login"] == DEMO_LOGIN
        sockets.add(id(connection.sock))
    connection.close()
    assert len(sockets) == 1


# -- rate limits -------------------------------------------------------------------------------------


def test_rate_limit_headers_count_down_per_resource(hub):
    """Core and search budgets are separate, reported on every response, and GET /rate_limit is free."""
    headers = [call(hub, f"/users/{DEMO_LOGIN}", token=DEFAULT_TOKEN)[1] for _ in range(2)]
    assert [h["x-ratelimit-remaining"] for h in headers] == ["4999", "4998"]
    assert headers[0]["x-ratelimit-limit"] == "5000"
    assert headers[0]["x-ratelimit-resource"] == "core"
    assert headers[1]["x-ratelimit-used"] == "2"
    assert int(headers[0]["x-ratelimit-reset"]) > time.time()
    search = call(hub, "/search/issues", q=f"author:{DEMO_LOGIN}")[1]
    assert (search["x-ratelimit-limit"], search["x-ratelimit-remaining"]) == ("10", "9")
    status, headers, body = call(hub, "/rate_limit", token=DEFAULT_TOKEN)
    assert (status, headers["x-ratelimit-resource"]) == (200, "core")
    assert body["resources"]["core"]["remaining"] == 4998
    assert body["rate"] == body["resources"]["core"]
    assert body["resources"]["search"]["limit"] == 30
    assert call(hub, "/rate_limit", token=DEFAULT_TOKEN)[2]["resources"]["core"]["remaining"] == 4998


def test_enforced_primary_limit_is_403_with_zero_remaining(hub):
    """With enforcement on, a spent budget answers 403 'API rate limit exceeded' and Remaining 0."""
    hub.enforce_rate_limits = True
    hub.set_budget("core", remaining=1, reset_in_seconds=60)
    assert call(hub, f"/users/{DEMO_LOGIN}", token=DEFAULT_TOKEN)[0] == 200
    status, headers, body = call(hub, f"/users/{DEMO_LOGIN}", token=DEFAULT_TOKEN)
    assert status == 403
    assert body["message"].startswith("API rate limit exceeded")
    assert headers["x-ratelimit-remaining"] == "0"
    assert 55 <= int(headers["x-ratelimit-reset"]) - time.time() <= 61
    with pytest.raises(RateLimitExceededException):
        pygithub(hub).get_user(DEMO_LOGIN)


def test_anonymous_search_budget_is_ten_a_minute(hub):
    """Anonymous search is limited to 10 a minute, separately from authenticated search."""
    hub.enforce_rate_limits = True
    statuses = [call(hub, "/search/issues", q=f"author:{DEMO_LOGIN}")[0] for _ in range(11)]
    assert statuses == [200] * 10 + [403]
    assert call(hub, "/search/issues", token=DEFAULT_TOKEN, q=f"author:{DEMO_LOGIN}")[0] == 200


def test_budget_refills_after_its_reset(hub):
    """A spent budget whose reset time has passed is full again."""
    hub.enforce_rate_limits = True
    hub.set_budget("core", remaining=0, reset_in_seconds=-1)
    headers = call(hub, f"/users/{DEMO_LOGIN}")[1]
    assert headers["x-ratelimit-remaining"] == "59"


def test_unenforced_budgets_never_report_zero(hub):
    """Without enforcement a spent budget rolls over, so headers never make a client wait."""
    for _ in range(12):
        status, headers, _ = call(hub, "/search/issues", q=f"author:{DEMO_LOGIN}")
        assert status == 200
        assert headers["x-ratelimit-remaining"] != "0"


# -- faults and latency ------------------------------------------------------------------------------


def test_injected_status_hits_the_chosen_requests(hub):
    """inject() answers the next `times` matching requests after `after` of them, with its headers and body."""
    hub.inject(502, times=2, after=1, path_prefix="/users/")
    hub.inject(403, path_prefix="/search/", headers={"Retry-After": "7"}, body={"message": "slow down"})
    statuses = [call(hub, f"/users/{DEMO_LOGIN}")[0] for _ in range(4)]
    assert statuses == [200, 502, 502, 200]
    status, headers, body = call(hub, "/search/issues", q=f"author:{DEMO_LOGIN}")
    assert (status, headers["retry-after"], body) == (403, "7", {"message": "slow down"})
    assert [e.fault for e in hub.requests] == [None, "injected", "injected", None, "injected"]


def test_injected_timeout_stalls_then_answers(hub):
    """inject_timeout() delays one response long enough for a client to time out, then serves normally."""
    hub.inject_timeout(1.0, path_prefix="/users/")
    split = urlsplit(hub.base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=0.2)
    connection.request("GET", f"/users/{DEMO_LOGIN}")
    with pytest.raises(socket.timeout):
        connection.getresponse()
    connection.close()
    assert call(hub, f"/users/{DEMO_LOGIN}")[0] == 200


def test_latency_is_added_to_every_response(hub):
    """hub.latency, changeable while running, delays each answer."""
    hub.latency = 0.05
    started = time.perf_counter()
    call(hub, f"/users/{DEMO_LOGIN}")
    assert time.perf_counter() - started >= 0.05
    hub.latency = 0.0


def test_random_faults_are_seeded(demo_data):
    """The same seed fails the same requests, so a flaky-network test is reproducible."""
    runs = []
    for _ in range(2):
        with FakeGitHub(demo_data) as server:
            server.random_faults(rate=0.3, seed=11)
            runs.append([call(server, f"/users/{DEMO_LOGIN}")[0] for _ in range(30)])
    assert runs[0] == runs[1]
    assert 502 in runs[0] and 200 in runs[0]


def test_graphql_is_served_by_default_and_replaceable(demo_data):
    """POST /graphql is the project's GraphQL executor (401 without a token) unless another handler is installed."""
    from fakehub import ApiResponse

    with FakeGitHub(demo_data) as server:
        assert call(server, "/graphql", method="POST")[0] == 401
    with FakeGitHub(
        demo_data, graphql_handler=lambda data, request: ApiResponse(200, {"data": {}})
    ) as server:
        status, headers, body = call(server, "/graphql", method="POST", token=DEFAULT_TOKEN)
        assert (status, body, headers["x-ratelimit-resource"]) == (200, {"data": {}}, "graphql")


# -- PyGithub parses the fake's shapes ---------------------------------------------------------------


def test_pygithub_reads_user_search_pull_files_and_reviews(hub, demo_data):
    """PyGithub 2.x fetches a user, iterates a paged search, and reads a pull with its files and reviews."""
    gh = pygithub(hub, per_page=100)
    user = gh.get_user(DEMO_LOGIN)
    assert (user.login, user.type, user.created_at) == (
        DEMO_LOGIN,
        "User",
        datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    results = gh.search_issues(f"author:{DEMO_LOGIN} is:pr", sort="created", order="asc")
    found = list(results)
    expected = sorted(
        demo_data.record_for(DEMO_LOGIN).pull_requests, key=lambda p: (p.created_at, p.repo, p.number)
    )
    assert [i.node_id for i in found] == [p.node_id for p in expected]
    assert results.totalCount == len(expected)
    big = max(expected, key=lambda p: len(p.files))
    hit = next(i for i in found if i.node_id == big.node_id)
    pull = hit.as_pull_request()
    assert (pull.merged, pull.changed_files, pull.additions, pull.deletions) == (
        big.state == "merged",
        big.changed_files,
        big.additions,
        big.deletions,
    )
    assert [f.filename for f in pull.get_files()] == [f.path for f in big.files]
    reviewed = next(p for p in demo_data.pull_requests if demo_data.reviews_of(p) and p.author != DEMO_LOGIN)
    pr = gh.get_repo(reviewed.repo).get_pull(reviewed.number)
    assert [(r.user.login, r.state) for r in pr.get_reviews()] == [
        (r.author, r.state) for r in demo_data.reviews_of(reviewed)
    ]
    repo = gh.get_repo(big.repo)
    assert repo.stargazers_count == demo_data.repos[big.repo].stars
    assert gh.get_rate_limit().resources.core.limit == 5000
    assert all(e.status == 200 for e in hub.requests)


def test_pygithub_maps_errors_to_its_exceptions(hub):
    """PyGithub raises BadCredentialsException for 401 and UnknownObjectException for a 404 user."""
    with pytest.raises(BadCredentialsException):
        pygithub(hub, token="ghp_not_a_token").get_user(DEMO_LOGIN)
    with pytest.raises(UnknownObjectException):
        pygithub(hub).get_user("nobody-at-all")


# -- record_for agrees with what the endpoints serve -------------------------------------------------


def test_record_for_matches_the_endpoints(hub, demo_data):
    """Searching, fetching each pull, its files and reviews rebuilds record_for's REST-visible fields."""
    record = demo_data.record_for(DEMO_LOGIN)
    split = urlsplit(hub.base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)

    def get(path: str, **params: object):
        connection.request("GET", path + (f"?{urlencode(params)}" if params else ""))
        response = connection.getresponse()
        return json.loads(response.read())

    def search(query: str) -> list[dict]:
        items, page = [], 1
        while True:
            body = get("/search/issues", q=query, per_page=100, page=page)
            items += body["items"]
            if len(items) >= body["total_count"]:
                return items
            page += 1

    prs = search(f"author:{DEMO_LOGIN} is:pr")
    assert sorted((urlsplit(i["repository_url"]).path[7:], i["number"]) for i in prs) == [
        (p.repo, p.number) for p in record.pull_requests
    ]
    by_node = {p.node_id: p for p in record.pull_requests}
    for item in prs:
        pr = by_node[item["node_id"]]
        assert item["title"] == pr.title
        assert item["pull_request"]["merged_at"] == (
            pr.merged_at and pr.merged_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        assert [label["name"] for label in item["labels"]] == list(pr.labels)
        assert (item["comments"], item["author_association"], item["draft"]) == (
            pr.comments,
            pr.author_association,
            pr.draft,
        )
        pull = get(f"/repos/{pr.repo}/pulls/{pr.number}")
        assert (pull["merged_by"] or {}).get("login") == pr.merged_by
        files = get(f"/repos/{pr.repo}/pulls/{pr.number}/files", per_page=100)
        assert [f["filename"] for f in files] == [f.path for f in pr.files[:100]]
    issues = search(f"author:{DEMO_LOGIN} is:issue")
    assert {i["node_id"] for i in issues} == {i.node_id for i in record.issues}
    reviewed = search(f"reviewed-by:{DEMO_LOGIN}")
    given = set()
    for item in reviewed:
        path = urlsplit(item["pull_request"]["url"]).path
        given |= {
            r["node_id"] for r in get(f"{path}/reviews", per_page=100) if r["user"]["login"] == DEMO_LOGIN
        }
    assert given == {r.node_id for r in record.reviews}
    touched = (
        {p.repo for p in record.pull_requests}
        | {i.repo for i in record.issues}
        | {r.repo for r in record.reviews}
        | {d.repo for d in record.discussions}
    )
    assert [r.full_name for r in record.repos] == sorted(touched)
    for repo in record.repos:
        body = get(f"/repos/{repo.full_name}")
        assert (body["stargazers_count"], body["fork"], body["archived"]) == (
            repo.stars,
            repo.is_fork,
            repo.archived,
        )
    connection.close()


# -- conformance with real GitHub bodies -------------------------------------------------------------

needs_recordings = pytest.mark.skipif(
    not (SHARED / "recordings").is_dir(),
    reason="the real GitHub recordings (../shared/github-api/recordings) are not beside the project",
)


def _pygithub_body(name: str, index: int = 0):
    lines = (
        (SHARED / "recordings" / "pygithub" / "tests" / "ReplayData" / name).read_text("utf-8").split("\n")
    )
    return json.loads(lines[index * 11 + 9])


def _hub4j_body(folder: str, name: str):
    return json.loads((HUB4J / folder / "__files" / name).read_text("utf-8"))


def _same_types(ours: dict, real: dict, where: str) -> None:
    for key in ours.keys() & real.keys():
        numbers = isinstance(ours[key], int | float) and isinstance(real[key], int | float)
        if ours[key] is not None and real[key] is not None and not numbers:
            assert type(ours[key]) is type(real[key]), f"{where}.{key}: {ours[key]!r} vs {real[key]!r}"


@needs_recordings
def test_user_body_keys_match_github(hub):
    """/users/{login} has exactly the keys of a real 2025 public profile, with the same JSON types."""
    real = _pygithub_body("NamedUser.setUp.txt")
    ours = call(hub, f"/users/{DEMO_LOGIN}")[2]
    assert ours.keys() == real.keys()
    _same_types(ours, real, "user")


@needs_recordings
def test_search_body_keys_match_github(hub):
    """Search pages and PR hits have exactly the keys of a real 2026 search, nested objects included."""
    real = _hub4j_body("AppTest/wiremock/testIssueSearchPullRequestsOnly", "2-search_issues.json")
    ours = call(hub, "/search/issues", q=f"author:{DEMO_LOGIN} is:pr label:documentation")[2]
    assert ours.keys() == real.keys()
    real_item, our_item = real["items"][0], ours["items"][0]
    assert our_item.keys() == real_item.keys()
    for nested in ("user", "pull_request", "reactions"):
        assert our_item[nested].keys() == real_item[nested].keys(), nested
    real_label = next(i for i in real["items"] if i["labels"])["labels"][0]
    assert our_item["labels"][0].keys() == real_label.keys()
    _same_types(our_item, real_item, "item")


@needs_recordings
def test_issue_hits_have_the_issue_keys(hub):
    """Issue hits are PR hits without draft and pull_request, as in GitHub's issue search."""
    real = _hub4j_body("AppTest/wiremock/testIssueSearchPullRequestsOnly", "2-search_issues.json")["items"][0]
    ours = call(hub, "/search/issues", q=f"author:{DEMO_LOGIN} is:issue")[2]["items"][0]
    assert ours.keys() == real.keys() - {"draft", "pull_request"}


@needs_recordings
def test_pull_body_keys_match_github(hub, demo_data):
    """/pulls/{n} has the keys of a real 2024 pull, with head/base/_links shaped the same way."""
    real = _hub4j_body("GHPullRequestTest/wiremock/refreshFromSearchResults", "5-r_h_g_pulls_479.json")
    pr = next(p for p in demo_data.pull_requests if p.state == "merged")
    ours = call(hub, f"/repos/{pr.repo}/pulls/{pr.number}")[2]
    assert ours.keys() == real.keys()
    assert ours["head"].keys() == real["head"].keys()
    assert ours["head"]["repo"].keys() == real["head"]["repo"].keys()
    assert ours["_links"].keys() == real["_links"].keys()
    _same_types(ours, real, "pull")
    _same_types(ours["base"]["repo"], real["base"]["repo"], "pull.base.repo")


@needs_recordings
def test_repo_body_keys_match_github(hub):
    """/repos/{o}/{r} uses GitHub's keys; it leaves out only what needs push access or a paid plan."""
    real = _hub4j_body("GHPullRequestTest/wiremock/refreshFromSearchResults", "2-r_h_github-api.json")
    ours = call(hub, f"/repos/{DEMO_LOGIN}/nimbus")[2]
    assert ours.keys() <= real.keys()
    assert real.keys() - ours.keys() <= {"permissions", "security_and_analysis", "organization"}
    _same_types(ours, real, "repo")


@needs_recordings
def test_files_and_reviews_keys_match_github(hub, demo_data):
    """Files and reviews list entries carry every key of the real ones."""
    pr = next(p for p in demo_data.pull_requests if demo_data.reviews_of(p) and p.files)
    files = call(hub, f"/repos/{pr.repo}/pulls/{pr.number}/files")[2]
    real_file = _pygithub_body("PullRequest.testGetFiles.txt")[0]
    assert real_file.keys() <= files[0].keys()
    assert files[0].keys() - real_file.keys() <= {"contents_url", "previous_filename"}
    reviews = call(hub, f"/repos/{pr.repo}/pulls/{pr.number}/reviews")[2]
    real_review = _pygithub_body("PullRequestReview.testAttributes.txt")[0]
    assert reviews[0].keys() == real_review.keys() | {"node_id"}
    assert reviews[0]["user"].keys() >= real_review["user"].keys()
    _same_types(reviews[0], real_review, "review")


@needs_recordings
def test_rate_limit_and_error_bodies_match_github(hub):
    """/rate_limit has GitHub's resources and rate; a 404 carries GitHub's message."""
    real = _pygithub_body("RateLimiting.testGetRateLimit.txt")
    ours = call(hub, "/rate_limit")[2]
    assert ours.keys() == real.keys()
    assert ours["resources"].keys() >= {"core", "search", "graphql"}
    assert ours["rate"].keys() == real["rate"].keys()
    assert (
        call(hub, "/users/ThisUserShouldReallyNotExist")[2]["message"]
        == _pygithub_body("Exceptions.testUnknownUser.txt")["message"]
    )


def test_node_ids_carry_database_ids():
    """Node ids are GitHub's msgpack-in-base64 shape and give back the numeric id REST shows."""
    pr_node = node_id("PR", 617_210, 3_232_145_611)
    assert pr_node == "PR_kwDOAAlq-s7ApqDL"  # a real node id from a recorded search
    assert database_id(pr_node) == 3_232_145_611
    assert node_id("U", 40_000_000).startswith("U_kgDO")
    assert database_id("MDQ6VXNlcjMyNzE0Ng==") == 327146
    assert database_id("hand-made") == database_id("hand-made") > 0


def test_module_entry_point_serves_a_dataset():
    """``python -m fakehub`` prints its base URL and answers until stopped."""
    root = Path(__file__).resolve().parents[1]
    child = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "--port", "0", "--dataset", "demo"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = child.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        split = urlsplit(base_url)
        connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
        connection.request("GET", f"/users/{DEMO_LOGIN}")
        assert json.loads(connection.getresponse().read())["login"] == DEMO_LOGIN
        connection.close()
    finally:
        child.terminate()
        child.wait(timeout=10)


# -- conditional requests ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/users/{DEMO_LOGIN}", f"/repos/{DEMO_LOGIN}/nimbus"])
def test_a_matching_etag_is_answered_304_free_of_charge_with_a_token(hub, path):
    """A 200 carries a weak ETag and Last-Modified; sent back with a token, it gets a bodiless 304 that costs nothing."""
    status, first, body = call(hub, path, token=DEFAULT_TOKEN)
    assert status == 200 and body
    assert re.fullmatch(r'W/"[0-9a-f]{64}"', first["etag"])
    assert first["cache-control"] == "private, max-age=60, s-maxage=60"
    status, again, body = call(hub, path, token=DEFAULT_TOKEN, headers={"If-None-Match": first["etag"]})
    assert (status, body) == (304, None)
    assert "content-length" not in again and "content-type" not in again
    assert again["etag"] == first["etag"] and again["last-modified"] == first["last-modified"]
    assert again["x-ratelimit-remaining"] == first["x-ratelimit-remaining"]
    assert [entry.counted for entry in hub.requests] == [True, False]


def test_an_anonymous_304_still_costs_its_request(hub):
    """Without a token a 304 counts against the budget, as GitHub counts only authorized 304s as free."""
    _, first, _ = call(hub, f"/users/{DEMO_LOGIN}")
    status, again, _ = call(hub, f"/users/{DEMO_LOGIN}", headers={"If-None-Match": first["etag"]})
    assert status == 304
    assert first["cache-control"].startswith("public, ")
    assert int(again["x-ratelimit-remaining"]) == int(first["x-ratelimit-remaining"]) - 1
    assert [entry.counted for entry in hub.requests] == [True, True]


@pytest.mark.parametrize(
    ("conditions", "status"),
    [
        ({"If-None-Match": 'W/"stale"'}, 200),
        ({"If-None-Match": 'W/"stale", *'}, 304),
        ({"If-Modified-Since": "{last_modified}"}, 304),
        ({"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}, 200),
        ({"If-Modified-Since": "not a date"}, 200),
        ({"If-None-Match": 'W/"stale"', "If-Modified-Since": "{last_modified}"}, 200),
    ],
)
def test_conditions_are_weighed_as_rfc_9110_says(hub, conditions, status):
    """If-Modified-Since counts only without If-None-Match; a stale ETag or an older date gets the full answer."""
    _, first, _ = call(hub, f"/repos/{DEMO_LOGIN}/nimbus", token=DEFAULT_TOKEN)
    filled = {name: value.format(last_modified=first["last-modified"]) for name, value in conditions.items()}
    assert call(hub, f"/repos/{DEMO_LOGIN}/nimbus", token=DEFAULT_TOKEN, headers=filled)[0] == status


def test_search_answers_cannot_be_asked_conditionally(hub):
    """Search results carry Cache-Control: no-cache and no validators, and a condition does not make them 304."""
    status, headers, _ = call(
        hub, "/search/issues", token=DEFAULT_TOKEN, headers={"If-None-Match": "*"}, q="is:pr"
    )
    assert status == 200
    assert headers["cache-control"] == "no-cache"
    assert "etag" not in headers and "last-modified" not in headers


def _recorded_headers(folder: str, mapping: str) -> dict[str, str]:
    """The lower-cased response headers of one hub4j WireMock mapping."""
    recorded = json.loads((HUB4J / folder / "mappings" / mapping).read_text("utf-8"))
    return {name.lower(): value for name, value in recorded["response"]["headers"].items()}


@needs_recordings
def test_validators_and_cache_headers_are_shaped_like_githubs(hub):
    """Users and repositories carry a weak ETag, Last-Modified and max-age=60 as GitHub's do; search says no-cache."""
    search = "AppTest/wiremock/testPullRequestSearch"
    real_user = _recorded_headers("GHUserTest/wiremock/verifyBioAndHireable", "1-users_chew.json")
    real_repo = _recorded_headers(search, "2-r_k_temp-testpullrequestsearch.json")
    real_search = _recorded_headers(search, "8-search_issues.json")
    ours_user = call(hub, f"/users/{DEMO_LOGIN}")[1]
    ours_repo = call(hub, f"/repos/{DEMO_LOGIN}/nimbus", token=DEFAULT_TOKEN)[1]
    ours_search = call(hub, "/search/issues", q="is:pr")[1]
    for real, ours in ((real_user, ours_user), (real_repo, ours_repo)):
        assert real["etag"].startswith('W/"') and ours["etag"].startswith('W/"')
        assert parsedate_to_datetime(real["last-modified"]) and parsedate_to_datetime(ours["last-modified"])
        assert real["cache-control"] == ours["cache-control"]
    assert real_search["cache-control"] == ours_search["cache-control"] == "no-cache"
    assert "etag" not in real_search and "etag" not in ours_search
