"""Overview: who this is, what of their work was accepted where, and the evidence behind each number."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from portfolio import charts
from portfolio.app import curation
from portfolio.app.frame import Frame
from portfolio.app.widgets import HELP_NOT_POINTS, METRIC_WIDTH, evidence_metric, page_link, track_picture
from portfolio.demo import DEMO_LOGIN
from portfolio.labels import OUTCOME_NAMES
from portfolio.record import METRIC_DEFINITIONS, TrackRecord
from portfolio.text import count, format_stars, markdown_link, markdown_text, safe_url, short_date

HIGHLIGHTS_SHOWN = 6
HIGHLIGHT_KIND_NAMES = {"pr": "PR", "issue": "Issue", "review": "Review", "answer": "Answer"}


def render(frame: Frame) -> None:
    """The recruiter's first screen."""
    tr = frame.track()
    _identity(frame)
    if tr is None:
        _about(frame)
        return
    if tr.contributions.empty:
        _about(frame)
        st.info(
            "No public pull requests, issues or reviews in this window. Widen the window in the sidebar, "
            "or check that the login has public contributions."
        )
        return
    st.markdown(markdown_text(_lead(tr)))
    _headline(frame, tr)
    _about(frame)
    _reports_and_help(frame, tr)
    _highlights(frame, tr)
    curation.self_reported(frame)
    _activity(frame, tr)
    _score(frame, tr)
    curation.downloads(frame)


def _identity(frame: Frame) -> None:
    """Who this is, first on a phone: avatar (or initials), name, handle and the contributor's headline."""
    profile = frame.profile
    if profile is None:
        return
    top = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    # The fictional demo gets no face: its avatar address would show a real account's picture.
    top.html(curation.avatar_html(profile, show_image=frame.login != DEMO_LOGIN), width="content")
    right = top.container(gap=None)
    right.header(markdown_text(profile.name or profile.login), anchor=False)
    details = [f"@{profile.login}", profile.company, profile.location]
    right.text(" · ".join(str(d) for d in details if d))
    curation.headline(frame)


def _about(frame: Frame) -> None:
    """Bio and links, under the figures; every profile field is untrusted text."""
    profile = frame.profile
    if profile is None:
        return
    if profile.bio:
        st.text(profile.bio)
    links = [markdown_link("GitHub profile", safe_url(profile.html_url))]
    if safe_url(profile.blog):
        links.append(markdown_link("Website", profile.blog))
    st.markdown(" · ".join(link for link in links if link))
    curation.contact(frame)
    if frame.login == DEMO_LOGIN:
        st.info("This is a fictional demo contributor, generated offline to show what the dashboard does.")


def _lead(tr: TrackRecord) -> str:
    """One sentence a recruiter can stop after."""
    m = tr.metrics
    parts = []
    if m["merged_external_prs"]:
        parts.append(
            f"{count(m['merged_external_prs'], 'pull request')} merged into "
            f"{count(m['external_projects'], 'project')} of others"
            + (
                f" ({count(m['external_organisations'], 'organisation')})"
                if m["external_organisations"]
                else ""
            )
        )
    if m["docs_prs"]:
        parts.append(f"{m['docs_prs']:,} of them documentation")
    if m["merge_rate"] is not None:
        parts.append(f"{m['merge_rate']:.0%} of their finished PRs to others' projects were accepted")
    if m["reviews_given"]:
        parts.append(f"{count(m['reviews_given'], 'review')} given")
    if m["issues_reported"]:
        parts.append(f"{m['issues_fixed']:,} of {count(m['issues_reported'], 'reported issue')} fixed")
    if not parts:
        parts.append(count(m["contributions"], "contribution"))
    first, latest = short_date(m["first_contribution"]), short_date(m["latest_contribution"])
    months = count(m["active_months"], "active month")
    text = "; ".join(parts) + f" — {months} from {first} to {latest}."
    return text[0].upper() + text[1:]


