"""Journey: the milestones from first steps to core work, each linked to the contribution behind it."""

from __future__ import annotations

import streamlit as st

from portfolio.app import curation
from portfolio.app.frame import Frame
from portfolio.app.widgets import METRIC_WIDTH, track_chart
from portfolio.record import METRIC_DEFINITIONS
from portfolio.text import count, markdown_text, safe_url, short_date


def render(frame: Frame) -> None:
    """The milestones on a timeline, then as a list with links."""
    tr = frame.track()
    if tr is None:
        return
    st.title("Journey", anchor=False)
    m = tr.metrics
    row = st.container(horizontal=True, gap="small")
    row.container(width=METRIC_WIDTH).metric(
        "Active months", f"{m['active_months']:,}", help=METRIC_DEFINITIONS["active_months"]
    )
    row.container(width=METRIC_WIDTH).metric(
        "Longest streak",
        count(m["longest_streak_weeks"], "week"),
        help=METRIC_DEFINITIONS["longest_streak_weeks"],
    )
    milestones = tr.milestones
    if milestones.empty:
        st.info("No milestones were reached in this window.")
        curation.self_reported(frame)
        return
    track_chart(frame, "journey")
    for row in milestones.itertuples(index=False):
        event = any(key.startswith("hacktoberfest") for key in row.earned)
        with st.container(border=True):
            left, right = st.columns([4, 1], vertical_alignment="center")
            badge = ":violet-badge[event]" if event else ""
            left.markdown(
                f"**{markdown_text(row.title)}** {badge}  \n{markdown_text(short_date(row.date))} · {markdown_text(row.repo)}"
            )
            detail = row.contribution_title if isinstance(row.contribution_title, str) else ""
            if detail:
                left.text(detail)
            if isinstance(row.detail, str) and row.detail:
                left.caption(markdown_text(row.detail))
            url = safe_url(row.url)
            if url:
                right.link_button(
                    "Open", url, icon=":material/open_in_new:", key=f"milestone_{row.milestone}"
                )
    curation.self_reported(frame)
