"""The shared frame around every page: login picker, date window, navigation, share link, data as of."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

import streamlit as st

from portfolio.app.data import (
    collected_logins,
    db_path,
    ensure_demo,
    load_summary,
    published_store,
    store_problem,
)
from portfolio.app.frame import (
    Frame,
    as_of,
    bind,
    breakable_url,
    hosted_mode,
    now_utc,
    parse_day,
    resolve_login,
    share_url,
    site_dir,
    unbind,
    window_notes,
    write_query,
)
from portfolio.app.pages import compare, contributions, journey, methodology, overview, projects, refresh
from portfolio.app.widgets import missing_login
from portfolio.demo import DEMO_LOGIN
from portfolio.errors import PortfolioError
from portfolio.model import InvalidLogin, validate_login
from portfolio.site import SITE_FILE, Site, load_site
from portfolio.text import markdown_link, markdown_text

BACKEND_NAMES = {"graphql": "GraphQL", "rest": "REST"}
EARLIEST_DAY = date(2008, 1, 1)  # GitHub opened in 2008: nothing public is older
# The compass emoji as the browser draws an emoji icon, in an ASCII data URL: an emoji string makes Streamlit
# import its emoji table (0.2 s of a cold start), and a Material icon is fetched from Google's servers.
PAGE_ICON = "data:image/svg+xml," + quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'><text y='.9em' font-size='90'>🧭</text></svg>"
)


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


def _default_login(logins: tuple[str, ...], hosted: bool) -> str:
    """Whom a bare link shows: a deployment's first login; locally the first who is not the demo."""
    if hosted:
        return logins[0]
    return next((login for login in logins if login != DEMO_LOGIN), DEMO_LOGIN)


def _hosted_sources() -> tuple[str, tuple[str, ...], Site | None]:
    """A deployment's own store, built from its data/LOGIN.json files, the configured logins it holds and
    its settings; what is missing is explained on the page."""
    problem = None
    try:
        site = load_site(site_dir() / SITE_FILE)
    except PortfolioError as error:
        site, problem = None, f"This deployment's settings cannot be read: {error}"
    if site is None and problem is None:
        problem = (
            f"This deployment has no {SITE_FILE}. Add one at the repository root naming the logins to show "
            "(copy the example in the portfolio repository), then redeploy."
        )
    if problem:
        st.error(markdown_text(problem))
        st.stop()
    try:
        published = published_store(str(site_dir()), site.logins)
    except (PortfolioError, OSError) as error:
        st.error(markdown_text(f"This deployment's data cannot be loaded: {error}"))
        st.stop()
    for line in published.problems:
        (st.warning if published.logins else st.error)(markdown_text(line))
    if not published.logins:
        st.stop()
    return published.path, published.logins, site


def _local_sources() -> tuple[str, tuple[str, ...], Site | None]:
    """The store the CLI writes (with the demo in it), its logins, and portfolio.toml if there is one."""
    path = str(db_path())
    problem = store_problem(path)
    if problem:
        st.error(problem)
        st.stop()
    try:
        ensure_demo(path)
    except PortfolioError as error:
        st.warning(f"The demo contributor could not be loaded: {error}")
    try:
        site = load_site(site_dir() / SITE_FILE)
    except PortfolioError as error:
        st.warning(markdown_text(f"{error} The dashboard runs without it."))
        site = None
    return path, tuple(collected_logins(path)), site


def _not_on_this_deployment(login: str, logins: tuple[str, ...]) -> None:
    """A clear page for a login this deployment does not show; nothing is looked up anywhere."""
    st.title("Not on this deployment", anchor=False)
    shown = ", ".join(logins)
    st.info(
        markdown_text(
            f"This deployment shows the open-source track record of {shown} only; {login} is not one of them. "
            "Anyone can publish their own: see the portfolio project's README."
        )
    )
    for shown_login in logins:
        st.markdown(f"[{markdown_text(shown_login)}'s track record](./?user={quote(shown_login)})")


