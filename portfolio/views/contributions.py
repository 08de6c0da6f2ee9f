"""The Contributions page's logic, without Streamlit: its filters, sorting, and the table it shows.

The page reads the chosen filters from the query string and its widgets and calls these functions; its
downloads export the filtered rows through :mod:`portfolio.export`, so a file holds exactly what is shown.
"""

from __future__ import annotations

import pandas as pd

from portfolio.labels import CATEGORY_NAMES, KIND_NAMES, OUTCOME_NAMES, TRACK_NAMES

FILTERS: dict[str, str] = {
    "kind": "Kind",
    "category": "Category",
    "outcome": "Outcome",
    "track": "Counted as",
    "repo": "Repository",
    "labels": "Label",
    "with_tests": "With tests",
}
"""Query-string filters (comma-separated values) and their labels; Overview links set them."""

LINE_COLUMNS: dict[str, str] = {
    "code": "Code",
    "tests": "Test",
    "docs": "Docs",
    "ci": "CI/build",
    "examples": "Example",
}
"""A PR's changed lines per category, shown beside its verdict so that the verdict can be checked."""

SORTS: dict[str, tuple[list[str], list[bool]]] = {
    "Newest first": (["date"], [False]),
    "Oldest first": (["date"], [True]),
    "Most points": (["points", "date"], [False, False]),
    "Most stars": (["stars", "date"], [False, False]),
    "Repository": (["repo", "date"], [True, False]),
}
DEFAULT_SORT = "Newest first"

SHOWN_COLUMNS: list[str] = [
    "date",
    "kind",
    "repo",
    "number",
    "title",
    "outcome",
    "url",
    "category",
    "with_tests",
    "lines_code",
    "lines_tests",
    "lines_docs",
    "lines_ci",
    "lines_examples",
    "labels",
    "stars",
    "points",
    "track",
]
"""The columns the table holds (:data:`TABLE_ORDER` is the order it shows them in)."""


def split_values(value: str | None) -> list[str]:
    """The values of a comma-separated query parameter (none when absent)."""
    return [v for v in (value or "").split(",") if v]


def filter_options(contributions: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers: the column's distinct values, or every label any row carries."""
    if column == "labels":
        return sorted({label for labels in contributions["labels"] for label in (labels or ())})
    return sorted(contributions[column].dropna().astype("str").unique())


def filter_contributions(
    contributions: pd.DataFrame, chosen: dict[str, list[str]], text: str, sort: str
) -> pd.DataFrame:
    """The rows (every column) matching every chosen filter and the title text, in the chosen order."""
    keep = pd.Series(True, index=contributions.index)
    for column, values in chosen.items():
        if not values:
            continue
        if column == "labels":  # a row carries several labels: keep it when any of them was chosen
            wanted = frozenset(values)
            keep &= contributions["labels"].map(
                lambda labels, wanted=wanted: not wanted.isdisjoint(labels or ())
            )
        else:
            keep &= contributions[column].astype("str").isin(values)
    if text.strip():
        keep &= contributions["title"].astype("str").str.contains(text.strip(), case=False, regex=False)
    by, ascending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return contributions.loc[keep].sort_values(by, ascending=ascending, kind="stable").reset_index(drop=True)


TABLE_ORDER: list[str] = [
    "title",
    "outcome",
    "url",
    "date",
    "kind",
    "category",
    "with_tests",
    *(f"lines_{name}" for name in LINE_COLUMNS),
    "repo",
    "number",
    "labels",
    "stars",
    "points",
    "track",
]
"""What a phone shows first: the title, whether it was accepted, and the link to check it."""
PLAIN_COLUMNS: dict[str, dict[str, str]] = {
    "kind": KIND_NAMES,
    "category": CATEGORY_NAMES,
    "outcome": OUTCOME_NAMES,
    "track": TRACK_NAMES,
}
PLAIN_COLUMNS: dict[str, dict[str, str]] = {
    "kind": KIND_NAMES,
    "category": CATEGORY_NAMES,
    "outcome": OUTCOME_NAMES,
    "track": TRACK_NAMES,
}


def shown_table(rows: pd.DataFrame) -> pd.DataFrame:
    """What the table shows of ``rows``: :data:`SHOWN_COLUMNS`, stored codes (``pr``,
    ``changes_requested``, ``external``) in plain words, and a name for every review, which has no title
    of its own ("review of #12", the pull request it is about)."""
    out = rows[SHOWN_COLUMNS].copy()
    untitled = out["title"].isna()
    out["title"] = out["title"].where(~untitled, "review of #" + out["number"].astype("str"))
    for column, names in PLAIN_COLUMNS.items():
        out[column] = out[column].map(lambda value, names=names: names.get(value, value))
    return out
