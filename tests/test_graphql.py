"""The GraphQL path: its documents against GitHub's schema, the fake's GraphQL server, and the collector."""

from __future__ import annotations

import http.client
import json
import math
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import graphql
import pytest

from fakehub import DEFAULT_TOKEN, ApiResponse, Dataset, FakeGitHub
from fakehub.demo import DEMO_LOGIN, LARGE_LOGIN
from fakehub.graphql import GraphqlHandler, fake_schema, query_cost
from portfolio.collect import collect
from portfolio.errors import ApiError, RateLimited, UserNotFound
from portfolio.github import Client, GraphqlBackend, RestBackend, backend_for
from portfolio.github.documents import (
    document,
    repositories_document,
    review_windows_document,
    with_fragments,
)
from portfolio.github.engagement import engagement_operation
from portfolio.github.graphql import year_windows
from portfolio.model import Profile, PullRequest, Repo, Review
from portfolio.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "github-api"
GITHUB_SCHEMA = SHARED / "graphql" / "schema.graphql"
OPERATIONS = [
    "profile",
    "pull_requests",
    "issues",
    "pull_request_files",
    "reviews",
    "answers",
    "discussions",
    "issue_comments",
    "pull_request",
    "pull_request_items",
    "issue_items",
]
DOCUMENTS = {
    **{name: lambda name=name: document(name) for name in OPERATIONS},
    "repositories(1)": lambda: repositories_document(1),
    "repositories(50)": lambda: repositories_document(50),
    "review_windows(1)": lambda: review_windows_document(1),
    "review_windows(20)": lambda: review_windows_document(20),
    "engagement(1)": lambda: with_fragments(engagement_operation(1)),
    "engagement(19)": lambda: with_fragments(engagement_operation(19)),
}
BUILTINS = {"String", "Int", "Float", "Boolean", "ID"}


@pytest.fixture(scope="module")
def github_schema() -> graphql.GraphQLSchema:
    """GitHub's published GraphQL schema, or a skip saying why it is missing."""
    if not GITHUB_SCHEMA.exists():
        pytest.skip(
            f"GitHub's schema is not beside the project ({GITHUB_SCHEMA.name} under ../shared/github-api)"
        )
    schema = graphql.build_schema(GITHUB_SCHEMA.read_text("utf-8"), assume_valid_sdl=True)
    schema._validation_errors = []  # GitHub's SDL breaks two deprecation rules graphql-core checks
    return schema


class RecordingHandler(GraphqlHandler):
    """The fake's GraphQL handler, remembering the operation name of every query it is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.operations: list[str | None] = []

    def __call__(self, dataset, request):
        """Record the operation, then answer as usual."""
        try:
            parsed = graphql.parse(json.loads(request.body)["query"])
            self.operations.append(parsed.definitions[0].name.value if parsed.definitions[0].name else None)
        except (ValueError, KeyError, graphql.GraphQLError):
            self.operations.append(None)
        return super().__call__(dataset, request)


@pytest.fixture
def gql_hub(demo_data):
    """A fake GitHub over the demo data that also answers GraphQL (and records its operations)."""
    with FakeGitHub(demo_data, graphql_handler=RecordingHandler()) as server:
        yield server


def post(hub: FakeGitHub, query: str, variables: dict | None = None, token: str | None = DEFAULT_TOKEN):
    """One GraphQL request: (status, lower-cased headers, parsed body)."""
    split = urlsplit(hub.base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"bearer {token}"
    try:
        connection.request(
            "POST", "/graphql", json.dumps({"query": query, "variables": variables or {}}), headers
        )
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(response.read())
    finally:
        connection.close()


def backend(hub: FakeGitHub, **options: object) -> GraphqlBackend:
    """A GraphQL backend talking to ``hub`` with a token."""
    return GraphqlBackend(Client(hub.base_url, DEFAULT_TOKEN, **options))


# -- documents and schemas -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_validates_against_githubs_schema(github_schema, name):
    """Each query the collector sends is valid against GitHub's real schema."""
    assert graphql.validate(github_schema, graphql.parse(DOCUMENTS[name]())) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_validates_against_the_fake_schema(name):
    """The fake's schema covers every query the collector sends."""
    assert graphql.validate(fake_schema(), graphql.parse(DOCUMENTS[name]())) == []


