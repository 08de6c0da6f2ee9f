"""The real-world corpus: changes from public Conventional-Commit repositories, labelled by their authors.

:func:`corpus_frames` gives the changes as the track record's ``prs`` and ``files`` frames (no titles or
labels, so only the files decide); :func:`judged` adds the author's category, the classifier's verdict and
whether the change *plainly agrees* with its label (see ``README.md`` beside this file).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from portfolio.classify import classify_paths, classify_prs

CORPUS = Path(__file__).with_name("changes.jsonl.gz")

TYPE_CATEGORY: dict[str, str] = {
    "feat": "code",
    "fix": "code",
    "perf": "code",
    "refactor": "code",
    "docs": "docs",
    "doc": "docs",
    "test": "tests",
    "tests": "tests",
    "ci": "ci",
    "build": "ci",
}
"""Conventional-Commit type -> our category (chore/style/revert/release are not in the corpus)."""


def load_changes() -> list[dict]:
    """Every change of the corpus: ``repo``, ``commit``, ``type`` and ``files`` as [path, added, deleted]."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def corpus_frames(changes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The changes as ``prs`` (node_id, repo, label, title, labels, additions, deletions) and ``files``."""
    files = pd.DataFrame(
        [(f"{c['repo']}@{c['commit']}", *f) for c in changes for f in c["files"]],
        columns=["pr", "path", "additions", "deletions"],
    )
    files["path"] = files["path"].astype("str")
    totals = files.groupby("pr", sort=False)[["additions", "deletions"]].sum()
    node_ids = [f"{c['repo']}@{c['commit']}" for c in changes]
    prs = pd.DataFrame(
        {
            "node_id": node_ids,
            "repo": [c["repo"] for c in changes],
            "label": [TYPE_CATEGORY[c["type"]] for c in changes],
            "title": "",
            "labels": [()] * len(changes),
            "additions": totals["additions"].reindex(node_ids).to_numpy(),
            "deletions": totals["deletions"].reindex(node_ids).to_numpy(),
        }
    )
    return prs, files


def judged(changes: list[dict] | None = None) -> pd.DataFrame:
    """One row per change: ``repo``, ``label``, ``verdict`` and ``plain`` (label and files plainly agree)."""
    prs, files = corpus_frames(load_changes() if changes is None else changes)
    verdict = classify_prs(prs, files)["category"].to_numpy()
    kinds = files.assign(kind=classify_paths(files["path"]).to_numpy())
    present = pd.crosstab(kinds["pr"], kinds["kind"]).reindex(prs["node_id"], fill_value=0) > 0
    label = prs["label"].to_numpy()
    has_code = present.get("code", pd.Series(False, index=present.index)).to_numpy()
    has_label = present.reindex(columns=sorted(set(label)), fill_value=False).to_numpy()
    own = has_label[range(len(prs)), [sorted(set(label)).index(x) for x in label]]
    plain = pd.Series(label == "code").to_numpy() & has_code | (label != "code") & own & ~has_code
    return pd.DataFrame({"repo": prs["repo"], "label": label, "verdict": verdict, "plain": plain})
