"""A test-only world of hostile text: the strings a page must show as text and never run or link.

The demo contributor is realistic; everything an attacker could put in GitHub text lives here instead:
script and image tags, ``onerror`` handlers, ``javascript:`` URLs, Markdown that tries to link or format,
and zero-width and right-to-left override characters that disguise what a title says. Three accounts:
``HOSTILE_LOGIN`` carries it in merged pull requests, labels, a review, issues, an accepted answer, a
discussion it started and its profile;
``ISSUES_LOGIN`` only ever reported issues; ``EMPTY_LOGIN`` has nothing public.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from fakehub.dataset import Dataset, Label
from portfolio.model import ChangedFile, Discussion, Issue, Profile, PullRequest, Repo, Review

HOSTILE_LOGIN = "hostile-contributor"
ISSUES_LOGIN = "issue-reporter"
EMPTY_LOGIN = "quiet-account"
MAINTAINER = "widget-keeper"
SCRIPT_TITLE = "<script>alert('owned')</script> **bold** [link](javascript:alert(1))"
IMAGE_TAG = "<img src=x onerror=alert(1)>"
SCRIPT_URL = "javascript:alert(1)"
HOSTILE_LABEL = IMAGE_TAG
HOSTILE_TITLES = (
    SCRIPT_TITLE,
    f"fix: escape {IMAGE_TAG} in labels",
    f"[click me]({SCRIPT_URL}) to see the fix",
    "docs: fix a typo\u200b\u200b\u200b in the guide",  # zero-width spaces hide padding
    "fix: rename invoice\u202egpj.exe",  # a right-to-left override makes it read "invoiceexe.jpg"
    "<b>bold</b> <a href='javascript:alert(2)'>link</a> &lt;escaped&gt;",
)
HOSTILE_QUESTION = f"How do I escape {IMAGE_TAG}? [see the docs]({SCRIPT_URL})"
START = datetime(2023, 2, 1, tzinfo=UTC)
WIDGETS = "acme/widgets"


def _profile(login: str) -> Profile:
    """An account whose every profile field tries to inject markup or a script URL."""
    return Profile(
        login,
        name=f"<b>{login}</b>",
        bio=f"I write {IMAGE_TAG} *bugs*",
        avatar_url=SCRIPT_URL,
        blog=SCRIPT_URL,
        company="<script>alert('company')</script>",
        location="\u202eereh",
        created_at=START,
        node_id=f"U_{login}",
        type="User",
        public_repos=0,
        followers=1,
        html_url=f"https://github.com/{login}",
    )


def _pull_requests() -> list[PullRequest]:
    """The hostile contributor's merged pull requests, one per hostile title, and one it reviewed."""
    prs = []
    for n, title in enumerate(HOSTILE_TITLES, start=10):
        created = START + timedelta(days=9 * n)
        files = (ChangedFile("docs/guide.md", "modified", 12, 2),) if n % 2 else (
            ChangedFile("src/widgets/render.py", "modified", 40 * n, 8),
            ChangedFile("tests/test_render.py", "added", 30, 0),
        )  # fmt: skip
        prs.append(
            PullRequest(
                f"PR_{n}",
                WIDGETS,
                n,
                title,
                f"https://github.com/{WIDGETS}/pull/{n}",
                HOSTILE_LOGIN,
                "merged",
                created,
                draft=False,
                closed_at=created + timedelta(days=1),
                merged_at=created + timedelta(days=1),
                merged_by=MAINTAINER,
                additions=sum(f.additions for f in files),
                deletions=sum(f.deletions for f in files),
                changed_files=len(files),
                labels=(HOSTILE_LABEL, SCRIPT_URL, "bug"),
                files=files,
                comments=2,
                author_association="CONTRIBUTOR",
                closes=(),
                updated_at=created + timedelta(days=1),
            )
        )
    reviewed = START + timedelta(days=200)
    prs.append(
        PullRequest(
            "PR_99",
            WIDGETS,
            99,
            "<script>alert('reviewed')</script>",
            f"https://github.com/{WIDGETS}/pull/99",
            MAINTAINER,
            "merged",
            reviewed,
            draft=False,
            closed_at=reviewed + timedelta(days=2),
            merged_at=reviewed + timedelta(days=2),
            merged_by=MAINTAINER,
            additions=5,
            deletions=1,
            changed_files=1,
            labels=(),
            files=(ChangedFile("src/widgets/core.py", "modified", 5, 1),),
            comments=0,
            author_association="MEMBER",
            closes=(),
            updated_at=reviewed + timedelta(days=2),
        )
    )
    return prs


