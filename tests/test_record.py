"""The track record: exact metrics, windows, milestones, highlights, the reference rank and the exports."""

from __future__ import annotations

import json
import random
import re
import statistics
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub.demo import DEMO_LOGIN, demo_dataset
from portfolio.export import track_record_json, track_record_markdown
from portfolio.frames import FILE_COLUMNS, PR_COLUMNS, record_frames
from portfolio.model import ChangedFile, Issue, Profile, PullRequest, Record, Repo, Review, field_names
from portfolio.record import CONTRIBUTION_COLUMNS, METRIC_DEFINITIONS, readme_stats_rank, track_record
from portfolio.record.highlights import HIGHLIGHT_KINDS
from portfolio.score import BREAKDOWN_COLUMNS
from portfolio.text import markdown_text
from portfolio.weights import load_weights

HOSTILE_TITLES = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "@everyone look",
    "see https://evil.example and www.evil.example",
    "# Heading\n- list\n1. item",
    "`code` **bold** _em_ ~~gone~~ | cell |",
    "&lt;script&gt;",
    "\\<b>",
]


def at(*parts: int) -> datetime:
    """A UTC moment."""
    return datetime(*parts, tzinfo=UTC)


def _pr(number: int, repo: str, title: str, state: str, created: datetime, **fields) -> PullRequest:
    merged = state == "merged"
    return PullRequest(
        node_id=f"P{number}",
        repo=repo,
        number=number,
        title=title,
        url=f"https://github.com/{repo}/pull/{number}",
        author="alice",
        state=state,
        created_at=created,
        closed_at=created + timedelta(days=1) if state != "open" else None,
        merged_at=created + timedelta(days=1) if merged else None,
        **fields,
    )


ALICE = Record(
    Profile("alice", followers=12, type="User"),
    repos=(
        Repo("big/proj", "big", "Organization", stars=42_000, topics=("hacktoberfest",), language="Python"),
        Repo("alice/tool", "alice", "User", stars=30, language="Go"),
        Repo("bob/small", "bob", "User", stars=5),
    ),
    pull_requests=(
        _pr(
            1,
            "big/proj",
            "docs: fix install guide",
            "merged",
            at(2023, 10, 2),
            merged_by="carol",
            additions=10,
            deletions=2,
            files=(ChangedFile("docs/install.md", "modified", 10, 2),),
            closes=("https://github.com/big/proj/issues/9",),
        ),
        _pr(
            2,
            "big/proj",
            "Add parser",
            "merged",
            at(2023, 11, 2),
            merged_by="carol",
            additions=300,
            deletions=20,
            files=(
                ChangedFile("src/parser.py", "added", 200, 20),
                ChangedFile("tests/test_parser.py", "added", 100, 0),
            ),
        ),
        _pr(
            3,
            "alice/tool",
            "typo",
            "merged",
            at(2023, 11, 3),
            merged_by="alice",
            additions=1,
            deletions=1,
            files=(ChangedFile("README.md", "modified", 1, 1),),
        ),
        _pr(4, "bob/small", "Update README.md", "closed", at(2024, 1, 3)),
        _pr(5, "bob/small", "fix: crash <script>", "open", at(2024, 2, 3), labels=("bug",)),
    ),
    issues=(
        Issue(
            "I1",
            "big/proj",
            9,
            "Install guide wrong",
            "https://github.com/big/proj/issues/9",
            "alice",
            "closed",
            at(2023, 9, 30),
            state_reason="completed",
            labels=("bug",),
        ),
    ),
    reviews=(
        Review(
            "R1",
            "https://github.com/big/proj/pull/77",
            "big/proj",
            "alice",
            "APPROVED",
            at(2024, 3, 1),
            0,
            "dave",
        ),
        Review(
            "R2",
            "https://github.com/big/proj/pull/77",
            "big/proj",
            "alice",
            "COMMENTED",
            at(2024, 3, 2),
            0,
            "dave",
        ),
        Review(
            "R3",
            "https://github.com/alice/tool/pull/8",
            "alice/tool",
            "alice",
            "APPROVED",
            at(2024, 3, 2),
            0,
            "alice",
        ),
    ),
)


