"""Talking to GitHub: the only package that imports PyGithub."""

from __future__ import annotations

from portfolio.github.client import Client
from portfolio.github.rest import RestBackend


def backend_for(name: str, client: Client) -> RestBackend:
    """The collection path for ``name`` (auto / rest / graphql) over ``client``."""
    return RestBackend(client)


__all__ = ["Client", "RestBackend", "backend_for"]
