"""A hosted deployment in headless Chromium: the contributor's own words in portfolio.toml render inert.

The headline, contact labels and self-reported items come from a settings file anyone can fork and edit, so
they are as untrusted as GitHub's titles: each field below carries a script tag, an ``onerror`` image, a
``javascript:`` link in Markdown or an HTML link, and the pages must show them as text and run nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from fakehub.hostile import IMAGE_TAG, SCRIPT_TITLE
from portfolio.demo import DEMO_LOGIN, DEMO_SNAPSHOT
from tests.test_browser import (
    CHROMIUM,
    SCREENSHOTS,
    SIZES,
    assert_no_error,
    browser,  # noqa: F401  (the module's Chromium fixture)
    open_view,
    save_screenshot,
    streamlit_server,
)

HOSTILE_HEADLINE = f"{SCRIPT_TITLE} {IMAGE_TAG}"
HOSTILE_CONTACT = "<a href='javascript:alert(3)'>Mastodon</a>"
HOSTILE_TALK = f"Talk: {IMAGE_TAG} [slides](javascript:alert(4))"
SITE = f"""\
[site]
logins = ["{DEMO_LOGIN}"]
headline = '''{HOSTILE_HEADLINE}'''

[site.contact]
"{IMAGE_TAG}" = "mailto:someone@example.org"
"{HOSTILE_CONTACT}" = "https://example.org/@someone"

[[curation.self_reported]]
date = 2024-03-01
title = '''{HOSTILE_TALK}'''
url = "https://example.org/talk"
kind = "talk"

[[curation.self_reported]]
date = 2024-06-01
title = '''{SCRIPT_TITLE}'''
url = "https://example.org/article"
kind = "article"
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it; see the README)"),
]


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> Iterator[str]:
    """``streamlit run`` in hosted mode over a deployment whose portfolio.toml is hostile in every text field."""
    root = tmp_path_factory.mktemp("hosted-site")
    (root / "data").mkdir()
    (root / "data" / f"{DEMO_LOGIN}.json.gz").write_bytes(DEMO_SNAPSHOT.read_bytes())
    (root / "portfolio.toml").write_text(SITE, encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PORTFOLIO_DB", "GITHUB_TOKEN", "GH_TOKEN")},
        "PORTFOLIO_HOSTED": "1",
        "PORTFOLIO_SITE_DIR": str(root),
        "PORTFOLIO_CACHE_DIR": str(root / "cache"),
    }
    with streamlit_server(env) as base:
        yield base
    shutil.rmtree(root / "cache", ignore_errors=True)


@pytest.mark.parametrize(
    ("slug", "shown"),
    [
        ("overview", [HOSTILE_HEADLINE, IMAGE_TAG, HOSTILE_CONTACT, HOSTILE_TALK, SCRIPT_TITLE]),
        ("journey", [HOSTILE_TALK, SCRIPT_TITLE]),
    ],
)
@pytest.mark.parametrize("size", list(SIZES))
def test_hosted_settings_show_as_text_and_run_nothing(hosted, browser, slug, shown, size):  # noqa: F811
    """Headline, contact labels and self-reported titles from portfolio.toml show literally; nothing runs or links out."""
    page = open_view(browser, f"{hosted}/?user={DEMO_LOGIN}&page={slug}", SIZES[size])
    try:
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        for fragment in shown:
            assert fragment in text
        assert main.locator('img[src="x"]').count() == 0
        assert main.locator("script").count() == 0
        assert main.locator('a[href^="javascript:"]').count() == 0
        hrefs = main.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href') || '')")
        assert all(not href.lower().startswith("javascript") for href in hrefs)
        page.wait_for_timeout(500)
        assert page.dialogs == []
        assert_no_error(page)
        save_screenshot(page, SCREENSHOTS / f"hosted-hostile-{slug}-{size}.png")
    finally:
        page.context.close()