@pytest.fixture(scope="module")
def alice():
    """Alice's whole track record."""
    return track_record(ALICE)


def test_frames_columns_are_the_model_fields():
    """record_frames gives one frame per part whose columns are the model's fields (files split out)."""
    frames = record_frames(ALICE)
    assert list(frames.prs.columns) == PR_COLUMNS
    assert set(PR_COLUMNS) == (set(field_names(PullRequest)) - {"files"}) | {"files_known"}
    assert list(frames.files.columns) == FILE_COLUMNS
    assert list(frames.issues.columns) == field_names(Issue)
    assert list(frames.reviews.columns) == field_names(Review)
    assert frames.prs["files_known"].tolist() == [True, True, True, False, False]
    assert len(frames.files) == 4


def test_the_frames_given_are_not_changed():
    """track_record reads the frames it is given and never writes to them."""
    frames = record_frames(ALICE)
    copies = {
        name: getattr(frames, name).copy(deep=True) for name in ("prs", "files", "issues", "reviews", "repos")
    }
    track_record(frames)
    for name, copy in copies.items():
        pd.testing.assert_frame_equal(getattr(frames, name), copy)


def test_hand_made_record_metrics(alice):
    """Every headline metric of a small hand-made record has the value a person counts by hand."""
    m = alice.metrics
    assert {k: m[k] for k in ("contributions", "prs_opened", "merged_prs", "external_prs")} == {
        "contributions": 8,  # 5 PRs, 1 issue, 2 reviews of others (R3 is a review of her own PR)
        "prs_opened": 5,
        "merged_prs": 3,
        "external_prs": 4,
    }
    assert m["merged_external_prs"] == 2
    assert m["merge_rate"] == round(2 / 3, 4)  # P4 closed; the open P5 is left out
    assert (m["external_projects"], m["external_organisations"], m["first_time_projects"]) == (1, 1, 1)
    assert (m["code_prs"], m["docs_prs"], m["tests_prs"]) == (1, 1, 0)
    assert (m["issues_reported"], m["issues_fixed"], m["issues_fixed_by_own_prs"]) == (1, 1, 1)
    assert (m["reviews_given"], m["reviews_approved"], m["reviews_commented"]) == (2, 1, 1)
    assert (m["self_merged_prs"], m["own_repo_prs"]) == (1, 1)
    assert m["largest_project_stars"] == 42_000
    assert m["active_months"] == 6  # 2023-09, 10, 11, 2024-01, 02, 03
    assert m["longest_streak_weeks"] == 2  # the issue (Sat 30 Sep) and P1 (Mon 2 Oct) are in adjacent weeks
    assert m["median_hours_to_merge"] == 24.0
    assert m["languages"] == ["Python"]
    assert m["first_contribution"] == pd.Timestamp("2023-09-30", tz="UTC")
    assert m["latest_contribution"] == pd.Timestamp("2024-03-02", tz="UTC")


def test_every_metric_is_defined(alice):
    """Each metric has a definition and each definition a metric."""
    assert set(alice.metrics) == set(METRIC_DEFINITIONS)
    assert alice.metric_definitions == METRIC_DEFINITIONS


def test_contribution_context(alice):
    """Each contribution knows its kind, track, ownership, first-time status and fixes."""
    c = alice.contributions.set_index("id")
    assert list(alice.contributions.columns) == CONTRIBUTION_COLUMNS
    assert c.loc[
        "P1", ["category", "track", "external", "first_in_repo", "fixes_own_issue", "hacktoberfest"]
    ].tolist() == [
        "docs",
        "external",
        True,
        True,
        True,
        True,
    ]
    assert c.loc["P3", ["track", "own_repo", "self_merged", "size"]].tolist() == [
        "maintainer",
        True,
        True,
        "trivial",
    ]
    assert c.loc["P4", ["category", "category_source", "outcome"]].tolist() == ["docs", "title", "closed"]
    assert c.loc["P5", ["category", "category_source"]].tolist() == ["code", "labels"]
    assert bool(c.loc["P2", "first_in_repo"]) is False
    assert c.loc["I1", "outcome"] == "fixed"
    assert "R3" not in c.index
    assert c.loc["R2", "points"] == 0.0


