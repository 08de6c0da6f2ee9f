"""A real HTTP server on 127.0.0.1 that answers like api.github.com from a Dataset."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import random
import re
import socket
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from fakehub.dataset import Dataset
from fakehub.ids import database_id
from fakehub.payloads import Payloads, dumps, error_body
from fakehub.search import Searcher, SearchError
from portfolio.model import PullRequest

SEARCH_CAP = 1000
SEARCH_DOCS = "https://docs.github.com/v3/search/"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
# (limit, window in seconds) per resource, authenticated and anonymous, as GitHub documents them.
BUDGETS: dict[tuple[bool, str], tuple[int, int]] = {
    (True, "core"): (5000, 3600),
    (False, "core"): (60, 3600),
    (True, "search"): (30, 60),
    (False, "search"): (10, 60),
    (True, "graphql"): (5000, 3600),
    (False, "graphql"): (0, 3600),
}
_OTHER_RESOURCES = {
    "integration_manifest": 5000,
    "source_import": 100,
    "code_scanning_upload": 1000,
    "actions_runner_registration": 10000,
    "scim": 15000,
    "dependency_snapshots": 100,
    "audit_log": 1750,
    "code_search": 10,
}
_UNDER_REPO = re.compile(r"/repos/([^/]+/[^/]+)(?:/|$)")
_LOGIN = r"(?P<login>[A-Za-z0-9-]+)"
_REPO = r"(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+)"


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    """One request the server answered; never holds the token, only whether one was accepted."""

    method: str
    path: str
    query: Mapping[str, str]
    status: int
    authenticated: bool
    fault: str | None = None  # "injected", "timeout" or "random" when a scripted fault shaped the answer
    counted: bool = False  # charged to a rate-limit budget (a 304 to a request with a token is not)


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """What a route handler sees of a request."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    viewer: str | None  # the login behind an accepted token
    authenticated: bool
    base_url: str


@dataclass(slots=True)
class ApiResponse:
    """A route handler's answer: a JSON-able body (or bytes already serialised) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Fault:
    """A scripted fault: which requests it hits and what it answers (or how long it stalls)."""

    path_prefix: str | None
    after: int
    times: int
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0
    seen: int = 0
    fired: int = 0


@dataclass(slots=True)
class _Budget:
    """One rate-limit budget: a limit per window, what is left, and when it refills."""

    limit: int
    window: int
    remaining: int
    reset_at: int

    def refresh(self, now: float) -> None:
        """Refill the budget once its reset time has passed."""
        if now >= self.reset_at:
            self.remaining = self.limit
            self.reset_at = int(now) + self.window


GraphQLHandler = Callable[[Dataset, ApiRequest], ApiResponse]


class _Handler(BaseHTTPRequestHandler):
    """Hands each HTTP request to the hub."""

    protocol_version = "HTTP/1.1"  # keep-alive, so one client connection carries thousands of requests
    server_version = "GitHub.com"
    sys_version = ""
    wbufsize = -1  # buffered, so the head and a small body leave in one segment
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        """Register the connection so stop() can close it."""
        super().setup()
        self.server.hub._track(self.connection, add=True)

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            self.server.hub._track(self.connection, add=False)

    def _dispatch(self) -> None:
        """Let the hub answer, whatever the method."""
        self.server.hub._serve(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the hub keeps its own request log."""


class _Server(ThreadingHTTPServer):
    """The threading HTTP server, with a reference to its hub."""

    daemon_threads = True
    hub: FakeGitHub


