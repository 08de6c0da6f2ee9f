"""Contributions: every PR, issue and review in the window, filterable, with links and exact downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.app.frame import Frame, bind, write_query
from portfolio.app.widgets import MISSING_CELL
from portfolio.export import contributions_csv, contributions_json
from portfolio.labels import filter_sentence, filter_value_name
from portfolio.text import count, markdown_text
from portfolio.views.contributions import (
    DEFAULT_SORT,
    FILTERS,
    LINE_COLUMNS,
    SORTS,
    TABLE_ORDER,
    filter_contributions,
    filter_options,
    shown_table,
    split_values,
)

FILTER_KEYS: tuple[str, ...] = (*(f"filter_{name}" for name in FILTERS), "filter_text")
ROW_HEIGHT = 66  # past 4rem, Streamlit lets text cells wrap: long titles take a second line, never a cut
COLUMN_CONFIG = {
    "title": st.column_config.TextColumn("Title", width=180),
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
}
"""Title, Outcome and Link first and together narrower than a 390-pixel phone's table (358 pixels), so
none of them is cut; titles wrap in rows of :data:`ROW_HEIGHT`."""


def _clear_filters() -> None:
    """Forget every filter, in the widgets and in the query string."""
    for name, key in zip((*FILTERS, "q"), FILTER_KEYS, strict=True):
        write_query(name, key, None)
        st.session_state[key] = "" if key == "filter_text" else []


def _filters(everything: pd.DataFrame) -> tuple[dict[str, list[str]], str, str]:
    """The filter widgets, folded into one expander so a phone reaches the table at once."""
    active = sum(bool(split_values(st.query_params.get(name))) for name in (*FILTERS, "q"))
    title = f"Filter and sort · {count(active, 'filter')} active" if active else "Filter and sort"
    chosen: dict[str, list[str]] = {}
    with st.expander(title, icon=":material/filter_list:"):
        columns = st.columns(3)
        for index, (name, label) in enumerate(FILTERS.items()):
            options = filter_options(everything, name)
            key = f"filter_{name}"
            bind(
                key,
                st.query_params.get(name),
                lambda raw, options=options: [v for v in split_values(raw) if v in options],
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
        bind("sort", st.query_params.get("sort"), lambda raw: raw if raw in SORTS else DEFAULT_SORT)
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
        shown_table(rows),
        key="contributions_table",
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        height=min(38 + ROW_HEIGHT * max(len(rows), 1), 600),
        row_height=ROW_HEIGHT,
        column_order=TABLE_ORDER,
        column_config=COLUMN_CONFIG,
    )
    st.caption("Click a column header to sort the table; the downloads follow the order chosen above.")
    stem = f"{frame.login}-contributions"
    a, b, _ = st.columns([1, 1, 3])
    a.download_button(
        "Download CSV",
        lambda: contributions_csv(rows).encode("utf-8"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    b.download_button(
        "Download JSON",
        lambda: contributions_json(rows).encode("utf-8"),
        file_name=f"{stem}.json",
        mime="application/json",
        key="download_json",
        on_click="ignore",
        icon=":material/download:",
    )