def test_every_point_is_traceable(alice):
    """The score's totals are sums of breakdown rows, and the breakdown is the contributions' factor columns."""
    b = alice.breakdown
    assert list(b.columns) == BREAKDOWN_COLUMNS
    assert alice.score.external == pytest.approx(b.loc[b["track"] == "external", "points"].sum())
    assert alice.score.maintainer == pytest.approx(b.loc[b["track"] == "maintainer", "points"].sum())
    assert alice.score.total == pytest.approx(b["points"].sum())
    product = b["base"] * b["outcome_factor"] * b["size_factor"] * b["reach_factor"] * b["track_factor"]
    assert (product.round(4) == b["raw_points"]).all()
    assert ((b["raw_points"] * b["cap_factor"]).round(4) == b["points"]).all()


def test_aggregates_add_up(alice):
    """Activity, projects and the score per kind each add up to the contributions they summarise."""
    c = alice.contributions
    assert alice.activity["contributions"].sum() == len(c)
    assert alice.activity["points"].sum() == pytest.approx(c["points"].sum())
    assert alice.projects[["prs", "issues", "reviews"]].to_numpy().sum() == len(c)
    assert alice.projects["points"].sum() == pytest.approx(c["points"].sum())
    assert alice.score.by_kind["contributions"].sum() == len(c)
    roles = dict(zip(alice.projects["repo"], alice.projects["role"], strict=True))
    assert roles == {"big/proj": "contributor", "alice/tool": "owner", "bob/small": "contributor"}


def test_milestones(alice):
    """One entry per contribution names every first it earned, dated by the earliest, the merge said beside it."""
    milestones = alice.milestones.set_index("id")
    assert alice.milestones["id"].is_unique
    assert milestones.loc["I1", "earned"] == ("first_issue",)
    assert milestones.loc["P1", "earned"] == (
        "first_pr",
        "first_docs_pr",
        "first_external_merge",
        "first_1k_star_merge",
        "first_10k_star_merge",
    )
    # 10k+ stars says 1k+ too, so the title names only the higher one.
    assert milestones.loc["P1", "title"] == (
        "First pull request · first documentation PR · first PR merged into someone else's project · "
        "first PR merged into a project with 10k+ stars"
    )
    assert milestones.loc["P1", "label"] == (
        "First PR",
        "First docs PR",
        "First PR merged elsewhere",
        "First 10k★ merge",
    )
    assert milestones.loc["P1", "date"] == pd.Timestamp("2023-10-02", tz="UTC")
    assert milestones.loc["P1", "detail"] == "merged on 2023-10-03"
    assert milestones.loc["P2", "earned"] == ("first_merged_code_pr",)
    assert milestones.loc["R1", "earned"] == ("first_review",)
    # One October PR is not Hacktoberfest (four were needed), and own repositories are no maintainer role.
    assert not any(
        key.startswith("hacktoberfest") or key == "first_maintainer_role"
        for keys in milestones["earned"]
        for key in keys
    )
    assert alice.milestones["date"].is_monotonic_increasing


def _october(year: int, n: int, repo: str = "big/proj", **fields) -> PullRequest:
    """A merged PR opened on the ``n``-th of October ``year``."""
    return _pr(100 + n, repo, f"Fix {n}", "merged", at(year, 10, n), merged_by="carol", **fields)


