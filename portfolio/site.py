"""``portfolio.toml``: which logins a deployment shows, its headline and links, and the contributor's curation.

The file is the contributor's own words, read with :mod:`tomllib` and validated in full: an unknown key, a
bad date, an invalid login or an unsafe address is one :class:`~portfolio.errors.InvalidInput` sentence that
names the key and its line, never a traceback. Self-reported work (talks, articles, mentoring) is shown
beside the record, marked as self-reported, and never scored.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from portfolio.errors import InvalidInput
from portfolio.model import InvalidLogin, Record, validate_login

SITE_FILE = "portfolio.toml"
SELF_REPORTED_KINDS = {
    "talk": "Talk",
    "article": "Article",
    "workshop": "Workshop",
    "mentoring": "Mentoring",
    "stackoverflow": "Stack Overflow",
}
WEB_SCHEMES = ("https://", "http://")
CONTACT_SCHEMES = (*WEB_SCHEMES, "mailto:")
_TOP_KEYS = {"site", "curation"}
_SITE_KEYS = {"logins", "headline", "contact"}
_CURATION_KEYS = {"pin", "hide", "self_reported"}
_ITEM_KEYS = {"date", "title", "url", "kind"}
_UNSAFE_URL_CHARACTERS = set("\n\r\t \"'<>`")


@dataclass(frozen=True)
class SelfReported:
    """Work GitHub cannot see, in the contributor's words: shown as self-reported, worth no points."""

    date: date
    title: str
    url: str
    kind: str

    @property
    def kind_label(self) -> str:
        """The kind as a person reads it (``Stack Overflow``)."""
        return SELF_REPORTED_KINDS[self.kind]


@dataclass(frozen=True)
class Site:
    """A deployment's settings: the logins shown, the headline, contact links and curation."""

    logins: tuple[str, ...] = ()
    headline: str = ""
    contact: tuple[tuple[str, str], ...] = ()
    pins: tuple[str, ...] = ()
    hides: frozenset[str] = field(default_factory=frozenset)
    self_reported: tuple[SelfReported, ...] = ()

    def shows(self, login: str) -> bool:
        """Whether ``login`` is one of the configured logins (GitHub logins are case-insensitive)."""
        return login.lower() in {shown.lower() for shown in self.logins}

    def spelling(self, login: str) -> str:
        """The configured spelling of ``login``, else as given."""
        return next((shown for shown in self.logins if shown.lower() == login.lower()), login)


class _Lines:
    """Finds the line of a key in the TOML text, so a message can point at it (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def of(self, section: str, key: str | None = None, item: int | None = None) -> int:
        """The 1-based line of ``key`` under ``[section]`` (or its ``item``-th ``[[section]]``), else the header."""
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(#.*)?$")
        starts = [n for n, line in enumerate(self.lines) if header.match(line)]
        if item is not None and item < len(starts):
            starts = [starts[item]]
        start = starts[0] if starts else 0
        if key is None:
            return start + 1
        wanted = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for n in range(start + (1 if starts else 0), len(self.lines)):
            if n > start and starts and self.lines[n].lstrip().startswith("[") and "=" not in self.lines[n]:
                break
            if wanted.match(self.lines[n]):
                return n + 1
        return start + 1


def safe_web_url(url: Any, schemes: tuple[str, ...] = WEB_SCHEMES) -> bool:
    """Whether ``url`` is a plain address with one of ``schemes`` and nothing that could break out of a link."""
    return (
        isinstance(url, str)
        and url.startswith(schemes)
        and len(url) > max(len(s) for s in schemes if url.startswith(s))
        and not _UNSAFE_URL_CHARACTERS & set(url)
    )


def parse_site(text: str, source: str = SITE_FILE) -> Site:
    """The validated settings in ``text``; any problem is one InvalidInput sentence naming the key and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{source} is not valid TOML: {error}.") from None
    lines = _Lines(text)

    def fail(sentence: str, section: str, key: str | None = None, item: int | None = None) -> InvalidInput:
        return InvalidInput(f"{source} line {lines.of(section, key, item)}: {sentence}")

    for key in data:
        if key not in _TOP_KEYS:
            raise InvalidInput(
                f"{source} line {_first_line(lines, key)}: unknown key {key!r}; use [site] and [curation]."
            )
    site = _table(data, "site", fail)
    curation = _table(data, "curation", fail)
    _no_unknown(site, _SITE_KEYS, "site", fail)
    _no_unknown(curation, _CURATION_KEYS, "curation", fail)

    logins = _strings(site.get("logins", []), "site", "logins", fail)
    for login in logins:
        try:
            validate_login(login)
        except InvalidLogin as error:
            raise fail(f"site.logins: {error}", "site", "logins") from None
    if not logins:
        raise fail("site.logins is empty; name at least one GitHub login to show.", "site", "logins")
    headline = site.get("headline", "")
    if not isinstance(headline, str):
        raise fail("site.headline must be a string.", "site", "headline")

    contact_table = site.get("contact", {})
    if not isinstance(contact_table, dict):
        raise fail("site.contact must be a table of label = address.", "site", "contact")
    contact = []
    for label, url in contact_table.items():
        if not safe_web_url(url, CONTACT_SCHEMES):
            raise fail(
                f"site.contact.{label} must be an https://, http:// or mailto: address with no spaces or quotes.",
                "site.contact",
                label,
            )
        contact.append((label, url))

    pins = _strings(curation.get("pin", []), "curation", "pin", fail)
    hides = _strings(curation.get("hide", []), "curation", "hide", fail)
    for name, urls in (("pin", pins), ("hide", hides)):
        for url in urls:
            if not safe_web_url(url):
                raise fail(f"curation.{name} entry {url!r} is not a contribution URL.", "curation", name)
    both = set(pins) & set(hides)
    if both:
        raise fail(f"curation: {sorted(both)[0]!r} is both pinned and hidden.", "curation", "pin")

    items = curation.get("self_reported", [])
    if not isinstance(items, list):
        raise fail(
            "curation.self_reported must be an array of tables ([[curation.self_reported]]).", "curation"
        )
    return Site(
        logins=tuple(logins),
        headline=headline.strip(),
        contact=tuple(contact),
        pins=tuple(dict.fromkeys(pins)),
        hides=frozenset(hides),
        self_reported=tuple(
            sorted(
                (_self_reported(item, n, fail) for n, item in enumerate(items)),
                key=lambda entry: (entry.date, entry.title),
            )
        ),
    )


