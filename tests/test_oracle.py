"""The vectorised track record against the readable one (tests/oracle.py) on small random records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.model import ChangedFile, Discussion, Issue, Profile, PullRequest, Record, Repo, Review
from portfolio.record import track_record
from portfolio.weights import load_weights
from tests.oracle import disagreements, readable_track_record

WEIGHTS = load_weights()
LOGIN = "Me"
START = datetime(2024, 9, 30, 22, 0, tzinfo=UTC)  # a Monday night: weeks and months turn within hours
REPOS = (
    Repo("me/tool", "me", "User", stars=30),
    Repo("org/big", "org", "Organization", stars=20_000),
    Repo("org/mid", "org", "Organization", stars=500),
    Repo("bob/small", "bob", "User", stars=5),
    Repo("bob/nostars", "bob", None, stars=None),
)
# Listed repositories in another case, unlisted ones in two cases, and an own one that is not listed.
REPO_NAMES = [
    "me/tool",
    "ME/Tool",
    "org/big",
    "Org/Big",
    "org/mid",
    "bob/small",
    "bob/nostars",
    "ghost/x",
    "Ghost/X",
    "me/other",
]
PATHS = [
    "src/core.py",
    "README.md",
    "docs/guide.md",
    "tests/test_core.py",
    ".github/workflows/ci.yml",
    "examples/a.py",
]
TITLES = [
    "Fix parser crash",
    "docs: clarify install",
    "Update README.md",
    "test: cover",
    "ci: cache",
    "Refactor",
]
LABELS = [(), ("bug",), ("documentation",), ("area/tests", "enhancement"), ("dependencies",)]
OTHERS = [LOGIN, "me", "bob", "maintainer", None]
ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]

logins = st.sampled_from(OTHERS)
repos = st.sampled_from(REPO_NAMES)


@st.composite
def moments(draw: st.DrawFn) -> datetime:
    """An instant within about ten weeks of START, in one of a few time zones."""
    return (START + timedelta(minutes=draw(st.integers(0, 70 * 24 * 60)))).astimezone(
        draw(st.sampled_from(ZONES))
    )


@st.composite
def pull_requests(draw: st.DrawFn, number: int) -> PullRequest:
    """A PR, mostly the login's, with files seen, unseen or empty, and any state."""
    repo, state = draw(repos), draw(st.sampled_from(["merged", "open", "closed", "MERGED"]))
    created = draw(moments())
    merged = state.lower() == "merged"
    files = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.builds(
                    ChangedFile,
                    st.sampled_from(PATHS),
                    st.just("modified"),
                    st.one_of(st.none(), st.integers(0, 300)),
                    st.one_of(st.none(), st.integers(0, 30)),
                ),
                max_size=3,
            ).map(tuple),
        )
    )
    additions = draw(st.one_of(st.none(), st.integers(0, 8), st.integers(0, 900)))
    closes = draw(
        st.lists(
            st.sampled_from(
                [f"https://github.com/{r}/issues/{n}" for r in ("org/big", "me/tool") for n in (1, 2)]
            ),
            max_size=2,
        )
    )
    return PullRequest(
        node_id=f"PR_{number}",
        repo=repo,
        number=number,
        title=draw(st.sampled_from(TITLES)),
        url=f"https://github.com/{repo}/pull/{number}",
        author=draw(st.sampled_from([LOGIN, LOGIN, "me", "bob"])),
        state=state,
        created_at=created,
        merged_at=created + timedelta(hours=draw(st.integers(0, 400))) if merged else None,
        merged_by=draw(logins) if merged else None,
        additions=additions,
        deletions=draw(st.one_of(st.none(), st.integers(0, 5))) if additions is not None else None,
        labels=draw(st.sampled_from(LABELS)),
        files=files,
        closes=tuple(closes) or None,
    )


