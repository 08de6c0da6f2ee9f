"""Report signals read from issue bodies: a dozen bodies in the shapes real public issues take (own text)."""

from __future__ import annotations

import pytest

from fakehub import DEFAULT_TOKEN
from fakehub.demo import DEMO_LOGIN
from portfolio.collect import collect
from portfolio.reports import is_reproducible, report_signals
from portfolio.store import Store

# Each body follows the shape of a kind of real issue (read on GitHub: CPython and mypy templates, a Rust
# panic with `rustc --version`, an editor plugin's "Version / OS" lines, a bare stack trace, one-liners);
# the words are ours. Expected: (has_steps, has_code, has_environment, reproducible).
BODIES = {
    "filled template: steps, log, environment": (
        "**Describe the bug**\nExporting a chart with a long title truncates the file name.\n\n"
        "**To Reproduce**\n1. Open the dashboard\n2. Set a 90-character title\n3. Click Export\n\n"
        "```\nOSError: [Errno 36] File name too long\n```\n\n"
        "**Environment**\n- OS: Ubuntu 24.04\n- Python 3.12.3\n",
        (True, True, True, True),
    ),
    "unfilled interpreter template: environment heading only": (
        "**Bug report**\n\nA clear and concise description of what the bug is.\n\n"
        "**Your environment**\n\n- versions tested on:\n- Operating system and architecture:\n",
        (False, False, True, False),
    ),
    "unfilled type-checker template: headings read as signals, but it is too short to pass": (
        "**Bug Report**\n\n(A short description.)\n\n**To Reproduce**\n\n1. Step 1...\n2. Step 2...\n\n"
        "**Expected Behavior**\n\n(What you expected.)\n\n**Your Environment**\n\n- Version used:\n"
        "- Operating system and version:\n",
        (True, False, True, False),
    ),
    "panic with toolchain versions, no steps": (
        "Running the subcommand on a fresh project panics.\n\n```\n$ cargo new demo && cd demo\n"
        "thread 'main' panicked at 'index out of bounds', src/walk.rs:88:14\n```\n\n"
        "Meta:\n\n```\n$ rustc --version\nrustc 1.79.0 (129f3b996 2024-06-10)\n```\n",
        (False, True, True, True),
    ),
    "editor plugin: version and OS lines, a pasted log": (
        "Version of the editor: 1.92.0\nOS: Fedora 40 x86_64\n\nSometimes the language server stops and the "
        "output panel shows:\n\n```\nERROR server exited with code 101\n```\n",
        (False, True, True, False),
    ),
    "bare traceback, nothing else": (
        "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nKeyError: 'user'\n",
        (False, True, False, False),
    ),
    "javascript stack frames": (
        "Build fails after upgrading:\n\nTypeError: Cannot read properties of undefined (reading 'map')\n"
        "    at render (/srv/site/src/list.js:14:22)\n    at build (/srv/site/src/index.js:40:5)\n\n"
        "node v20.11.1, npm 10.2.4 on macOS 14\n",
        (False, True, True, True),
    ),
    "numbered steps and versions without a log": (
        "Steps to reproduce\n\n1. Install version 3.2.0 with pip\n2. Run `tool init` in an empty folder\n"
        "3. Run `tool build`\n\nThe build folder is created in the parent directory instead. "
        "Seen with Python 3.11 on Windows 11 and on Debian 12.\n",
        (True, False, True, True),
    ),
    "feature request one-liner": ("It would be nice to have a dark theme.", (False, False, False, False)),
    "question with no details": (
        "How do I use this with Docker? I tried but it did not work.",
        (False, False, False, False),
    ),
    "indented code block and a numbered list, short": (
        "1. run it\n2. see\n\n    x = load()\n    x.save()\n",
        (True, True, False, False),
    ),
    "empty body": ("", (False, False, False, False)),
}


@pytest.mark.parametrize("name", BODIES)
def test_report_signals_of_issue_bodies(name):
    """Each body gives the steps, code and environment signals its shape shows, and the reproducible flag."""
    body, (steps, code, environment, reproducible) = BODIES[name]
    signals = report_signals(body)
    assert (signals["has_steps"], signals["has_code"], signals["has_environment"]) == (
        steps,
        code,
        environment,
    )
    assert signals["body_length"] == len(body.strip())
    flag = is_reproducible(
        signals["body_length"], signals["has_steps"], signals["has_code"], signals["has_environment"]
    )
    assert flag is reproducible


def test_missing_body_is_empty_and_unknown_signals_count_as_absent():
    """A null body (GitHub's empty body over REST) gives zero length, and unknown signals never make a flag."""
    assert report_signals(None) == {
        "body_length": 0,
        "has_steps": False,
        "has_code": False,
        "has_environment": False,
    }
    assert is_reproducible(None, None, None, None) is False


def test_collection_keeps_the_signals_and_stores_no_body(hub, demo_data, tmp_path):
    """Collecting the demo stores each issue's report signals, and no line of any issue body is in the store file."""
    path = tmp_path / "signals.sqlite"
    with Store(path) as store:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
        issues = store.load_record(DEMO_LOGIN).issues
    assert sum(is_reproducible(i.body_length, i.has_steps, i.has_code, i.has_environment) for i in issues) > 0
    lines = {
        line.strip()
        for issue in issues
        for line in demo_data.bodies.get(issue.node_id, "").splitlines()
        if len(line.strip()) > 30
    }
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert lines and [line for line in lines if line.encode() in stored] == []