def conditional(response: ApiResponse, request: ApiRequest) -> ApiResponse:
    """A 200 with GitHub's validators and cache headers, or 304 Not Modified when the request's still match."""
    if response.status != 200:
        return response
    payload = response.body if isinstance(response.body, bytes) else dumps(response.body)
    cached = {
        "Cache-Control": f"{'private' if request.authenticated else 'public'}, max-age=60, s-maxage=60",
        "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding, Accept, X-Requested-With",
        "ETag": f'W/"{hashlib.sha256(payload).hexdigest()}"',
    }
    # Like GitHub, an object with an update time is also dated by it.
    updated = json.loads(payload).get("updated_at") if payload.startswith(b"{") else None
    if updated:
        cached["Last-Modified"] = format_datetime(datetime.fromisoformat(updated), usegmt=True)
    if _not_modified(request.headers, cached["ETag"], cached.get("Last-Modified")):
        return ApiResponse(304, None, cached)
    return ApiResponse(200, payload, {**response.headers, **cached})


def _not_modified(headers: Mapping[str, str], etag: str, last_modified: str | None) -> bool:
    """Whether a request's If-None-Match (or, without one, If-Modified-Since) still matches, as RFC 9110 says."""
    lowered = {name.lower(): value for name, value in headers.items()}
    if "if-none-match" in lowered:
        tags = {tag.strip().removeprefix("W/") for tag in lowered["if-none-match"].split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = lowered.get("if-modified-since")
    if not since or not last_modified:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):  # an unreadable date is ignored, as RFC 9110 asks
        return False


def unavailable_response(status: int) -> ApiResponse:
    """What GitHub answers for anything under a deleted (404, 410), taken-down (451) or blocked (403) repository."""
    if status in (403, 451):
        reason = "dmca" if status == 451 else "tos"
        block = {"reason": reason, "created_at": "2026-01-02T03:04:05Z", "html_url": "https://github.com/tos"}
        return ApiResponse(status, {"message": "Repository access blocked", "block": block})
    if status == 410:
        return ApiResponse(410, error_body("Gone", 410, "https://docs.github.com/rest/repos/repos"))
    return ApiResponse(404, error_body("Not Found", 404, "https://docs.github.com/rest/repos/repos"))


