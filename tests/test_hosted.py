"""Hosted mode, run with AppTest: configured logins only, read-only, and not one request to GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.demo import DEMO_LOGIN, demo_dataset
from portfolio.collect import collect
from portfolio.export import dumps, record_json
from portfolio.snapshot import SNAPSHOT_FORMAT
from portfolio.store import Store

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
CANARY = "ghp_CANARYhosted0123456789abcdefghijklmnop"
SITE = f"""\
[site]
logins = ["{DEMO_LOGIN}"]
headline = "Docs first, then code."

[site.contact]
Email = "mailto:someone@example.org"

[[curation.self_reported]]
date = 2024-03-01
title = "A talk about documentation"
url = "https://example.org/talk"
kind = "talk"
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> str:
    """data/LOGIN.json of the demo contributor, collected through the fake GitHub and exported as the CLI does."""
    store = tmp_path_factory.mktemp("hosted") / "collect.sqlite"
    with Store(store) as opened, FakeGitHub(demo_dataset()) as hub:
        collect(DEMO_LOGIN, opened, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True)
        return dumps(
            record_json(opened.load_record(DEMO_LOGIN), opened.last_sync(DEMO_LOGIN), SNAPSHOT_FORMAT)
        )


@pytest.fixture
def deployment(tmp_path, monkeypatch, exported):
    """A deployment (portfolio.toml + data/LOGIN.json), hosted mode on, a canary token and a watched fake
    GitHub; PORTFOLIO_DB points at an empty file that hosted mode must not use."""
    import streamlit as st

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / f"{DEMO_LOGIN}.json").write_text(exported, encoding="utf-8")
    (tmp_path / "portfolio.toml").write_text(SITE, encoding="utf-8")
    with FakeGitHub(demo_dataset()) as hub:
        monkeypatch.setenv("PORTFOLIO_HOSTED", "1")
        monkeypatch.setenv("PORTFOLIO_SITE_DIR", str(tmp_path))
        monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "unused.sqlite"))
        monkeypatch.setenv("PORTFOLIO_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("PORTFOLIO_API_URL", hub.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", CANARY)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield tmp_path, hub
    st.cache_data.clear()
    st.cache_resource.clear()


def run(**query: str) -> AppTest:
    """The app once with ``query`` as its query string."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def text_of(at: AppTest) -> str:
    """Every markdown, caption, alert and header on the page."""
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.header, *at.title, *at.text]
    return "\n".join(str(p.value) for p in parts)


def test_hosted_overview_shows_the_published_record_and_its_curation(deployment):
    """The configured login's Overview: its figures, headline, contact and self-reported work, labelled."""
    at = run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Accepted PRs"] == "151"
    page = text_of(at)
    assert "Docs first, then code." in page
    assert "Contact: Email: someone" in page
    assert "A talk about documentation" in page and "self-reported" in page
    assert "Refresh" not in {p.proto.label for p in at.get("page_link")}
    assert {b.proto.label for b in at.get("download_button")} >= {
        "Card for a profile README (SVG)", "Résumé section (Markdown)", "Whole record (JSON)"
    }  # fmt: skip


def test_a_one_person_deployment_has_no_contributor_list(deployment):
    """With one login there is nothing to choose: no selectbox, whose code a first visit would load."""
    at = run()
    assert not at.exception
    assert not at.selectbox


def test_journey_lists_self_reported_work_apart(deployment):
    """The Journey shows the self-reported talk, marked as self-reported."""
    at = run(page="journey")
    assert not at.exception
    assert "A talk about documentation" in text_of(at)
    assert "self-reported" in text_of(at)


@pytest.mark.parametrize(
    "query",
    [{"page": "refresh"}, {"user": "someone-else"}, {"user": "someone-else", "page": "refresh"},
     {"user": "torvalds", "page": "compare"}],
)  # fmt: skip
def test_visitors_cannot_reach_github(deployment, query):
    """No Refresh page even by link, other logins get a clear page, and the fake GitHub sees zero requests."""
    _, hub = deployment
    at = run(**query)
    assert not at.exception
    assert not at.get("text_input")
    if "user" in query:
        assert at.title[0].value == "Not on this deployment"
        assert "someone-else" in text_of(at) or "torvalds" in text_of(at)
        assert not at.metric
    else:
        assert at.metric
    assert hub.requests == []
    assert CANARY not in text_of(at)


def test_community_cloud_secret_turns_hosted_mode_on(deployment, monkeypatch):
    """On Streamlit Community Cloud, ``hosted = true`` in the app's secrets is hosted mode: no Refresh, no request."""
    _, hub = deployment
    monkeypatch.delenv("PORTFOLIO_HOSTED")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["hosted"] = True
    at.query_params["page"] = "refresh"
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Accepted PRs"] == "151"
    assert "Refresh" not in {p.proto.label for p in at.get("page_link")}
    assert not at.get("text_input")
    assert hub.requests == []


def test_missing_settings_are_explained(deployment):
    """Hosted mode with no portfolio.toml says which file is missing, not a traceback."""
    root, _ = deployment
    (root / "portfolio.toml").unlink()
    at = run()
    assert not at.exception
    assert "no portfolio.toml" in at.error[0].value


def test_missing_data_is_explained(deployment):
    """A configured login without data/LOGIN.json is named on the page with the command that exports it."""
    root, _ = deployment
    (root / "portfolio.toml").write_text(SITE.replace(DEMO_LOGIN, "octo-cat"), encoding="utf-8")
    at = run()
    assert not at.exception
    assert "python -m portfolio export octo-cat --out data/octo-cat.json" in at.error[0].value.replace(
        "\\", ""
    )


def test_a_damaged_data_file_is_one_sentence_and_the_others_still_show(deployment):
    """One unreadable data file is a warning naming it; the other configured login is still shown."""
    root, _ = deployment
    (root / "portfolio.toml").write_text(
        SITE.replace(f'logins = ["{DEMO_LOGIN}"]', f'logins = ["{DEMO_LOGIN}", "octo-cat"]'), encoding="utf-8"
    )
    (root / "data" / "octo-cat.json").write_text("{ not json", encoding="utf-8")
    at = run()
    assert not at.exception
    warning = at.warning[0].value
    assert "data/octo-cat.json is not a portfolio export" in warning and str(root) not in warning
    assert {m.label: m.value for m in at.metric}["Accepted PRs"] == "151"


def test_hosted_mode_never_reads_the_local_store(deployment):
    """The published store is built in the cache directory; PORTFOLIO_DB is never created."""
    root, _ = deployment
    assert not run().exception
    assert not (root / "unused.sqlite").exists()
    assert list((root / "cache").glob("published-*.sqlite"))
