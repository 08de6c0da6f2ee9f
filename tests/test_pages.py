"""Every page in every state, run for real with AppTest over a store the real collector filled."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import LARGE_LOGIN
from fakehub.hostile import (
    EMPTY_LOGIN,
    HOSTILE_LABEL,
    HOSTILE_LOGIN,
    HOSTILE_QUESTION,
    HOSTILE_TITLES,
    ISSUES_LOGIN,
    SCRIPT_TITLE,
    hostile_dataset,
)
from portfolio.app.widgets import MISSING_CELL
from portfolio.collect import collect
from portfolio.demo import DEMO_LOGIN, load_demo
from portfolio.export import contributions_csv
from portfolio.labels import metric_name
from portfolio.record import hacktoberfest_rule, track_record
from portfolio.reports import REPRODUCIBLE_RULE
from portfolio.store import Store
from portfolio.views.contributions import SHOWN_COLUMNS, filter_contributions, shown_table

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
PAGES = ["overview", "contributions", "projects", "journey", "methodology", "compare", "refresh"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, large_data) -> str:
    """One store: the shipped demo, a 10k-contribution login, and the hostile world's three accounts."""
    path = str(tmp_path_factory.mktemp("pages") / "pages.sqlite")
    with Store(path) as store:
        load_demo(store)
        hostile = [HOSTILE_LOGIN, EMPTY_LOGIN, ISSUES_LOGIN]
        for dataset, logins in ((large_data, [LARGE_LOGIN]), (hostile_dataset(), hostile)):
            with FakeGitHub(dataset) as hub:
                for login in logins:
                    collect(login, store, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True)
    return path


@pytest.fixture(scope="module")
def records(store_path):
    """The stored records, read back the way the app reads them."""
    with Store(store_path) as store:
        return {
            login: store.load_record(login)
            for login in (DEMO_LOGIN, LARGE_LOGIN, HOSTILE_LOGIN, EMPTY_LOGIN, ISSUES_LOGIN)
        }


