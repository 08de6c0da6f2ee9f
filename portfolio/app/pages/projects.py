"""Projects: one row per repository, the contributor's role there, and reach against merged work."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.app.frame import Frame
from portfolio.app.widgets import MISSING_CELL, help_given_table, track_chart
from portfolio.text import count

PROJECT_COLUMNS: list[str] = [
    "repo",
    "stars",
    "merged_prs",
    "role",
    "prs",
    "issues",
    "reviews",
    "answers",
    "discussions",
    "points",
    "first",
    "latest",
    "url",
]
"""Repository, stars and merged PRs first: together they fit a phone's width, so no number is cut."""
PROJECT_CONFIG = {
    "repo": st.column_config.TextColumn("Repository", width=180),
    "stars": st.column_config.NumberColumn("Stars", format="localized", width=80),
    "merged_prs": st.column_config.NumberColumn("Merged PRs", width=92),
    "role": st.column_config.TextColumn("Role", width=100),
    "prs": st.column_config.NumberColumn("PRs", width=60),
    "issues": st.column_config.NumberColumn("Issues", width=64),
    "reviews": st.column_config.NumberColumn("Reviews", width=72),
    "answers": st.column_config.NumberColumn("Accepted answers", width=88),
    "discussions": st.column_config.NumberColumn("Discussions started", width=96),
    "points": st.column_config.NumberColumn("Points", format="%.0f", width=64),
    "first": st.column_config.DatetimeColumn("First", format="YYYY-MM-DD", width=100),
    "latest": st.column_config.DatetimeColumn("Latest", format="YYYY-MM-DD", width=100),
    "url": st.column_config.LinkColumn("Link", display_text="Open", width=56),
}


def _table(projects: pd.DataFrame, key: str) -> None:
    st.dataframe(
        projects[PROJECT_COLUMNS],
        key=key,
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        height=min(38 + 35 * max(len(projects), 1), 500),
        column_config=PROJECT_CONFIG,
    )


def render(frame: Frame) -> None:
    """Other people's projects first, then the contributor's own."""
    tr = frame.track()
    if tr is None:
        return
    st.title("Projects", anchor=False)
    projects = tr.projects
    if projects.empty:
        st.info("No repositories in this window.")
        help_given_table(tr.help_given, "projects_help_only")
        return
    others = projects[~projects["own_repo"].astype(bool)]
    own = projects[projects["own_repo"].astype(bool)]
    roles = others["role"].value_counts()
    st.caption(
        f"{count(len(others), 'project')} of others ({roles.get('maintainer', 0):,} as a maintainer) and "
        f"{count(len(own), 'own repository', 'own repositories')}. Stars are today's counts."
    )
    st.subheader("Reach against merged work", anchor=False)
    track_chart(frame, "reach")
    st.subheader("Others' projects", anchor=False)
    if others.empty:
        st.caption("None in this window.")
    else:
        _table(others, "projects_others")
    st.subheader("Own projects", anchor=False)
    if own.empty:
        st.caption("None in this window.")
    else:
        _table(own, "projects_own")
    st.subheader("Help given in others' threads", anchor=False)
    help_given_table(tr.help_given, "projects_help")
