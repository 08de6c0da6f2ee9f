"""The work of a generated contributor outside pull requests: answers, discussions, comments and commits.

``add_engagement`` takes a generated dataset and returns a copy with, for one login: discussion comments
chosen as the answer (most in other people's projects, some in their own), discussions they started,
comments on issues and pull requests (help in others' threads, and replies in their own), commits every
week, a few of their issues rewritten as careful bug reports, and one issue they fixed relabelled "good
first issue". Everything is seeded and dated inside the dataset's own years, so it never depends on today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fakehub.dataset import Dataset
from fakehub.ids import node_id
from portfolio.model import Comment, Discussion, Issue, PullRequest

WEB = "https://github.com"
GOOD_FIRST_ISSUE = "good first issue"
_QUESTIONS = (
    "How do I configure {topic} for a monorepo?",
    "Is there a way to skip {topic} in CI only?",
    "Why does {topic} behave differently on Windows?",
    "Best practice for testing {topic}?",
    "Upgrading {topic} from the previous major version",
    "Can {topic} be used without the CLI?",
)
_TOPICS = ("caching", "the plugin loader", "locale files", "the config file", "type stubs", "the watcher")
_REPLIES = (
    "Thanks, that fixed it for me.",
    "I can reproduce this on the latest release; the workaround above works.",
    "This looks like the same root cause as the linked issue: the path is resolved before the config loads.",
    "Could you share the full log? The first lines are cut off.",
    "I tried the branch locally and the tests pass on Linux and macOS.",
    "Docs for this live under docs/guide; happy to open a PR if that helps.",
)
# Careful bug reports in the shapes real ones take: summary, numbered steps, a log, the environment.
_CAREFUL_REPORT = (
    "### Summary\n\nThe {thing} fails when the input has a trailing newline.\n\n"
    "### Steps to reproduce\n\n1. Create a file with a trailing newline.\n2. Run the command on it.\n"
    "3. See the error below.\n\n### Log\n\n```\nTraceback (most recent call last):\n"
    '  File "cli.py", line 12, in main\nValueError: unexpected end of input\n```\n\n'
    "### Environment\n\n- OS: Ubuntu 22.04\n- Python 3.11.4\n- version 2.3.1\n"
)


@dataclass(frozen=True)
class EngagementSpec:
    """How much engagement to generate for one login."""

    login: str
    seed: int
    answers_external: int
    answers_own: int
    discussions: int
    help_comments: int  # on other people's issues and pull requests in repositories the login does not own
    own_comments: int  # on their own threads, or in their own repositories
    commits_per_week: tuple[int, int]
    careful_reports: int


def _ident(seed: int, number: int) -> int:
    """A database id in GitHub's uint32 range, distinct per seed and number."""
    return 0x10000 + seed * 1_000_000 + number


