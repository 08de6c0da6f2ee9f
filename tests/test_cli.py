"""The command line: exit codes, invalid input rejected before any request, exports, and the token kept secret."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from fakehub import FakeGitHub
from fakehub.demo import DEMO_LOGIN
from portfolio.cli import cli

SECRET = "ghp_SecretTokenThatMustNeverLeak0123456789"

INVALID_LOGINS = ["a b", "x type:issue", "-x", "x-", "a--b", "a" * 40, "", "jörg", "x\ny", "user:root", "a/b"]


@pytest.fixture
def runner(monkeypatch, tmp_path):
    """A CLI runner whose environment has no token and a private store."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "store.sqlite"))
    return CliRunner()


@pytest.fixture
def secret_hub(demo_data):
    """A fake GitHub that accepts SECRET as a token."""
    demo_data.tokens.add(SECRET)
    with FakeGitHub(demo_data) as server:
        yield server
    demo_data.tokens.discard(SECRET)


@pytest.mark.parametrize("login", INVALID_LOGINS)
def test_invalid_login_exits_2_before_any_request(runner, hub, login):
    """Anything that is not a GitHub login is refused with exit 2 and no request at all."""
    result = runner.invoke(cli, ["collect", "--api-url", hub.base_url, "--", login])
    assert result.exit_code == 2, result.output
    assert "not a GitHub login" in result.output
    assert hub.request_count() == 0
    assert "Traceback" not in result.output


def test_longest_valid_login_is_accepted():
    """39 characters with single hyphens is a valid login."""
    from portfolio.model import validate_login

    assert validate_login("a-" * 19 + "b") == "a-" * 19 + "b"


def test_unknown_user_exits_3(runner, hub):
    """A login GitHub does not know exits 3 with one sentence."""
    result = runner.invoke(cli, ["collect", "nobody-here", "--api-url", hub.base_url])
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "error: GitHub has no user 'nobody-here' (404 Not Found); check the spelling."
    ]


def test_bad_token_exits_4(runner, hub, monkeypatch):
    """A refused token exits 4 and says which variables to check."""
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_not_accepted")
    result = runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url])
    assert result.exit_code == 4
    assert "GITHUB_TOKEN" in result.output
    assert "ghp_not_accepted" not in result.output


def test_graphql_without_token_exits_4_before_any_request(runner, hub):
    """Asking for GraphQL with no token is refused up front."""
    result = runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url, "--backend", "graphql"])
    assert result.exit_code == 4
    assert hub.request_count() == 0


def test_network_failure_exits_1_with_one_sentence(tmp_path):
    """An unreachable server exits 1 with our one sentence on stderr and no library's retry warnings."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "portfolio", "collect", DEMO_LOGIN, "--api-url", "http://127.0.0.1:9",
               "--max-wait", "0", "--db", str(tmp_path / "n.sqlite")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: Could not reach")
    assert "Retry" not in done.stderr and "NewConnectionError" not in done.stderr


def test_token_never_reaches_store_export_or_output(runner, secret_hub, monkeypatch, tmp_path):
    """The token is used for requests but appears in no output, store byte or export."""
    monkeypatch.setenv("GH_TOKEN", SECRET)
    collected = runner.invoke(
        cli, ["collect", DEMO_LOGIN, "--api-url", secret_hub.base_url, "--backend", "rest"]
    )
    assert collected.exit_code == 0, collected.output
    assert all(entry.authenticated for entry in secret_hub.requests)
    outputs = [collected.output]
    for fmt in ("json", "csv"):
        outputs.append(runner.invoke(cli, ["export", DEMO_LOGIN, "--format", fmt]).output)
    store_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("store.sqlite*"))
    assert SECRET.encode() not in store_bytes
    assert all(SECRET not in text for text in outputs)


def test_export_json_is_complete_sorted_and_stable(runner, hub, demo_data):
    """The JSON export has every record with ISO dates, and two exports are byte-identical."""
    assert runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url]).exit_code == 0
    first = runner.invoke(cli, ["export", DEMO_LOGIN, "--format", "json"]).output
    second = runner.invoke(cli, ["export", DEMO_LOGIN, "--format", "json"]).output
    assert first == second
    data = json.loads(first)
    expected = demo_data.record_for(DEMO_LOGIN)
    assert {"profile", "repos", "pull_requests", "issues", "reviews"} <= set(data)
    assert len(data["pull_requests"]) == len(expected.pull_requests)
    assert [p["number"] for p in data["pull_requests"]] == [p.number for p in expected.pull_requests]
    assert data["profile"]["created_at"].endswith("+00:00")


def test_export_csv_has_a_row_per_contribution(runner, hub, demo_data, tmp_path):
    """The CSV export has one row per PR, issue and review, written to --out."""
    assert runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url]).exit_code == 0
    out = tmp_path / "record.csv"
    assert runner.invoke(cli, ["export", DEMO_LOGIN, "--format", "csv", "--out", str(out)]).exit_code == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    expected = demo_data.record_for(DEMO_LOGIN)
    reviewed = {r.pr_url for r in expected.reviews}
    assert len(rows) == 1 + len(expected.pull_requests) + len(expected.issues) + len(reviewed)


def test_export_of_uncollected_login_exits_3(runner):
    """Exporting a login that was never collected says how to collect it."""
    result = runner.invoke(cli, ["export", "someone-else"])
    assert result.exit_code == 3
    assert "collect someone-else" in result.output


def test_demo_then_export_prints_the_full_record(runner, demo_data):
    """`demo` loads the fictional contributor's shipped snapshot offline; `export` then prints all of it."""
    built = runner.invoke(cli, ["demo"])
    assert built.exit_code == 0, built.output
    assert "fictional" in built.output
    data = json.loads(runner.invoke(cli, ["export", DEMO_LOGIN, "--format", "json"]).output)
    expected = demo_data.record_for(DEMO_LOGIN)
    assert len(data["pull_requests"]) == len(expected.pull_requests)
    assert len(data["reviews"]) == len(expected.reviews)
    assert "fictional" in (data["profile"]["name"] + (data["profile"]["bio"] or "")).lower()


