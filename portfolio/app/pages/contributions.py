"""Contributions: every PR, issue and review in the window, filterable, with links and exact downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.app.frame import Frame, bind, write_query
from portfolio.labels import (
    CATEGORY_NAMES,
    KIND_NAMES,
    OUTCOME_NAMES,
    TRACK_NAMES,
    filter_sentence,
    filter_value_name,
)
from portfolio.text import count, markdown_text

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
FILTER_KEYS: tuple[str, ...] = (*(f"filter_{name}" for name in FILTERS), "filter_text")
ROW_HEIGHT = 66  # past 4rem, Streamlit lets text cells wrap: long titles take a second line, never a cut


def plain_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The shown rows with stored codes (``pr``, ``changes_requested``, ``external``) in plain words."""
    out = rows.copy()
    for column, names in PLAIN_COLUMNS.items():
        out[column] = out[column].map(lambda value, names=names: names.get(value, value))
    return out


def _clear_filters() -> None:
    """Forget every filter, in the widgets and in the query string."""
    for name, key in zip((*FILTERS, "q"), FILTER_KEYS, strict=True):
        write_query(name, key, None)
        st.session_state[key] = "" if key == "filter_text" else []


def _filters(everything: pd.DataFrame) -> tuple[dict[str, list[str]], str, str]:
    """The filter widgets, folded into one expander so a phone reaches the table at once."""
    active = sum(bool(_split(st.query_params.get(name))) for name in (*FILTERS, "q"))
    title = f"Filter and sort · {count(active, 'filter')} active" if active else "Filter and sort"
    chosen: dict[str, list[str]] = {}
    with st.expander(title, icon=":material/filter_list:"):
        columns = st.columns(3)
        for index, (name, label) in enumerate(FILTERS.items()):
            options = _options(everything, name)
            key = f"filter_{name}"
            bind(
                key,
                st.query_params.get(name),
                lambda raw, options=options: [v for v in _split(raw) if v in options],
            )
            chosen[name] = columns[index % 3].multiselect(
                label,
                options,
                key=key,
                placeholder="All",
                format_func=lambda value, name=name: filter_value_name(name, value),
                on_change=lambda name=name, key=key: write_query(name, key, ",".join(st.session_state[key])),
            )
        left, right = st.columns([2, 1])
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
    return chosen, text, sort


def render(frame: Frame) -> None:
    """The filterable table of contributions, with a sentence saying what the filters show."""
    tr = frame.track()
    if tr is None:
        return
    everything = tr.contributions
    st.title("Contributions", anchor=False)
    if everything.empty:
        st.info("No contributions in this window.")
        return
    chosen, text, sort = _filters(everything)
    rows = filter_contributions(everything, chosen, text, sort)
    filtered = any(chosen.values()) or bool(text.strip())
    sentence, clear = st.columns([4, 1], vertical_alignment="center")
    sentence.markdown(
        f"**{markdown_text(filter_sentence(chosen, text))}** · {len(rows):,}"
        + (f" of {len(everything):,}" if filtered else ""),
        help="Open **Filter and sort** to change what is shown; the address bar keeps the filters as a link.",
    )
    if filtered:
        clear.button("Clear filters", key="clear_filters", on_click=_clear_filters, icon=":material/close:")
    st.dataframe(
        plain_rows(rows),
        key="contributions_table",
        hide_index=True,
        width="stretch",
        height=min(38 + ROW_HEIGHT * max(len(rows), 1), 600),
        row_height=ROW_HEIGHT,
        column_order=TABLE_ORDER,
        column_config={
            "title": st.column_config.TextColumn("Title", width=190),
            "outcome": st.column_config.TextColumn("Outcome", width=118),
            "url": st.column_config.LinkColumn("Link", display_text="Open", width=56),
            "date": st.column_config.DatetimeColumn("Date", format="YYYY-MM-DD", width=100),
            "kind": st.column_config.TextColumn("Kind", width=100),
            "category": st.column_config.TextColumn("Category", width=110),
            "with_tests": st.column_config.CheckboxColumn("With tests", width=80),
            **{
                f"lines_{name}": st.column_config.NumberColumn(f"{label} lines", format="%d", width=80)
                for name, label in LINE_COLUMNS.items()
            },
            "repo": st.column_config.TextColumn("Repository", width="medium"),
            "number": st.column_config.NumberColumn("#", format="%d", width=70),
            "labels": st.column_config.ListColumn("Labels", width="medium"),
            "stars": st.column_config.NumberColumn("Stars", format="localized", width=80),
            "points": st.column_config.NumberColumn("Points", format="%.1f", width=70),
            "track": st.column_config.TextColumn(
                "Counted as",
                width=180,
                help="Others' project: accepted by someone else's project. Own or maintained project: the "
                "contributor's own repository, or work they merged themselves as a maintainer.",
            ),
        },
    )
    st.caption("Click a column header to sort the table; the downloads follow the order chosen above.")
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
