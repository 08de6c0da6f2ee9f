"""The PyGithub client, and the translation of everything it can raise into the project's errors.

This package is the only place that imports PyGithub. Transient faults (5xx, resets, timeouts) are
retried by urllib3's ``Retry`` with exponential back-off and jitter; rate limits are waited out here,
but only up to a bound: a longer wait stops the run with a sentence saying when to retry.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import requests
from github import Auth, Consts, Github
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
    UnknownObjectException,
)
from urllib3.util.retry import Retry

from portfolio.errors import ApiError, BadCredentials, ItemUnavailable, PortfolioError, RateLimited
from portfolio.model import Validators

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_MAX_WAIT = 120.0  # seconds; a rate-limit wait longer than this stops the run instead
TIMEOUT = 30  # seconds per request
_TRANSIENT = (500, 502, 503, 504)


def transient_retry(total: int = 6) -> Retry:
    """Retries for faults that pass by themselves: 5xx, dropped connections and read timeouts."""
    return Retry(
        total=total,
        connect=min(total, 2),  # a refused connection rarely heals within seconds; say so sooner
        read=total,
        status=total,
        other=0,
        backoff_factor=0.25,
        backoff_max=8.0,
        backoff_jitter=0.25,
        status_forcelist=_TRANSIENT,
        allowed_methods=None,  # GraphQL queries are POSTs and safe to repeat
        respect_retry_after_header=False,  # rate limits are handled by `Client.call`, with a bound
        raise_on_status=False,
    )


@dataclass
class Usage:
    """What a collection spent: requests made and what the server last said was left."""

    requests: int = 0
    remaining: int | None = None
    limit: int | None = None
    reset_at: datetime | None = None
    waited: float = 0.0
    retries: list[str] = field(default_factory=list)


class Client:
    """A PyGithub connection with bounded rate-limit waits and errors a person can act on."""

    def __init__(
        self,
        api_url: str,
        token: str | None = None,
        max_wait: float = DEFAULT_MAX_WAIT,
        sleep: Callable[[float], None] = time.sleep,
        per_page: int = 100,
        timeout: int = TIMEOUT,
        retries: int = 6,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.authenticated = token is not None
        self.max_wait = max_wait
        self.usage = Usage()
        self._sleep = sleep
        self._secret = token
        self.github = Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.api_url,
            timeout=timeout,
            per_page=per_page,
            retry=transient_retry(retries),
            # One request at a time already respects GitHub's guidance; PyGithub's default 0.25 s
            # spacing would add 40 minutes to a 10,000-request collection.
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )

    @property
    def requester(self) -> Any:
        """PyGithub's HTTP layer, for calls whose raw JSON we parse ourselves."""
        return self.github.requester

    def get_json(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        what: str | None = None,
        known: Validators | None = None,
    ) -> tuple[dict[str, Any], Any]:
        """GET ``path`` through PyGithub; returns (headers, parsed JSON).

        With ``known`` validators the GET is conditional, and GitHub's 304 Not Modified comes back as JSON
        None: PyGithub passes a 304's empty body on as None.
        """
        return self.call(
            lambda: self.requester.requestJsonAndCheck(
                "GET", path, parameters=params, headers=_conditions(known)
            ),
            what or path,
        )

    def post_graphql(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        """POST a GraphQL document; returns (headers, the whole JSON body including any ``errors``)."""

        def request() -> tuple[dict[str, Any], Any]:
            headers, body = self.requester.requestJsonAndCheck(
                "POST", self.requester.graphql_url, input={"query": query, "variables": variables}
            )
            if _graphql_rate_limited(body):
                # GitHub answers a spent GraphQL budget with 200 and an error of type RATE_LIMITED.
                raise RateLimitExceededException(200, body, headers)
            return headers, body

        return self.call(request, "GitHub's GraphQL API")

    def call(self, request: Callable[[], T], what: str = "GitHub") -> T:
        """Run one request, waiting out rate limits up to ``max_wait``; errors become PortfolioErrors."""
        attempt = 0
        while True:
            attempt += 1
            self.usage.requests += 1
            try:
                result = request()
            except GithubException as error:
                wait = self._rate_limit_wait(error)
                if wait is None:
                    raise self.translate(error, what) from None
                if wait > self.max_wait or attempt > 10:
                    raise self._rate_limited(error) from None
                self.usage.waited += wait
                self.usage.retries.append(f"rate limited ({error.status}); waited {wait:.1f} s")
                log.info("rate limited (%s); waiting %.1f s", error.status, wait)
                self._sleep(wait)
                continue
            except (requests.RequestException, OSError) as error:
                raise ApiError(
                    self._scrub(
                        f"Could not reach {self.api_url} ({type(error).__name__}); "
                        "check the network or --api-url and try again."
                    )
                ) from None
            self._note_rate(result)
            return result

    def _note_rate(self, result: Any) -> None:
        headers = result[0] if isinstance(result, tuple) and result and isinstance(result[0], dict) else None
        if headers is None:
            return
        lowered = {k.lower(): v for k, v in headers.items()}
        if "x-ratelimit-remaining" in lowered:
            self.usage.remaining = int(lowered["x-ratelimit-remaining"])
        if "x-ratelimit-limit" in lowered:
            self.usage.limit = int(lowered["x-ratelimit-limit"])
        if "x-ratelimit-reset" in lowered:
            self.usage.reset_at = datetime.fromtimestamp(int(lowered["x-ratelimit-reset"]), UTC)

    @staticmethod
    def _headers(error: GithubException) -> dict[str, str]:
        return {k.lower(): str(v) for k, v in (error.headers or {}).items()}

    def _rate_limit_wait(self, error: GithubException) -> float | None:
        """Seconds to wait before retrying, if ``error`` is a rate limit; None otherwise."""
        headers = self._headers(error)
        message = _message(error).lower()
        is_limit = (
            isinstance(error, RateLimitExceededException)
            or error.status == 429
            or (
                error.status == 403
                and ("retry-after" in headers or headers.get("x-ratelimit-remaining") == "0")
            )
            or (error.status in (200, 400) and "rate limit" in message)
        )
        if not is_limit:
            return None
        if "retry-after" in headers:
            return max(float(headers["retry-after"]), 0.0) + random.uniform(0, 0.1)
        if "x-ratelimit-reset" in headers and (
            headers.get("x-ratelimit-remaining") == "0" or error.status == 200
        ):
            return max(int(headers["x-ratelimit-reset"]) - time.time(), 0.0) + 1.0
        return 60.0  # GitHub's advice for a secondary limit that names no time

    def _rate_limited(self, error: GithubException) -> RateLimited:
        wait = self._rate_limit_wait(error) or 0.0
        reset_at = (datetime.now(UTC) + timedelta(seconds=wait)).replace(microsecond=0)
        return RateLimited(
            f"GitHub's rate limit is spent until {reset_at:%Y-%m-%d %H:%M:%S} UTC (about {wait / 60:.0f} min); "
            "what was fetched so far is saved, so run the same command again after that.",
            reset_at=reset_at,
        )

    def translate(self, error: GithubException, what: str = "GitHub") -> PortfolioError:
        """One sentence a person can act on, with the token scrubbed out."""
        message = _message(error)
        if isinstance(error, BadCredentialsException) or error.status == 401:
            return BadCredentials(
                "GitHub refused the token (401 Bad credentials): check GITHUB_TOKEN or GH_TOKEN, "
                "or unset them to collect public data without a token."
            )
        if error.status == 403 and _blocked(error):
            return ItemUnavailable(
                self._scrub(f"GitHub blocks access to {what} (403 Repository access blocked)."), 403
            )
        if error.status == 403 and not self.authenticated:
            return BadCredentials(
                f"GitHub refused an anonymous request for {what} (403): set GITHUB_TOKEN to a token and try again."
            )
        if error.status == 403:
            return BadCredentials(
                f"GitHub refused the token for {what} (403: {message}): the token lacks the needed access."
            )
        if isinstance(error, UnknownObjectException) or error.status == 404:
            return ItemUnavailable(
                self._scrub(
                    f"GitHub has no {what} (404 Not Found): it was deleted, renamed or made private."
                ),
                404,
            )
        if error.status == 410:
            return ItemUnavailable(self._scrub(f"GitHub says {what} is gone (410 Gone)."), 410)
        if error.status == 451:
            return ItemUnavailable(
                self._scrub(
                    f"GitHub withholds {what} for legal reasons (451 Unavailable For Legal Reasons)."
                ),
                451,
            )
        if error.status in _TRANSIENT:
            return ItemUnavailable(
                self._scrub(
                    f"GitHub kept failing ({error.status}) after several retries on {what}; "
                    "try again in a few minutes."
                ),
                error.status,
            )
        return ApiError(self._scrub(f"GitHub answered {error.status} for {what}: {message}"))

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text


def validators_of(headers: dict[str, Any]) -> Validators | None:
    """The ETag and Last-Modified of an answer (PyGithub lower-cases header names), or None without them."""
    etag, last_modified = headers.get(Consts.RES_ETAG), headers.get(Consts.RES_LAST_MODIFIED)
    return Validators(etag, last_modified) if etag or last_modified else None


def _conditions(known: Validators | None) -> dict[str, str]:
    """The request headers that make a GET conditional on ``known``."""
    # A new dict for every attempt: PyGithub writes the Authorization header into the dict it is given.
    headers = {}
    if known is not None and known.etag:
        headers[Consts.REQ_IF_NONE_MATCH] = known.etag
    if known is not None and known.last_modified:
        headers[Consts.REQ_IF_MODIFIED_SINCE] = known.last_modified
    return headers


def _message(error: GithubException) -> str:
    data = error.data if isinstance(error.data, dict) else {}
    message = data.get("message") or error.message or ""
    if not message and isinstance(data.get("errors"), list) and data["errors"]:
        message = str(data["errors"][0].get("message", ""))
    return str(message)[:200]


def _blocked(error: GithubException) -> bool:
    """Whether a 403 is GitHub's "Repository access blocked" (a takedown), not a refused token."""
    data = error.data if isinstance(error.data, dict) else {}
    return "block" in data or "access blocked" in str(data.get("message", "")).lower()


def _graphql_rate_limited(body: Any) -> bool:
    """Whether a GraphQL answer is GitHub's spent-budget error (RATE_LIMITED, lately also RATE_LIMIT)."""
    errors = body.get("errors") if isinstance(body, dict) else None
    return any(isinstance(e, dict) and e.get("type") in ("RATE_LIMITED", "RATE_LIMIT") for e in errors or ())