class FakeGitHub:
    """GitHub's REST API over a Dataset, with a request log, latency, scripted faults and rate limits."""

    def __init__(
        self,
        dataset: Dataset,
        *,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        graphql_handler: GraphQLHandler | None = None,
    ) -> None:
        self.dataset = dataset
        self.latency = latency
        self.enforce_rate_limits = False
        if graphql_handler is None:
            # Imported here because the GraphQL executor builds on this module's request and response types.
            from fakehub.graphql import GraphqlHandler

            graphql_handler = GraphqlHandler()
        self.graphql_handler = graphql_handler
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._log: list[RequestLogEntry] = []
        self._faults: list[_Fault] = []
        self._random: tuple[float, float, float, random.Random] | None = None
        now = time.time()
        self._budgets = {
            key: _Budget(limit, window, limit, int(now) + window) for key, (limit, window) in BUDGETS.items()
        }
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._payloads: Payloads | None = None
        self._searcher = Searcher(dataset)
        self._search_cache: OrderedDict[tuple[str, str, str, str], list[Any]] = OrderedDict()
        self._request_ids = 0
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., ApiResponse]]] = [
            ("GET", re.compile(r"/user"), self._get_viewer),
            ("GET", re.compile(rf"/users/{_LOGIN}"), self._get_user),
            ("GET", re.compile(rf"/users/{_LOGIN}/repos"), self._get_user_repos),
            ("GET", re.compile(r"/search/issues"), self._search_issues),
            ("GET", re.compile(r"/rate_limit"), self._get_rate_limit),
            ("GET", re.compile(rf"/repos/{_REPO}"), self._get_repo),
            ("GET", re.compile(rf"/repos/{_REPO}/pulls/(?P<number>\d+)"), self._get_pull),
            ("GET", re.compile(rf"/repos/{_REPO}/pulls/(?P<number>\d+)/files"), self._get_pull_files),
            ("GET", re.compile(rf"/repos/{_REPO}/pulls/(?P<number>\d+)/reviews"), self._get_pull_reviews),
            ("GET", re.compile(rf"/repos/{_REPO}/issues/(?P<number>\d+)"), self._get_issue),
            ("POST", re.compile(r"/graphql"), self.handle_graphql),
        ]

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        """Listen on ``host:port`` (port 0 picks a free one) and answer from a background thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self._host, self._port), _Handler)
        self._server.hub = self
        self._payloads = Payloads(self.dataset, self.base_url)
        # A short poll keeps stop() quick; tests start and stop many servers.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fakehub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering, wake sleeping handlers and close every open connection."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, what PyGithub takes as ``base_url``."""
        if self._server is None:
            raise RuntimeError("the fake GitHub is not running; use it as a context manager or call start()")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- observation and control -----------------------------------------------------------------

    @property
    def requests(self) -> list[RequestLogEntry]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def request_count(self) -> int:
        """How many requests have been answered since the last reset."""
        with self._lock:
            return len(self._log)

    def reset_log(self) -> None:
        """Forget the requests answered so far."""
        with self._lock:
            self._log.clear()

    def inject(
        self,
        status: int,
        times: int = 1,
        after: int = 0,
        path_prefix: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        """Answer the next ``times`` matching requests, after skipping ``after`` of them, with ``status``."""
        if body is None:
            body = error_body(HTTPStatus(status).phrase, status)
        with self._lock:
            self._faults.append(_Fault(path_prefix, after, times, status, dict(headers or {}), body))

    def inject_timeout(
        self, seconds: float, times: int = 1, after: int = 0, path_prefix: str | None = None
    ) -> None:
        """Wait ``seconds`` before answering the next ``times`` matching requests, so clients time out."""
        with self._lock:
            self._faults.append(_Fault(path_prefix, after, times, delay=seconds))

    def random_faults(
        self, rate: float = 0.05, timeout_rate: float = 0.0, timeout_seconds: float = 1.0, seed: int = 0
    ) -> None:
        """Fail a seeded random share of requests with 502, and stall another share; ``rate=0`` stops it."""
        with self._lock:
            active = rate > 0 or timeout_rate > 0
            self._random = (rate, timeout_rate, timeout_seconds, random.Random(seed)) if active else None

    def clear_faults(self) -> None:
        """Drop every scripted and random fault."""
        with self._lock:
            self._faults.clear()
            self._random = None

    def set_budget(
        self, resource: str, remaining: int, reset_in_seconds: float = 3600, authenticated: bool | None = None
    ) -> None:
        """Set what is left of a rate-limit budget and when it refills (both kinds of caller by default)."""
        reset_at = int(time.time() + reset_in_seconds)
        with self._lock:
            for (is_authenticated, name), budget in self._budgets.items():
                if name == resource and authenticated in (None, is_authenticated):
                    budget.remaining = max(0, min(remaining, budget.limit))
                    budget.reset_at = reset_at

    def handle_graphql(self, request: ApiRequest) -> ApiResponse:
        """``POST /graphql``: delegated to ``graphql_handler``; 404 while none is installed."""
        if self.graphql_handler is None:
            return ApiResponse(404, error_body("Not Found", 404))
        return self.graphql_handler(self.dataset, request)

    # -- request handling ------------------------------------------------------------------------

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        """Add or drop an open client connection."""
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _sleep(self, seconds: float) -> None:
        """Wait, but wake at once when the server stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def _take_fault(self, path: str) -> tuple[_Fault | None, str | None]:
        """The fault that applies to this request, if any, and its kind for the log."""
        with self._lock:
            for fault in self._faults:
                if fault.path_prefix is not None and not path.startswith(fault.path_prefix):
                    continue
                if fault.seen < fault.after:
                    fault.seen += 1
                    continue
                if fault.fired < fault.times:
                    fault.fired += 1
                    return fault, "timeout" if fault.status is None else "injected"
            if self._random is not None:
                rate, timeout_rate, timeout_seconds, rng = self._random
                draw = rng.random()
                if draw < rate:
                    return _Fault(None, 0, 1, 502, body=error_body("Server Error", 502)), "random"
                if draw < rate + timeout_rate:
                    return _Fault(None, 0, 1, delay=timeout_seconds), "random"
        return None, None

    def _spend(self, authenticated: bool, resource: str) -> tuple[bool, dict[str, str]]:
        """Count one request against its budget; False when an enforced budget is spent."""
        now = time.time()
        with self._lock:
            budget = self._budgets[(authenticated, resource)]
            budget.refresh(now)
            # A zero limit means no budget applies (anonymous GraphQL): its handler answers 401 itself.
            if budget.limit > 0:
                if budget.remaining <= 0 and self.enforce_rate_limits:
                    return False, self._rate_headers(budget, resource)
                if budget.remaining <= 1 and not self.enforce_rate_limits:
                    # Unenforced budgets roll over early so headers never tell a client to wait.
                    budget.remaining = budget.limit
                    budget.reset_at = int(now) + budget.window
                budget.remaining -= 1
            return True, self._rate_headers(budget, resource)

    def _refund(self, authenticated: bool, resource: str) -> dict[str, str]:
        """Give back the request just charged to a budget; its rate-limit headers after that."""
        with self._lock:
            budget = self._budgets[(authenticated, resource)]
            budget.remaining = min(budget.limit, budget.remaining + 1)
            return self._rate_headers(budget, resource)

    def _peek(self, authenticated: bool, resource: str) -> dict[str, str]:
        """The rate-limit headers of a budget without spending from it."""
        with self._lock:
            budget = self._budgets[(authenticated, resource)]
            budget.refresh(time.time())
            return self._rate_headers(budget, resource)

    @staticmethod
    def _rate_headers(budget: _Budget, resource: str) -> dict[str, str]:
        """GitHub's X-RateLimit-* headers for a budget."""
        return {
            "X-RateLimit-Limit": str(budget.limit),
            "X-RateLimit-Remaining": str(budget.remaining),
            "X-RateLimit-Reset": str(budget.reset_at),
            "X-RateLimit-Used": str(budget.limit - budget.remaining),
            "X-RateLimit-Resource": resource,
        }

    def _serve(self, handler: _Handler) -> None:
        """Answer one request: auth, faults, latency, rate limit, route, log, send."""
        split = urlsplit(handler.path)
        path = unquote(split.path).rstrip("/") or "/"
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        resource = "search" if path.startswith("/search/") else "graphql" if path == "/graphql" else "core"

        token_ok, viewer, authenticated = self._authenticate(handler.headers.get("Authorization"))
        fault, fault_kind = self._take_fault(path)
        response: ApiResponse | None = None
        counted = False
        if fault is not None:
            if fault.status is None:
                self._sleep(fault.delay)
            else:
                rate = self._peek(authenticated, resource)
                response = ApiResponse(fault.status, fault.body, {**rate, **fault.headers})
        self._sleep(self.latency)
        if response is None and not token_ok:
            response = ApiResponse(401, error_body("Bad credentials", 401), self._peek(False, resource))
        if response is None and path == "/rate_limit":
            response = self._get_rate_limit_response(authenticated)
        if response is None:
            allowed, rate = self._spend(authenticated, resource)
            # A zero limit (anonymous GraphQL) charges nothing.
            counted = allowed and BUDGETS[(authenticated, resource)][0] > 0
            if allowed:
                # Handlers learn who calls from viewer/authenticated; the token itself never leaves here.
                headers = {k: v for k, v in handler.headers.items() if k.lower() != "authorization"}
                request = ApiRequest(
                    handler.command, path, query, headers, body, viewer, authenticated, self.base_url
                )
                try:
                    response = self._route(request)
                except Exception:  # a bug in a handler must answer 500, as GitHub would, not hang the client
                    traceback.print_exc()
                    response = ApiResponse(500, error_body("Server Error", 500))
                if resource == "core" and handler.command in ("GET", "HEAD"):
                    response = conditional(response, request)
                if response.status == 304 and authenticated:
                    # GitHub counts no 304 to a conditional request "correctly authorized with an
                    # Authorization header"; an anonymous one still costs its request.
                    rate = self._refund(authenticated, resource)
                    counted = False
                response.headers = {**rate, **response.headers}
            else:
                response = ApiResponse(403, self._limit_body(authenticated, viewer), rate)
        # Logged before the answer leaves, so a client that has its response also sees it in the log.
        with self._lock:
            self._log.append(
                RequestLogEntry(
                    handler.command, path, query, response.status, authenticated, fault_kind, counted
                )
            )
        self._send(handler, response)

    def _authenticate(self, header: str | None) -> tuple[bool, str | None, bool]:
        """(token acceptable, viewer login, authenticated) for an Authorization header."""
        if not header:
            return True, None, False
        scheme, _, token = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and token.strip() in self.dataset.tokens:
            return True, self.dataset.viewer, True
        return False, None, False

    def _limit_body(self, authenticated: bool, viewer: str | None) -> dict[str, Any]:
        """GitHub's primary rate-limit message, which PyGithub recognises."""
        if authenticated:
            profile = self.dataset.profile(viewer) if viewer else None
            who = f"user ID {database_id(profile.node_id) if profile and profile.node_id else 1}"
            message = f"API rate limit exceeded for {who}."
        else:
            message = (
                "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a "
                "higher rate limit. Check out the documentation for more details.)"
            )
        return error_body(message, 403, RATE_DOCS)

    def _route(self, request: ApiRequest) -> ApiResponse:
        """Call the first route matching the method and path, or answer 404."""
        gone = _UNDER_REPO.match(request.path)
        if gone and gone.group(1).lower() in self.dataset.unavailable:
            return unavailable_response(self.dataset.unavailable[gone.group(1).lower()])
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if match and (method == request.method or (method == "GET" and request.method == "HEAD")):
                return handler(request, **match.groupdict())
        return ApiResponse(404, error_body("Not Found", 404))

    def _send(self, handler: _Handler, response: ApiResponse) -> None:
        """Write the status, headers and body in one buffered flush."""
        if isinstance(response.body, bytes):
            payload = response.body
        elif response.body is None:
            payload = b""
        else:
            payload = dumps(response.body)
        with self._lock:
            self._request_ids += 1
            request_id = f"FAKE:{self._request_ids:08X}"
        try:
            handler.send_response(response.status)
            if response.status != 304:  # a 304 has no body, so nothing to describe
                handler.send_header("Content-Type", "application/json; charset=utf-8")
                handler.send_header("Content-Length", str(len(payload)))
            handler.send_header("X-GitHub-Media-Type", "github.v3; format=json")
            handler.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
            handler.send_header("X-GitHub-Request-Id", request_id)
            for name, value in response.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(payload)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (an injected timeout did its job); nothing is left to answer.
            handler.close_connection = True

    # -- pagination ------------------------------------------------------------------------------

    @staticmethod
    def _paging(request: ApiRequest) -> tuple[int, int]:
        """per_page (1-100, default 30) and page (from 1) of a request."""

        def number(name: str, default: int) -> int:
            """An integer query parameter, or its default."""
            try:
                return int(request.query.get(name, default))
            except ValueError:
                return default

        return max(1, min(100, number("per_page", 30))), max(1, number("page", 1))

    def _links(self, request: ApiRequest, page: int, last: int) -> dict[str, str]:
        """GitHub's ``Link`` header: absolute URLs on this server for next/last/prev/first."""
        if last <= 1 and page <= 1:
            return {}
        base = {k: v for k, v in request.query.items() if k != "page"}

        def url(number: int) -> str:
            """This page's URL with another page number."""
            return f"{self.base_url}{request.path}?{urlencode({**base, 'page': number})}"

        parts = []
        if page > 1:
            parts.append(f'<{url(min(page - 1, last))}>; rel="prev"')
        if page < last:
            parts.append(f'<{url(page + 1)}>; rel="next"')
            parts.append(f'<{url(last)}>; rel="last"')
        if page > 1:
            parts.append(f'<{url(1)}>; rel="first"')
        return {"Link": ", ".join(parts)}

    def _page(self, request: ApiRequest, items: Sequence[Any], render: Callable[[Any], bytes]) -> ApiResponse:
        """One page of a list endpoint with its Link header."""
        per_page, page = self._paging(request)
        start = (page - 1) * per_page
        chosen = items[start : start + per_page]
        last = max(1, math.ceil(len(items) / per_page))
        body = b"[" + b",".join(render(item) for item in chosen) + b"]"
        return ApiResponse(200, body, self._links(request, page, last))

    # -- routes ----------------------------------------------------------------------------------

    @property
    def payloads(self) -> Payloads:
        """The body renderer bound to this server's base URL."""
        if self._payloads is None:
            self._payloads = Payloads(self.dataset, self.base_url)
        return self._payloads

    def _get_viewer(self, request: ApiRequest) -> ApiResponse:
        """``GET /user``: the token's own account."""
        if not request.authenticated:
            return ApiResponse(
                401,
                error_body("Requires authentication", 401, "https://docs.github.com/rest/users/users"),
            )
        profile = self.dataset.profile(request.viewer) if request.viewer else None
        if profile is None:
            return ApiResponse(404, error_body("Not Found", 404))
        return ApiResponse(200, self.payloads.full_user(profile))

    def _get_user(self, request: ApiRequest, login: str) -> ApiResponse:
        """``GET /users/{login}``."""
        profile = self.dataset.profile(login)
        if profile is None:
            return ApiResponse(404, error_body("Not Found", 404, "https://docs.github.com/rest/users/users"))
        return ApiResponse(
            200, self.payloads.cached("user", profile.login, lambda: self.payloads.full_user(profile))
        )

    def _get_user_repos(self, request: ApiRequest, login: str) -> ApiResponse:
        """``GET /users/{login}/repos``: the repositories the account owns."""
        if self.dataset.profile(login) is None:
            return ApiResponse(404, error_body("Not Found", 404))
        repos = self.dataset.index.repos_by_owner.get(login.lower(), [])
        return self._page(request, repos, lambda r: dumps(self.payloads.repo(r)))

    def _search(self, text: str, sort: str, order: str, viewer: str | None) -> list[Any]:
        """Search results, cached per query so paging through them is cheap."""
        key = (text, sort, order, viewer or "")
        with self._lock:
            found = self._search_cache.get(key)
            if found is not None:
                self._search_cache.move_to_end(key)
                return found
        found = self._searcher.search(text, sort or None, order or None, viewer)
        with self._lock:
            self._search_cache[key] = found
            if len(self._search_cache) > 256:
                self._search_cache.popitem(last=False)
        return found

    def _search_issues(self, request: ApiRequest) -> ApiResponse:
        """``GET /search/issues`` with paging, Link headers and the 1,000-result cap."""
        try:
            matches = self._search(
                request.query.get("q", ""),
                request.query.get("sort", ""),
                request.query.get("order", ""),
                request.viewer,
            )
        except SearchError as error:
            return ApiResponse(422, error_body(error.message, 422, SEARCH_DOCS, error.errors))
        per_page, page = self._paging(request)
        start = (page - 1) * per_page
        if start >= SEARCH_CAP:
            return ApiResponse(
                422, error_body("Only the first 1000 search results are available", 422, SEARCH_DOCS)
            )
        chosen = matches[start : min(start + per_page, SEARCH_CAP)]
        last = max(1, math.ceil(min(len(matches), SEARCH_CAP) / per_page))
        hits = b",".join(self.payloads.search_hit(item) for item in chosen)
        body = b'{"total_count":%d,"incomplete_results":false,"items":[%s]}' % (len(matches), hits)
        # GitHub sends search results with no validators: a search cannot be asked conditionally.
        return ApiResponse(200, body, {"Cache-Control": "no-cache", **self._links(request, page, last)})

    def _get_rate_limit(self, request: ApiRequest) -> ApiResponse:
        """``GET /rate_limit``."""
        return self._get_rate_limit_response(request.authenticated)

    def _get_rate_limit_response(self, authenticated: bool) -> ApiResponse:
        """``GET /rate_limit``, which GitHub does not count against any budget."""
        now = time.time()
        resources: dict[str, dict[str, int]] = {}
        with self._lock:
            for name in ("core", "search", "graphql"):
                budget = self._budgets[(authenticated, name)]
                budget.refresh(now)
                resources[name] = {
                    "limit": budget.limit,
                    "used": budget.limit - budget.remaining,
                    "remaining": budget.remaining,
                    "reset": budget.reset_at,
                }
            core = self._rate_headers(self._budgets[(authenticated, "core")], "core")
        hour = int(now) + 3600
        for name, limit in _OTHER_RESOURCES.items():
            resources[name] = {"limit": limit, "used": 0, "remaining": limit, "reset": hour}
        return ApiResponse(200, {"resources": resources, "rate": resources["core"]}, core)

    def _repo_or_404(self, owner: str, name: str) -> Any:
        """The repository ``owner/name``, or None."""
        return self.dataset.repo(f"{owner}/{name}")

    def _get_repo(self, request: ApiRequest, owner: str, name: str) -> ApiResponse:
        """``GET /repos/{owner}/{repo}``."""
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return ApiResponse(404, error_body("Not Found", 404, "https://docs.github.com/rest/repos/repos"))
        return ApiResponse(
            200, self.payloads.cached("repo", repo.full_name, lambda: self.payloads.full_repo(repo))
        )

    def _pull_or_none(self, owner: str, name: str, number: str) -> PullRequest | None:
        """Pull request ``number`` of ``owner/name``, or None."""
        return self.dataset.pull_request(f"{owner}/{name}", int(number))

    def _get_pull(self, request: ApiRequest, owner: str, name: str, number: str) -> ApiResponse:
        """``GET /repos/{owner}/{repo}/pulls/{number}``."""
        pr = self._pull_or_none(owner, name, number)
        if pr is None:
            return ApiResponse(404, error_body("Not Found", 404, "https://docs.github.com/rest/pulls/pulls"))
        return ApiResponse(200, self.payloads.pull(pr))

    def _get_pull_files(self, request: ApiRequest, owner: str, name: str, number: str) -> ApiResponse:
        """``GET /repos/{owner}/{repo}/pulls/{number}/files``."""
        pr = self._pull_or_none(owner, name, number)
        if pr is None:
            return ApiResponse(404, error_body("Not Found", 404, "https://docs.github.com/rest/pulls/pulls"))
        # GitHub lists at most 3,000 files of a pull request.
        files = (pr.files or ())[:3000]
        return self._page(request, files, lambda f: self.payloads.file(pr, f))

    def _get_pull_reviews(self, request: ApiRequest, owner: str, name: str, number: str) -> ApiResponse:
        """``GET /repos/{owner}/{repo}/pulls/{number}/reviews``."""
        pr = self._pull_or_none(owner, name, number)
        if pr is None:
            return ApiResponse(
                404, error_body("Not Found", 404, "https://docs.github.com/rest/pulls/reviews")
            )
        return self._page(request, self.dataset.reviews_of(pr), lambda r: self.payloads.review(r, pr))

    def _get_issue(self, request: ApiRequest, owner: str, name: str, number: str) -> ApiResponse:
        """``GET /repos/{owner}/{repo}/issues/{number}`` for issues and pull requests alike."""
        full_name = f"{owner}/{name}"
        item = self.dataset.issue(full_name, int(number)) or self.dataset.pull_request(full_name, int(number))
        if item is None:
            return ApiResponse(
                404, error_body("Not Found", 404, "https://docs.github.com/rest/issues/issues")
            )
        return ApiResponse(200, self.payloads.issue_detail(item))
