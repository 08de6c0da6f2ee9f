"""The entrypoint's first start and bad links, run for real with Streamlit's AppTest over a private store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portfolio.demo import DEMO_LOGIN
from portfolio.record import track_record

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """A private store path for the app; caches cleared so each test starts cold."""
    import streamlit as st

    monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "app.sqlite"))
    st.cache_data.clear()
    st.cache_resource.clear()
    return tmp_path


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_first_start_loads_and_shows_the_demo(app_env, demo_data):
    """With nothing collected, the page loads the shipped demo snapshot and shows its headline counts."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    expected = track_record(demo_data.record_for(DEMO_LOGIN)).metrics
    metrics = _metrics(at)
    assert metrics["Accepted PRs"] == f"{expected['merged_external_prs']:,}"
    assert metrics["Reviews given"] == f"{expected['reviews_given']:,}"
    assert (
        metrics["Issues fixed / reported"]
        == f"{expected['issues_fixed']:,} / {expected['issues_reported']:,}"
    )
    assert any("fictional" in i.value for i in at.info)


def test_uncollected_login_gets_a_clear_message(app_env):
    """?user= naming a login that was never collected says how to collect it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["user"] = "someone-else"
    at.run()
    assert not at.exception
    assert "python -m portfolio collect someone-else" in at.warning[0].value


def test_invalid_login_in_link_is_rejected(app_env):
    """A query string that is not a login shows an error, never a traceback."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["user"] = "x type:issue"
    at.run()
    assert not at.exception
    assert "not a GitHub login" in at.error[0].value


@pytest.mark.parametrize(
    ("hosted", "says"),
    [
        ("", "Compare needs at least two collected contributors"),
        ("1", "This deployment shows one contributor"),
    ],
)
def test_compare_with_one_login_says_what_to_do(app_env, monkeypatch, hosted, says):
    """With only the demo collected, Compare explains what to do instead of stopping at a dead end."""
    monkeypatch.setenv("PORTFOLIO_HOSTED", hosted)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "compare"
    at.run()
    assert not at.exception
    assert says in at.info[0].value
    links = [p.proto.label for p in at.get("page_link")]
    assert ("Collect another contributor" in links) == (not hosted)
