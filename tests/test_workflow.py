"""The refresh workflow's own ``run:`` steps, read from the YAML, against the fake GitHub in a temporary clone."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fakehub import FakeGitHub
from fakehub.demo import DEMO_LOGIN, demo_dataset

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "refresh.yml"
CANARY = "ghp_CANARYworkflow0123456789abcdefghijklmn"
SKIPPED_STEPS = {"Install"}  # pip install: the test environment already has the requirements, offline
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")

pytestmark = pytest.mark.slow


def load_workflow() -> dict:
    """The workflow as data (YAML 1.1 reads the key ``on`` as True)."""
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def run_steps(workflow: dict, clone: Path, values: dict[str, str]) -> str:
    """Run every ``run:`` step in order with bash, as Actions would, and return their combined output."""
    job = workflow["jobs"]["refresh"]
    output = []
    for step in job["steps"]:
        if "run" not in step or step["name"] in SKIPPED_STEPS:
            continue
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(clone),
        }
        for name, value in {**job.get("env", {}), **step.get("env", {})}.items():
            env[name] = values[name] if EXPRESSION.search(str(value)) else str(value)
        assert not EXPRESSION.search(step["run"]), f"{step['name']} reads an expression inside its script"
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )
        output.append(done.stdout + done.stderr)
        assert done.returncode == 0, f"{step['name']} failed: {done.stdout}{done.stderr}"
    return "\n".join(output)


def git(clone: Path, *args: str) -> str:
    """Run git in ``clone`` and return its output."""
    return subprocess.run(["git", *args], cwd=clone, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def clone(tmp_path):
    """A git repository of this working tree (tracked files), with a bare origin the workflow pushes to."""
    origin, work = tmp_path / "origin.git", tmp_path / "clone"
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not name.startswith("data/"):
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git(work.parent, "init", "-q", "-b", "main", str(work))
    git(work, "add", "-A")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "fork")
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main")
    git(work, "branch", "--set-upstream-to=origin/main")
    return work


def test_workflow_is_nightly_on_demand_cached_and_uses_the_secret():
    """The template runs nightly and by hand, keeps the store with actions/cache, and takes the token from secrets."""
    workflow = load_workflow()
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    steps = workflow["jobs"]["refresh"]["steps"]
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    assert cache["with"]["path"] == ".store"
    collect = next(s for s in steps if "portfolio collect" in s.get("run", ""))
    assert collect["env"]["GITHUB_TOKEN"] == "${{ secrets.PORTFOLIO_TOKEN || secrets.GITHUB_TOKEN }}"
    assert [s for s in steps if "GITHUB_TOKEN" in s.get("env", {})] == [collect]


def test_workflow_steps_collect_export_draw_and_commit_only_on_change(clone, tmp_path):
    """Run twice against the fake GitHub: the first run commits data and cards, the second finds nothing new."""
    dataset = dataclasses.replace(demo_dataset(), tokens={CANARY})
    workflow = load_workflow()
    store = tmp_path / "cache" / "portfolio.sqlite"
    with FakeGitHub(dataset) as hub:
        values = {"PORTFOLIO_DB": str(store), "PORTFOLIO_API_URL": hub.base_url, "GITHUB_TOKEN": CANARY}
        first = run_steps(workflow, clone, values)
        first_requests = len(hub.requests)
        second = run_steps(workflow, clone, values)
        second_requests = len(hub.requests) - first_requests
    log = git(clone, "log", "--format=%s", "origin/main")
    assert log.splitlines() == ["Refresh the track record", "fork"]
    assert "nothing to commit" in second
    assert second_requests < first_requests / 2  # incremental: the cached store is reused
    data = clone / "data"
    exported = json.loads((data / f"{DEMO_LOGIN}.json").read_text(encoding="utf-8"))
    assert exported["profile"]["login"] == DEMO_LOGIN
    for card in (f"{DEMO_LOGIN}-card.svg", f"{DEMO_LOGIN}-card-dark.svg"):
        assert (data / card).read_text(encoding="utf-8").startswith("<svg")
    committed = git(clone, "show", "--stat", "--format=", "origin/main")
    assert f"data/{DEMO_LOGIN}.json" in committed and f"data/{DEMO_LOGIN}-card.svg" in committed
    places = {
        "output": first + second,
        "store": store.read_bytes().decode("latin-1"),
        "commit": git(clone, "show", "origin/main"),  # the fork itself holds this test, canary and all
        **{path.name: path.read_text(encoding="utf-8") for path in data.iterdir()},
    }
    assert [name for name, text in places.items() if CANARY in text] == []
