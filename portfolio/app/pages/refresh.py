"""Refresh (local mode only): collect a login here, with the progress visible and errors as one sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from portfolio.app.data import clear_caches
from portfolio.app.frame import Frame, api_url
from portfolio.config import read_token
from portfolio.errors import PortfolioError
from portfolio.model import InvalidLogin, validate_login
from portfolio.store import Store
from portfolio.text import markdown_text

if TYPE_CHECKING:
    from portfolio.collect import Progress


def progress_line(progress: Progress) -> str:
    """One line saying where a collection is: stage, items, requests, rate limit left."""
    parts = [progress.stage, f"{progress.items:,} items", f"{progress.requests:,} requests"]
    if progress.expected:
        parts.insert(2, f"of {progress.expected:,} expected")
    if progress.rate_remaining is not None:
        parts.append(f"rate limit left: {progress.rate_remaining:,}")
    return " · ".join(parts)


def render(frame: Frame) -> None:
    """A login box, a Collect button, and a live progress panel."""
    from portfolio.collect import collect  # the collector and PyGithub load only when this page opens

    st.title("Refresh", anchor=False)
    token = read_token()
    st.caption(
        ("A GitHub token is set: collection uses the GraphQL API." if token else
         "No GitHub token is set (GITHUB_TOKEN or GH_TOKEN): collection uses the slower REST search, "
         "without per-PR files.")
        + " Collected data stays in the local store."
    )  # fmt: skip
    with st.form("collect_form", border=False):
        login_text = st.text_input("GitHub login", value=frame.login, key="collect_login")
        full = st.checkbox("Collect everything again (not only what changed)", key="collect_full")
        submitted = st.form_submit_button("Collect", type="primary", icon=":material/sync:")
    if not submitted:
        return
    try:
        login = validate_login(login_text.strip())
    except InvalidLogin as error:
        st.error(str(error))
        return
    with st.status(f"Collecting {login}…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")

        def show(progress: Progress) -> None:
            share = (
                min(progress.items / progress.expected, 1.0)
                if progress.expected
                else (progress.pages % 10) / 10
            )
            bar.progress(share, text=markdown_text(progress_line(progress)))

        try:
            with Store(frame.path) as store:
                result = collect(login, store, api_url=api_url(), token=token, full=full, progress=show)
        except PortfolioError as error:
            status.update(label=f"Collecting {login} stopped", state="error")
            st.error(str(error))
            return
        except Exception as error:
            status.update(label=f"Collecting {login} stopped", state="error")
            st.error(f"The collection stopped unexpectedly ({type(error).__name__}); what was saved is kept.")
            return
        bar.progress(1.0, text="Done")
        status.update(label=f"Collected {login}", state="complete")
    clear_caches()
    st.success(f"{login} is collected: {result.requests:,} requests.")
    st.page_link(frame.pages["overview"], label=f"Open {login}'s overview", icon=":material/arrow_forward:",
                 query_params={"user": login, "page": "overview"})  # fmt: skip
