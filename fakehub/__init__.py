"""A fake api.github.com for tests, benchmarks and the offline demo: a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from fakehub.dataset import DEFAULT_TOKEN, Dataset, Label
from fakehub.server import ApiRequest, ApiResponse, FakeGitHub, RequestLogEntry

__all__ = ["DEFAULT_TOKEN", "ApiRequest", "ApiResponse", "Dataset", "FakeGitHub", "Label", "RequestLogEntry"]
