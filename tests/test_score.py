"""The score: packaged weights, exact factors, caps, and the invariants that make it hard to game."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.frames import record_frames
from portfolio.model import ChangedFile, Issue, Profile, PullRequest, Record, Repo, Review
from portfolio.record import contributions_frame
from portfolio.score import CAPPED_REVIEW, CAPPED_TRIVIAL_TOTAL, CAPPED_TRIVIAL_WEEK, explain, summarise
from portfolio.weights import WeightsError, default_weights_text, load_weights

WEIGHTS = load_weights()
LOGIN = "me"
MONDAY = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
REPOS = (
    Repo("me/tool", LOGIN, "User", stars=30),
    Repo("org/big", "org", "Organization", stars=20_000),
    Repo("org/mid", "org", "Organization", stars=500),
    Repo("bob/small", "bob", "User", stars=5),
)
REPO_NAMES = [*(r.full_name for r in REPOS), "ghost/unlisted"]


def pr(
    number: int,
    repo: str = "org/big",
    *,
    lines: int | None = 100,
    path: str = "src/module.py",
    state: str = "merged",
    merged_by: str | None = "maintainer",
    created: datetime = MONDAY,
    closes: tuple[str, ...] | None = None,
) -> PullRequest:
    """A pull request by the login with one changed file of ``lines`` lines (None: files unseen)."""
    merged = state == "merged"
    return PullRequest(
        node_id=f"PR_{number}",
        repo=repo,
        number=number,
        title=f"Change {number}",
        url=f"https://github.com/{repo}/pull/{number}",
        author=LOGIN,
        state=state,
        created_at=created,
        closed_at=created + timedelta(hours=5) if state != "open" else None,
        merged_at=created + timedelta(hours=5) if merged else None,
        merged_by=merged_by if merged else None,
        additions=lines,
        deletions=0 if lines is not None else None,
        files=(ChangedFile(path, "modified", lines, 0),) if lines is not None else None,
        closes=closes,
    )


def scored(record: Record) -> pd.DataFrame:
    """The scored contributions of a record, indexed by id."""
    return contributions_frame(record_frames(record), WEIGHTS).set_index("id")


def record(*prs: PullRequest, issues: tuple[Issue, ...] = (), reviews: tuple[Review, ...] = ()) -> Record:
    """A record of the login over the standard repositories."""
    return Record(Profile(LOGIN, type="User"), REPOS, tuple(prs), issues, reviews)


def test_packaged_weights_load():
    """The weights shipped with the package load, and their file explains itself with comments."""
    assert WEIGHTS.kind["docs"] > 0
    assert WEIGHTS.trivial_max_lines == 5
    assert "caps" in default_weights_text()
    assert load_weights().as_dict() == WEIGHTS.as_dict()


def test_user_file_overrides_only_what_it_sets(tmp_path):
    """A user's weights file may set a single value; everything else keeps the packaged weight."""
    path = tmp_path / "mine.toml"
    path.write_text("[kind]\ndocs = 10.0\n[caps]\ntrivial_points = 5\n", encoding="utf-8")
    mine = load_weights(path)
    assert mine.kind["docs"] == 10.0
    assert mine.trivial_points == 5.0
    assert mine.kind["code"] == WEIGHTS.kind["code"]
    assert mine.source == "mine.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[kind]\ndoc = 1.0\n", "unknown key"),
        ("[bonus]\nstars = 1\n", "unknown section"),
        ("[size]\nmax_lines = [50, 5, 500]\n", "must increase"),
        ("[reach]\nstars = [10, 100]\nfactor = [1.0, 2.0]\n", "first floor 0"),
        ("[kind]\ncode = -1.0\n", "not negative"),
        ("[kind]\ncode = 'ten'\n", "must be a number"),
        ("[outcome]\nopen = 0.9\n", "merging"),
        ("[kind\n", "not valid TOML"),
    ],
)
def test_bad_weights_are_refused_with_a_reason(tmp_path, text, message):
    """A weights file that cannot be used raises WeightsError saying what to fix."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WeightsError, match=message):
        load_weights(path)


def test_points_are_the_product_of_the_factors():
    """A merged 100-line code PR into a 20k-star organisation project scores code x merged x medium x reach."""
    row = scored(record(pr(1)))
    expected = WEIGHTS.kind["code"] * WEIGHTS.outcome["merged"] * WEIGHTS.size_factor[2] * 2.5
    assert row.loc["PR_1", "points"] == pytest.approx(expected)
    assert row.loc[
        "PR_1", ["base", "outcome_factor", "size_factor", "reach_factor", "track_factor"]
    ].tolist() == [
        WEIGHTS.kind["code"],
        1.0,
        WEIGHTS.size_factor[2],
        2.5,
        1.0,
    ]
    assert (
        "code 10 × merged 1 × size medium 1 × reach 2.5 × others' project 1 = 25"
        in explain(row.reset_index()).iloc[0]
    )


@pytest.mark.parametrize(
    ("repo", "merged_by", "track"),
    [
        ("org/big", "maintainer", "external"),
        ("org/big", None, "external"),
        ("org/big", LOGIN, "maintainer"),
        ("me/tool", "maintainer", "maintainer"),
        ("ME/Tool", LOGIN, "maintainer"),
    ],
)
def test_own_and_self_merged_work_is_the_maintainer_track(repo, merged_by, track):
    """Own repositories (any case) and PRs the login merged itself count as maintainer work, not acceptance."""
    assert scored(record(pr(1, repo, merged_by=merged_by))).loc["PR_1", "track"] == track


def test_trivial_prs_count_once_per_repository_and_week():
    """Of three typo PRs to one repository in one week only the best counts; next week's counts again."""
    typo = {"lines": 2, "path": "README.md"}
    rows = scored(
        record(
            pr(1, **typo, state="open"),
            pr(2, **typo, created=MONDAY + timedelta(days=2)),
            pr(3, **typo, created=MONDAY + timedelta(days=6)),
            pr(4, **typo, created=MONDAY + timedelta(days=7)),
            pr(5, "org/mid", **typo, created=MONDAY + timedelta(days=1)),
        )
    )
    assert rows.loc["PR_2", "cap_factor"] == 1.0
    assert rows.loc[["PR_1", "PR_3"], "points"].tolist() == [0.0, 0.0]
    assert set(rows.loc[["PR_1", "PR_3"], "capped_by"]) == {CAPPED_TRIVIAL_WEEK}
    assert rows.loc["PR_4", "points"] > 0
    assert rows.loc["PR_5", "points"] > 0