def _login_picker(login: str, logins: tuple[str, ...]) -> None:
    """The sidebar's login choice, bound to ``?user=``; none when there is no other login to choose (a
    one-person deployment), since a list of one says nothing and its code costs a first visit 0.1 MB."""
    options = list(logins) if login in logins else [login, *logins]
    if len(options) < 2:
        return
    bind("picker", login, lambda raw: raw)
    st.selectbox(
        "Contributor",
        options,
        key="picker",
        on_change=lambda: write_query("user", "picker", st.session_state["picker"]),
    )


def _window() -> tuple[date | None, date | None, list[str]]:
    """The sidebar's date window, bound to ``?from=`` and ``?to=``; open ends mean the whole record.

    The date fields sit in a folded section drawn only when open: they are the heaviest widgets of a first
    visit (0.2 MB of the browser's code), and most visitors look at the whole record. A window in the link
    opens it, so the fields show what is applied.
    """
    raw_from, raw_to = st.query_params.get("from"), st.query_params.get("to")
    asked = parse_day(raw_from), parse_day(raw_to)  # the link's text is never shown as it is: it is Markdown
    shown = " → ".join(str(day or "…") for day in asked) if any(asked) else "whole record"
    fields = st.expander(
        f"Window: {shown}",
        key="window_fields",
        expanded=bool(raw_from or raw_to),
        on_change="rerun",
        icon=":material/date_range:",
    )
    if fields.open:
        with fields:
            since, until = _window_fields(raw_from, raw_to)
    else:
        since, until = asked
        # Unbound while folded: unfolding seeds the fields from the link again.
        unbind("window_from")
        unbind("window_to")
    notes = window_notes(since, until, raw_from, raw_to)
    if since is not None and until is not None and since > until:
        notes.append(
            f"The window starts ({since}) after it ends ({until}); showing the whole record instead."
        )
        since = until = None
    if since is not None or until is not None:
        st.button("Whole record", key="window_reset", on_click=_reset_window, icon=":material/history:")
    return since, until, notes


def _window_fields(raw_from: str | None, raw_to: str | None) -> tuple[date | None, date | None]:
    """The window's two date fields, seeded from the link; their changes go into the link."""
    today = now_utc().date()
    bind("window_from", raw_from, parse_day)
    bind("window_to", raw_to, parse_day)
    # Stacked, not side by side: the sidebar is too narrow for two full dates in one row.
    since = st.date_input(
        "From",
        min_value=EARLIEST_DAY,
        max_value=today,
        key="window_from",
        format="YYYY-MM-DD",
        on_change=lambda: write_query("from", "window_from", _iso(st.session_state["window_from"])),
    )
    until = st.date_input(
        "To",
        min_value=EARLIEST_DAY,
        max_value=today,
        key="window_to",
        format="YYYY-MM-DD",
        on_change=lambda: write_query("to", "window_to", _iso(st.session_state["window_to"])),
    )
    return since, until


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
    st.set_page_config(page_title="Open-source track record", page_icon=PAGE_ICON, layout="wide")
    hosted = hosted_mode()
    path, logins, site = _hosted_sources() if hosted else _local_sources()
    try:
        login = validate_login(st.query_params.get("user") or _default_login(logins, hosted))
    except InvalidLogin as error:
        st.error(str(error))
        st.stop()
    if hosted and not (site is not None and site.shows(login)):
        _not_on_this_deployment(login, logins)
        st.stop()
    login = resolve_login(path, login)
    profile, sync = load_summary(path, login)

    with st.sidebar:
        st.markdown("#### :material/explore: Open-source track record")
        nav_box = st.container()
        _login_picker(login, logins)
        since, until, notes = _window()
    shown_site = site if site is not None and site.shows(login) else None
    frame = Frame(
        path, login, since, until, profile, sync, hosted, logins=logins, notes=tuple(notes), site=shown_site
    )

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
        link = share_url({**st.query_params.to_dict(), **frame.params(), "page": slug})
        st.markdown(markdown_link(breakable_url(link), link))
        st.caption(
            "Copy the link (right-click it) or the address bar: either opens this page, contributor and window."
        )
        if hosted:
            st.caption("Read-only: this deployment shows collected contributors only.")
    chosen.run()
