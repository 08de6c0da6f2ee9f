"""Compare: two to four collected contributors side by side over the same window."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio import charts
from portfolio.app.frame import Frame, bind, write_query
from portfolio.app.widgets import MISSING_CELL, page_link
from portfolio.labels import metric_name
from portfolio.record import TrackRecord
from portfolio.text import markdown_text

COMPARED_METRICS: tuple[str, ...] = (
    "merged_external_prs",
    "external_projects",
    "external_organisations",
    "docs_prs",
    "code_prs",
    "tests_prs",
    "reviews_given",
    "issues_reported",
    "issues_fixed",
    "merge_rate",
    "largest_project_stars",
    "active_months",
    "score_external",
    "score_maintainer",
)
"""The metrics set side by side, each under its human name (:data:`portfolio.labels.METRIC_NAMES`)."""
PERCENT_METRICS = frozenset({"merge_rate"})
MAX_COMPARED = 4


def _cell(name: str, value: object) -> str:
    """A metric's value as shown: shares as percentages, other numbers with thousands separators."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if name in PERCENT_METRICS:
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def comparison_table(tracks: dict[str, TrackRecord]) -> pd.DataFrame:
    """One row per compared metric, one column per login, as display strings."""
    rows = {
        metric_name(name): {login: _cell(name, tr.metrics.get(name)) for login, tr in tracks.items()}
        for name in COMPARED_METRICS
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("metric").reset_index()


def _one_login(frame: Frame) -> None:
    """What to do when there is nobody to compare with."""
    if frame.hosted:
        st.info(
            markdown_text(
                f"This deployment shows one contributor, {frame.login}, so there is nobody to compare with here. "
                "To compare, open each contributor's own link, or ask for a deployment that lists several "
                "logins in its portfolio.toml."
            )
        )
        return
    st.info(
        "Compare needs at least two collected contributors, and only one is collected so far. Collect "
        "another login (a colleague, or a well-known contributor as a yardstick) and come back: run "
        "`python -m portfolio collect LOGIN`, or use the Refresh page."
    )
    page_link(frame, "refresh", "Collect another contributor", icon=":material/sync:")


def render(frame: Frame) -> None:
    """Pick logins, then see their numbers, activity and categories side by side."""
    st.title("Compare", anchor=False)
    logins = list(frame.logins)
    if len(logins) < 2:
        _one_login(frame)
        return
    default = [frame.login, *[login for login in logins if login != frame.login]][:2]
    bind(
        "compare",
        st.query_params.get("with"),
        lambda raw: [v for v in (raw or "").split(",") if v in logins][:MAX_COMPARED] or default,
    )
    chosen = st.multiselect(
        "Contributors (two to four)",
        logins,
        key="compare",
        max_selections=MAX_COMPARED,
        on_change=lambda: write_query("with", "compare", ",".join(st.session_state["compare"])),
    )
    if len(chosen) < 2:
        st.info("Pick at least two contributors.")
        return
    tracks = {login: tr for login in chosen if (tr := frame.track_of(login)) is not None}
    st.dataframe(
        comparison_table(tracks),
        key="compare_table",
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        height=38 + 35 * len(COMPARED_METRICS),
    )
    monthly = pd.concat(
        [charts.monthly_activity(tr.activity).assign(login=login) for login, tr in tracks.items()],
        ignore_index=True,
    )
    st.subheader("Activity over time", anchor=False)
    if monthly.empty:
        st.caption("No contributions in this window.")
    else:
        st.altair_chart(charts.compare_activity_chart(monthly), width="stretch")
    st.subheader("What their merged work was", anchor=False)
    counts = pd.concat(
        [charts.category_counts(tr.metrics).assign(login=login) for login, tr in tracks.items()],
        ignore_index=True,
    )
    if counts["prs"].sum() == 0:
        st.caption("No merged pull requests in others' projects in this window.")
    else:
        st.altair_chart(charts.compare_split_chart(counts), width="stretch")
