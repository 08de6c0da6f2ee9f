"""How often the classifier agrees with authors' own Conventional-Commit types, on the real-world corpus.

    python bench/classify.py

Prints the confusion matrix (rows: the author's category, columns: the classifier's verdict) overall and
per repository, recall and precision per category, and the agreement on all changes and on the subset
whose label and files plainly agree (``tests/corpus/README.md`` defines it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portfolio.classify import CATEGORIES, UNKNOWN
from tests.corpus import judged, load_changes

_ORDER = [*CATEGORIES, UNKNOWN]


def confusion(rows: pd.DataFrame) -> pd.DataFrame:
    """Counts of (author's category, verdict), every category shown, with totals."""
    table = pd.crosstab(rows["label"], rows["verdict"])
    labels = [c for c in _ORDER if c in set(rows["label"])]
    table = table.reindex(index=labels, columns=[c for c in _ORDER if c != UNKNOWN], fill_value=0)
    return table.rename_axis(index="author \\ verdict", columns=None)


def summary(rows: pd.DataFrame) -> str:
    """Agreement overall and on the plainly-agreeing subset, as one line."""
    plain = rows[rows["plain"]]
    return (
        f"agreement {(rows['label'] == rows['verdict']).mean():.1%} of {len(rows)}; "
        f"plainly agreeing {(plain['label'] == plain['verdict']).mean():.1%} of {len(plain)}"
    )


def per_category(rows: pd.DataFrame) -> pd.DataFrame:
    """Recall and precision of each category the authors used."""
    out = {}
    for category in [c for c in _ORDER if c in set(rows["label"])]:
        hit = (rows["label"] == category) & (rows["verdict"] == category)
        out[category] = {
            "recall": hit.sum() / max((rows["label"] == category).sum(), 1),
            "precision": hit.sum() / max((rows["verdict"] == category).sum(), 1),
        }
    return pd.DataFrame(out).T.map(lambda x: f"{x:.1%}")


def main() -> None:
    """Print every figure, overall then per repository."""
    changes = load_changes()
    started = time.perf_counter()
    rows = judged(changes)
    seconds = time.perf_counter() - started
    print(
        f"corpus: {len(rows)} changes from {rows['repo'].nunique()} repositories (judged in {seconds:.2f}s)"
    )
    print("\n== overall:", summary(rows))
    print(confusion(rows).to_string())
    print(per_category(rows).to_string())
    for repo, part in rows.groupby("repo", sort=True):
        print(f"\n== {repo}:", summary(part))
        print(confusion(part).to_string())


if __name__ == "__main__":
    main()
