"""Small pieces every page uses: safe text, links that keep the frame, evidence under a number."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from portfolio.record import markdown_text

SAFE_SCHEMES = ("https://", "http://")


def safe_url(url: Any) -> str | None:
    """``url`` when it is a plain web address, else None (no ``javascript:`` or data URLs on a page)."""
    if isinstance(url, str) and url.startswith(SAFE_SCHEMES) and not any(c in url for c in "\n\r \"'<>`"):
        return url
    return None


def md(text: Any) -> str:
    """Untrusted text made inert for ``st.markdown``: every markdown and HTML character escaped."""
    return markdown_text(text)


def page_link(frame: Any, slug: str, label: str, icon: str | None = None, **filters: str) -> None:
    """A link to another page of this view, carrying login, window and ``filters`` in the query string."""
    st.page_link(
        frame.pages[slug],
        label=label,
        icon=icon,
        query_params=frame.params(page=slug, **filters),
    )


def evidence_metric(
    frame: Any,
    column: Any,
    label: str,
    value: Any,
    help_text: str,
    link_label: str | None = None,
    slug: str = "contributions",
    **filters: str,
) -> None:
    """A headline number with a link under it that opens the rows it counts."""
    with column:
        st.metric(label, value, help=help_text)
        # A link to an empty list is a dead end: numbers that are zero or unknown get none.
        if link_label and str(value).strip() not in {"0", "–", "0 / 0"}:
            page_link(frame, slug, link_label, icon=":material/arrow_forward:", **filters)


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 pull request`` / ``3 pull requests``."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def short_date(value: Any) -> str:
    """A timestamp as ``3 Jan 2024``; a dash when unknown."""
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%-d %b %Y")


def missing_login(frame: Any) -> None:
    """What to do about a login that is not in the store."""
    known = ", ".join(frame.logins) or "none yet"
    st.warning(
        f"{frame.login} has not been collected yet. Run `python -m portfolio collect {frame.login}` to "
        f"collect it; collected so far: {md(known)}."
    )
    if not frame.hosted:
        page_link(frame, "refresh", "Or collect it from the Refresh page", icon=":material/sync:")