def _type_string(type_: object) -> str:
    return str(type_)


def test_fake_schema_is_a_subset_of_githubs(github_schema):
    """Every type, field, argument, enum value, union member and interface of the fake exists in GitHub's."""
    problems = []
    for name, fake in fake_schema().type_map.items():
        if name.startswith("__") or name in BUILTINS:
            continue
        real = github_schema.type_map.get(name)
        if real is None or type(real) is not type(fake):
            problems.append(f"type {name}")
            continue
        for field_name, field in getattr(fake, "fields", {}).items():
            real_field = real.fields.get(field_name)
            if real_field is None or _type_string(real_field.type) != _type_string(field.type):
                problems.append(f"{name}.{field_name}")
                continue
            for arg_name, arg in getattr(field, "args", {}).items():
                real_arg = real_field.args.get(arg_name)
                if real_arg is None or _type_string(real_arg.type) != _type_string(arg.type):
                    problems.append(f"{name}.{field_name}({arg_name})")
        if hasattr(fake, "values") and not set(fake.values) <= set(real.values):
            problems.append(f"enum {name}")
        if hasattr(fake, "types") and not {t.name for t in fake.types} <= {t.name for t in real.types}:
            problems.append(f"union {name}")
        if {i.name for i in getattr(fake, "interfaces", ())} - {
            i.name for i in getattr(real, "interfaces", ())
        }:
            problems.append(f"interfaces of {name}")
    assert problems == []


def test_cost_follows_githubs_formula():
    """A page of 100 PRs (three 100-item connections, topics, 10 closed issues' labels) costs 1501/100 = 15."""
    doc = graphql.parse(document("pull_requests"))
    operation = doc.definitions[0]
    # The closed issues' labels (for "good first issue") add 100 + 100 * 10 connections: 11 points a page.
    requests = 1 + 100 * 3 + 100 + 100 + 100 * 10
    nodes = 100 + 3 * 100 * 100 + 100 * 20 + 100 * 10 + 100 * 10 * 10
    assert query_cost(doc, operation, {}) == (round(requests / 100), nodes)


# -- the fake's GraphQL server ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "ghp_not_a_token"])
def test_graphql_needs_a_valid_token(gql_hub, token):
    """GitHub serves no anonymous GraphQL, and refuses a bad token: both are 401."""
    status, _, body = post(gql_hub, "{ viewer { login } }", token=token)
    assert status == 401
    assert body["message"] in ("This endpoint requires you to be authenticated.", "Bad credentials")


def test_search_reports_the_true_total_but_stops_at_1000(large_data):
    """issueCount is the true total; cursors stop at the 1,000th result, as GitHub's search does."""
    query = "query($q: String!, $after: String) { search(type: ISSUE, first: 100, query: $q, after: $after) " \
            "{ issueCount pageInfo { hasNextPage endCursor } nodes { ... on PullRequest { number } } } }"  # fmt: skip
    with FakeGitHub(large_data, graphql_handler=GraphqlHandler()) as hub:
        after, seen = None, 0
        while True:
            _, _, body = post(hub, query, {"q": f"author:{LARGE_LOGIN} is:pr", "after": after})
            found = body["data"]["search"]
            seen += len(found["nodes"])
            if not found["pageInfo"]["hasNextPage"]:
                break
            after = found["pageInfo"]["endCursor"]
        last_cursor = found["pageInfo"]["endCursor"]
        _, _, past = post(hub, query, {"q": f"author:{LARGE_LOGIN} is:pr", "after": last_cursor})
    assert found["issueCount"] > 5000
    assert seen == 1000
    assert past["data"]["search"]["nodes"] == []


def test_missing_user_is_not_found_beside_the_other_data(gql_hub):
    """An unknown login is a NOT_FOUND error at its path while the rest of the query still answers."""
    _, _, body = post(gql_hub, '{ user(login: "nobody-at-all") { login } rateLimit { cost } }')
    assert body["data"] == {"user": None, "rateLimit": {"cost": 1}}
    assert body["errors"][0]["type"] == "NOT_FOUND"
    assert body["errors"][0]["path"] == ["user"]


