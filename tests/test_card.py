"""The profile-README card: both formats and themes, small enough to embed, inert with hostile text."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from portfolio.card import card_lines, render_card
from portfolio.cli import cli
from portfolio.demo import DEMO_LOGIN, load_demo
from portfolio.model import Profile
from portfolio.record import track_record
from portfolio.store import Store

CARD_LIMIT = 50_000


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """A store holding the demo contributor."""
    path = tmp_path_factory.mktemp("card") / "card.sqlite"
    with Store(path) as store:
        load_demo(store)
    return path


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_card_command_writes_a_small_card(demo_store, tmp_path, suffix, theme):
    """`card LOGIN --out card.svg|png --theme` writes a valid image under 50 kB."""
    out = tmp_path / f"card.{suffix}"
    result = CliRunner().invoke(
        cli, ["card", DEMO_LOGIN, "--db", str(demo_store), "--out", str(out), "--theme", theme]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert 1_000 < len(data) < CARD_LIMIT
    if suffix == "png":
        assert data.startswith(b"\x89PNG")
    else:
        text = data.decode()
        assert text.startswith("<svg") and "151" in text and "Documentation: 42% of merged PRs" in text
        assert ("#0d1117" in text) == (theme == "dark")


def test_card_says_figures_share_projects_and_date(demo_store):
    """The card's lines are the track record's figures, documentation share, top projects and as-of date."""
    with Store(demo_store) as store:
        record, sync = store.load_record(DEMO_LOGIN), store.last_sync(DEMO_LOGIN)
    tr = track_record(record)
    lines = card_lines(record.profile, tr.metrics, tr.projects, sync)
    m = tr.metrics
    assert [value for value, _ in lines["figures"]] == [
        str(m["merged_external_prs"]),
        str(m["external_projects"]),
        str(m["docs_prs"]),
        str(m["reviews_given"]),
    ]
    assert lines["docs_share"] == m["docs_prs"] / m["merged_external_prs"]
    assert len(lines["projects"]) == 3
    assert lines["as_of"].startswith(f"as of {sync.finished_at:%Y-%m-%d}")


def test_hostile_text_on_the_card_stays_text(demo_store):
    """A name full of markup is an escaped text node in the SVG: no script, no element, no link."""
    with Store(demo_store) as store:
        record, sync = store.load_record(DEMO_LOGIN), store.last_sync(DEMO_LOGIN)
    tr = track_record(record)
    hostile = Profile(login=DEMO_LOGIN, name='<script>alert(1)</script><a href="javascript:x">')
    svg = render_card(card_lines(hostile, tr.metrics, tr.projects, sync), "svg").decode()
    assert "<script" not in svg and "<a " not in svg and "&lt;script&gt;" in svg


@pytest.mark.parametrize(
    ("out", "expected"), [("card.gif", "must end in .svg or .png"), ("card", "must end in .svg or .png")]
)
def test_card_refuses_other_formats(demo_store, tmp_path, out, expected):
    """Another extension is exit code 2 and one sentence, before anything is drawn."""
    result = CliRunner().invoke(
        cli, ["card", DEMO_LOGIN, "--db", str(demo_store), "--out", str(tmp_path / out)]
    )
    assert result.exit_code == 2
    assert expected in result.output
