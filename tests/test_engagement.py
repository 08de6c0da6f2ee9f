"""Answers, discussions and help given end to end on a hand-made dataset: collected over GraphQL, then scored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakehub import DEFAULT_TOKEN, Dataset, FakeGitHub
from portfolio.collect import collect
from portfolio.model import Comment, Discussion, Issue, Profile, Repo
from portfolio.record import track_record
from portfolio.store import Store

LOGIN = "careful-helper"
T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)
OTHERS = Repo("big-org/tool", "big-org", "Organization", stars=150, is_fork=False)
OWN = Repo(f"{LOGIN}/notes", LOGIN, "User", stars=0, is_fork=False)
ISSUE = Issue(
    "I_kwDOhelp01", OTHERS.full_name, 7, "Crash on empty config", f"https://github.com/{OTHERS.full_name}/issues/7",
    "someone", "closed", T0, state_reason="completed", closed_at=T0 + timedelta(days=2),
)  # fmt: skip


def _answer(number: int, repo: Repo, asker: str, day: int) -> Discussion:
    """An accepted answer of LOGIN to ``asker``'s discussion ``number`` in ``repo``."""
    url = f"https://github.com/{repo.full_name}/discussions/{number}"
    return Discussion(
        f"DC_kwDOhelp{number:02d}", "answer", repo.full_name, f"Question {number}", f"{url}#discussioncomment-{number}",
        LOGIN, T0 + timedelta(days=day), url, asker, "Q&A", None, 2, "NONE", T0 + timedelta(days=day),
    )  # fmt: skip


ANSWERS = [
    _answer(1, OTHERS, "someone", 1),
    _answer(2, OTHERS, "another", 40),
    _answer(3, OWN, "visitor", 3),
    _answer(4, OTHERS, LOGIN, 5),  # marked as the answer to its own question: not help given
]


def _dataset(comments: int = 0) -> Dataset:
    """The hand-made world, with ``comments`` one-word comments of LOGIN on someone's issue."""
    bodies = {}
    farm = []
    for i in range(comments):
        node = f"IC_kwDOfarm{i:03d}"
        bodies[node] = "+1"
        moment = T0 + timedelta(hours=i)
        farm.append(
            Comment(node, OTHERS.full_name, LOGIN, moment, ISSUE.url, "someone", "big-org", 1, moment)
        )
    return Dataset(
        profiles={
            LOGIN: Profile(LOGIN, type="User", created_at=datetime(2023, 6, 1, tzinfo=UTC), followers=3),
            "big-org": Profile("big-org", type="Organization", created_at=datetime(2015, 1, 1, tzinfo=UTC)),
            "someone": Profile("someone", type="User", created_at=datetime(2016, 1, 1, tzinfo=UTC)),
        },
        repos={OTHERS.full_name: OTHERS, OWN.full_name: OWN},
        pull_requests=[],
        issues=[ISSUE],
        reviews=[],
        discussions=list(ANSWERS),
        comments=farm,
        bodies=bodies,
        commits={LOGIN.lower(): [(T0, 40), (T0 + timedelta(days=400), 2)]},
    )


def _collected(dataset: Dataset):
    """The dataset collected over GraphQL into a fresh store, and the requests it took."""
    store = Store(":memory:")
    with FakeGitHub(dataset) as hub:
        result = collect(LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="graphql")
    return store.load_record(LOGIN), result


def test_answers_in_others_and_own_repositories_score_on_their_tracks():
    """Two answers in others' projects score externally, one in its own on the maintainer track, a self-answer not."""
    record, _ = _collected(_dataset())
    tr = track_record(record)
    answers = tr.contributions[tr.contributions["kind"] == "answer"].set_index("url")["points"]
    # answer 5 x accepted 1 x size 1 x reach (150 stars: 1.5) x external 1 = 7.5; own: 5 x 1.0 x 0.5 = 2.5.
    assert sorted(answers.tolist()) == [2.5, 7.5, 7.5]
    by_kind = tr.score.by_kind.set_index(["track", "kind"])
    assert by_kind.loc[("external", "answer"), "points"] == 15.0
    assert by_kind.loc[("maintainer", "answer"), "points"] == 2.5
    assert (tr.metrics["answers_accepted"], tr.metrics["own_repo_answers"]) == (2, 1)
    first = tr.milestones.set_index("milestone").loc["first_accepted_answer"]
    assert first["url"] == ANSWERS[0].url
    assert tr.rank.inputs["commits"] == 42


def test_projects_list_accepted_answers_beside_prs_issues_and_reviews():
    """The Projects table counts each repository's accepted answers: two in others' project, one in its own."""
    record, _ = _collected(_dataset())
    projects = track_record(record).projects.set_index("repo")
    assert projects.loc[
        OTHERS.full_name, ["prs", "issues", "reviews", "answers", "discussions"]
    ].tolist() == [0, 0, 0, 2, 0]
    assert projects.loc[OWN.full_name, ["answers", "discussions"]].tolist() == [1, 0]


def test_a_farm_of_200_one_word_comments_changes_no_score():
    """Two hundred "+1" comments show as help given, all of them short, and move no point or rank."""
    plain, plain_run = _collected(_dataset())
    farmed, farmed_run = _collected(_dataset(comments=200))
    before, after = track_record(plain), track_record(farmed)
    assert (after.score.external, after.score.maintainer) == (before.score.external, before.score.maintainer)
    assert after.breakdown.equals(before.breakdown)
    assert after.rank == before.rank
    assert len(farmed.comments) == 200
    help_given = after.help_given
    assert (int(help_given["comments"].sum()), int(help_given["short_comments"].sum())) == (200, 200)
    assert int(help_given["threads"].sum()) == len(help_given)  # one thread, counted once per month
    # The 200 comments are two pages of issueComments: one inline with the Engagement query, one more.
    assert farmed_run.requests == plain_run.requests + 1


def test_rest_collection_says_it_cannot_see_answers_or_comments():
    """Over REST the record has no answers, comments or commits, and its limits say so plainly."""
    store = Store(":memory:")
    with FakeGitHub(_dataset(comments=3)) as hub:
        result = collect(LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, backend="rest")
    record = store.load_record(LOGIN)
    assert (record.discussions, record.comments, record.commit_years) == ((), (), ())
    assert any("accepted answers" in limit and "commit counts" in limit for limit in result.limits)