def test_trivial_prs_together_stop_at_the_cap():
    """Trivial PRs spread over many weeks add up to the trivial cap and no further."""
    typos = [pr(i, lines=1, path="README.md", created=MONDAY + timedelta(weeks=i)) for i in range(40)]
    rows = scored(record(*typos))
    assert rows["points"].sum() == pytest.approx(WEIGHTS.trivial_points)
    assert (rows["capped_by"] == CAPPED_TRIVIAL_TOTAL).any()


def test_several_reviews_of_one_pr_count_once():
    """Commenting five times on one PR counts as its single best review."""
    url = "https://github.com/org/big/pull/77"
    reviews = tuple(
        Review(f"R{i}", url, "org/big", LOGIN, state, MONDAY + timedelta(hours=i), pr_author="someone")
        for i, state in enumerate(["COMMENTED", "COMMENTED", "CHANGES_REQUESTED", "COMMENTED", "APPROVED"])
    )
    rows = scored(record(reviews=reviews))
    counted = rows[rows["points"] > 0]
    assert counted.index.tolist() == ["R2"]
    assert set(rows.loc[rows["points"] == 0, "capped_by"]) == {CAPPED_REVIEW}


def test_totals_are_sums_of_rows():
    """Every total of the summary is the sum of the breakdown rows it covers."""
    rows = scored(record(pr(1), pr(2, "me/tool"), pr(3, "bob/small", state="closed"))).reset_index()
    summary = summarise(rows)
    assert summary.external == pytest.approx(rows.loc[rows["track"] == "external", "points"].sum())
    assert summary.maintainer == pytest.approx(rows.loc[rows["track"] == "maintainer", "points"].sum())
    assert summary.by_kind["points"].sum() == pytest.approx(summary.total)


# --- Properties -------------------------------------------------------------------------------------------

_PATHS = ["src/core.py", "README.md", "docs/guide.md", "tests/test_core.py", ".github/workflows/ci.yml"]


@st.composite
def records(draw: st.DrawFn) -> Record:
    """Small records of the login: PRs over own, organisation, user and unlisted repositories, issues, reviews."""
    prs = []
    for i in range(draw(st.integers(0, 12))):
        state = draw(st.sampled_from(["merged", "open", "closed"]))
        lines = draw(st.one_of(st.none(), st.integers(0, 8), st.integers(0, 800)))
        prs.append(
            pr(
                i,
                draw(st.sampled_from(REPO_NAMES)),
                lines=lines,
                path=draw(st.sampled_from(_PATHS)),
                state=state,
                merged_by=draw(st.sampled_from([None, "maintainer", LOGIN])),
                created=MONDAY + timedelta(hours=draw(st.integers(0, 24 * 60))),
                closes=draw(st.sampled_from([None, ("https://github.com/org/big/issues/1",)])),
            )
        )
    issues = tuple(
        Issue(
            f"I{i}",
            repo,
            i + 1,
            "Broken",
            f"https://github.com/{repo}/issues/{i + 1}",
            LOGIN,
            state,
            MONDAY + timedelta(days=i),
            state_reason=reason if state == "closed" else None,
        )
        for i, (repo, state, reason) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(REPO_NAMES),
                        st.sampled_from(["open", "closed"]),
                        st.sampled_from(["completed", "not_planned", None]),
                    ),
                    max_size=4,
                )
            )
        )
    )
    reviews = tuple(
        Review(
            f"R{i}",
            f"https://github.com/{repo}/pull/{n}",
            repo,
            LOGIN,
            state,
            MONDAY + timedelta(days=i),
            0,
            "x",
        )
        for i, (repo, n, state) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(REPO_NAMES),
                        st.integers(1, 3),
                        st.sampled_from(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"]),
                    ),
                    max_size=5,
                )
            )
        )
    )
    return record(*prs, issues=issues, reviews=reviews)