@pytest.mark.parametrize(
    ("prs", "expected"),
    [
        ([_october(2023, n) for n in range(1, 5)], {"hacktoberfest_2023": "P104"}),
        ([_october(2023, n) for n in range(1, 4)], {}),  # three of four
        ([_october(2023, n, "alice/tool") for n in range(1, 9)], {}),  # own repository
        ([_october(2023, n, "bob/small") for n in range(1, 5)], {}),  # not taking part (no topic)
        (
            [_october(2023, n, "bob/small", labels=("hacktoberfest-accepted",)) for n in range(1, 5)],
            {"hacktoberfest_2023": "P104"},
        ),
        ([_october(2023, n, labels=("spam",)) for n in range(1, 5)], {}),
        ([_october(2018, n, "bob/small") for n in range(1, 5)], {}),  # 2018 asked for five
        (
            [_october(2018, n, "bob/small") for n in range(1, 6)],
            {"hacktoberfest_2018": "P105"},
        ),  # any repo before 2020
        ([_october(2025, n) for n in range(1, 6)], {}),  # 2025 asked for six
        ([_october(2025, n) for n in range(1, 7)], {"hacktoberfest_2025": "P106"}),
        ([_october(2013, n) for n in range(1, 9)], {}),  # before the first Hacktoberfest
    ],
)
def test_hacktoberfest_follows_the_rules_of_its_year(prs, expected):
    """A Hacktoberfest year is a milestone only with the year's number of accepted PRs in others' participating repositories."""
    tr = track_record(replace(ALICE, pull_requests=tuple(prs), issues=(), reviews=()))
    found = {
        key: row["id"]
        for row in tr.milestones.to_dict("records")
        for key in row["earned"]
        if key.startswith("hacktoberfest")
    }
    assert found == expected


def test_highlights_have_reasons(alice):
    """Highlights put accepted external work first, each with the reason it was chosen."""
    h = alice.highlights
    assert h["rank"].tolist() == list(range(1, len(h) + 1))
    assert 5 <= len(h) <= 10
    assert h.iloc[0]["id"] == "P2" and h.iloc[0]["reason"] == "code merged into a 42k★ project"
    assert dict(zip(h["id"], h["reason"], strict=True))["P1"] == "fixed a bug they reported"
    assert h.iloc[-1]["reason"].startswith("in their own project")


def _work(highlights: pd.DataFrame) -> list[str]:
    """The kind of work of each highlight: a PR's category, else its kind."""
    return highlights["category"].where(highlights["kind"] == "pr", highlights["kind"]).tolist()


def test_demo_highlights_give_every_kind_of_work_its_due(demo):
    """The demo's first six highlights are one of each kind of work it has, its best by points, with reasons naming it."""
    first = demo.highlights.head(6)
    assert sorted(_work(first)) == sorted(HIGHLIGHT_KINDS)
    docs = first[first["category"] == "docs"].iloc[0]
    assert docs["reason"].startswith("documentation merged into")
    merged_docs = demo.contributions[
        (demo.contributions["category"] == "docs")
        & (demo.contributions["outcome"] == "merged")
        & (demo.contributions["track"] == "external")
    ]
    # The best documentation PR outside repositories that already hold two of the six.
    full = first["repo"].value_counts()
    assert docs["points"] == merged_docs[~merged_docs["repo"].isin(full[full >= 2].index)]["points"].max()
    assert first[first["kind"] == "answer"].iloc[0]["reason"].startswith("answer accepted in a discussion of")


def test_demo_exports_carry_every_kind_and_one_journey_entry_per_contribution(demo):
    """The demo's Markdown and JSON exports list one highlight of each kind first and one journey line per contribution."""
    data = track_record_json(demo)
    first = pd.DataFrame(data["highlights"]).head(len(HIGHLIGHT_KINDS))
    assert sorted(_work(first)) == sorted(HIGHLIGHT_KINDS)
    assert len({m["id"] for m in data["milestones"]}) == len(data["milestones"]) == len(demo.milestones)
    text = track_record_markdown(demo)
    highlights = text.split("### Highlights")[1].split("###")[0]
    assert all(reason in highlights for reason in first["reason"])
    journey = text.split("### Journey")[1].split("###")[0].strip().splitlines()
    assert len(journey) == len(demo.milestones)
    assert any("First pull request · first documentation PR" in line for line in journey)


