"""A deployment's store from its committed data/LOGIN.json files: built once per content, never half-written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from portfolio.demo import DEMO_LOGIN, DEMO_SNAPSHOT
from portfolio.publish import publish
from portfolio.store import Store


def demo_export() -> dict:
    """The shipped demo snapshot as JSON data, to write into a deployment's data/."""
    return json.loads(gzip.decompress(Path(str(DEMO_SNAPSHOT)).read_bytes()))


def deployment(root: Path, files: dict[str, dict | str]) -> Path:
    """``root`` with data/NAME holding each of ``files`` (data as JSON, or raw text)."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (root / "data" / name).write_text(text, encoding="utf-8")
    return root


def test_the_same_files_reuse_their_store_and_a_change_builds_a_new_one(tmp_path):
    """A restart with unchanged bytes opens the same store file; one changed byte gives another store."""
    data = demo_export()
    root = deployment(tmp_path / "site", {f"{DEMO_LOGIN}.json": data})
    first = publish(root, [DEMO_LOGIN], tmp_path / "cache")
    built_at = Path(first.path).stat().st_mtime_ns
    again = publish(root, [DEMO_LOGIN], tmp_path / "cache")
    assert again == first and Path(again.path).stat().st_mtime_ns == built_at
    assert first.logins == (DEMO_LOGIN,) and first.problems == ()
    data["profile"]["name"] = "Renamed"
    deployment(root, {f"{DEMO_LOGIN}.json": data})
    changed = publish(root, [DEMO_LOGIN], tmp_path / "cache")
    assert changed.path != first.path
    with Store(changed.path) as store:
        assert store.profile(DEMO_LOGIN).name == "Renamed"
    assert not list((tmp_path / "cache").glob("building-*"))


def test_logins_match_their_file_without_case(tmp_path):
    """data/Fictional-Contributor.json publishes the configured login fictional-contributor."""
    root = deployment(tmp_path / "site", {"Fictional-Contributor.json": demo_export()})
    assert publish(root, [DEMO_LOGIN], tmp_path / "cache").logins == (DEMO_LOGIN,)


def test_a_configured_demo_without_a_file_uses_the_shipped_snapshot(tmp_path):
    """The fictional demo needs no data file: the packaged snapshot stands in."""
    published = publish(tmp_path / "site", [DEMO_LOGIN], tmp_path / "cache")
    assert published.logins == (DEMO_LOGIN,) and published.problems == ()


def test_missing_damaged_and_mismatched_files_are_one_sentence_each(tmp_path):
    """No file, a file that is not JSON, and a file of someone else: one sentence each, nothing else lost."""
    other = demo_export()
    root = deployment(
        tmp_path / "site",
        {f"{DEMO_LOGIN}.json": demo_export(), "broken.json": "{ not json", "alias.json": other},
    )
    published = publish(root, [DEMO_LOGIN, "absent", "broken", "alias"], tmp_path / "cache")
    assert published.logins == (DEMO_LOGIN,)
    absent, broken, alias = published.problems
    assert "no data/absent.json" in absent and "python -m portfolio export absent" in absent
    assert broken.startswith("data/broken.json is not a portfolio export") and str(tmp_path) not in broken
    assert alias == f"data/alias.json holds the record of {DEMO_LOGIN}, not of alias."