def _issues(login: str, first: int) -> list[Issue]:
    """Seven issues by ``login``, the first titled with a script tag; odd ones fixed."""
    return [
        Issue(f"I_{login}_{n}", WIDGETS, first + n, SCRIPT_TITLE if n == 1 else f"Widget {n} breaks",
              f"https://github.com/{WIDGETS}/issues/{first + n}", login, "closed" if n % 2 else "open",
              START + timedelta(days=20 * n), state_reason="completed" if n % 2 else None,
              closed_at=START + timedelta(days=20 * n + 3) if n % 2 else None, labels=("bug",), comments=1,
              author_association="NONE", updated_at=START + timedelta(days=20 * n + 3))
        for n in range(1, 8)
    ]  # fmt: skip


def _discussions() -> list[Discussion]:
    """The hostile contributor's accepted answer to a hostile question, and a discussion it started."""
    answered, started = START + timedelta(days=150), START + timedelta(days=160)
    question, idea = (f"https://github.com/{WIDGETS}/discussions/{n}" for n in (5, 6))
    return [
        Discussion("DC_hostile5", "answer", WIDGETS, HOSTILE_QUESTION, f"{question}#discussioncomment-5",
                   HOSTILE_LOGIN, answered, question, MAINTAINER, "<script>alert('category')</script>", None,
                   1, "CONTRIBUTOR", answered),
        Discussion("D_hostile6", "started", WIDGETS, SCRIPT_TITLE, idea, HOSTILE_LOGIN, started, idea,
                   HOSTILE_LOGIN, "Ideas", False, 0, "CONTRIBUTOR", started),
    ]  # fmt: skip


@cache
def hostile_dataset() -> Dataset:
    """The hostile world, shared between callers: do not mutate it."""
    repo = Repo(WIDGETS, "acme", "Organization", 3400, 120, "Python", ("hacktoberfest",), False, False,
                "<script>alert('repo')</script> Widgets.", f"https://github.com/{WIDGETS}", "R_widgets")  # fmt: skip
    profiles = {login: _profile(login) for login in (HOSTILE_LOGIN, EMPTY_LOGIN, ISSUES_LOGIN)}
    profiles["acme"] = Profile("acme", created_at=START, node_id="O_acme", type="Organization")
    profiles[MAINTAINER] = Profile(MAINTAINER, created_at=START, node_id="U_keeper", type="User")
    prs = _pull_requests()
    review = Review("PRR_1", prs[-1].url, WIDGETS, HOSTILE_LOGIN, "APPROVED",
                    prs[-1].created_at + timedelta(hours=5), 1, MAINTAINER)  # fmt: skip
    return Dataset(
        profiles=profiles,
        repos={WIDGETS: repo},
        pull_requests=prs,
        issues=[*_issues(ISSUES_LOGIN, 0), *_issues(HOSTILE_LOGIN, 200)],
        reviews=[review],
        discussions=_discussions(),
        bodies={pr.node_id: f"{SCRIPT_TITLE}\n\n{IMAGE_TAG}" for pr in prs},
        labels={HOSTILE_LABEL: Label("e11d21", IMAGE_TAG), SCRIPT_URL: Label("000000", SCRIPT_URL)},
    )