@pytest.mark.parametrize(
    ("selection", "kind"),
    [
        ("files(first: 101) { nodes { path } }", "EXCESSIVE_PAGINATION"),
        ("files { nodes { path } }", "MISSING_PAGINATION_BOUNDARIES"),
        ('files(first: 1, after: "bm90IG91cnM=") { nodes { path } }', "INVALID_CURSOR_ARGUMENTS"),
    ],
)
def test_connections_are_bounded_like_githubs(gql_hub, demo_data, selection, kind):
    """A connection needs first/last of at most 100 and a cursor it issued."""
    pr = demo_data.pull_requests[0]
    _, _, body = post(gql_hub, f'{{ node(id: "{pr.node_id}") {{ ... on PullRequest {{ {selection} }} }} }}')
    assert body["errors"][0]["type"] == kind


def test_contributions_window_is_at_most_a_year(gql_hub):
    """contributionsCollection refuses a from/to span longer than a year, as GitHub does."""
    query = f"""{{ user(login: "{DEMO_LOGIN}") {{
        contributionsCollection(from: "2022-01-01T00:00:00Z", to: "2023-01-02T00:00:00Z") {{
            totalPullRequestReviewContributions }} }} }}"""
    _, _, body = post(gql_hub, query)
    assert "must not exceed 1 year" in body["errors"][0]["message"]


def test_invalid_document_answers_errors_without_data(gql_hub):
    """A field the schema lacks is a validation error and nothing is executed."""
    _, _, body = post(gql_hub, "{ viewer { loginn } }")
    assert "data" not in body
    assert "loginn" in body["errors"][0]["message"]


def test_spent_budget_answers_rate_limited(gql_hub):
    """With too few points left the answer is GitHub's RATE_LIMITED error with remaining 0."""
    gql_hub.graphql_handler.set_points(0, reset_in_seconds=600)
    status, headers, body = post(gql_hub, "{ viewer { login } }")
    assert status == 200
    assert body["errors"][0]["type"] == "RATE_LIMITED"
    assert headers["x-ratelimit-remaining"] == "0"
    assert headers["x-ratelimit-resource"] == "graphql"


def test_points_are_charged_by_cost(gql_hub):
    """Each query's cost comes off the hour's points, and rateLimit reports both."""
    _, headers, body = post(gql_hub, document("pull_requests"), {"query": f"author:{DEMO_LOGIN} is:pr"})
    rate = body["data"]["rateLimit"]
    assert rate["cost"] == 15
    assert rate["remaining"] == 5000 - 15 == int(headers["x-ratelimit-remaining"])


# -- the collector ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "token", "expected"),
    [("auto", DEFAULT_TOKEN, GraphqlBackend), ("auto", None, RestBackend), ("graphql", DEFAULT_TOKEN, GraphqlBackend),
     ("rest", DEFAULT_TOKEN, RestBackend)],
)  # fmt: skip
def test_auto_means_graphql_with_a_token(name, token, expected):
    """``auto`` picks GraphQL when there is a token and REST when there is none."""
    assert type(backend_for(name, Client("http://127.0.0.1:9", token))) is expected


def test_unknown_login_is_user_not_found(gql_hub):
    """A login GitHub does not know raises UserNotFound."""
    with pytest.raises(UserNotFound):
        backend(gql_hub).profile("nobody-at-all")


OWNER = {"__typename": "User", "id": "U_1", "login": "someone", "avatarUrl": "https://example.com/a.png",
         "url": "https://github.com/someone", "createdAt": "2020-01-02T03:04:05Z"}  # fmt: skip


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ({"data": {"repositoryOwner": None}}, UserNotFound),
        (
            {"data": {"repositoryOwner": None}, "errors": [{"type": "NOT_FOUND", "message": "no"}]},
            UserNotFound,
        ),
        ({"errors": [{"message": "Field 'x' doesn't exist on type 'User'"}]}, ApiError),
        ({"data": None, "errors": [{"type": "INTERNAL", "message": "Something went wrong"}]}, ApiError),
        ({"data": {"repositoryOwner": OWNER}, "errors": [{"type": "FORBIDDEN", "path": ["x"]}]}, "someone"),
    ],
)
def test_partial_errors_keep_the_data_and_missing_data_raises(demo_data, body, outcome):
    """Errors beside the needed data are tolerated; without it a missing account or an API error is raised."""
    with FakeGitHub(demo_data, graphql_handler=lambda _data, _request: ApiResponse(200, body)) as hub:
        collector = backend(hub)
        if isinstance(outcome, str):
            assert collector.profile("someone").login == outcome
        else:
            with pytest.raises(outcome):
                collector.profile("someone")


