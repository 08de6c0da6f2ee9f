"""The dashboard in headless Chromium against a real ``streamlit run``: pages, share links, hostile text, looks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from fakehub import DEFAULT_TOKEN, FakeGitHub
from fakehub.hostile import HOSTILE_LOGIN, HOSTILE_QUESTION, ISSUES_LOGIN, hostile_dataset
from portfolio import charts
from portfolio.app.pages.contributions import COLUMN_CONFIG as CONTRIBUTIONS_CONFIG
from portfolio.app.pages.contributions import ROW_HEIGHT as CONTRIBUTIONS_ROW_HEIGHT
from portfolio.app.pages.overview import HIGHLIGHTS_SHOWN
from portfolio.app.pages.projects import PROJECT_CONFIG
from portfolio.collect import collect
from portfolio.demo import DEMO_LOGIN, load_demo
from portfolio.labels import filter_sentence
from portfolio.record import track_record
from portfolio.record.highlights import HIGHLIGHT_KINDS
from portfolio.store import Store
from portfolio.views.contributions import (
    DEFAULT_SORT,
    FILTERS,
    filter_contributions,
    shown_table,
    split_values,
)
from tests.test_pages import PAGES

ROOT = Path(__file__).resolve().parents[1]
# Screenshots are artifacts to look at, never committed: artifacts/ is git-ignored.
SCREENSHOTS = Path(os.environ.get("PORTFOLIO_SCREENSHOTS") or ROOT / "artifacts" / "screenshots")
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60
PAGE_TIMEOUT_MS = 45_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it; see the README)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str]) -> Iterator[str]:
    """``streamlit run`` of the app on a free port with ``env``; yields its base URL once it is healthy."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"streamlit did not start: {process.stderr.read().decode()[-2000:]}")
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``streamlit run`` on a free port over a store with the demo, the hostile contributor and an issues-only login."""
    path = tmp_path_factory.mktemp("browser") / "browser.sqlite"
    with Store(path) as store:
        load_demo(store)
        with FakeGitHub(hostile_dataset()) as hub:
            for login in (HOSTILE_LOGIN, ISSUES_LOGIN):
                collect(login, store, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True)
    with streamlit_server({**os.environ, "PORTFOLIO_DB": str(path), "PORTFOLIO_HOSTED": ""}) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_view(browser, url: str, size: tuple[int, int]):
    """A new page at ``url`` once the script has finished and charts are drawn; collects dialogs."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    settle(page)
    return page


def settle(page) -> None:
    """Wait until the app is connected, the script has stopped, a heading or alert shows and charts drew."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]',
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_selector(
        '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] [data-testid="stAlert"]',
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_timeout(300)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=PAGE_TIMEOUT_MS
    )
    if page.locator('[data-testid="stVegaLiteChart"]').count():
        page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    page.wait_for_timeout(500)


def save_screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to the content first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight), window.innerHeight)"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(700)
    page.screenshot(path=str(path), full_page=True)


def assert_no_error(page) -> None:
    """No exception box, and no traceback text anywhere."""
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("slug", PAGES)
def test_every_page_loads_and_is_screenshotted(server, browser, slug, size):
    """Each page loads at desktop and phone size with no error element; a screenshot is saved."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}&page={slug}", SIZES[size])
    try:
        assert_no_error(page)
        if slug != "overview":
            assert page.url.split("?")[0].rstrip("/").endswith(slug)
        save_screenshot(page, SCREENSHOTS / f"{slug}-{size}.png")
    finally:
        page.context.close()


def test_share_link_restores_the_same_view(server, browser):
    """The sidebar's share link, opened fresh, shows the same page, contributor, window and filter."""
    query = f"user={ISSUES_LOGIN}&from=2023-03-01&to=2023-12-31&page=contributions&outcome=fixed"
    page = open_view(browser, f"{server}/?{query}", SIZES["desktop"])
    try:
        link = page.locator(
            '[data-testid="stSidebar"] [data-testid="stMarkdown"] a[href*="user="]'
        ).get_attribute("href")
    finally:
        page.context.close()
    for part in (
        f"user={ISSUES_LOGIN}",
        "from=2023-03-01",
        "to=2023-12-31",
        "page=contributions",
        "outcome=fixed",
    ):
        assert part in link
    again = open_view(browser, link.replace("http://localhost:8501", server), SIZES["desktop"])
    try:
        assert again.url.split("?")[0].endswith("/contributions")
        assert again.get_by_role("heading", name="Contributions").count() == 1
        assert again.locator('[data-testid="stDateInput"] input').first.input_value() == "2023-03-01"
        assert "Fixed contributions" in again.inner_text('[data-testid="stMain"]')
        assert "window 2023-03-01 → 2023-12-31" in again.inner_text("body")
    finally:
        again.context.close()