def _totals(rec: Record) -> tuple[float, float]:
    rows = scored(rec)
    return (
        rows.loc[rows["track"] == "external", "points"].sum(),
        rows.loc[rows["track"] == "maintainer", "points"].sum(),
    )


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(records(), st.data())
def test_merging_a_pr_never_lowers_the_total(rec, data):
    """Merging any open or closed PR, whoever merges it (even the login), never lowers the total score."""
    unmerged = [i for i, p in enumerate(rec.pull_requests) if p.state != "merged"]
    if not unmerged:
        return
    i = data.draw(st.sampled_from(unmerged))
    before = sum(_totals(rec))
    target = rec.pull_requests[i]
    merged = replace(
        target,
        state="merged",
        merged_at=target.created_at + timedelta(hours=1),
        merged_by=data.draw(st.sampled_from([None, "maintainer", LOGIN])),
    )
    after = sum(
        _totals(replace(rec, pull_requests=(*rec.pull_requests[:i], merged, *rec.pull_requests[i + 1 :])))
    )
    assert after >= before - 1e-6


@PROPERTY
@given(records(), st.data())
def test_trivial_and_own_repository_prs_add_at_most_the_cap(rec, data):
    """Adding any number of trivial PRs to others' projects, or any PRs to own ones, adds at most the cap."""
    extra = []
    for k in range(data.draw(st.integers(1, 25))):
        own = data.draw(st.booleans())
        extra.append(
            pr(
                1000 + k,
                "me/tool"
                if own
                else data.draw(st.sampled_from(["org/big", "org/mid", "bob/small", "ghost/x"])),
                lines=data.draw(st.integers(0, 2000))
                if own
                else data.draw(st.integers(0, WEIGHTS.trivial_max_lines)),
                path=data.draw(st.sampled_from(_PATHS)),
                state=data.draw(st.sampled_from(["merged", "open", "closed"])),
                merged_by=data.draw(st.sampled_from([None, "maintainer", LOGIN])) if own else "maintainer",
                created=MONDAY + timedelta(hours=data.draw(st.integers(0, 24 * 28))),
            )
        )
    external_before, _ = _totals(rec)
    external_after, _ = _totals(replace(rec, pull_requests=(*rec.pull_requests, *extra)))
    assert -1e-6 <= external_after - external_before <= WEIGHTS.trivial_points + 1e-6


@PROPERTY
@given(records(), st.data())
def test_a_trivial_pr_next_to_another_never_lowers_the_external_score(rec, data):
    """A trivial PR added beside an existing one (same repository, days apart) cannot push better work out."""
    external = [p for p in rec.pull_requests if not p.repo.startswith(f"{LOGIN}/")]
    if not external:
        return
    near = data.draw(st.sampled_from(external))
    extra = pr(
        999,
        near.repo,
        lines=data.draw(st.integers(0, WEIGHTS.trivial_max_lines)),
        path=data.draw(st.sampled_from(_PATHS)),
        state=data.draw(st.sampled_from(["merged", "open", "closed"])),
        created=near.created_at + timedelta(hours=data.draw(st.integers(-72, 72))),
    )
    external_before, _ = _totals(rec)
    external_after, _ = _totals(replace(rec, pull_requests=(*rec.pull_requests, extra)))
    assert external_after >= external_before - 1e-6


@PROPERTY
@given(records(), st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_row_order(rec, rnd: random.Random):
    """Shuffling the record's PRs, issues, reviews and repositories changes no contribution's points."""

    def shuffled(items: tuple) -> tuple:
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    other = Record(
        rec.profile,
        shuffled(rec.repos),
        shuffled(rec.pull_requests),
        shuffled(rec.issues),
        shuffled(rec.reviews),
    )
    columns = ["points", "cap_factor", "track", "category"]
    pd.testing.assert_frame_equal(scored(rec)[columns].sort_index(), scored(other)[columns].sort_index())


@PROPERTY
@given(records())
def test_points_are_bounded_by_their_raw_points(rec):
    """No contribution gets negative points or more than its uncapped product of factors."""
    rows = scored(rec)
    assert (rows["points"] >= 0).all()
    assert (rows["points"] <= rows["raw_points"] + 1e-9).all()
    assert rows["cap_factor"].between(0, 1).all()


def test_explain_of_an_empty_breakdown_is_empty():
    """A new account's breakdown explains to an empty series, not an error."""
    from portfolio.model import Profile, Record
    from portfolio.record import track_record

    assert explain(track_record(Record(Profile("newcomer"))).breakdown).empty