def _headline(frame: Frame, tr: TrackRecord) -> None:
    """The evidence metrics: each opens the filtered list of contributions it counts."""
    m = tr.metrics
    # Two metrics a row on a phone (a horizontal container wraps; columns would stack one a row).
    row = st.container(horizontal=True, gap="small")
    top = [row.container(width=METRIC_WIDTH) for _ in range(4)]
    evidence_metric(
        frame, top[0], "Accepted PRs", f"{m['merged_external_prs']:,}",
        METRIC_DEFINITIONS["merged_external_prs"], "See these PRs", rows=m["merged_external_prs"], kind="pr", outcome="merged", track="external",
    )  # fmt: skip
    evidence_metric(
        frame, top[1], "Projects merged into", f"{m['external_projects']:,}",
        METRIC_DEFINITIONS["external_projects"], "See the projects", rows=m["external_projects"], slug="projects",
    )  # fmt: skip
    evidence_metric(
        frame, top[2], "Docs PRs merged", f"{m['docs_prs']:,}", METRIC_DEFINITIONS["docs_prs"],
        "See these PRs", rows=m["docs_prs"], kind="pr", outcome="merged", track="external", category="docs",
    )  # fmt: skip
    evidence_metric(
        frame, top[3], "Reviews given", f"{m['reviews_given']:,}", METRIC_DEFINITIONS["reviews_given"],
        "See the reviews", rows=m["reviews_given"], kind="review",
    )  # fmt: skip
    row = st.container(horizontal=True, gap="small")
    bottom = [row.container(width=METRIC_WIDTH) for _ in range(4)]
    evidence_metric(
        frame, bottom[0], "Issues fixed / reported", f"{m['issues_fixed']:,} / {m['issues_reported']:,}",
        METRIC_DEFINITIONS["issues_fixed"], "See the fixed issues", rows=m["issues_fixed"], kind="issue",
        outcome="fixed",
    )  # fmt: skip
    stars = m["largest_project_stars"]
    evidence_metric(
        frame, bottom[1], "Largest project", format_stars(int(stars)) if stars else "–",
        METRIC_DEFINITIONS["largest_project_stars"], "Reach by project", rows=m["external_projects"] if stars else 0,
        slug="projects",
    )  # fmt: skip
    rate = m["merge_rate"]
    evidence_metric(
        frame, bottom[2], "Merge rate", f"{rate:.0%}" if rate is not None else "–",
        METRIC_DEFINITIONS["merge_rate"], "See these PRs", rows=m["external_prs"] if rate is not None else 0,
        kind="pr", track="external",
    )  # fmt: skip
    share = m["code_with_tests_share"]
    evidence_metric(
        frame, bottom[3], "Code PRs with tests", f"{share:.0%}" if share is not None else "–",
        METRIC_DEFINITIONS["code_with_tests_share"], f"See these {m['code_prs_with_tests']:,} PRs",
        rows=m["code_prs_with_tests"], kind="pr", outcome="merged", track="external", category="code",
        with_tests="True",
    )  # fmt: skip


def _score(frame: Frame, tr: TrackRecord) -> None:
    """Points and the familiar reference rank, after the facts, each said in one plain sentence."""
    st.subheader("Points, for comparing records", anchor=False)
    st.caption(
        "Points weigh each contribution by what it was, whether it was accepted and how widely the project "
        "is used, so that many trivial PRs count for little; the facts above do not depend on them."
    )
    left, right = st.columns([3, 2])
    with left:
        a, b = st.columns(2)
        a.metric(
            "Points for work accepted by others",
            f"{tr.score.external:,.0f}",
            help=METRIC_DEFINITIONS["score_external"],
        )
        b.metric(
            "Points in own or maintained projects",
            f"{tr.score.maintainer:,.0f}",
            help=METRIC_DEFINITIONS["score_maintainer"],
        )
        st.caption(
            "Work in their own repositories, or merged by themselves as a maintainer, is counted apart: "
            "nobody else had to accept it."
        )
        if tr.score.total > 0:
            # Drawn only when opened, as the tabs above: the points come after the facts.
            earned = st.expander("What earned the points", key="overview_points_chart", on_change="rerun")
            if earned.open:
                with earned:
                    track_picture(frame, "score", "Points per track, stacked by what earned them")
        page_link(frame, "methodology", "How every point is computed", icon=":material/calculate:")
    with right, st.container(border=True):
        rank = tr.rank
        st.metric(
            "For reference: GitHub stats card grade",
            rank.level,
            help="The github-readme-stats rank formula applied to the same counts; it is not our score.",
        )
        commits = rank.inputs["commits"]
        st.caption(
            f"The grade the popular github-readme-stats card would give these counts (top "
            f"{rank.percentile:.0f}% by its formula), from the same counts and {commits:,} commits"
            + (" (none collected: REST cannot see them, so it reads low)." if commits == 0 else ".")
        )