def test_highlight_rules_follow_the_weights_in_force(tmp_path):
    """The highlight rules quote the weights in force: the large tier's lines and the first star milestone."""
    path = tmp_path / "weights.toml"
    path.write_text("[size]\nmax_lines = [5, 50, 800]\n[reach]\nmilestones = [10000]\n", encoding="utf-8")
    rules = " ".join(track_record(ALICE, weights=load_weights(path)).highlight_rules)
    assert "more than 800 changed lines" in rules and "500" not in rules
    assert "10k+ stars" in rules and "1k+" not in rules
    tr = track_record(ALICE, weights=load_weights(path))
    reasons = dict(zip(tr.highlights["id"], tr.highlights["reason"], strict=True))
    assert reasons["P2"] == "code merged into a 42k★ project"
    earned = {key for keys in tr.milestones["earned"] for key in keys}
    assert "first_10k_star_merge" in earned and "first_1k_star_merge" not in earned


def test_highlights_are_at_most_two_per_repository():
    """Many strong PRs in one project do not crowd out the others."""
    big = [
        _pr(n, "big/proj", f"Feature {n}", "merged", at(2024, 1, n), merged_by="c", additions=99)
        for n in range(1, 12)
    ]
    small = _pr(20, "bob/small", "Small fix", "merged", at(2024, 2, 1), merged_by="bob", additions=50)
    prs = (*big, small)
    tr = track_record(replace(ALICE, pull_requests=prs, issues=(), reviews=()))
    assert len(tr.highlights) == 5  # two from big/proj and one from bob/small, then relaxed up to five
    assert tr.highlights["repo"].tolist().count("big/proj") == 4
    assert "bob/small" in tr.highlights["repo"].tolist()


@pytest.mark.parametrize(
    ("since", "until", "ids"),
    [
        (date(2024, 1, 1), None, {"P4", "P5", "R1", "R2"}),
        (None, date(2023, 10, 2), {"I1", "P1"}),  # a bare date ``until`` includes that whole day
        (date(2023, 10, 2), date(2023, 11, 2), {"P1", "P2"}),
        (at(2023, 11, 2, 0, 0, 1), datetime(2024, 1, 3), {"P3", "P4"}),  # naive datetimes are UTC
        (date(2030, 1, 1), None, set()),
    ],
)
def test_windows_select_contributions_by_date(since, until, ids):
    """A window keeps the contributions dated inside it, bounds included, and every metric follows."""
    tr = track_record(ALICE, since=since, until=until)
    assert set(tr.contributions["id"]) == ids
    assert tr.metrics["contributions"] == len(ids)
    assert set(tr.classification["id"]) == {i for i in ids if i.startswith("P")}
    assert tr.score.total == pytest.approx(tr.breakdown["points"].sum())


def test_windows_keep_each_contributions_points(alice):
    """A contribution has the same points in every window, so windows add up to the whole."""
    first = track_record(ALICE, until=date(2023, 12, 31))
    second = track_record(ALICE, since=date(2024, 1, 1))
    assert first.score.total + second.score.total == pytest.approx(alice.score.total)
    whole = alice.contributions.set_index("id")["points"]
    assert (second.contributions.set_index("id")["points"] == whole[second.contributions["id"]]).all()


def test_window_milestones_and_metrics():
    """Milestones and metrics of a window only count what happened in it."""
    tr = track_record(ALICE, since=date(2024, 1, 1))
    assert tr.milestones["milestone"].tolist() == ["first_review"]
    assert tr.metrics["merged_external_prs"] == 0
    assert tr.metrics["merge_rate"] == 0.0
    assert tr.metrics["reviews_given"] == 2


