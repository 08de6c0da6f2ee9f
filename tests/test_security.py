"""One canary token through collect, export, card and the Refresh page: it shows up nowhere it could leak."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fakehub import FakeGitHub
from fakehub.demo import DEMO_LOGIN, demo_dataset

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
CANARY = "ghp_CANARYsecurity0123456789abcdefghijklm"

pytestmark = pytest.mark.slow


@pytest.fixture
def canary_hub():
    """A fake GitHub that accepts only the canary token."""
    with FakeGitHub(dataclasses.replace(demo_dataset(), tokens={CANARY})) as hub:
        yield hub


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``python -m portfolio -v ARGS`` in a fresh process, every log line captured."""
    return subprocess.run(
        [sys.executable, "-m", "portfolio", "-v", *args], env=env, cwd=ROOT, capture_output=True, timeout=180
    )


def test_canary_never_leaves_collect_export_or_card(canary_hub, tmp_path):
    """Verbose collect, every export format and both card formats hold no byte of the token; nor does the store."""
    db = tmp_path / "store.sqlite"
    env = {**os.environ, "GITHUB_TOKEN": CANARY, "PYTHONPATH": str(ROOT), "PORTFOLIO_DB": str(db)}
    runs = [cli("collect", DEMO_LOGIN, "--api-url", canary_hub.base_url, env=env)]
    assert runs[0].returncode == 0, runs[0].stderr[-500:]
    assert all(entry.authenticated for entry in canary_hub.requests)
    for fmt in ("json", "csv", "md"):
        runs.append(cli("export", DEMO_LOGIN, "--format", fmt, "--out", str(tmp_path / f"x.{fmt}"), env=env))
    for name in ("card.svg", "card.png"):
        runs.append(cli("card", DEMO_LOGIN, "--out", str(tmp_path / name), env=env))
    assert all(run.returncode == 0 for run in runs)
    leaks = [path.name for path in tmp_path.iterdir() if CANARY.encode() in path.read_bytes()]
    leaks += [f"run {n}" for n, run in enumerate(runs) if CANARY.encode() in run.stdout + run.stderr]
    assert leaks == []


def test_a_refused_canary_is_an_error_without_it(tmp_path):
    """When GitHub refuses the token, the error sentence (exit 4) does not repeat it."""
    with FakeGitHub(demo_dataset()) as hub:
        env = {**os.environ, "GITHUB_TOKEN": CANARY, "PYTHONPATH": str(ROOT)}
        done = cli(
            "collect", DEMO_LOGIN, "--api-url", hub.base_url, "--db", str(tmp_path / "s.sqlite"), env=env
        )
    assert done.returncode == 4
    assert b"error:" in done.stderr
    assert CANARY.encode() not in done.stdout + done.stderr


def _everything(at: AppTest) -> str:
    """Every element of an app run as its protobuf text: values, labels, bodies, help and exceptions."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.mark.parametrize("accepted", [True, False])
def test_canary_never_reaches_the_refresh_page_or_its_logs(tmp_path, monkeypatch, caplog, accepted):
    """A collection from the Refresh page, accepted or refused, shows and logs nothing of the token."""
    import streamlit as st

    tokens = {CANARY} if accepted else {"some-other-token"}
    with FakeGitHub(dataclasses.replace(demo_dataset(), tokens=tokens)) as hub:
        monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "app.sqlite"))
        monkeypatch.delenv("PORTFOLIO_HOSTED", raising=False)
        monkeypatch.setenv("PORTFOLIO_API_URL", hub.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", CANARY)
        st.cache_data.clear()
        st.cache_resource.clear()
        caplog.set_level(logging.DEBUG)
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["page"] = "refresh"
        at.run()
        at.text_input(key="collect_login").input(DEMO_LOGIN)
        at.button[0].click().run()
    assert not at.exception
    assert at.success if accepted else at.error
    page = _everything(at)
    assert DEMO_LOGIN in page and (("is collected" in page) == accepted)
    assert CANARY not in page
    assert CANARY not in caplog.text
    store = b"".join(path.read_bytes() for path in tmp_path.glob("app.sqlite*"))
    assert CANARY.encode() not in store