def _reports_and_help(frame: Frame, tr: TrackRecord) -> None:
    """Well-made reports that got fixed, and the help given in others' threads (context, not points)."""
    m = tr.metrics
    st.subheader("Reports and help", anchor=False)
    left, right = st.columns(2)
    left.metric(
        "Well-made reports that were fixed",
        f"{m['well_made_fixed_share']:.0%}",
        help=METRIC_DEFINITIONS["well_made_fixed_share"],
    )
    left.caption(
        f"{m['reproducible_reports_fixed']:,} of {m['issues_reported']:,} issues reported were reproducible "
        f"reports and got fixed ({m['reproducible_reports']:,} reproducible in all; the rule is on Methodology)."
    )
    help_given = tr.help_given
    right.metric("Help given (comments)", f"{int(help_given['comments'].sum()):,}", help=HELP_NOT_POINTS)
    right.caption(
        f"in {help_given['repo'].nunique():,} repositories and {int(help_given['threads'].sum()):,} threads"
    )
    # A link, not the table itself: the table's rows are the largest message of a first visit (65 kB at 10k
    # contributions) and the only table on this page, whose code the browser would otherwise load too.
    with right:
        page_link(frame, "projects", "Help given per repository and month", icon=":material/forum:")


def _highlights(frame: Frame, tr: TrackRecord) -> None:
    """The contributions to open first, as cards with the reason each was picked."""
    pins = curation.pinned(frame, tr.contributions)
    rest = tr.highlights[~tr.highlights["url"].isin(pins["url"])]
    highlights = pd.concat([pins[rest.columns], rest], ignore_index=True) if len(pins) else rest
    highlights = highlights.head(max(HIGHLIGHTS_SHOWN, len(pins)))
    if highlights.empty:
        return
    st.subheader("Open these first", anchor=False)
    rows = list(highlights.itertuples(index=False))
    # One st.columns per pair, so a phone (where columns stack) still reads them in rank order.
    for start in range(0, len(rows), 2):
        for column, row in zip(st.columns(2), rows[start : start + 2], strict=False):
            _highlight_card(column, row)
    page_link(frame, "contributions", "All contributions", icon=":material/table:")


def _highlight_card(column: DeltaGenerator, row: Any) -> None:
    """One highlight: title, where and when, the reason, and a button to the contribution."""
    with column, st.container(border=True):
        kind = HIGHLIGHT_KIND_NAMES.get(row.kind, row.kind)
        number = f" #{row.number}" if row.number is not None else ""
        # A review has no title of its own: name the pull request it reviewed.
        untitled = f"{kind} of PR{number}" if row.kind == "review" else kind
        # The title is the contributor's (or, for an answer, the asker's) text: shown as text, never Markdown.
        st.text(row.title if isinstance(row.title, str) else untitled)
        outcome = OUTCOME_NAMES.get(row.outcome, row.outcome)
        where = markdown_text(f"{kind} in {row.repo}{number} · {short_date(row.date)} · {outcome}")
        # One element, not two: each element costs the browser a draw on every visit.
        st.markdown(f":small[:gray[{where}]]\n\n:green-badge[{markdown_text(row.reason)}]")
        url = safe_url(row.url)
        if url:
            st.link_button("Open on GitHub", url, icon=":material/open_in_new:", key=f"open_{row.id}")


def _activity(frame: Frame, tr: TrackRecord) -> None:
    """How the work grew, and what it was made of."""
    st.subheader("Activity over time", anchor=False)
    # Pictures drawn on the server, not live charts: a live chart makes the browser load, compile and run
    # the Vega library (a megabyte, half a second of every visit), the Overview's heaviest part by far.
    track_picture(frame, "activity", "Contributions per month, stacked by kind of work")
    # Lazy tabs: only the chosen tab's chart is drawn.
    by_kind, by_language = st.tabs(
        ["Merged work in others' projects, by kind", "Languages of the changed files"],
        key="overview_work_tabs",
        on_change="rerun",
    )
    if by_kind.open:
        with by_kind:
            counts = charts.category_counts(tr.metrics)
            if counts["prs"].sum() > 0:
                track_picture(frame, "split", "Merged pull requests in others' projects, by kind")
            else:
                st.caption("No merged pull requests in others' projects in this window.")
    if by_language.open:
        with by_language:
            if not tr.languages.empty and tr.languages["lines"].sum() > 0:
                track_picture(frame, "languages", "Share of changed lines per language")
            else:
                st.caption("No changed files were seen (issues only, or collected without file lists).")
