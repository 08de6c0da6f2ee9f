"""The project's one exception family: each carries a sentence a person can act on and an exit code."""

from __future__ import annotations

from datetime import datetime


class PortfolioError(Exception):
    """A failure the user can act on; ``str(error)`` is one sentence, with no secret in it."""

    exit_code = 1


class InvalidInput(PortfolioError):
    """The command line or query string asked for something impossible, before any request."""

    exit_code = 2


class UnusableStore(InvalidInput):
    """The store file is not a portfolio store this version can use: foreign, damaged or newer."""


class InvalidSnapshot(InvalidInput):
    """A file given to ``import`` is not a portfolio export this version can read; nothing was written."""


class StoreBusy(PortfolioError):
    """Another collection is writing to the store, or another program kept it locked past the busy timeout."""

    exit_code = 6


class UserNotFound(PortfolioError):
    """GitHub has no account with that login."""

    exit_code = 3


class BadCredentials(PortfolioError):
    """The token was refused or lacks what the request needs."""

    exit_code = 4


class RateLimited(PortfolioError):
    """GitHub asked us to wait longer than we are willing to; ``reset_at`` says until when."""

    exit_code = 5

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class ApiError(PortfolioError):
    """The server failed or answered something we cannot use (network down, 5xx after retries, bad JSON)."""

    exit_code = 1


class ItemUnavailable(ApiError):
    """One object (a pull request's details, a repository) cannot be read; ``status`` is GitHub's answer.

    A collection records it as a gap and goes on; only where the object is the login itself does it end
    the run (as UserNotFound).
    """

    def __init__(self, message: str, status: int | None) -> None:
        super().__init__(message)
        self.status = status