def test_script_title_shows_as_text_and_runs_nothing(server, browser):
    """A ``<script>`` issue title and an HTML bio appear as literal text; no dialog opens, no element is made."""
    page = open_view(browser, f"{server}/?user={ISSUES_LOGIN}", SIZES["desktop"])
    try:
        body = page.inner_text('[data-testid="stMain"]')
        assert "<script>alert('owned')</script>" in body
        assert "<img src=x onerror=alert(1)>" in body
        assert page.locator('[data-testid="stMain"] img[src="x"]').count() == 0
        assert page.locator('[data-testid="stMain"] a[href^="javascript:"]').count() == 0
        page.wait_for_timeout(500)
        assert page.dialogs == []
        assert_no_error(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("slug", "shown"),
    [
        ("overview", "<img src=x onerror=alert(1)>"),
        ("journey", "<script>alert('owned')</script>"),
        ("journey", HOSTILE_QUESTION),  # the first accepted answer names the question it answered
        ("contributions", None),  # the table draws on a canvas; its cells are checked by the AppTest suite
    ],
)
def test_hostile_titles_and_labels_show_as_text_and_run_nothing(server, browser, slug, shown):
    """Hostile PR titles, labels and profile fields show literally on the pages that list them; nothing runs or links out."""
    page = open_view(browser, f"{server}/?user={HOSTILE_LOGIN}&page={slug}", SIZES["desktop"])
    try:
        main = page.locator('[data-testid="stMain"]')
        if shown is not None:
            assert shown in main.inner_text()
        assert main.locator('img[src="x"]').count() == 0
        assert main.locator("script").count() == 0
        assert main.locator('a[href^="javascript:"]').count() == 0
        page.wait_for_timeout(500)
        assert page.dialogs == []
        assert_no_error(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("issues-only", f"user={ISSUES_LOGIN}", "Issues fixed / reported"),
        ("uncollected", "user=nobody-collected-yet", "python -m portfolio collect nobody-collected-yet"),
        ("invalid-login", "user=x%20type:issue", "not a GitHub login"),
    ],
)
def test_states_render_with_a_clear_message(server, browser, name, query, expected):
    """An issues-only login, an uncollected one and a malformed one each show a sentence, not a traceback."""
    page = open_view(browser, f"{server}/?{query}", SIZES["desktop"])
    try:
        assert expected in page.inner_text('[data-testid="stMain"]')
        assert_no_error(page)
        save_screenshot(page, SCREENSHOTS / f"state-{name}-desktop.png")
    finally:
        page.context.close()


def test_phone_first_screen_shows_who_the_headline_and_four_figures(server, browser):
    """At 390x844 the first screen holds the name, the lead sentence and four figures; initials, one as-of line."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}", SIZES["phone"])
    try:
        assert_no_error(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "first-screen-phone.png"))
        main = page.locator('[data-testid="stMain"]')
        bottoms = {
            "name": main.locator("h2").first.bounding_box(),
            **{
                f"figure {n}": main.locator('[data-testid="stMetric"]').nth(n).bounding_box()
                for n in range(4)
            },
        }
        assert all(
            box is not None and box["y"] + box["height"] <= SIZES["phone"][1] for box in bottoms.values()
        )
        assert page.locator('[data-testid="portfolioAvatar"]').inner_text().strip() == "DC"
        assert main.locator("img:not(.chart-picture img)").count() == 0  # initials, no face: the charts aside
        assert page.inner_text("body").count("Data as of") == 1
    finally:
        page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_overview_charts_are_pictures_drawn_for_the_screen(server, browser, size):
    """The Overview loads no Vega code: its charts are pictures, the laptop's drawing on a laptop and the
    phone's on a phone, each as wide as it was drawn or narrower (never scaled up, never cut)."""
    context = browser.new_context(viewport={"width": SIZES[size][0], "height": SIZES[size][1]})
    page = context.new_page()
    scripts: list[str] = []
    page.on(
        "request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None
    )
    try:
        page.goto(f"{server}/?user={DEMO_LOGIN}", wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
        settle(page)
        assert_no_error(page)
        assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
        assert not [url for url in scripts if "/embed." in url or "VegaLite" in url]
        shown, hidden = ("wide", "narrow") if size == "desktop" else ("narrow", "wide")
        pictures = page.locator(f".chart-picture img.{shown}")
        assert pictures.count() == 2
        for n in range(2):
            picture = pictures.nth(n)
            picture.scroll_into_view_if_needed()
            box = picture.bounding_box()
            natural = picture.evaluate("image => image.naturalWidth")
            assert natural in (860, 360) and 0 < box["width"] <= natural
            assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size][0]
        assert not page.locator(f".chart-picture img.{hidden}").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("slug", "label", "check"),
    [
        ("overview", "Whole record (JSON)", lambda text: f'"login": "{DEMO_LOGIN}"' in text),
        ("overview", "Card for a profile README (SVG)", lambda text: text.lstrip().startswith("<svg")),
        ("overview", "Résumé section (Markdown)", lambda text: "merged" in text),
        ("contributions", "Download CSV", lambda text: text.startswith("date,kind,category,with_tests,")),
    ],
)
def test_downloads_are_made_when_clicked(server, browser, slug, label, check):
    """Each download is built on click (no file travels with the page) and holds what its label says."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}&page={slug}", SIZES["desktop"])
    try:
        button = page.get_by_role("button", name=label)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as caught:
            button.click()
        text = Path(caught.value.path()).read_text(encoding="utf-8")
        assert check(text)
        assert_no_error(page)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def demo_record(tmp_path_factory):
    """The demo contributor's whole track record, as the server computes it."""
    with Store(tmp_path_factory.mktemp("demo") / "demo.sqlite") as store:
        load_demo(store)
        return track_record(store.load_record(DEMO_LOGIN))


