"""User-facing text, one rule each: counts, stars, dates, safe URLs and inert Markdown.

The exports, the CLI and the app's pages all write their numbers and untrusted GitHub text through these
functions, so a title or a URL is made safe in one place and a count reads the same everywhere.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd

# Characters with inline meaning in CommonMark/GFM: emphasis, code, links and images, raw HTML and entities,
# tables, strikethrough, and @mentions (which would notify people where the section is pasted on GitHub).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>|~&!@])")
# A line-start marker (heading, list, quote, numbered list) would turn a title into structure.
_LINE_START = re.compile(r"^(\s*)(?:([#+\->=])|(\d+)([.)]))")
# GFM turns bare URLs and www. names into links; a backslash in "://" and "www." keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=\w):(?=//)|(?<![\w.])(www)\.")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# A plain web address: no javascript: or data: scheme, and nothing that could end a Markdown link or an
# HTML attribute early (whitespace, quotes, brackets, parentheses, backslash, backtick).
_SAFE_URL = re.compile(r"https?://[^\s<>\"'()\[\]`\\]+")


def is_missing(value: Any) -> bool:
    """Whether ``value`` is None, NaN, ``pd.NA`` or ``NaT``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` with its noun, singular or plural: ``1 pull request`` / ``1,204 pull requests``."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def format_stars(stars: int) -> str:
    """A star count as people write it: 999★, 1.5k★, 40k★, 1.2M★."""
    if stars >= 1_000_000:
        return f"{stars / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M★"
    if stars >= 10_000:
        return f"{stars // 1000}k★"
    if stars >= 1000:
        return f"{stars / 1000:.1f}".rstrip("0").rstrip(".") + "k★"
    return f"{stars}★"


def short_date(value: Any) -> str:
    """A timestamp as ``3 Jan 2024``; a dash when unknown."""
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%-d %b %Y")


def iso_date(value: date | datetime | pd.Timestamp) -> str:
    """The calendar date of a timestamp as ``2024-01-03``."""
    return pd.Timestamp(value).date().isoformat()


def iso(value: Any) -> str | None:
    """An ISO 8601 string of a timestamp, None when missing."""
    if is_missing(value):
        return None
    return pd.Timestamp(value).isoformat()


def safe_url(url: Any) -> str | None:
    """``url`` when it is a plain web address, else None (no ``javascript:`` or data URLs on a page)."""
    if isinstance(url, str) and _SAFE_URL.fullmatch(url):
        return url
    return None


def markdown_text(text: Any) -> str:
    """Untrusted text as inert Markdown: one line, no markup, no HTML, no autolinks, no mentions."""
    if is_missing(text):
        return ""
    line = _CONTROL.sub(" ", str(text)).strip()
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    line = _AUTOLINK.sub(lambda m: r"\:" if m.group(0) == ":" else m.group(1) + r"\.", line)
    return _LINE_START.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), line
    )


def markdown_link(label: str, url: Any) -> str:
    """A Markdown link to an http(s) URL; just the escaped label when the URL is anything else."""
    target = safe_url(url)
    if target is not None:
        return f"[{markdown_text(label)}]({target})"
    return markdown_text(label)


def contribution_ref(repo: str, number: Any) -> str:
    """``owner/repo#number`` of a contribution, or just the repository when it has no number."""
    return f"{repo}#{int(number)}" if not is_missing(number) else str(repo)