@pytest.fixture
def app(store_path, monkeypatch):
    """A factory of app runs over the shared store with the given query string (the demo login by default)."""
    import streamlit as st

    monkeypatch.setenv("PORTFOLIO_DB", store_path)
    monkeypatch.delenv("PORTFOLIO_HOSTED", raising=False)
    st.cache_data.clear()

    def run(**query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        for name, value in {"user": DEMO_LOGIN, **query}.items():
            at.query_params[name] = value
        return at.run()

    return run


def share_link(at: AppTest) -> str:
    """The address the sidebar's share link points at."""
    shown = next(m.value for m in at.sidebar.markdown if "user=" in m.value)
    return re.search(r"\]\((http[^)]+)\)", shown).group(1)


def metrics(at: AppTest) -> dict[str, str]:
    """Metric label -> shown value."""
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Everything the page says in markdown, text, captions and alerts, joined."""
    parts = [
        e.value for kind in ("markdown", "text", "caption", "info", "warning", "error") for e in at.get(kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("login", [DEMO_LOGIN, HOSTILE_LOGIN, EMPTY_LOGIN, ISSUES_LOGIN])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_every_state(app, page, login):
    """Each page runs without an exception or error for the demo, hostile text, an empty and an issues-only login."""
    at = app(user=login, page=page)
    assert not at.exception
    assert not at.error
    assert at.title or at.header


def test_overview_headline_is_the_demo_track_record(app, records):
    """The Overview's numbers are the track record of the stored demo record."""
    tr = track_record(records[DEMO_LOGIN])
    at = app()
    shown = metrics(at)
    assert shown["Accepted PRs"] == f"{tr.metrics['merged_external_prs']:,}"
    assert shown["Projects merged into"] == f"{tr.metrics['external_projects']:,}"
    assert shown["Docs PRs merged"] == f"{tr.metrics['docs_prs']:,}"
    assert shown["Reviews given"] == f"{tr.metrics['reviews_given']:,}"
    assert shown["Points for work accepted by others"] == f"{tr.score.external:,.0f}"
    assert shown["For reference: GitHub stats card grade"] == tr.rank.level
    buttons = {b.proto.url for b in at.get("link_button")}
    assert set(tr.highlights["url"].head(6)) == buttons
    assert any("merged into" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("label", "metric"),
    [
        ("See these PRs", "merged_external_prs"),
        ("See the reviews", "reviews_given"),
        ("See the fixed issues", "issues_fixed"),
    ],
)
def test_evidence_link_opens_exactly_the_rows_behind_the_number(app, records, label, metric):
    """Following a metric's link shows a table with as many rows as the metric counts."""
    expected = track_record(records[DEMO_LOGIN]).metrics[metric]
    overview = app()
    link = next(p for p in overview.get("page_link") if p.proto.label == label)
    query = dict(parse_qsl(link.proto.query_string))
    assert query["page"] == "contributions"
    at = app(**query)
    assert not at.exception
    assert len(at.dataframe[0].value) == expected


def test_contributions_table_and_downloads_are_what_is_shown(app, records):
    """The table lists every contribution; the export of a filter has exactly the filtered rows."""
    tr = track_record(records[DEMO_LOGIN])
    at = app(page="contributions")
    assert len(at.dataframe[0].value) == len(tr.contributions)
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download JSON"]
    shown = filter_contributions(tr.contributions, {"kind": ["pr"], "category": ["docs"]}, "", "Most points")
    assert list(shown_table(shown).columns) == SHOWN_COLUMNS
    assert shown["points"].is_monotonic_decreasing
    exported = pd.read_csv(io.StringIO(contributions_csv(shown)))
    assert (
        len(exported) == ((tr.contributions["kind"] == "pr") & (tr.contributions["category"] == "docs")).sum()
    )
    assert list(exported["url"]) == list(shown["url"])


def test_with_tests_link_shows_the_merged_code_prs_that_came_with_tests(app, records):
    """The Overview's "code PRs with tests" filter lists exactly the PRs its metric counts, lines beside."""
    tr = track_record(records[DEMO_LOGIN])
    at = app(
        page="contributions",
        kind="pr",
        outcome="merged",
        track="external",
        category="code",
        with_tests="True",
    )
    assert not at.exception
    shown = at.dataframe[0].value
    assert 0 < len(shown) == tr.metrics["code_prs_with_tests"]
    assert shown["with_tests"].all() and (shown["lines_code"] > 0).all() and (shown["lines_tests"] > 0).all()


def test_label_filter_keeps_rows_carrying_any_chosen_label(app, records):
    """A link's labels filter shows exactly the contributions that carry one of those labels."""
    tr = track_record(records[DEMO_LOGIN])
    at = app(page="contributions", labels="documentation,hacktoberfest-accepted")
    wanted = {"documentation", "hacktoberfest-accepted"}
    expected = tr.contributions["labels"].map(lambda labels: bool(wanted & set(labels or ()))).sum()
    assert 0 < expected < len(tr.contributions)
    assert len(at.dataframe[0].value) == expected
    assert at.multiselect(key="filter_labels").value == ["documentation", "hacktoberfest-accepted"]


def test_contribution_filters_come_from_the_link(app, records):
    """A link's kind, repository and title filters select those rows and stay in the query string."""
    tr = track_record(records[DEMO_LOGIN])
    at = app(page="contributions", kind="issue", repo="lumen-ui/lumen", q="timeout")
    c = tr.contributions
    expected = (
        (c["kind"] == "issue")
        & (c["repo"] == "lumen-ui/lumen")
        & c["title"].str.contains("timeout", case=False)
    )
    assert len(at.dataframe[0].value) == expected.sum()
    assert at.multiselect(key="filter_kind").value == ["issue"]


def test_window_in_the_link_restricts_every_number(app, records):
    """?from=&to= shows the track record of that window and says so."""
    tr = track_record(records[DEMO_LOGIN], since=date(2024, 1, 1), until=date(2024, 12, 31))
    at = app(**{"from": "2024-01-01", "to": "2024-12-31"})
    assert metrics(at)["Accepted PRs"] == f"{tr.metrics['merged_external_prs']:,}"
    assert "window 2024-01-01 → 2024-12-31" in texts(at)
    assert at.date_input(key="window_from").value == date(2024, 1, 1)


def test_window_fields_are_folded_until_asked_for(app):
    """Without a window in the link the date fields are not drawn (their code is a first visit's heaviest),
    the folded section says the whole record is shown, and unfolding it draws them, empty."""
    at = app()
    assert not at.date_input
    assert [e.label for e in at.sidebar.expander] == ["Window: whole record"]
    at.session_state["window_fields"] = True
    at = at.run()
    assert [d.value for d in at.date_input] == [None, None]


def test_window_in_the_link_is_named_by_its_dates_never_by_its_text(app):
    """The folded section's label is built from the parsed dates: the link's text is never shown as Markdown."""
    at = app(**{"from": "2024-01-01", "to": "**x**"})
    assert [e.label for e in at.sidebar.expander] == ["Window: 2024-01-01 → …"]


def test_login_picker_only_when_there_is_another_login(app):
    """The contributor list is drawn when the store holds other logins to choose from."""
    at = app()
    assert at.sidebar.selectbox[0].options[0] == DEMO_LOGIN
    assert len(at.sidebar.selectbox[0].options) > 1


def test_bad_dates_in_the_link_are_ignored_with_a_note(app):
    """A malformed date in the link is named in a warning and the whole record is shown."""
    at = app(**{"from": "last-year"})
    assert not at.exception
    assert any("'last-year'" in w.value for w in at.warning)


def test_share_link_carries_page_login_and_window(app):
    """The sidebar's share link names the current page, login and window."""
    at = app(page="projects", **{"from": "2023-01-01"})
    link = share_link(at)
    query = dict(parse_qsl(link.split("?", 1)[1]))
    assert query == {"user": DEMO_LOGIN, "from": "2023-01-01", "page": "projects"}


def test_projects_split_others_and_own(app, records):
    """Projects lists others' repositories and own ones in separate tables."""
    projects = track_record(records[DEMO_LOGIN]).projects
    at = app(page="projects")
    others, own = at.dataframe[0].value, at.dataframe[1].value
    assert len(others) == (~projects["own_repo"]).sum()
    assert len(own) == projects["own_repo"].sum()
    assert set(own["role"]) == {"owner"}


def test_journey_lists_every_milestone_with_its_link(app, records):
    """Each milestone appears with a button opening its contribution; Hacktoberfest is marked as an event."""
    milestones = track_record(records[DEMO_LOGIN]).milestones
    at = app(page="journey")
    assert sorted(b.proto.url for b in at.get("link_button")) == sorted(milestones["url"])
    assert "event" in texts(at)


def test_methodology_shows_the_contributors_breakdown(app, records):
    """Methodology shows the score totals and one breakdown row per contribution."""
    tr = track_record(records[DEMO_LOGIN])
    at = app(page="methodology")
    assert metrics(at)["Total"] == f"{tr.score.total:,.1f}"
    assert max(len(d.value) for d in at.dataframe) == len(tr.contributions)
    assert tr.limits[0] in texts(at)


def test_methodology_states_the_rules_in_force(app, records):
    """Methodology states the Hacktoberfest rule the Journey applies and the highlight rules of the weights in force."""
    tr = track_record(records[DEMO_LOGIN])
    said = texts(app(page="methodology"))
    assert hacktoberfest_rule() in said
    assert "4 in 2019–2024; 6 from 2025" in said
    assert "a merge into a project with 1k+ or 10k+ stars" in said
    assert all(f"• {rule}" in said for rule in tr.highlight_rules)
    assert f"more than {tr.weights.size_max_lines[-1]:,} changed lines" in said


def test_answers_help_and_reports_are_on_the_pages_that_list_them(app, records):
    """Accepted answers are a kind on Contributions and Projects, help given and well-made reports are on the
    Overview, and Methodology explains both and says comment counts are the easiest number to farm."""
    tr = track_record(records[DEMO_LOGIN])
    kinds = app(page="contributions").multiselect(key="filter_kind")
    assert {"Accepted answers", "Discussions started"} <= set(kinds.options)
    projects = app(page="projects")
    shown = pd.concat([projects.dataframe[0].value, projects.dataframe[1].value])
    assert shown["answers"].sum() == (tr.contributions["kind"] == "answer").sum() > 0
    assert len(projects.dataframe) == 3 and not tr.help_given.empty  # others', own, then help given
    overview = metrics(app())
    assert overview["Well-made reports that were fixed"] == f"{tr.metrics['well_made_fixed_share']:.0%}"
    assert overview["Help given (comments)"] == f"{int(tr.help_given['comments'].sum()):,}"
    methodology = texts(app(page="methodology"))
    assert REPRODUCIBLE_RULE in methodology and "the easiest number to farm" in methodology
    assert "accepted answer" in methodology


def test_compare_puts_logins_side_by_side(app, records):
    """Compare shows one column per chosen login with its merged external PRs."""
    at = app(page="compare", **{"with": f"{DEMO_LOGIN},{ISSUES_LOGIN}"})
    table = at.dataframe[0].value
    assert list(table.columns) == ["metric", DEMO_LOGIN, ISSUES_LOGIN]
    merged = table.set_index("metric").loc[metric_name("merged_external_prs")]
    assert merged[DEMO_LOGIN] == f"{track_record(records[DEMO_LOGIN]).metrics['merged_external_prs']:,}"
    assert merged[ISSUES_LOGIN] == "0"
    maintainer = table.set_index("metric").loc[metric_name("score_maintainer")]
    assert maintainer[ISSUES_LOGIN] == "0", "zero points are points, not a percentage"
    assert table.set_index("metric").loc[metric_name("merge_rate")][DEMO_LOGIN].endswith("%")


def test_large_record_renders_its_numbers(app, records):
    """A 10k-contribution login's Overview shows its numbers and its table holds every row."""
    tr = track_record(records[LARGE_LOGIN])
    assert len(tr.contributions) >= 10_000
    at = app(user=LARGE_LOGIN)
    assert not at.exception
    assert metrics(at)["Accepted PRs"] == f"{tr.metrics['merged_external_prs']:,}"
    table = app(user=LARGE_LOGIN, page="contributions")
    assert len(table.dataframe[0].value) == len(tr.contributions)


def test_overview_links_to_the_help_given_instead_of_sending_its_table(app):
    """The Overview sends no table, whose rows would be a first visit's largest message; a link opens Projects'."""
    at = app(user=LARGE_LOGIN)
    assert not at.dataframe
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    assert links["Help given per repository and month"].endswith("projects")
    projects = app(user=LARGE_LOGIN, page="projects")
    assert any(len(table.value) > 100 for table in projects.dataframe)


def pictures(at: AppTest) -> list[str]:
    """The alt text of each chart picture the page drew, in order (one per chart: its two widths agree)."""
    alts = [re.findall(r'<img class="wide" alt="([^"]*)"', h.proto.body) for h in at.get("html")]
    return [html.unescape(alt) for found in alts for alt in found]


def test_overview_draws_only_the_charts_chosen_as_pictures(app):
    """The Overview draws the activity and the first tab's chart as pictures, never a live Vega chart; another
    tab's, or the points', once chosen."""
    at = app()
    assert not at.get("vega_lite_chart")
    assert pictures(at) == [
        "Contributions per month, stacked by kind of work",
        "Merged pull requests in others' projects, by kind",
    ]
    at.session_state["overview_work_tabs"] = "Languages of the changed files"
    at.session_state["overview_points_chart"] = True
    assert pictures(at.run()) == [
        "Contributions per month, stacked by kind of work",
        "Share of changed lines per language",
        "Points per track, stacked by what earned them",
    ]


def test_chart_pictures_are_svg_of_the_cached_spec_in_two_widths(app):
    """Each picture is the chart's cached spec drawn at a laptop's and a phone's width, as an image."""
    at = app()
    body = next(h.proto.body for h in at.get("html") if "chart-picture" in h.proto.body)
    sources = dict(
        re.findall(r'<img class="(wide|narrow)" alt="[^"]*" src="data:image/svg\+xml,([^"]+)"', body)
    )
    svgs = {size: unquote(data) for size, data in sources.items()}
    assert svgs["wide"].startswith("<svg") and 'width="860"' in svgs["wide"]
    assert 'width="360"' in svgs["narrow"]
    assert "Per month" in svgs["narrow"] and "Code PRs" in svgs["narrow"]


def test_charts_are_built_once_per_track_record(app, monkeypatch):
    """A rerun and a second visitor get the first visit's charts; only a new window builds its charts again."""
    import altair as alt
    import streamlit as st

    st.cache_resource.clear()
    built: list[str] = []
    to_dict = alt.TopLevelMixin.to_dict

    def counting_to_dict(chart, *args, **kwargs):
        built.append(type(chart).__name__)
        return to_dict(chart, *args, **kwargs)

    monkeypatch.setattr(alt.TopLevelMixin, "to_dict", counting_to_dict)
    first = app()
    assert built
    assert len(pictures(first)) == 2
    built.clear()
    again, second = first.run(), app()
    assert not built
    assert [h.proto.body for h in again.get("html")] == [h.proto.body for h in second.get("html")]
    app(**{"from": "2023-01-01"})
    assert built


def test_empty_account_says_there_is_nothing_public(app):
    """An account with no public contributions gets a sentence, not empty charts."""
    at = app(user=EMPTY_LOGIN)
    assert "No public pull requests, issues or reviews" in at.info[0].value
    assert not at.get("vega_lite_chart")
    assert not pictures(at)


def test_issues_only_login_and_hostile_text_stay_text(app):
    """An issues-only login renders; its hostile title and profile are cells and escaped text, never HTML."""
    at = app(user=ISSUES_LOGIN)
    assert metrics(at)["Issues fixed / reported"] == "4 / 7"
    assert all("<script>" not in m.value and "<b>" not in m.value for m in at.markdown)
    assert not any(m.proto.allow_html for m in at.markdown)
    assert at.header[0].value.startswith(r"\<b\>issue")
    assert not at.get("imgs")
    table = app(user=ISSUES_LOGIN, page="contributions").dataframe[0].value
    assert SCRIPT_TITLE in set(table["title"])


@pytest.mark.parametrize("page", PAGES)
def test_hostile_titles_labels_and_profile_stay_text_on_every_page(app, page):
    """Script tags, javascript: URLs and direction tricks in titles, labels and the profile never become HTML or links."""
    at = app(user=HOSTILE_LOGIN, page=page)
    assert not at.exception
    assert not any(m.proto.allow_html for m in at.markdown)
    assert all("<script>" not in m.value and "<img" not in m.value for m in at.markdown)
    assert not at.get("imgs")
    urls = [b.proto.url for b in at.get("link_button")] + [p.proto.page for p in at.get("page_link")]
    assert not any(url.lower().startswith("javascript:") for url in urls)


def test_hostile_contributions_are_shown_verbatim(app):
    """The Contributions table shows each hostile title and label exactly as GitHub sent it, as cell text."""
    at = app(user=HOSTILE_LOGIN, page="contributions")
    table = at.dataframe[0].value
    assert set(HOSTILE_TITLES) | {HOSTILE_QUESTION} <= set(table["title"])
    assert any(HOSTILE_LABEL in labels for labels in table["labels"])
    assert HOSTILE_LABEL in at.multiselect(key="filter_labels").options


def test_refresh_collects_with_progress(app, monkeypatch, demo_data):
    """Refresh collects a login from the configured API and says how many requests it took."""
    with FakeGitHub(demo_data) as hub:
        monkeypatch.setenv("PORTFOLIO_API_URL", hub.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
        at = app(page="refresh")
        at.text_input(key="collect_login").input(DEMO_LOGIN)
        at.button[0].click().run()
    assert not at.exception
    assert at.success and f"{DEMO_LOGIN} is collected" in at.success[0].value


@pytest.mark.parametrize(
    ("login", "sentence"),
    [("no-such-person", "no-such-person"), ("x y", "not a GitHub login")],
)
def test_refresh_errors_are_one_sentence(app, monkeypatch, demo_data, login, sentence):
    """A failed collection shows the error's sentence and no traceback."""
    with FakeGitHub(demo_data) as hub:
        monkeypatch.setenv("PORTFOLIO_API_URL", hub.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
        at = app(page="refresh")
        at.text_input(key="collect_login").input(login)
        at.button[0].click().run()
    assert not at.exception
    assert sentence in at.error[0].value
    assert "Traceback" not in at.error[0].value


# -- charts: aggregated inputs, one palette ----------------------------------------------------------------


def test_monthly_activity_aggregates_every_contribution(records):
    """The activity chart's data has one row per month and group and sums to the contributions."""
    from portfolio import charts

    tr = track_record(records[DEMO_LOGIN])
    monthly = charts.monthly_activity(tr.activity)
    assert monthly["contributions"].sum() == len(tr.contributions)
    assert not monthly.duplicated(["month", "group"]).any()
    assert len(monthly) < len(tr.contributions)


@pytest.mark.parametrize("login", [DEMO_LOGIN, HOSTILE_LOGIN, EMPTY_LOGIN, ISSUES_LOGIN])
def test_every_chart_builds_and_uses_the_shared_colours(records, login):
    """Each chart compiles for each state, and a group has the same colour in every chart that shows it."""
    from portfolio import charts

    tr = track_record(records[login])
    built = [
        charts.activity_chart(tr.activity),
        charts.split_chart(charts.category_counts(tr.metrics)),
        charts.languages_chart(tr.languages),
        charts.score_chart(tr.score.by_kind, tr.score.by_category),
        charts.reach_chart(tr.projects),
        charts.journey_chart(tr.milestones),
    ]
    specs = [chart.to_dict() for chart in built]
    for spec in specs:
        text = str(spec)
        for group, colour in charts.GROUP_COLOURS.items():
            if f"'{charts.GROUP_NAMES[group]}'" in text and "'range'" in text:
                assert colour in text


@pytest.mark.parametrize("page", ["contributions", "projects", "methodology", "compare"])
def test_tables_show_a_dash_for_a_missing_value(app, page):
    """Every table marks a missing value (an issue's changed lines, an unknown star count) with a dash, not "None"."""
    at = app(page=page)
    assert at.dataframe
    assert {table.proto.placeholder for table in at.dataframe} == {MISSING_CELL}