def test_organization_login_collects_an_empty_record(gql_hub, demo_data):
    """An organization has a profile but no user contributions: collection ends without error."""
    org = next(p for p in demo_data.profiles.values() if p.type == "Organization")
    store = Store(":memory:")
    result = collect(org.login, store, api_url=gql_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    assert result.items == {"pr": 0, "issue": 0, "review": 0, "answer": 0, "discussion": 0, "comment": 0}
    assert store.load_record(org.login).profile.type == "Organization"


def test_rate_limit_is_waited_out_within_the_bound(gql_hub, demo_data):
    """RATE_LIMITED with a near reset is slept through (the budget refills) and the query then answers."""
    handler = gql_hub.graphql_handler
    handler.set_points(0, reset_in_seconds=20)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        handler.set_points(5000)

    profile = backend(gql_hub, sleep=sleep, max_wait=60).profile(DEMO_LOGIN)
    assert profile == demo_data.profiles[DEMO_LOGIN]
    assert len(waits) == 1 and 0 < waits[0] <= 22


def test_rate_limit_past_the_bound_stops_with_when_to_retry(gql_hub):
    """A reset further away than max_wait raises RateLimited at once, saying until when."""
    gql_hub.graphql_handler.set_points(0, reset_in_seconds=3000)
    with pytest.raises(RateLimited, match="UTC") as caught:
        backend(gql_hub, sleep=pytest.fail, max_wait=60).profile(DEMO_LOGIN)
    assert caught.value.reset_at > datetime.now(UTC) + timedelta(minutes=40)


def test_rate_limit_is_noted_in_usage(gql_hub):
    """Each answer's rateLimit remaining and reset go into the client's usage."""
    collector = backend(gql_hub)
    collector.profile(DEMO_LOGIN)
    assert collector.client.usage.remaining == 4999
    assert collector.client.usage.reset_at > datetime.now(UTC)
    assert collector.points == 1


def test_repos_skip_missing_ones_and_reuse_those_seen_inline(gql_hub, demo_data):
    """Repositories seen in search results cost nothing; a missing one is skipped, the rest batched."""
    collector = backend(gql_hub)
    start = datetime(2008, 1, 1, tzinfo=UTC)
    collector.search("issue", DEMO_LOGIN, start, datetime.now(UTC), None, None)
    seen = {i.repo for i in demo_data.record_for(DEMO_LOGIN).issues}
    others = sorted(set(demo_data.repos) - seen)[:3]
    gql_hub.reset_log()
    repos = collector.repos([*sorted(seen), "nobody/nothing", *others])
    assert {r.full_name for r in repos} == seen | set(others)
    assert all(r == demo_data.repos[r.full_name] for r in repos)
    assert gql_hub.request_count() == 1


def test_pull_request_files_page_only_past_100(gql_hub, demo_data):
    """Only PRs with more than 100 files cost extra requests, one per further 100."""
    collect(DEMO_LOGIN, Store(":memory:"), api_url=gql_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    prs = demo_data.record_for(DEMO_LOGIN).pull_requests
    extra = sum(math.ceil(len(p.files) / 100) - 1 for p in prs)
    assert extra > 0
    assert gql_hub.graphql_handler.operations.count("PullRequestFiles") == extra


def test_refresh_with_nothing_new_costs_a_handful(gql_hub, demo_data):
    """A second GraphQL collection asks only for what changed and costs at most 5 requests."""
    store = Store(":memory:")
    collect(DEMO_LOGIN, store, api_url=gql_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    gql_hub.reset_log()
    result = collect(DEMO_LOGIN, store, api_url=gql_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    assert result.incremental
    assert gql_hub.request_count() <= 5
    assert store.load_record(DEMO_LOGIN) == demo_data.record_for(DEMO_LOGIN)


@pytest.mark.parametrize("fail_after", [1, 3, 6, 8])
def test_interrupted_collection_resumes_to_the_same_record(gql_hub, demo_data, fail_after):
    """A run stopped by an error after some requests, then rerun, ends with the exact record."""
    store = Store(":memory:")
    gql_hub.inject(400, after=fail_after, path_prefix="/graphql")
    with pytest.raises(ApiError):
        collect(DEMO_LOGIN, store, api_url=gql_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    collect(DEMO_LOGIN, store, api_url=gql_hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    assert store.load_record(DEMO_LOGIN) == demo_data.record_for(DEMO_LOGIN)


# -- review windows --------------------------------------------------------------------------------------

REVIEWER = "window-reviewer"
JOINED = datetime(2019, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def review_data() -> Dataset:
    """A reviewer with 150 reviews in its first year, 120 in its fourth and none in between."""
    repo = Repo("org/proj", "org", "Organization", 10, 2, "Python", (), False, False, "A project.",
                "https://github.com/org/proj", "R_proj")  # fmt: skip
    profiles = {
        login: Profile(login, created_at=JOINED, node_id=f"U_{login}", type="User", public_repos=0, followers=0,
                       html_url=f"https://github.com/{login}", avatar_url=f"https://example.com/{login}.png")
        for login in (REVIEWER, "someone")
    }  # fmt: skip
    profiles["org"] = Profile("org", created_at=JOINED, node_id="O_org", type="Organization")
    prs, reviews = [], []
    moments = [JOINED + timedelta(days=30, hours=5 * i) for i in range(150)]
    moments += [JOINED + timedelta(days=3 * 365 + 40, hours=3 * i) for i in range(120)]
    for number, moment in enumerate(moments, start=1):
        url = f"https://github.com/org/proj/pull/{number}"
        prs.append(PullRequest(f"PR_{number}", "org/proj", number, f"Change {number}", url, "someone", "open",
                               moment - timedelta(hours=1), updated_at=moment))  # fmt: skip
        reviews.append(Review(f"PRR_{number}", url, "org/proj", REVIEWER, "APPROVED", moment, 1, "someone"))
    return Dataset(
        profiles=profiles, repos={repo.full_name: repo}, pull_requests=prs, issues=[], reviews=reviews
    )


def test_year_windows_cover_the_range_without_gaps():
    """Windows are at most a year, consecutive to the second, and end at the range's end."""
    end = datetime(2024, 2, 29, 12, tzinfo=UTC)
    windows = year_windows(datetime(2020, 2, 29, tzinfo=UTC), end)
    assert windows[0][0] == datetime(2020, 2, 29, tzinfo=UTC)
    assert windows[-1][1] == end
    assert all(b - a < timedelta(days=366) for a, b in windows)
    assert all(later[0] - earlier[1] == timedelta(seconds=1) for earlier, later in pairwise(windows))


def test_review_walk_asks_every_window_at_once_then_only_the_full_ones(review_data):
    """The first request brings every year's first 100; only windows with more cost further requests."""
    with FakeGitHub(review_data, graphql_handler=GraphqlHandler()) as hub:
        collector = backend(hub)
        end = datetime(2024, 1, 1, tzinfo=UTC)
        page = collector.search("review", REVIEWER, JOINED, end, None, None)
        pages = [page]
        while page.next_page is not None:
            page = collector.search("review", REVIEWER, JOINED, end, page.next_page, None)
            pages.append(page)
        requests = hub.request_count()
    assert [len(p.items) for p in pages] == [200, 50, 20]
    assert requests == 3
    assert pages[0].total == 270
    # The first page's resume point is the first window's last review, not the later window's.
    assert pages[0].last_created == sorted(r.submitted_at for r in review_data.reviews)[99]
    assert {r.node_id for p in pages for r in p.items} == {r.node_id for r in review_data.reviews}


def test_review_walk_resumes_without_a_gap(review_data):
    """Stopped after the first review request, a rerun still collects every review."""
    with FakeGitHub(review_data, graphql_handler=GraphqlHandler()) as hub:
        store = Store(":memory:")
        # profile, PR search, issue search, then the review windows; the next review page fails.
        hub.inject(400, after=4, path_prefix="/graphql")
        with pytest.raises(ApiError):
            collect(REVIEWER, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
        assert 0 < len(store.load_record(REVIEWER).reviews) < 270
        collect(REVIEWER, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    assert store.load_record(REVIEWER) == review_data.record_for(REVIEWER)