@st.composite
def issues(draw: st.DrawFn, number: int) -> Issue:
    """An issue, mostly the login's, closed in any way, with or without the signals of a good report."""
    repo = draw(st.sampled_from(["org/big", "me/tool", "ghost/x"]))
    state = draw(st.sampled_from(["open", "closed"]))
    return Issue(
        node_id=f"I_{number}",
        repo=repo,
        number=number % 3,
        title="Broken",
        url=f"https://github.com/{repo}/issues/{number % 3}",
        author=draw(st.sampled_from([LOGIN, "me", "bob"])),
        state=state,
        created_at=draw(moments()),
        state_reason=draw(st.sampled_from(["completed", "not_planned", "COMPLETED", None]))
        if state == "closed"
        else None,
        labels=draw(st.sampled_from(LABELS)),
        closed_by=draw(st.sampled_from([None, (), ("https://github.com/org/big/pull/9",)])),
        body_length=draw(st.sampled_from([None, 50, 200, 900])),
        has_steps=draw(st.sampled_from([None, False, True])),
        has_code=draw(st.sampled_from([None, False, True])),
        has_environment=draw(st.sampled_from([None, False, True])),
    )


@st.composite
def reviews(draw: st.DrawFn, number: int) -> Review:
    """A review by the login (or not) of someone's PR (or its own), some without a state or a date."""
    repo = draw(repos)
    return Review(
        node_id=f"R_{number}",
        pr_url=f"https://github.com/{repo}/pull/{draw(st.integers(1, 3))}",
        repo=repo,
        author=draw(st.sampled_from([LOGIN, "me", "bob"])),
        state=draw(st.sampled_from(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", None])),
        submitted_at=draw(st.one_of(moments(), st.none())),
        pr_author=draw(logins),
    )


@st.composite
def discussions(draw: st.DrawFn, number: int) -> Discussion:
    """An accepted answer to someone's (or the login's own) discussion, or a discussion the login started."""
    repo, kind = draw(repos), draw(st.sampled_from(["answer", "answer", "started"]))
    return Discussion(
        node_id=f"D_{number}",
        kind=kind,
        repo=repo,
        title="How do I?",
        url=f"https://github.com/{repo}/discussions/{number}",
        author=draw(st.sampled_from([LOGIN, "me", "bob"])),
        created_at=draw(moments()),
        discussion_author=draw(logins) if kind == "answer" else None,
        answered=draw(st.sampled_from([None, False, True])) if kind == "started" else None,
    )


@st.composite
def records(draw: st.DrawFn) -> Record:
    """A small record of every kind of contribution, many of them in one repository and week."""

    def some(kind: st.SearchStrategy, most: int) -> tuple:
        """Up to ``most`` items of one kind, numbered."""
        return tuple(draw(kind(i)) for i in range(draw(st.integers(0, most))))

    return Record(
        profile=Profile(LOGIN, type=draw(st.sampled_from(["User", "Organization", None]))),
        repos=REPOS,
        pull_requests=some(pull_requests, 25),
        issues=some(issues, 8),
        reviews=some(reviews, 10),
        discussions=some(discussions, 12),
    )


@st.composite
def windows(draw: st.DrawFn) -> tuple[datetime | None, datetime | None]:
    """No window, or inclusive bounds somewhere in the records' span (either may be open)."""
    since = draw(st.one_of(st.none(), moments()))
    until = draw(st.one_of(st.none(), moments()))
    if since and until and since > until:
        since, until = until, since
    return since, until


# Each example costs one whole track_record (pandas' fixed cost, ~0.2 s), so few but large records.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), windows())
def test_the_vectorised_track_record_equals_the_readable_one(record, window):
    """Every contribution's kind, category, outcome, track and points, their order, and the headline metrics
    of the vectorised track record equal those of the readable per-row oracle, in any window."""
    rows, metrics = readable_track_record(record, WEIGHTS, *window)
    assert disagreements(track_record(record, WEIGHTS, *window), rows, metrics) == {}
