"""The shared frame around every page: login picker, date window, navigation, share link, data as of."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import streamlit as st

from portfolio.app.data import collected_logins, db_path, ensure_demo, load_summary, store_problem
from portfolio.app.frame import (
    Frame,
    as_of,
    bind,
    hosted_mode,
    now_utc,
    parse_day,
    resolve_login,
    share_url,
    window_notes,
    write_query,
)
from portfolio.app.pages import compare, contributions, journey, methodology, overview, projects, refresh
from portfolio.app.widgets import missing_login
from portfolio.demo import DEMO_LOGIN
from portfolio.errors import PortfolioError
from portfolio.model import InvalidLogin, validate_login
from portfolio.text import markdown_text

BACKEND_NAMES = {"graphql": "GraphQL", "rest": "REST"}
EARLIEST_DAY = date(2008, 1, 1)  # GitHub opened in 2008: nothing public is older


@dataclasses.dataclass(frozen=True)
class PageSpec:
    """A page of the app: its slug in links, title, icon, renderer and whether it needs a collected login."""

    slug: str
    title: str
    icon: str
    render: Callable[[Frame], None]
    needs_record: bool = True
    local_only: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "Overview", ":material/person:", overview.render),
    PageSpec("contributions", "Contributions", ":material/table:", contributions.render),
    PageSpec("projects", "Projects", ":material/folder_open:", projects.render),
    PageSpec("journey", "Journey", ":material/timeline:", journey.render),
    PageSpec("methodology", "Methodology", ":material/calculate:", methodology.render),
    PageSpec("compare", "Compare", ":material/compare_arrows:", compare.render, needs_record=False),
    PageSpec("refresh", "Refresh", ":material/sync:", refresh.render, needs_record=False, local_only=True),
)


def _default_login(logins: tuple[str, ...]) -> str:
    """Whom a bare link shows: the first collected contributor who is not the demo, else the demo."""
    return next((login for login in logins if login != DEMO_LOGIN), DEMO_LOGIN)


def _login_picker(login: str, logins: tuple[str, ...]) -> None:
    """The sidebar's login choice, bound to ``?user=``."""
    options = list(logins) if login in logins else [login, *logins]
    bind("picker", login, lambda raw: raw)
    st.selectbox(
        "Contributor",
        options,
        key="picker",
        on_change=lambda: write_query("user", "picker", st.session_state["picker"]),
    )


def _window() -> tuple[date | None, date | None, list[str]]:
    """The sidebar's date window, bound to ``?from=`` and ``?to=``; open ends mean the whole record."""
    raw_from, raw_to = st.query_params.get("from"), st.query_params.get("to")
    today = now_utc().date()
    bind("window_from", raw_from, parse_day)
    bind("window_to", raw_to, parse_day)
    left, right = st.columns(2)
    since = left.date_input(
        "From",
        min_value=EARLIEST_DAY,
        max_value=today,
        key="window_from",
        format="YYYY-MM-DD",
        on_change=lambda: write_query("from", "window_from", _iso(st.session_state["window_from"])),
    )
    until = right.date_input(
        "To",
        min_value=EARLIEST_DAY,
        max_value=today,
        key="window_to",
        format="YYYY-MM-DD",
        on_change=lambda: write_query("to", "window_to", _iso(st.session_state["window_to"])),
    )
    notes = window_notes(since, until, raw_from, raw_to)
    if since is not None and until is not None and since > until:
        notes.append(
            f"The window starts ({since}) after it ends ({until}); showing the whole record instead."
        )
        since = until = None
    if since is not None or until is not None:
        st.button("Whole record", key="window_reset", on_click=_reset_window, icon=":material/history:")
    return since, until, notes


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _reset_window() -> None:
    write_query("from", "window_from", None)
    write_query("to", "window_to", None)
    st.session_state["window_from"] = None
    st.session_state["window_to"] = None


def _frame_strip(frame: Frame) -> None:
    """The data's as-of time, the window and what the record cannot see, above every page."""
    if not frame.collected:
        return
    window = ""
    if frame.since or frame.until:
        window = (
            f" · window {frame.since or 'start'} → {frame.until or 'today'} (numbers count only this window)"
        )
    backend = BACKEND_NAMES.get(frame.sync.backend, frame.sync.backend) if frame.sync else ""
    backend = f" through GitHub's {backend} API" if backend else ""
    st.caption(markdown_text(f"Data as of {as_of(frame.sync)}, collected{backend}{window}"))
    for note in frame.notes:
        st.warning(note)
    limits = tuple(frame.sync.limits) if frame.sync else ()
    if limits:
        with st.expander(f"Limits of this data ({len(limits)})", icon=":material/info:"):
            for limit in limits:
                st.text(f"• {limit}")


def main() -> None:
    """Resolve the frame from the query string, draw the sidebar, run the chosen page."""
    st.set_page_config(page_title="Open-source track record", page_icon="🧭", layout="wide")
    path = str(db_path())
    problem = store_problem(path)
    if problem:
        st.error(problem)
        st.stop()
    try:
        ensure_demo(path)
    except PortfolioError as error:
        st.warning(f"The demo contributor could not be built: {error}")
    hosted = hosted_mode()
    logins = tuple(collected_logins(path))
    try:
        login = validate_login(st.query_params.get("user") or _default_login(logins))
    except InvalidLogin as error:
        st.error(str(error))
        st.stop()
    login = resolve_login(path, login)
    profile, sync = load_summary(path, login)

    with st.sidebar:
        st.markdown("#### :material/explore: Open-source track record")
        nav_box = st.container()
        _login_picker(login, logins)
        since, until, notes = _window()
    frame = Frame(path, login, since, until, profile, sync, hosted, logins=logins, notes=tuple(notes))

    specs = [spec for spec in PAGES if not (spec.local_only and hosted)]
    holder: dict[str, Frame] = {}

    def runner(spec: PageSpec) -> Callable[[], None]:
        def run() -> None:
            current = holder["frame"]
            _frame_strip(current)
            if spec.needs_record and not current.collected:
                missing_login(current)
                return
            spec.render(current)

        return run

    pages = {
        spec.slug: st.Page(
            runner(spec),
            title=spec.title,
            icon=spec.icon,
            url_path=spec.slug,
            default=spec.slug == "overview",
        )
        for spec in specs
    }
    frame = dataclasses.replace(frame, pages=pages)
    holder["frame"] = frame
    chosen = st.navigation(list(pages.values()), position="hidden")
    slug = next(s for s, page in pages.items() if page.title == chosen.title)
    wanted = st.query_params.get("page")
    if wanted in pages and wanted != slug:
        st.switch_page(pages[wanted], query_params=st.query_params.to_dict())

    with nav_box:
        for spec in specs:
            st.page_link(
                pages[spec.slug], label=spec.title, icon=spec.icon, query_params=frame.params(page=spec.slug)
            )
    with st.sidebar:
        st.markdown("**Share this view**")
        st.code(
            share_url({**st.query_params.to_dict(), **frame.params(), "page": slug}),
            language=None,
            wrap_lines=True,
        )
        st.caption("Copy with the icon at the right of the link; it opens this page, contributor and window.")
        st.caption(markdown_text(f"Data as of {as_of(sync)}."))
        if hosted:
            st.caption("Read-only: this deployment shows collected contributors only.")
    chosen.run()