def test_every_evidence_link_opens_the_rows_it_counts(server, browser, demo_record):
    """Each "See these …" link under an Overview figure opens Contributions saying what it shows and how many of all."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}", SIZES["desktop"])
    try:
        links = page.locator('[data-testid="stMain"] a[href*="page=contributions&"]')
        hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    finally:
        page.context.close()
    assert len(hrefs) == 6  # accepted, docs, reviews, fixed issues, merge rate and with-tests evidence
    everything = demo_record.contributions
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        chosen = {name: split_values(query.get(name, [""])[0]) for name in FILTERS}
        shown = filter_contributions(everything, chosen, "", DEFAULT_SORT)
        expected = f"{filter_sentence(chosen)} · {len(shown):,} of {len(everything):,}"
        view = open_view(browser, f"{server}/{href}", SIZES["phone"])
        try:
            assert expected in view.inner_text('[data-testid="stMain"]'), href
            assert_no_error(view)
        finally:
            view.context.close()


def test_highlights_hold_every_kind_of_work_present(server, browser, demo_record):
    """The Overview's "Open these first" cards hold one of each kind of work the record has, with their reasons."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}", SIZES["phone"])
    try:
        main = page.locator('[data-testid="stMain"]')
        buttons = main.locator('[data-testid="stLinkButton"] a')
        # On a busy machine the last cards can arrive after the script has finished: wait for all six.
        buttons.nth(HIGHLIGHTS_SHOWN - 1).wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
        opened = [buttons.nth(n).get_attribute("href") for n in range(buttons.count())]
        text = main.inner_text()
    finally:
        page.context.close()
    highlights = demo_record.highlights
    work = highlights["category"].where(highlights["kind"] == "pr", highlights["kind"])
    shown = highlights[highlights["url"].isin(opened)]
    assert set(work[shown.index]) == set(work) & set(HIGHLIGHT_KINDS) == set(HIGHLIGHT_KINDS)
    assert all(reason in text for reason in shown["reason"])