def test_export_json_carries_the_track_record_for_a_window(runner, hub):
    """The JSON export gains the track record; --since/--until window its metrics."""
    assert runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url]).exit_code == 0
    whole = json.loads(runner.invoke(cli, ["export", DEMO_LOGIN]).output)["track_record"]
    year = json.loads(
        runner.invoke(cli, ["export", DEMO_LOGIN, "--since", "2023-01-01", "--until", "2023-12-31"]).output
    )
    assert {"metrics", "score", "milestones", "highlights", "classification"} <= set(whole)
    assert year["track_record"]["window"]["since"].startswith("2023-01-01")
    assert (
        0 < year["track_record"]["metrics"]["merged_external_prs"] < whole["metrics"]["merged_external_prs"]
    )


def test_export_markdown_is_a_resume_section_with_links(runner, hub):
    """--format md prints a Markdown section whose highlights link to GitHub and whose titles stay inert."""
    assert runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url]).exit_code == 0
    text = runner.invoke(cli, ["export", DEMO_LOGIN, "--format", "md"]).output
    assert text.startswith("## Open-source track record")
    assert "](https://github.com/" in text


def test_export_markdown_keeps_hostile_titles_inert(runner):
    """Hostile titles and labels come out of --format md escaped: no tag, no javascript: link, no live Markdown."""
    from fakehub.hostile import HOSTILE_LOGIN, hostile_dataset

    with FakeGitHub(hostile_dataset()) as hostile_hub:
        assert (
            runner.invoke(cli, ["collect", HOSTILE_LOGIN, "--api-url", hostile_hub.base_url]).exit_code == 0
        )
    text = runner.invoke(cli, ["export", HOSTILE_LOGIN, "--format", "md"]).output
    assert "](https://github.com/acme/widgets/pull/" in text, "the hostile PRs are highlights"
    assert not re.search(r"(?<!\\)<[a-z/]", text), "every tag's < is escaped"
    assert "](javascript:" not in text
    assert r"\<script\>alert\('owned'\)" in text


def test_export_rejects_a_bad_window_date(runner, hub):
    """An impossible --since date is invalid input (exit 2)."""
    assert runner.invoke(cli, ["collect", DEMO_LOGIN, "--api-url", hub.base_url]).exit_code == 0
    result = runner.invoke(cli, ["export", DEMO_LOGIN, "--since", "2023-13-01"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.parametrize("backend", ["rest", "graphql"])
def test_verbose_logs_never_show_the_token(secret_hub, tmp_path, backend):
    """Even with -v (every request logged), the token appears nowhere in the output."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "GITHUB_TOKEN": SECRET}
    command = [sys.executable, "-m", "portfolio", "-v", "collect", DEMO_LOGIN, "--api-url", secret_hub.base_url,
               "--db", str(tmp_path / "v.sqlite"), "--backend", backend]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert len((done.stdout + done.stderr).splitlines()) > 5, "verbose mode logs each step"
    assert SECRET not in done.stdout + done.stderr