def add_engagement(dataset: Dataset, spec: EngagementSpec, start: datetime, end: datetime) -> Dataset:
    """A copy of ``dataset`` with ``spec``'s answers, discussions, comments, commits and careful reports."""
    rng = random.Random(spec.seed)
    login = spec.login
    key = login.lower()
    repos = sorted(dataset.repos.values(), key=lambda r: r.full_name)
    own = [r for r in repos if r.owner_login.lower() == key and not r.is_fork]
    others = [r for r in repos if r.owner_login.lower() != key]
    owners = {r.full_name: r.owner_login for r in repos}
    bodies = dict(dataset.bodies)
    discussions: list[Discussion] = []

    def moment() -> datetime:
        return start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))

    def post(kind: str, repo: str, number: int, asker: str) -> Discussion:
        topic = rng.choice(_TOPICS)
        created = moment()
        url = f"{WEB}/{repo}/discussions/{number}"
        ident = len(discussions) + 1
        if kind == "answer":
            return Discussion(
                node_id=node_id("DC", _ident(spec.seed, ident)),
                kind="answer",
                repo=repo,
                title=rng.choice(_QUESTIONS).format(topic=topic),
                url=f"{url}#discussioncomment-{9_000_000 + spec.seed % 1000 * 1000 + ident}",
                author=login,
                created_at=created,
                discussion_url=url,
                discussion_author=asker,
                category="Q&A",
                upvotes=rng.randrange(0, 12),
                author_association="OWNER" if owners.get(repo, "").lower() == key else "NONE",
                updated_at=created + timedelta(hours=rng.randrange(1, 72)),
            )
        return Discussion(
            node_id=node_id("D", _ident(spec.seed, ident)),
            kind="started",
            repo=repo,
            title=f"Idea: {topic} that works across platforms",
            url=url,
            author=login,
            created_at=created,
            discussion_url=url,
            discussion_author=login,
            category=rng.choice(("Ideas", "Q&A", "General")),
            answered=rng.random() < 0.4,
            upvotes=rng.randrange(0, 30),
            author_association="OWNER" if owners.get(repo, "").lower() == key else "NONE",
            updated_at=created + timedelta(days=rng.randrange(1, 30)),
        )

    askers = sorted(p for p in dataset.profiles if p.lower() != key)
    for count, pool in ((spec.answers_external, others), (spec.answers_own, own)):
        for _ in range(count if pool else 0):
            repo = rng.choice(pool).full_name
            discussions.append(post("answer", repo, rng.randrange(10, 900), rng.choice(askers)))
    for _ in range(spec.discussions if others else 0):
        discussions.append(post("started", rng.choice(others).full_name, rng.randrange(10, 900), login))

    threads: list[PullRequest | Issue] = [*dataset.pull_requests, *dataset.issues]
    others_threads = sorted(
        (t for t in threads if t.author.lower() != key and owners.get(t.repo, "").lower() != key),
        key=lambda t: t.url,
    )
    own_threads = sorted(
        (t for t in threads if t.author.lower() == key or owners.get(t.repo, "").lower() == key),
        key=lambda t: t.url,
    )
    comments: list[Comment] = list(dataset.comments)
    for count, pool in ((spec.help_comments, others_threads), (spec.own_comments, own_threads)):
        for _ in range(count if pool else 0):
            thread = rng.choice(pool)
            created = max(thread.created_at + timedelta(hours=rng.randrange(1, 24 * 20)), thread.created_at)
            ident = node_id("IC", _ident(spec.seed, len(comments) + 1))
            body = rng.choice(_REPLIES)
            bodies[ident] = body
            comments.append(
                Comment(
                    node_id=ident,
                    repo=thread.repo,
                    author=login,
                    created_at=created,
                    thread_url=thread.url,
                    thread_author=thread.author,
                    repo_owner=owners.get(thread.repo, thread.repo.split("/")[0]),
                    words=len(body.split()),
                    updated_at=created + timedelta(minutes=rng.randrange(0, 90)),
                )
            )

    commits = list(dataset.commits.get(key, ()))
    week = start
    while week <= end:
        commits.append((week, rng.randint(*spec.commits_per_week)))
        week += timedelta(days=7)

    issues = list(dataset.issues)
    mine = sorted((i for i in issues if i.author.lower() == key), key=lambda i: i.url)
    for issue in rng.sample(mine, min(spec.careful_reports, len(mine))):
        bodies[issue.node_id] = _CAREFUL_REPORT.format(thing=rng.choice(_TOPICS))
    issues = _good_first_issue(dataset, issues, key)

    return replace(
        dataset,
        issues=issues,
        bodies=bodies,
        discussions=[*dataset.discussions, *discussions],
        comments=comments,
        commits={**dataset.commits, key: sorted(commits)},
    )


def _good_first_issue(dataset: Dataset, issues: list[Issue], key: str) -> list[Issue]:
    """``issues`` with the earliest someone else's issue that ``key``'s merged PR closed labelled a good first one."""
    merged = {p.url for p in dataset.pull_requests if p.author.lower() == key and p.state == "merged"}
    owners = {r.full_name: r.owner_login.lower() for r in dataset.repos.values()}
    fixed = sorted(
        (
            i
            for i in issues
            if i.author.lower() != key
            and owners.get(i.repo) != key
            and any(url in merged for url in i.closed_by or ())
        ),
        key=lambda i: (i.created_at, i.url),
    )
    if not fixed:
        return issues
    chosen = fixed[0]
    return [replace(i, labels=(*i.labels, GOOD_FIRST_ISSUE)) if i is chosen else i for i in issues]
