"""Snapshots: import(export(store)) is exact, bad files are refused whole, and the shipped demo is the pipeline's output."""

from __future__ import annotations

import ast
import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakehub import DEFAULT_TOKEN
from fakehub.demo import DEMO_LOGIN as GENERATED_LOGIN
from fakehub.regenerate import AS_OF, SNAPSHOT_PATH, demo_snapshot_text
from portfolio.cli import cli
from portfolio.collect import collect
from portfolio.demo import DEMO_LOGIN, DEMO_SNAPSHOT, has_demo, load_demo
from portfolio.errors import InvalidInput, InvalidSnapshot
from portfolio.snapshot import export_snapshot, gzip_bytes, import_snapshot
from portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("profiles", "repos", "pull_requests", "issues", "reviews", "syncs", "cursors")


@pytest.fixture(scope="module")
def collected(tmp_path_factory, demo_data) -> tuple[Path, str]:
    """Store A: the demo collected through the fake GitHub with the real collector, and its export."""
    from fakehub import FakeGitHub

    path = tmp_path_factory.mktemp("snapshot") / "a.sqlite"
    with Store(path) as store, FakeGitHub(demo_data) as hub:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True)
        return path, export_snapshot(store, DEMO_LOGIN)


def rows(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: what a store holds, to compare two stores or two moments."""
    return {
        table: sorted(tuple(row) for row in store.conn.execute(f"SELECT * FROM {table}")) for table in TABLES
    }


def write(path: Path, text: str) -> Path:
    """``text`` at ``path``, gzip-compressed when the name ends in .gz."""
    if path.suffix == ".gz":
        path.write_bytes(gzip_bytes(text))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["demo.json", "demo.json.gz"])
def test_import_of_an_export_round_trips_exactly(collected, tmp_path, name):
    """Export store A, import into empty store B, export again: the same bytes, the same Record and sync."""
    path_a, exported = collected
    file = write(tmp_path / name, exported)
    with Store(tmp_path / "b.sqlite") as store_b, Store(path_a) as store_a:
        assert import_snapshot(store_b, file) == DEMO_LOGIN
        assert export_snapshot(store_b, DEMO_LOGIN) == exported
        assert store_b.load_record(DEMO_LOGIN) == store_a.load_record(DEMO_LOGIN)
        assert store_b.last_sync(DEMO_LOGIN) == store_a.last_sync(DEMO_LOGIN)
    assert json.loads(exported)["sync"]["backend"] == "graphql"


def test_import_is_idempotent(collected, tmp_path):
    """Importing the same file twice leaves exactly the rows one import leaves, with one sync."""
    file = write(tmp_path / "demo.json", collected[1])
    with Store(tmp_path / "b.sqlite") as store:
        import_snapshot(store, file)
        once = rows(store)
        import_snapshot(store, file)
        assert rows(store) == once
        assert len(once["syncs"]) == 1


def test_import_replaces_the_logins_stored_work(collected, tmp_path):
    """A pull request stored for the login but absent from the file is gone after the import."""
    data = json.loads(collected[1])
    dropped = data["pull_requests"].pop()
    smaller = write(tmp_path / "smaller.json", json.dumps(data))
    with Store(tmp_path / "b.sqlite") as store:
        import_snapshot(store, write(tmp_path / "whole.json", collected[1]))
        import_snapshot(store, smaller)
        urls = {pr.url for pr in store.load_record(DEMO_LOGIN).pull_requests}
    assert dropped["url"] not in urls
    assert len(urls) == len(data["pull_requests"])


def _edited(text: str, edit) -> str:
    data = json.loads(text)
    edit(data)
    return json.dumps(data)


BAD_FILES = {
    "not-json": (lambda text: "{ not json", "it is not JSON"),
    "foreign": (lambda text: json.dumps({"name": "left-pad", "version": "1.3.0"}), "no profile object"),
    "a-list": (lambda text: "[1, 2, 3]", "no profile object"),
    "other-format": (lambda text: _edited(text, lambda d: d.update(format="gh-dump")), "its format is"),
    "newer-version": (lambda text: _edited(text, lambda d: d.update(format_version=2)), "format version 2"),
    "bad-type": (
        lambda text: _edited(text, lambda d: d["pull_requests"][3].update(number="7")),
        "pull_requests[3].number should be a whole number",
    ),
    "naive-time": (
        lambda text: _edited(text, lambda d: d["issues"][0].update(created_at="2023-01-02T03:04:05")),
        "issues[0].created_at should say its time zone",
    ),
    "missing-field": (
        lambda text: _edited(text, lambda d: d["reviews"][1].pop("repo")),
        "reviews[1] lacks its 'repo'",
    ),
    "unknown-field": (
        lambda text: _edited(text, lambda d: d["repos"][0].update(secret="x")),
        "repos[0] has a field this portfolio does not know",
    ),
    "someone-elses": (
        lambda text: _edited(text, lambda d: d["issues"][2].update(author="someone-else")),
        "issues[2] is by 'someone-else'",
    ),
    "repeated": (
        lambda text: _edited(text, lambda d: d["reviews"].append(d["reviews"][0])),
        "repeats the node_id",
    ),
    "bad-login": (
        lambda text: _edited(text, lambda d: d["profile"].update(login="x type:issue")),
        "not a GitHub login",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES, ids=str)
def test_a_bad_file_is_refused_in_one_sentence_and_writes_nothing(collected, tmp_path, name):
    """A malformed, foreign, other-version or inconsistent file raises one sentence naming it; the store is untouched."""
    make, phrase = BAD_FILES[name]
    file = write(tmp_path / f"{name}.json", make(collected[1]))
    with Store(tmp_path / "b.sqlite") as store:
        import_snapshot(store, write(tmp_path / "good.json", collected[1]))
        before = rows(store)
        with pytest.raises(InvalidSnapshot) as caught:
            import_snapshot(store, file)
        assert rows(store) == before
    message = str(caught.value)
    assert message.startswith(str(file)) and message.endswith(".")
    assert phrase in message
    assert "\n" not in message and "Traceback" not in message
    assert isinstance(caught.value, InvalidInput) and caught.value.exit_code == 2


def test_damaged_gzip_and_missing_files_are_refused(tmp_path):
    """A truncated .json.gz and a path that does not exist each get one sentence naming the file."""
    damaged = tmp_path / "damaged.json.gz"
    damaged.write_bytes(gzip_bytes('{"profile": {}}')[:12])
    with Store(":memory:") as store:
        with pytest.raises(InvalidSnapshot, match=r"damaged\.json\.gz is not a portfolio export: its gzip"):
            import_snapshot(store, damaged)
        with pytest.raises(InvalidSnapshot, match=r"absent\.json cannot be read"):
            import_snapshot(store, tmp_path / "absent.json")


def test_a_failed_write_rolls_the_whole_import_back(collected, tmp_path):
    """When the database refuses a row midway (here a trigger on reviews), no table keeps any of the import."""
    data = json.loads(collected[1])
    data["pull_requests"].pop()
    with Store(tmp_path / "b.sqlite") as store:
        import_snapshot(store, write(tmp_path / "whole.json", collected[1]))
        before = rows(store)
        store.conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(sqlite3.IntegrityError, match="disk full"):
            import_snapshot(store, write(tmp_path / "smaller.json", json.dumps(data)))
        assert rows(store) == before


def test_cli_import_loads_a_file_and_refuses_a_bad_one_with_exit_2(collected, tmp_path):
    """`import FILE --db PATH` loads the export; a foreign file exits 2 with one sentence naming it."""
    runner = CliRunner()
    db = tmp_path / "cli.sqlite"
    good = write(tmp_path / "demo.json.gz", collected[1])
    done = runner.invoke(cli, ["import", str(good), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert f"{DEMO_LOGIN}: imported" in done.output
    exported = runner.invoke(cli, ["export", DEMO_LOGIN, "--db", str(db), "--format", "json"]).output
    assert json.loads(exported)["pull_requests"] == json.loads(collected[1])["pull_requests"]
    foreign = write(tmp_path / "package.json", '{"name": "left-pad"}')
    refused = runner.invoke(cli, ["import", str(foreign), "--db", str(db)])
    assert refused.exit_code == 2
    assert refused.output.startswith(f"error: {foreign} is not a portfolio export")


def test_cli_export_is_importable(collected, tmp_path):
    """The CLI's JSON export, track record and all, is a file `import` reads back to the same record."""
    runner = CliRunner()
    path_a = collected[0]
    text = runner.invoke(cli, ["export", DEMO_LOGIN, "--db", str(path_a), "--format", "json"]).output
    assert json.loads(text)["format_version"] == 1
    with Store(tmp_path / "b.sqlite") as store_b, Store(path_a) as store_a:
        import_snapshot(store_b, write(tmp_path / "export.json", text))
        assert store_b.load_record(DEMO_LOGIN) == store_a.load_record(DEMO_LOGIN)


# -- the shipped demo snapshot ------------------------------------------------------------------------------


def test_shipped_demo_snapshot_is_what_the_pipeline_produces_now():
    """Regenerating the demo through the fake GitHub and the real collector gives the committed file's bytes."""
    shipped = SNAPSHOT_PATH.read_bytes()
    assert shipped == DEMO_SNAPSHOT.read_bytes()
    # The decompressed text is compared: zlib builds may deflate the same text to different bytes.
    assert gzip.decompress(shipped) == demo_snapshot_text().encode("utf-8"), (
        "the demo snapshot is stale: run `python -m fakehub.regenerate` and commit portfolio/data/demo.json.gz"
    )
    assert shipped[4:8] == b"\0\0\0\0", "no time stamp in the gzip header"


def test_shipped_demo_loads_the_generated_contributor_as_of_a_fixed_time(demo_data):
    """The demo loaded from the snapshot is the generator's complete record, collected as of AS_OF over GraphQL."""
    assert DEMO_LOGIN == GENERATED_LOGIN
    with Store(":memory:") as store:
        assert not has_demo(store)
        assert load_demo(store) == DEMO_LOGIN
        assert has_demo(store)
        assert store.load_record(DEMO_LOGIN) == demo_data.record_for(DEMO_LOGIN)
        sync = store.last_sync(DEMO_LOGIN)
    assert (sync.started_at, sync.finished_at, sync.backend, sync.complete) == (AS_OF, AS_OF, "graphql", True)


def test_first_start_binds_no_port_and_loads_no_fake_github(tmp_path):
    """Loading the demo in a fresh interpreter imports neither fakehub nor an HTTP server module."""
    script = (
        "import sys\n"
        "from portfolio.demo import load_demo\n"
        "from portfolio.store import Store\n"
        f"load_demo(Store({str(tmp_path / 'first.sqlite')!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'fakehub', 'http', 'socketserver'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("path", sorted((ROOT / "portfolio").rglob("*.py")), ids=lambda p: p.name)
def test_the_product_never_imports_the_fake_github(path):
    """No module under portfolio/ imports fakehub: tests, benchmarks and regeneration use it, the product does not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.split(".")[0] == "fakehub" for name in names)


def test_node_ids_that_differ_only_in_case_are_two_items(collected, tmp_path):
    """GitHub's node ids are case-sensitive base64: IC_kgDOJLhqaQ and IC_kgDOJLHqaQ are two comments."""
    data = json.loads(collected[1])
    review = dict(data["reviews"][0])
    swapped = review["node_id"].swapcase()
    data["reviews"].append({**review, "node_id": swapped})
    with Store(tmp_path / "c.sqlite") as store:
        import_snapshot(store, write(tmp_path / "case.json", json.dumps(data)))
        ids = {row[0] for row in store.conn.execute("SELECT node_id FROM reviews")}
    assert {review["node_id"], swapped} <= ids