def test_a_window_that_ends_before_it_starts_is_refused():
    """since after until is a mistake worth a clear error, not an empty record."""
    with pytest.raises(ValueError, match="starts"):
        track_record(ALICE, since=date(2024, 1, 2), until=date(2024, 1, 1))


def test_an_empty_record_gives_zeros():
    """A new account with nothing public gives zero counts, no rates, empty tables and no errors."""
    tr = track_record(Record(Profile("newcomer")))
    counts = {k: v for k, v in tr.metrics.items() if isinstance(v, int)}
    assert counts and not any(counts.values())
    assert tr.metrics["merge_rate"] is None and tr.metrics["median_hours_to_merge"] is None
    assert tr.metrics["first_contribution"] is None and tr.metrics["languages"] == []
    assert tr.score.total == 0
    for frame in (tr.contributions, tr.milestones, tr.highlights, tr.languages, tr.activity, tr.projects):
        assert frame.empty
    assert list(tr.contributions.columns) == CONTRIBUTION_COLUMNS
    assert (tr.rank.level, tr.rank.percentile) == ("C", 100.0)
    json.dumps(track_record_json(tr))
    assert "@newcomer" in track_record_markdown(tr)


# Every case of github-readme-stats' tests/calculateRank.test.js, with its exact percentiles.
README_STATS_CASES = {
    "new user": (False, (0, 0, 0, 0, 0, 0), "C", 100),
    "beginner user": (False, (125, 25, 10, 5, 25, 5), "B-", 69.44860253089847),
    "median user": (False, (250, 50, 25, 10, 50, 10), "B+", 50),
    "average user (include_all_commits)": (True, (1000, 50, 25, 10, 50, 10), "B+", 50),
    "advanced user": (False, (500, 100, 50, 20, 200, 40), "A", 22.916666666666664),
    "expert user": (False, (1000, 200, 100, 40, 800, 160), "A+", 6.0968137254901915),
    "sindresorhus": (False, (1300, 1500, 4500, 1000, 600000, 50000), "S", 0.4578556547153667),
}


@pytest.mark.parametrize("case", README_STATS_CASES)
def test_readme_stats_rank_matches_its_own_test_table(case):
    """The reference rank gives github-readme-stats' own level and percentile for every case of its table."""
    all_commits, counts, level, percentile = README_STATS_CASES[case]
    names = ("commits", "prs", "issues", "reviews", "stars", "followers")
    rank = readme_stats_rank(**dict(zip(names, counts, strict=True)), all_commits=all_commits)
    assert rank.level == level
    assert rank.percentile == round(percentile, 2)


def test_rank_says_what_it_was_fed(alice):
    """The rank reports its inputs and that commits were not collected."""
    assert alice.rank.inputs == {
        "commits": 0,
        "prs": 5,
        "issues": 1,
        "reviews": 2,
        "stars": 30,
        "followers": 12,
    }
    assert any("commits were not collected" in note for note in alice.rank.notes)
    assert track_record(ALICE, commits=400).rank.inputs["commits"] == 400


def test_json_export_is_traceable_and_stable(alice):
    """The JSON export is plain data whose totals are sums of its breakdown, the same for any row order."""
    data = track_record_json(alice)
    text = json.dumps(data, sort_keys=True)
    assert "NaN" not in text
    rows = data["score"]["breakdown"]
    assert data["score"]["external"] == pytest.approx(
        sum(r["points"] for r in rows if r["track"] == "external")
    )
    assert data["metrics"]["merged_external_prs"] == sum(
        1 for r in rows if r["kind"] == "pr" and r["outcome"] == "merged" and r["track"] == "external"
    )
    assert data["metrics"]["first_contribution"] == "2023-09-30T00:00:00+00:00"
    assert {c["id"]: c["category"] for c in data["classification"]}["P2"] == "code"
    assert set(data) >= {
        "metrics",
        "score",
        "milestones",
        "highlights",
        "classification",
        "rank_reference",
        "limits",
    }
    rnd = random.Random(4)
    shuffled = replace(
        ALICE, pull_requests=tuple(rnd.sample(ALICE.pull_requests, 5)), reviews=ALICE.reviews[::-1]
    )
    assert json.dumps(track_record_json(track_record(shuffled)), sort_keys=True) == text