def load_site(path: str | Path) -> Site | None:
    """The settings in ``path``, or None when there is no such file."""
    path = Path(path)
    if not path.is_file():
        return None
    return parse_site(path.read_text(encoding="utf-8"), source=path.name)


def hide_contributions(record: Record, hidden: Collection[str]) -> Record:
    """``record`` without the contributions whose URLs are ``hidden`` (reviews of a hidden PR go too)."""
    if not hidden:
        return record
    hidden = set(hidden)
    # Only the hidden items go: comments (help given, never points) and commit counts stay.
    return replace(
        record,
        pull_requests=tuple(p for p in record.pull_requests if p.url not in hidden),
        issues=tuple(i for i in record.issues if i.url not in hidden),
        reviews=tuple(r for r in record.reviews if r.pr_url not in hidden),
        discussions=tuple(d for d in record.discussions if d.url not in hidden),
    )


def _first_line(lines: _Lines, key: str) -> int:
    pattern = re.compile(rf"^\s*\[?\[?\s*[\"']?{re.escape(key)}\b")
    return next((n + 1 for n, line in enumerate(lines.lines) if pattern.match(line)), 1)


def _table(data: dict[str, Any], name: str, fail: Any) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise fail(f"{name} must be a table ([{name}]).", name)
    return value


def _no_unknown(table: dict[str, Any], allowed: set[str], section: str, fail: Any) -> None:
    for key in table:
        if key not in allowed:
            raise fail(
                f"unknown key {key!r} in [{section}]; allowed: {', '.join(sorted(allowed))}.", section, key
            )


def _strings(value: Any, section: str, key: str, fail: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{section}.{key} must be a list of strings.", section, key)
    return [v.strip() for v in value]


def _self_reported(item: Any, n: int, fail: Any) -> SelfReported:
    section = "curation.self_reported"
    if not isinstance(item, dict):
        raise fail("each self-reported item must be a table.", section, item=n)
    for key in item:
        if key not in _ITEM_KEYS:
            raise fail(
                f"unknown key {key!r} in self-reported item {n + 1}; allowed: {', '.join(sorted(_ITEM_KEYS))}.",
                section,
                key,
                n,
            )
    for key in sorted(_ITEM_KEYS):
        if key not in item:
            raise fail(f"self-reported item {n + 1} has no {key}.", section, item=n)
    when = item["date"]
    if isinstance(when, datetime):
        when = when.date()
    elif isinstance(when, str):
        try:
            when = date.fromisoformat(when.strip())
        except ValueError:
            raise fail(
                f"self-reported item {n + 1} has date {when!r}, which is not a YYYY-MM-DD date.",
                section,
                "date",
                n,
            ) from None
    elif not isinstance(when, date):
        raise fail(f"self-reported item {n + 1} has a date that is not a date.", section, "date", n)
    title = item["title"]
    if not isinstance(title, str) or not title.strip():
        raise fail(f"self-reported item {n + 1} needs a non-empty title.", section, "title", n)
    if not safe_web_url(item["url"]):
        raise fail(
            f"self-reported item {n + 1} has url {str(item['url'])[:80]!r}, which is not an http(s) address.",
            section,
            "url",
            n,
        )
    kind = item["kind"]
    if kind not in SELF_REPORTED_KINDS:
        raise fail(
            f"self-reported item {n + 1} has kind {str(kind)[:40]!r}; use one of {', '.join(SELF_REPORTED_KINDS)}.",
            section,
            "kind",
            n,
        )
    return SelfReported(date=when, title=title.strip(), url=item["url"], kind=kind)
