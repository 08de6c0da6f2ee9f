"""Contributions: every PR, issue and review in the window, filterable, with links and exact downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.app.frame import Frame, bind, write_query
from portfolio.text import count

FILTERS: dict[str, str] = {
    "kind": "Kind",
    "category": "Category",
    "outcome": "Outcome",
    "track": "Track",
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


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def filter_contributions(
    contributions: pd.DataFrame, chosen: dict[str, list[str]], text: str, sort: str
) -> pd.DataFrame:
    """The rows matching every chosen filter and the title text, sorted, with the shown columns only."""
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
    by, ascending = SORTS.get(sort, SORTS["Newest first"])
    rows = contributions.loc[keep, SHOWN_COLUMNS].sort_values(by, ascending=ascending, kind="stable")
    untitled = rows["title"].isna()
    # Reviews have no title of their own: name the pull request they are about instead of showing None.
    rows["title"] = rows["title"].where(~untitled, "review of #" + rows["number"].astype("str"))
    return rows.reset_index(drop=True)


def _options(contributions: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers: the column's distinct values, or every label any row carries."""
    if column == "labels":
        return sorted({label for labels in contributions["labels"] for label in (labels or ())})
    return sorted(contributions[column].dropna().astype("str").unique())


def export_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The shown rows as plain values for CSV and JSON: ISO dates, labels joined."""
    out = rows.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["labels"] = out["labels"].map(
        lambda labels: "; ".join(labels) if isinstance(labels, tuple | list) else ""
    )
    return out


def render(frame: Frame) -> None:
    """The filterable table of contributions."""
    tr = frame.track()
    if tr is None:
        return
    everything = tr.contributions
    st.title("Contributions", anchor=False)
    if everything.empty:
        st.info("No contributions in this window.")
        return
    chosen: dict[str, list[str]] = {}
    columns = st.columns([1, 1, 1, 1, 2, 2, 1])
    for (name, label), column in zip(FILTERS.items(), columns, strict=True):
        options = _options(everything, name)
        key = f"filter_{name}"
        bind(
            key,
            st.query_params.get(name),
            lambda raw, options=options: [v for v in _split(raw) if v in options],
        )
        chosen[name] = column.multiselect(
            label,
            options,
            key=key,
            placeholder="All",
            on_change=lambda name=name, key=key: write_query(name, key, ",".join(st.session_state[key])),
        )
    left, right = st.columns([3, 1])
    bind("filter_text", st.query_params.get("q"), lambda raw: raw or "")
    text = left.text_input(
        "Title contains",
        key="filter_text",
        on_change=lambda: write_query("q", "filter_text", st.session_state["filter_text"]),
    )
    bind("sort", st.query_params.get("sort"), lambda raw: raw if raw in SORTS else "Newest first")
    sort = right.selectbox(
        "Sort by",
        list(SORTS),
        key="sort",
        on_change=lambda: write_query("sort", "sort", st.session_state["sort"]),
    )
    rows = filter_contributions(everything, chosen, text, sort)
    st.caption(
        f"Showing {count(len(rows), 'contribution')} of {len(everything):,} in this window. "
        "Click a column header to sort the table; the downloads follow the order chosen above."
    )
    st.dataframe(
        rows,
        key="contributions_table",
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(rows), 1), 560),
        column_order=SHOWN_COLUMNS,
        column_config={
            "date": st.column_config.DatetimeColumn("Date", format="YYYY-MM-DD"),
            "kind": st.column_config.TextColumn("Kind", width="small"),
            "category": st.column_config.TextColumn("Category", width="small"),
            "with_tests": st.column_config.CheckboxColumn("With tests", width="small"),
            **{
                f"lines_{name}": st.column_config.NumberColumn(f"{label} lines", format="%d", width="small")
                for name, label in LINE_COLUMNS.items()
            },
            "repo": st.column_config.TextColumn("Repository", width="medium"),
            "number": st.column_config.NumberColumn("#", format="%d", width="small"),
            "title": st.column_config.TextColumn("Title", width="medium"),
            "outcome": st.column_config.TextColumn("Outcome", width="small"),
            "labels": st.column_config.ListColumn("Labels"),
            "stars": st.column_config.NumberColumn("Stars", format="localized", width="small"),
            "points": st.column_config.NumberColumn("Points", format="%.1f", width="small"),
            "track": st.column_config.TextColumn("Track", width="small"),
            "url": st.column_config.LinkColumn("Link", display_text="Open", width="small"),
        },
    )
    exported = export_frame(rows)
    stem = f"{frame.login}-contributions"
    a, b, _ = st.columns([1, 1, 3])
    a.download_button(
        "Download CSV",
        exported.to_csv(index=False).encode("utf-8"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_csv",
        icon=":material/download:",
    )
    b.download_button(
        "Download JSON",
        exported.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8"),
        file_name=f"{stem}.json",
        mime="application/json",
        key="download_json",
        icon=":material/download:",
    )