def test_markdown_export_links_and_stays_inert(alice):
    """The Markdown section links each highlight to its PR and renders hostile titles as plain text."""
    text = track_record_markdown(alice)
    assert "## Open-source track record: @alice" in text
    assert "**2 pull requests merged** into 1 project owned by others" in text
    assert "[big/proj#2](https://github.com/big/proj/pull/2)" in text
    assert "fix: crash \\<script\\>" not in text  # P5 is open: not a highlight
    assert "<" not in unescaped(text)


_INLINE = set("\\`*_[]()<>|~&!@")


def unescaped(markdown: str) -> str:
    """``markdown`` without its backslash escapes: what is left is what a renderer would interpret."""
    return re.sub(r"\\.", "", markdown)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from(HOSTILE_TITLES))
def test_markdown_text_leaves_nothing_to_interpret(title):
    """Any title becomes one line whose every Markdown/HTML character is escaped, and nothing is lost."""
    escaped = markdown_text(title)
    bare = unescaped(escaped)
    assert "\n" not in escaped
    assert not _INLINE & set(bare)
    assert "://" not in bare and "www." not in bare.lower()
    assert not re.match(r"\s*(?:[#+\->=]|\d+[.)])", escaped)
    flattened = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", title).strip()
    assert re.sub(r"\\(.)", r"\1", escaped) == flattened


def test_markdown_never_links_to_other_schemes():
    """A contribution URL that is not http(s) is shown as text, not as a link."""
    bad = replace(ALICE.pull_requests[1], url="javascript:alert(1)")
    tr = track_record(replace(ALICE, pull_requests=(bad,), issues=(), reviews=()))
    assert "javascript" not in track_record_markdown(tr)


# --- The demo contributor ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_record():
    """The fictional demo contributor's record, as the fake GitHub would serve it."""
    return demo_dataset().record_for(DEMO_LOGIN)


@pytest.fixture(scope="module")
def demo(demo_record):
    """The demo contributor's whole track record."""
    return track_record(demo_record)


def _expected_demo_metrics(record: Record) -> dict[str, object]:
    """The headline metrics counted directly from the Record, in plain Python."""
    login = record.profile.login.lower()
    owner_type = {r.full_name.lower(): r.owner_type for r in record.repos}
    prs = [p for p in record.pull_requests if p.author.lower() == login]

    def external(p: PullRequest) -> bool:
        own = p.repo.split("/")[0].lower() == login
        return not own and not (p.state == "merged" and (p.merged_by or "").lower() == login)

    merged_ext = [p for p in prs if p.state == "merged" and external(p)]
    closed_ext = [p for p in prs if p.state == "closed" and external(p)]
    closed_by_prs = {u for p in prs if p.state == "merged" for u in p.closes or ()}
    issues = [i for i in record.issues if i.author.lower() == login]
    reviews = [
        r for r in record.reviews if r.author.lower() == login and (r.pr_author or "").lower() != login
    ]
    dates = [p.created_at for p in prs] + [i.created_at for i in issues] + [r.submitted_at for r in reviews]
    return {
        "merged_external_prs": len(merged_ext),
        "merge_rate": round(len(merged_ext) / (len(merged_ext) + len(closed_ext)), 4),
        "external_projects": len({p.repo.lower() for p in merged_ext}),
        "external_organisations": len(
            {
                p.repo.split("/")[0].lower()
                for p in merged_ext
                if owner_type.get(p.repo.lower()) == "Organization"
            }
        ),
        "issues_reported": len(issues),
        "issues_fixed": sum(
            i.state == "closed"
            and (i.state_reason == "completed" or bool(i.closed_by) or i.url in closed_by_prs)
            for i in issues
        ),
        "reviews_given": len(reviews),
        "reviews_changes_requested": sum(r.state == "CHANGES_REQUESTED" for r in reviews),
        "self_merged_prs": sum(p.state == "merged" and (p.merged_by or "").lower() == login for p in prs),
        "active_months": len({(d.year, d.month) for d in dates}),
        "median_hours_to_merge": round(
            statistics.median((p.merged_at - p.created_at).total_seconds() / 3600 for p in merged_ext), 1
        ),
        "first_contribution": min(dates),
        "latest_contribution": max(dates),
    }


