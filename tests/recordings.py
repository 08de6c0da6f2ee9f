"""Real GitHub REST exchanges recorded by PyGithub's and hub4j's test suites, and a server that replays them.

The recordings live in ../shared/github-api (beside the project); they are read in place, never copied.
"""

from __future__ import annotations

import ast
import json
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "github-api"
RECORDINGS = SHARED / "recordings"
PYGITHUB = RECORDINGS / "pygithub" / "tests" / "ReplayData"
HUB4J = RECORDINGS / "hub4j-github-api" / "src" / "test" / "resources" / "org" / "kohsuke" / "github"

needs_recordings = pytest.mark.skipif(
    not RECORDINGS.is_dir(),
    reason="../shared/github-api/recordings is absent (it is laid beside the project in CI)",
)
_DROPPED = {"content-length", "transfer-encoding", "content-encoding", "status", "connection"}


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its response."""

    method: str
    path: str  # path and query, as sent
    status: int
    headers: tuple[tuple[str, str], ...]
    body: str

    def json(self) -> object:
        """The response body parsed."""
        return json.loads(self.body)


def pygithub_exchanges(name: str) -> list[Exchange]:
    """The exchanges of one PyGithub ReplayData file, in recorded order."""
    lines = (PYGITHUB / name).read_text(encoding="utf-8").split("\n")
    exchanges = []
    for start in range(0, len(lines) - 9, 11):
        chunk = lines[start : start + 10]
        headers = tuple((k, str(v)) for k, v in ast.literal_eval(chunk[8]) if k.lower() not in _DROPPED)
        exchanges.append(Exchange(chunk[1], chunk[4], int(chunk[7]), headers, chunk[9]))
    return exchanges


def hub4j_exchanges(test_class: str, test: str) -> list[Exchange]:
    """The exchanges of one hub4j WireMock recording, in call order."""
    folder = HUB4J / test_class / "wiremock" / test
    mappings = [json.loads(p.read_text(encoding="utf-8")) for p in (folder / "mappings").glob("*.json")]
    mappings.sort(key=lambda m: m.get("insertionIndex", 0))
    exchanges = []
    for mapping in mappings:
        response = mapping["response"]
        body = response.get("body")
        if body is None and "bodyFileName" in response:
            body = (folder / "__files" / response["bodyFileName"]).read_text(encoding="utf-8")
        headers = tuple(
            (k, _render(v if isinstance(v, str) else ", ".join(v)))
            for k, v in response.get("headers", {}).items()
            if k.lower() not in _DROPPED
        )
        request = mapping["request"]
        exchanges.append(
            Exchange(request["method"], request.get("url", ""), response["status"], headers, body or "")
        )
    return exchanges


_TEMPLATE = re.compile(r"\{\{\s*\w+(?:\s+offset='(-?\d+) seconds')?(?:\s+format='(\w+)')?\s*\}\}")


def _render(value: str) -> str:
    """Fill WireMock's {{now offset='N seconds' format='unix'}} templates with real times."""

    def fill(match: re.Match[str]) -> str:
        moment = time.time() + int(match.group(1) or 0)
        return str(int(moment)) if match.group(2) == "unix" else formatdate(moment, usegmt=True)

    return _TEMPLATE.sub(fill, value)


class ReplayServer:
    """Answers each (method, path) with its recorded responses in order, repeating the last one."""

    def __init__(self, exchanges: list[Exchange]) -> None:
        self.queues: dict[tuple[str, str], deque[Exchange]] = defaultdict(deque)
        for exchange in exchanges:
            self.queues[(exchange.method, urlsplit(exchange.path).path)].append(exchange)
        self.log: list[tuple[str, str, int]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                queue = replay.queues.get((self.command, urlsplit(self.path).path))
                if not queue:
                    exchange = Exchange(self.command, self.path, 404, (), '{"message":"Not Found"}')
                else:
                    exchange = queue.popleft() if len(queue) > 1 else queue[0]
                body = exchange.body.replace("https://api.github.com", replay.base_url).encode()
                replay.log.append((self.command, self.path, exchange.status))
                self.send_response(exchange.status)
                for name, value in exchange.headers:
                    self.send_header(name, value.replace("https://api.github.com", replay.base_url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        return Handler

    def __enter__(self) -> ReplayServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
