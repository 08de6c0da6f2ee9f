"""The images' start command prepares before the port opens; what goes wrong is left for the page to say."""

from __future__ import annotations

import logging
from pathlib import Path

from portfolio.app import serve

ROOT = Path(__file__).resolve().parents[1]


def test_prepare_publishes_the_data_files_before_the_server_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_HOSTED", "1")
    monkeypatch.setenv("PORTFOLIO_SITE_DIR", str(ROOT))
    monkeypatch.setenv("PORTFOLIO_CACHE_DIR", str(tmp_path))
    serve.prepare()
    assert sorted(path.suffix for path in tmp_path.glob("published-*")) == [".problems", ".sqlite"]


def test_prepare_leaves_a_broken_settings_file_to_the_page(tmp_path, monkeypatch, caplog):
    (tmp_path / "portfolio.toml").write_text('logins = ["not a login!"]\n', encoding="utf-8")
    monkeypatch.setenv("PORTFOLIO_HOSTED", "1")
    monkeypatch.setenv("PORTFOLIO_SITE_DIR", str(tmp_path))
    monkeypatch.setenv("PORTFOLIO_CACHE_DIR", str(tmp_path / "cache"))
    with caplog.at_level(logging.WARNING, logger="portfolio.serve"):
        serve.prepare()
    assert "not published before the start" in caplog.text
    assert not (tmp_path / "cache").exists()


def test_prepare_publishes_nothing_for_a_local_app(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTFOLIO_HOSTED", raising=False)
    monkeypatch.setenv("PORTFOLIO_SITE_DIR", str(ROOT))
    monkeypatch.setenv("PORTFOLIO_CACHE_DIR", str(tmp_path))
    serve.prepare()
    assert not list(tmp_path.iterdir())


def test_streamlit_options_in_the_environment_reach_the_server_typed(monkeypatch):
    """The images set Streamlit's options as STREAMLIT_* variables, which only its command line reads alone;
    the sensitive ones are left for Streamlit, which reads them from the environment itself."""
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8600")
    monkeypatch.setenv("STREAMLIT_SERVER_HEADLESS", "true")
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "127.0.0.2")
    monkeypatch.setenv("STREAMLIT_SERVER_FOLDER_WATCH_LIST", "a b")
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "not-for-app-run")
    options = serve.environment_options()
    assert options["server.port"] == 8600
    assert options["server.headless"] is True
    assert options["server.address"] == "127.0.0.2"
    assert options["server.folderWatchList"] == ["a", "b"]
    assert "server.cookieSecret" not in options
