"""Rebuild ``changes.jsonl.gz`` from local git mirrors of the source repositories: facts only.

Usage: ``PYTHONPATH=. python tests/corpus/build.py OWNER/NAME=GIT_DIR [...]``. For each non-merge commit whose subject
starts with a Conventional-Commit type this writes one JSON line: the repository, the commit (first 12
hex digits), the author's type and the changed paths with added/deleted lines. No message text beyond the
type and no file contents are kept. At most :data:`PER_CATEGORY` of the newest commits per repository and
category are kept, so that one busy bot (dependency bumps) does not drown a repository's other work.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.corpus import TYPE_CATEGORY

PER_CATEGORY = 250
_SUBJECT = re.compile(r"^([a-z]+)(\(([^)]*)\))?!?:")
_BRACED_RENAME = re.compile(r"\{([^{}]*) => ([^{}]*)\}")
OUT = Path(__file__).with_name("changes.jsonl.gz")


def label_type(subject: str) -> str | None:
    """The author's type of a commit subject; ``chore(deps)`` counts as ``build`` (a dependency bump)."""
    match = _SUBJECT.match(subject)
    if not match:
        return None
    kind, scope = match.group(1), (match.group(3) or "")
    if kind == "chore" and scope.startswith("deps"):
        return "build"
    return kind if kind in TYPE_CATEGORY else None


def new_path(numstat_path: str) -> str:
    """The path after a rename as ``git log --numstat`` prints it (``a/{old => new}/b`` or ``old => new``)."""
    path = _BRACED_RENAME.sub(lambda m: m.group(2), numstat_path)
    if " => " in path:
        path = path.split(" => ", 1)[1]
    return path.replace("//", "/")


def changes(repo: str, git_dir: str) -> list[dict]:
    """The labelled changes of one repository, newest first, capped per category."""
    # A mirror may lack its largest blobs; git then stops mid-history, and the commits read so far serve.
    run = subprocess.run(
        ["git", "--git-dir", git_dir, "log", "--no-merges", "--numstat", "--format=%x00%H%x01%s"],
        capture_output=True,
        text=True,
        errors="replace",
    )
    blocks = run.stdout.split("\0")[1:]
    if run.returncode:
        blocks = blocks[:-1]
    kept: list[dict] = []
    per_category: Counter[str] = Counter()
    for block in blocks:
        header, _, body = block.partition("\n")
        sha, _, subject = header.partition("\x01")
        kind = label_type(subject)
        if kind is None or per_category[TYPE_CATEGORY[kind]] >= PER_CATEGORY:
            continue
        files = []
        for line in body.splitlines():
            parts = line.split("\t", 2)
            if len(parts) == 3:
                added, deleted, path = parts
                files.append(
                    [
                        new_path(path),
                        int(added) if added.isdigit() else 0,
                        int(deleted) if deleted.isdigit() else 0,
                    ]
                )
        if files:
            per_category[TYPE_CATEGORY[kind]] += 1
            kept.append({"repo": repo, "commit": sha[:12], "type": kind, "files": files})
    return kept


def main(arguments: list[str]) -> None:
    """Write the corpus for ``OWNER/NAME=GIT_DIR`` arguments and print its size per repository."""
    rows = []
    for argument in arguments:
        repo, _, git_dir = argument.partition("=")
        found = changes(repo, git_dir)
        print(repo, len(found), dict(Counter(TYPE_CATEGORY[c["type"]] for c in found)))
        rows.extend(found)
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write("".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode())
    print(len(rows), "changes,", OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
