"""What the contributor adds in portfolio.toml, on the pages: headline, contact, pins, self-reported work.

Self-reported items are the contributor's own claims: always labelled so, never counted, each with its
link. Downloads (card, Markdown section, JSON record) sit here too, beside the words that describe them.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from portfolio.app.frame import Frame
from portfolio.model import Profile
from portfolio.text import markdown_link, markdown_text, safe_url

PINNED_REASON = "pinned by the contributor"
_CSS_URL_UNSAFE = set("()\\;")
_AVATAR_PIXELS = 64


def initials(profile: Profile) -> str:
    """Up to two letters for an avatar: the name's first and last words, else the login's first letter."""
    words = [w for w in (profile.name or "").split() if w[:1].isalnum()]
    letters = (words[0][0] + (words[-1][0] if len(words) > 1 else "")) if words else profile.login[:1]
    return letters.upper()


def avatar_html(profile: Profile, show_image: bool) -> str:
    """A round avatar: the initials, with the picture painted over them when it loads (so never a broken icon)."""
    url = safe_url(profile.avatar_url) if show_image else None
    picture = ""
    if url and url.startswith("https://") and not _CSS_URL_UNSAFE & set(url):
        picture = (
            '<div style="position:absolute;inset:0;border-radius:50%;background-size:cover;'
            f"background-image:url('{html.escape(url, quote=True)}')\"></div>"
        )
    return (
        f'<div data-testid="portfolioAvatar" role="img" aria-label="{html.escape(initials(profile))}" '
        f'style="position:relative;width:{_AVATAR_PIXELS}px;height:{_AVATAR_PIXELS}px;border-radius:50%;'
        "background:#ddf4e4;color:#1a7f37;display:flex;align-items:center;justify-content:center;"
        f'font-weight:600;font-size:26px;flex:none">{html.escape(initials(profile))}{picture}</div>'
    )


def headline(frame: Frame) -> None:
    """The contributor's own headline sentence, when the deployment sets one."""
    if frame.site is not None and frame.site.headline:
        st.markdown(f"**{markdown_text(frame.site.headline)}**")


def contact(frame: Frame) -> None:
    """The deployment's contact links (web addresses as links, email addresses as text)."""
    if frame.site is None:
        return
    links = [
        markdown_link(label, url) if url.startswith(("https://", "http://"))
        else f"{markdown_text(label)}: {markdown_text(url.removeprefix('mailto:'))}"
        for label, url in frame.site.contact
    ]  # fmt: skip
    if links:
        st.markdown("Contact: " + " · ".join(links))


def pinned(frame: Frame, contributions: pd.DataFrame) -> pd.DataFrame:
    """The pinned contributions in the deployment's order, shaped like highlights with their reason."""
    if frame.site is None or not frame.site.pins or contributions.empty:
        return contributions.iloc[0:0].assign(reason=pd.Series(dtype="object"))
    order = {url: n for n, url in enumerate(frame.site.pins)}
    rows = contributions[contributions["url"].isin(order)]
    rows = rows.drop_duplicates("url").assign(reason=PINNED_REASON, pin=lambda f: f["url"].map(order))
    return rows.sort_values("pin").drop(columns="pin").reset_index(drop=True)


def self_reported(frame: Frame) -> None:
    """Talks, articles, workshops, mentoring and profiles the contributor reports, labelled as such."""
    if frame.site is None or not frame.site.self_reported:
        return
    st.subheader("Self-reported work", anchor=False)
    st.caption(
        "Listed by the contributor in this deployment's settings; GitHub cannot confirm it, so it adds no "
        "points and is in no number above."
    )
    for item in sorted(frame.site.self_reported, key=lambda entry: entry.date, reverse=True):
        st.markdown(
            f":gray-badge[self-reported] :blue-badge[{markdown_text(item.kind_label)}] "
            f"{markdown_link(item.title, item.url)} · {item.date:%-d %b %Y}"
        )


def downloads(frame: Frame) -> None:
    """Buttons for the profile-README card, the résumé's Markdown section and the JSON record of this view.

    Each file is made when its button is clicked (a callable ``data``), so a visit that downloads nothing
    renders no card, dumps no JSON and sends no file to the browser.
    """
    if frame.track() is None:
        return
    st.subheader("Take it with you", anchor=False)
    login = frame.login
    card, markdown, record = st.columns(3)
    card.download_button(
        "Card for a profile README (SVG)", lambda: frame.download("card"), file_name=f"{login}-card.svg",
        mime="image/svg+xml", key="download_card", icon=":material/badge:", on_click="ignore",
    )  # fmt: skip
    markdown.download_button(
        "Résumé section (Markdown)", lambda: frame.download("markdown"), file_name=f"{login}-track-record.md",
        mime="text/markdown", key="download_markdown", icon=":material/description:", on_click="ignore",
    )  # fmt: skip
    record.download_button(
        "Whole record (JSON)", lambda: frame.download("json"), file_name=f"{login}.json",
        mime="application/json", key="download_json", icon=":material/data_object:", on_click="ignore",
    )  # fmt: skip
