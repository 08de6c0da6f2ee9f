"""portfolio.toml: the example parses, and every mistake is one sentence naming its key and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from portfolio.demo import DEMO_LOGIN, load_demo
from portfolio.errors import InvalidInput
from portfolio.frames import hide_frames, record_frames
from portfolio.model import Issue, Profile, PullRequest, Record
from portfolio.site import hide_contributions, load_site, parse_site
from portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
[site]
logins = ["octo-cat"]
headline = "Docs first."

[site.contact]
Email = "mailto:me@example.org"

[curation]
pin = ["https://github.com/a/b/pull/1"]
hide = ["https://github.com/a/b/pull/2"]

[[curation.self_reported]]
date = 2024-05-01
title = "A talk"
url = "https://example.org/talk"
kind = "talk"

[[curation.self_reported]]
date = "2023-01-02"
title = "Answers"
url = "https://stackoverflow.com/users/1"
kind = "stackoverflow"
"""


def test_the_shipped_example_configures_the_demo():
    """The repository's own portfolio.toml parses and shows the fictional demo contributor."""
    site = load_site(ROOT / "portfolio.toml")
    assert site is not None
    assert site.logins == ("fictional-contributor",)
    assert site.headline
    assert all(item.kind in {"talk", "mentoring"} for item in site.self_reported)


def test_a_full_file_parses_into_sorted_self_reported_work():
    """Every section parses; self-reported items are sorted by date and accept TOML or text dates."""
    site = parse_site(GOOD)
    assert site.logins == ("octo-cat",)
    assert site.contact == (("Email", "mailto:me@example.org"),)
    assert site.pins == ("https://github.com/a/b/pull/1",)
    assert site.hides == {"https://github.com/a/b/pull/2"}
    assert [item.date for item in site.self_reported] == [date(2023, 1, 2), date(2024, 5, 1)]
    assert site.self_reported[0].kind_label == "Stack Overflow"
    assert site.shows("OCTO-CAT") and site.spelling("OCTO-CAT") == "octo-cat"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('headline = "Docs first."', 'headlin = "Docs first."', "line 3: unknown key 'headlin' in [site]"),
        ('logins = ["octo-cat"]', 'logins = ["-bad-"]', "line 2: site.logins: '-bad-' is not a GitHub login"),
        ('logins = ["octo-cat"]', "logins = []", "line 2: site.logins is empty"),
        ('date = "2023-01-02"', 'date = "2023-13-02"', "line 19: self-reported item 2 has date '2023-13-02'"),
        ('kind = "talk"', 'kind = "keynote"', "line 16: self-reported item 1 has kind 'keynote'"),
        (
            'url = "https://example.org/talk"',
            'url = "javascript:alert(1)"',
            "line 15: self-reported item 1 has url",
        ),
        ('title = "A talk"', 'titel = "A talk"', "line 14: unknown key 'titel' in self-reported item 1"),
        ('Email = "mailto:me@example.org"', 'Email = "javascript:x"', "line 6: site.contact.Email"),
        ("[curation]", "[curashun]", "line 8: unknown key 'curashun'"),
        (
            'hide = ["https://github.com/a/b/pull/2"]',
            'hide = ["https://github.com/a/b/pull/1"]',
            "both pinned",
        ),
        ('headline = "Docs first."', 'headline = "Docs first', "is not valid TOML"),
    ],
)
def test_each_mistake_is_one_sentence_naming_the_line(old, new, expected):
    """An unknown key, bad date, bad login, kind or address is an InvalidInput sentence with its line."""
    assert old in GOOD
    with pytest.raises(InvalidInput) as caught:
        parse_site(GOOD.replace(old, new, 1))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and message.startswith("portfolio.toml")


def test_a_missing_file_is_none(tmp_path):
    """No portfolio.toml is not an error in itself: the caller explains what is missing."""
    assert load_site(tmp_path / "portfolio.toml") is None


def test_hidden_contributions_leave_the_record():
    """A hidden URL removes that pull request (and reviews of it) from the record that is scored."""
    profile = Profile(login="octo-cat")
    common = {"repo": "a/b", "title": "t", "author": "octo-cat", "state": "closed", "created_at": None}
    kept = PullRequest(node_id="1", number=1, url="https://github.com/a/b/pull/1", **common)
    gone = PullRequest(node_id="2", number=2, url="https://github.com/a/b/pull/2", **common)
    issue = Issue(node_id="3", number=3, url="https://github.com/a/b/issues/3", **common)
    record = Record(profile=profile, pull_requests=(kept, gone), issues=(issue,))
    result = hide_contributions(record, parse_site(GOOD).hides)
    assert [p.url for p in result.pull_requests] == [kept.url]
    assert result.issues == (issue,)
    assert hide_contributions(record, ()) is record


def _demo_record() -> Record:
    """The shipped demo contributor's record, as a store holds it."""
    with Store(":memory:") as store:
        load_demo(store)
        return store.load_record(DEMO_LOGIN)


def test_hiding_keeps_what_was_not_hidden():
    """Hiding a pull request leaves the discussions, comments and commit counts in the record."""
    record = _demo_record()
    result = hide_contributions(record, {record.pull_requests[0].url})
    assert len(result.pull_requests) == len(record.pull_requests) - 1
    assert (result.discussions, result.comments, result.commit_years) == (
        record.discussions,
        record.comments,
        record.commit_years,
    )


def test_hiding_frames_hides_what_hiding_the_record_hides():
    """Hidden PRs (with their files and reviews), issues and discussions leave the frames as they leave the record."""
    record = _demo_record()
    hidden = {
        record.pull_requests[0].url,
        record.pull_requests[5].url,
        record.issues[1].url,
        record.reviews[2].pr_url,
        record.discussions[0].url,
    }
    expected = record_frames(hide_contributions(record, hidden))
    actual = hide_frames(record_frames(record), hidden)
    for name in ("prs", "files", "issues", "reviews", "repos", "discussions", "comments", "commit_years"):
        pd.testing.assert_frame_equal(getattr(actual, name), getattr(expected, name), check_exact=True)
    assert len(actual.prs) == len(record.pull_requests) - 2
