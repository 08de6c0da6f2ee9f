"""The Contributions page's filters, sort and table, computed without Streamlit."""

from __future__ import annotations

import pytest

from portfolio.record import track_record
from portfolio.views.contributions import (
    SHOWN_COLUMNS,
    SORTS,
    filter_contributions,
    filter_options,
    shown_table,
    split_values,
)
from tests.test_record import ALICE


@pytest.fixture(scope="module")
def contributions():
    """Alice's contributions: PRs, an issue and reviews in three repositories."""
    return track_record(ALICE).contributions


def test_no_filter_keeps_every_row_newest_first(contributions):
    """Without filters every contribution is kept, the latest first."""
    rows = filter_contributions(contributions, {}, "", "Newest first")
    assert len(rows) == len(contributions)
    assert rows["date"].is_monotonic_decreasing


@pytest.mark.parametrize(("column", "value"), [("kind", "pr"), ("repo", "big/proj"), ("outcome", "merged")])
def test_a_column_filter_keeps_exactly_its_rows(contributions, column, value):
    """A filter on one column keeps the rows holding one of the chosen values, and only those."""
    rows = filter_contributions(contributions, {column: [value]}, "", "Oldest first")
    assert len(rows) == (contributions[column] == value).sum() > 0
    assert set(rows[column]) == {value}


def test_label_filter_keeps_rows_carrying_any_chosen_label(contributions):
    """A row with several labels is kept when any of them was chosen."""
    rows = filter_contributions(contributions, {"labels": ["bug"]}, "", "Newest first")
    assert len(rows) == contributions["labels"].map(lambda labels: "bug" in (labels or ())).sum() > 0


def test_title_text_matches_case_insensitively_and_literally(contributions):
    """The title filter is a case-insensitive substring, never a regular expression."""
    assert list(filter_contributions(contributions, {}, "PARSER", "Newest first")["number"]) == [2]
    assert filter_contributions(contributions, {}, "<script", "Newest first")["number"].tolist() == [5]
    assert filter_contributions(contributions, {}, ".*", "Newest first").empty


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_sort_orders_by_its_first_key(contributions, sort):
    """Each sort puts the rows in the order of its first column."""
    (first, *_), (ascending, *_) = SORTS[sort]
    values = filter_contributions(contributions, {}, "", sort)[first].dropna()
    assert values.is_monotonic_increasing if ascending else values.is_monotonic_decreasing


def test_an_unknown_sort_falls_back_to_newest_first(contributions):
    """A sort name from a stale link sorts like the default."""
    assert filter_contributions(contributions, {}, "", "nonsense").equals(
        filter_contributions(contributions, {}, "", "Newest first")
    )


def test_options_are_the_values_present(contributions):
    """A filter offers the distinct values of its column, and the label filter every label carried."""
    assert filter_options(contributions, "kind") == ["issue", "pr", "review"]
    assert "bug" in filter_options(contributions, "labels")


def test_split_values_ignores_empty_parts():
    """A comma-separated query value gives its non-empty parts; an absent one gives none."""
    assert split_values("pr,,issue") == ["pr", "issue"]
    assert split_values(None) == []


def test_shown_table_names_every_review(contributions):
    """The shown table has the shown columns and a title for every review, after the PR it reviews."""
    table = shown_table(filter_contributions(contributions, {"kind": ["review"]}, "", "Newest first"))
    assert list(table.columns) == SHOWN_COLUMNS
    assert set(table["title"]) == {"review of #77"}


def test_shown_table_speaks_plain_words_and_leaves_the_rows_alone(contributions):
    """Codes such as ``pr`` and ``external`` read as words in the table; the rows it came from keep them."""
    rows = filter_contributions(contributions, {"kind": ["pr"]}, "", "Newest first")
    table = shown_table(rows)
    assert set(rows["kind"]) == {"pr"} and "pr" not in set(table["kind"])
    assert set(rows["track"]) <= {"external", "maintainer"}
    assert not set(table["track"]) & {"external", "maintainer"}
