"""Talking to GitHub: the only package that imports PyGithub."""

from __future__ import annotations

from portfolio.github.client import Client
from portfolio.github.graphql import GraphqlBackend
from portfolio.github.rest import RestBackend


def backend_for(name: str, client: Client) -> RestBackend | GraphqlBackend:
    """The collection path for ``name``: GraphQL when asked or when ``auto`` has a token, else REST."""
    if name == "graphql" or (name == "auto" and client.authenticated):
        return GraphqlBackend(client)
    return RestBackend(client)


__all__ = ["Client", "GraphqlBackend", "RestBackend", "backend_for"]
