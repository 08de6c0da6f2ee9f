"""The classifier against authors' own Conventional-Commit types on real changes (tests/corpus/)."""

from __future__ import annotations

import pytest

from tests.corpus import judged, load_changes


@pytest.fixture(scope="module")
def rows():
    """Every change of the corpus with its author's category and the classifier's verdict."""
    return judged(load_changes())


def test_the_corpus_is_real_and_varied(rows):
    """At least 2,000 changes from at least six repositories, every category labelled by some author."""
    assert len(rows) >= 2000
    assert rows["repo"].nunique() >= 6
    assert set(rows["label"]) == {"code", "tests", "docs", "ci"}


def test_agreement_where_label_and_files_plainly_agree(rows):
    """On changes whose label and files plainly agree, the verdict is the author's at least 95% of the time."""
    plain = rows[rows["plain"]]
    assert len(plain) >= 2000
    assert (plain["label"] == plain["verdict"]).mean() >= 0.95


@pytest.mark.parametrize("category", ["code", "tests", "docs", "ci"])
def test_every_category_is_mostly_recognised(rows, category):
    """Over the whole corpus each category the authors used is recovered at least 80% of the time."""
    mine = rows[rows["label"] == category]
    assert (mine["verdict"] == category).mean() >= 0.80