def test_no_milestone_repeats_a_contribution(server, browser, demo_record):
    """Each Journey entry opens a different contribution, and there is one entry per milestone row."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}&page=journey", SIZES["phone"])
    try:
        buttons = page.locator('[data-testid="stMain"] [data-testid="stLinkButton"] a')
        buttons.nth(len(demo_record.milestones) - 1).wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
        opened = [buttons.nth(n).get_attribute("href") for n in range(buttons.count())]
        assert_no_error(page)
    finally:
        page.context.close()
    assert len(opened) == len(set(opened)) == len(demo_record.milestones)


GRID_FONT_SIZE = "14px"  # Streamlit's table draws its cells in the page's body font at 0.875rem
CELL_PADDING = 8  # pixels left and right of a table cell's text
CELL_VERTICAL_PADDING = 4  # pixels above and below it
LINE_HEIGHT = 18  # pixels per wrapped line of 14-pixel text (three fill a 66-pixel row)

MEASURE = """([size, texts]) => {
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${size} ${getComputedStyle(document.querySelector('[data-testid=stDataFrame]')).fontFamily}`;
    return texts.map(text => text.split(/\\s+/).map(word => context.measureText(word).width));
}"""
"""Each word's width in the table's font, measured by the browser that draws the table."""


def _lines(words: list[float], width: float, space: float = 4.0) -> int:
    """How many lines words of these widths take when wrapped at spaces into ``width`` (a longer word: cut)."""
    lines, used = 1, 0.0
    for word in words:
        if word > width:
            return 999
        if used and used + space + word > width:
            lines, used = lines + 1, 0.0
        used += (space if used else 0.0) + word
    return lines


@pytest.mark.parametrize(
    ("slug", "columns", "checked", "row_height"),
    [
        ("contributions", ["title", "outcome", "url"], ["title", "outcome", "url"], CONTRIBUTIONS_ROW_HEIGHT),
        ("projects", ["repo", "stars"], ["stars"], 35),  # Streamlit's default row height
    ],
)
def test_no_table_cell_is_clipped_on_a_phone(
    server, browser, demo_record, slug, columns, checked, row_height
):
    """At 390x844 the first columns of Contributions (Title, Outcome, Link) and Projects (Stars) lie inside the
    table, and every value of them fits its cell, wrapped where the row has room for more lines."""
    config = {"contributions": CONTRIBUTIONS_CONFIG, "projects": PROJECT_CONFIG}[slug]
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}&page={slug}", SIZES["phone"])
    try:
        assert_no_error(page)
        table = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        widths = [config[name]["width"] for name in columns]
        assert sum(widths) <= table["width"] - 2, f"{columns} need {sum(widths)} px of {table['width']}"
        if slug == "contributions":
            rows = shown_table(demo_record.contributions)
            values = {
                "title": rows["title"].astype("str"),
                "outcome": rows["outcome"].astype("str"),
                "url": pd.Series(["Open"]),
            }
        else:
            values = {
                "repo": demo_record.projects["repo"].astype("str"),
                "stars": demo_record.projects["stars"].dropna().map(lambda s: f"{int(s):,}"),
            }
        most = max(1, (row_height - 2 * CELL_VERTICAL_PADDING) // LINE_HEIGHT)
        for name in checked:
            texts = sorted(set(values[name]))
            measured = page.evaluate(MEASURE, [GRID_FONT_SIZE, texts])
            inner = config[name]["width"] - 2 * CELL_PADDING
            cut = [t for t, words in zip(texts, measured, strict=True) if _lines(words, inner) > most]
            assert not cut, f"{name}: {cut[:5]}"
    finally:
        page.context.close()


def test_journey_labels_stay_inside_the_chart_and_apart_on_a_phone(server, browser, demo_record):
    """At 390x844 every Journey label, measured in the chart's font, ends inside the chart beside its dot, and
    no label's lines reach into the next milestone's band."""
    page = open_view(browser, f"{server}/?user={DEMO_LOGIN}&page=journey", SIZES["phone"])
    try:
        chart = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
        spec = charts.journey_chart(demo_record.milestones).to_dict()
        rows = pd.DataFrame(next(iter(spec["datasets"].values())))
        lines = rows["label"].str.split("\n")
        measured = page.evaluate(
            """(lines) => {
                const context = document.createElement('canvas').getContext('2d');
                context.font = '12px sans-serif';
                return lines.map(text => context.measureText(text).width);
            }""",
            [line for label in lines for line in label],
        )
    finally:
        page.context.close()
    widths = iter(measured)
    longest = [max(next(widths) for _ in label) for label in lines]
    start, end = (pd.Timestamp(day) for day in spec["layer"][0]["encoding"]["x"]["scale"]["domain"])
    plot = chart["width"] - 10  # Vega's default padding of 5 pixels on each side
    fraction = (pd.to_datetime(rows["date"]) - start) / (end - start)
    x = charts.POINT_PADDING + fraction * (plot - 2 * charts.POINT_PADDING)
    for at, late, width in zip(x, rows["late"], longest, strict=True):
        assert (at - 10 - width >= 0) if late else (at + 10 + width <= plot)
    top = rows["label_y"] - charts.LABEL_LINE / 2
    bottom = rows["label_y"] + (lines.map(len) - 0.5) * charts.LABEL_LINE
    assert (top.iloc[1:].to_numpy() >= bottom.iloc[:-1].to_numpy()).all()