def test_demo_metrics_match_an_independent_count(demo_record, demo):
    """The demo contributor's metrics equal the same figures counted directly from its Record."""
    expected = _expected_demo_metrics(demo_record)
    assert {name: demo.metrics[name] for name in expected} == expected


def test_demo_pinned_figures(demo):
    """The demo contributor's record is complete: pinned headline figures, every kind of work and milestone."""
    m = demo.metrics
    assert (m["merged_external_prs"], m["external_projects"], m["external_organisations"]) == (151, 29, 12)
    assert (m["issues_reported"], m["issues_fixed"], m["reviews_given"]) == (85, 56, 155)
    assert (m["active_months"], m["longest_streak_weeks"]) == (48, 37)
    assert all(m[f"{kind}_prs"] > 0 for kind in ("code", "tests", "docs", "ci", "examples"))
    # 3211.343 from PRs, issues and reviews, plus 9 accepted answers (78) and 4 discussions started (9.525).
    assert demo.score.external == pytest.approx(3298.868)
    assert (m["answers_accepted"], m["own_repo_answers"], m["discussions_started"]) == (9, 3, 4)
    assert (m["reproducible_reports"], m["reproducible_reports_fixed"], m["well_made_fixed_share"]) == (
        8,
        7,
        0.0824,
    )
    assert (int(demo.help_given["comments"].sum()), demo.help_given["repo"].nunique()) == (160, 12)
    assert demo.rank.inputs["commits"] == 924
    # One merged PR closes fernwood-labs/fernwood#17, labelled "good first issue".
    good_first = demo.contributions[demo.contributions["good_first_issue"]]
    assert good_first["url"].tolist() == ["https://github.com/fernwood-labs/fernwood/pull/20"]
    expected = {
        "first_accepted_answer",
        "first_good_first_issue",
        "first_pr",
        "first_issue",
        "first_docs_pr",
        "first_external_merge",
        "first_merged_code_pr",
        "first_1k_star_merge",
        "first_10k_star_merge",
        "first_review",
        "first_maintainer_role",
    }
    earned = [key for keys in demo.milestones["earned"] for key in keys]
    assert expected <= set(earned)
    assert len(earned) == len(set(earned)) and demo.milestones["id"].is_unique
    # 2023: five accepted PRs in others' participating projects; 2024 was one PR to their own repository
    # and 2025 one accepted of the six the event asked for.
    assert [key for key in earned if key.startswith("hacktoberfest_")] == ["hacktoberfest_2023"]
    assert len(demo.highlights) == 10
    assert demo.limits


def test_demo_export_traces_every_total_to_rows(demo):
    """In the demo's JSON export each score total and per-kind total is the sum of its breakdown rows."""
    data = track_record_json(demo)
    rows = pd.DataFrame(data["score"]["breakdown"])
    by_kind = rows.groupby(["track", "kind"])["points"].sum()
    for entry in data["score"]["by_kind"]:
        assert entry["points"] == pytest.approx(by_kind.get((entry["track"], entry["kind"]), 0.0), abs=1e-3)
    assert data["score"]["total"] == pytest.approx(rows["points"].sum(), abs=1e-3)
    assert len(data["classification"]) == data["metrics"]["prs_opened"]
