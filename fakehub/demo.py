"""Deterministic, clearly fictional contributors for the offline demo, the tests and the benchmarks.

``demo_dataset()`` is about four years (2022-2025) of one contributor's work: ~300 pull requests over ~40
repositories, ~80 issues and ~150 reviews, with every situation the track record has to handle.
``large_dataset()`` is a prolific contributor with more than 5,000 pull requests, over 1,000 of them in
one calendar year, so a collector has to slice searches by date to get past GitHub's 1,000-result cap.
Nothing depends on today's date or on the machine: the same seed gives the same dataset.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cache

from fakehub.dataset import DEFAULT_TOKEN, Dataset, Label
from fakehub.engagement import EngagementSpec, add_engagement
from fakehub.ids import node_id
from portfolio.model import ChangedFile, Issue, Profile, PullRequest, Repo, Review

DEMO_LOGIN = "fictional-contributor"
LARGE_LOGIN = "fictional-prolific"
START = datetime(2022, 1, 1, tzinfo=UTC)
END = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
WEB = "https://github.com"
HACKTOBERFEST_LABEL = "hacktoberfest-accepted"

LABELS = {
    "documentation": Label("0075ca", "Improvements or additions to documentation", True),
    "bug": Label("d73a4a", "Something isn't working", True),
    "enhancement": Label("a2eeef", "New feature or request", True),
    "question": Label("d876e3", "Further information is requested", True),
    "good first issue": Label("7057ff", "Good for newcomers", True),
    "wontfix": Label("ffffff", "This will not be worked on", True),
    "tests": Label("0e8a16", "Test suite changes"),
    "ci": Label("1d76db", "Continuous integration and build"),
    "hacktoberfest": Label("ff7518", "Part of Hacktoberfest"),
    HACKTOBERFEST_LABEL: Label("1d1d1d", "Accepted Hacktoberfest contribution"),
}


@dataclass(frozen=True, slots=True)
class RepoSpec:
    """A repository of a generated world and the contributor's relationship with it."""

    full_name: str
    stars: int
    language: str | None
    description: str
    weight: float = 1.0  # how often the contributor opens pull requests here
    role: str = "external"  # own / member / collaborator / external
    since: datetime = START  # when ``role`` starts; before it the contributor is external
    topics: tuple[str, ...] = ()
    archived: bool = False
    fork_of: str | None = None

    @property
    def owner(self) -> str:
        """The account that owns the repository."""
        return self.full_name.split("/", 1)[0]


@dataclass(slots=True)
class _Draft:
    """A pull request or issue before numbers and node ids are assigned."""

    is_pr: bool
    repo: str
    author: str
    title: str
    created_at: datetime
    state: str = "open"
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    merged_by: str | None = None
    draft: bool = False
    labels: list[str] = field(default_factory=list)
    files: list[ChangedFile] | None = None
    comments: int = 0
    association: str = "NONE"
    state_reason: str | None = None
    updated_at: datetime | None = None
    body: str = ""
    closes: list[_Draft] = field(default_factory=list)
    closed_by: list[_Draft] = field(default_factory=list)
    number: int = 0
    node: str = ""

    @property
    def url(self) -> str:
        """The html url GitHub gives the item once it has a number."""
        return f"{WEB}/{self.repo}/{'pull' if self.is_pr else 'issues'}/{self.number}"


@dataclass(slots=True)
class _ReviewDraft:
    """A review before node ids are assigned."""

    pr: _Draft
    author: str
    state: str
    submitted_at: datetime
    comments: int
    association: str
    body: str


@dataclass(frozen=True, slots=True)
class WorldSpec:
    """The knobs that make one generated contributor."""

    login: str
    name: str
    bio: str
    seed: int
    repos: tuple[RepoSpec, ...]
    maintainers: dict[str, tuple[str, ...]]  # owner -> logins who merge and review there
    contributors: tuple[str, ...]  # other people whose pull requests the contributor reviews
    prs_per_month: tuple[float, float]  # rate in January 2022 and in December 2025
    issues_per_month: float
    reviewed_prs_per_month: tuple[float, float]
    scripted: bool = True  # add the hand-placed demo situations (journey firsts, Hacktoberfest, ...)
    engagement: EngagementSpec | None = (
        None  # answers, discussions, comments and commits (fakehub/engagement.py)
    )


_MODULES = (
    "config",
    "parser",
    "cli",
    "client",
    "cache",
    "render",
    "auth",
    "retry",
    "schema",
    "plugins",
    "io",
)
_DOCS = (
    "README.md",
    "docs/index.md",
    "docs/installation.md",
    "docs/configuration.md",
    "docs/tutorial/first-steps.md",
    "docs/api/reference.rst",
    "CONTRIBUTING.md",
    "CHANGELOG.md",
    "docs/faq.md",
    "docs/guides/migration.md",
)
_CI = (
    ".github/workflows/ci.yml",
    ".github/workflows/release.yml",
    ".github/workflows/docs.yml",
    ".github/dependabot.yml",
    ".pre-commit-config.yaml",
)
_LANGUAGE_PATHS = {
    "Python": ("src/{pkg}/{mod}.py", "tests/test_{mod}.py", "examples/{mod}_example.py", "pyproject.toml"),
    "TypeScript": ("src/{mod}.ts", "test/{mod}.test.ts", "examples/{mod}.ts", "package.json"),
    "Rust": ("src/{mod}.rs", "tests/{mod}.rs", "examples/{mod}.rs", "Cargo.toml"),
    "Go": ("{mod}/{mod}.go", "{mod}/{mod}_test.go", "examples/{mod}/main.go", "go.mod"),
    "C": ("src/{mod}.c", "tests/test_{mod}.c", "examples/{mod}.c", "Makefile"),
    "Shell": ("bin/{mod}.sh", "tests/{mod}.bats", "examples/{mod}.sh", "Makefile"),
}
_TOPICS = ("installation", "configuration", "the quick start", "error messages", "the plugin API", "caching")
_THINGS = ("config file", "cache entry", "header", "path", "token list", "plugin name", "locale")
_FEATURES = (
    "--json output",
    "retry backoff",
    "a dry-run mode",
    "colour themes",
    "proxy support",
    "glob patterns",
)
_TITLES = {
    "docs": (
        ("docs: fix typo in {doc}", "docs: clarify {topic}", "docs: add an example for {topic}"),
        ("Fix typo in {doc}", "Update {doc}", "Fix broken link in {doc}"),
    ),
    "code": (
        ("fix: handle an empty {thing} in {mod}", "feat: add {feature}", "perf: cache {thing} lookups"),
        ("Fix crash when the {thing} is missing", "Add {feature}", "Simplify the {mod} module"),
    ),
    "tests": (
        ("test: cover {mod} edge cases", "test: add regression test for {thing}"),
        ("Add tests for {mod}",),
    ),
    "ci": (
        ("ci: test on Python 3.12", "ci: cache dependencies", "build: pin actions to commit SHAs"),
        ("Run the linter in CI", "Speed up the CI workflow"),
    ),
    "examples": (
        ("docs(examples): add a {topic} example", "examples: show {feature}"),
        ("Add {mod} example",),
    ),
    "mixed": (("feat: support {feature}", "fix: {thing} handling in {mod}"), ("Support {feature}",)),
}
_KIND_WEIGHTS = {  # docs, code, tests, ci, examples, mixed: the contributor moves from docs to core work
    2022: (45, 20, 12, 5, 8, 10),
    2023: (28, 30, 15, 8, 7, 12),
    2024: (18, 36, 15, 12, 6, 13),
    2025: (16, 38, 14, 13, 6, 13),
}
_KINDS = ("docs", "code", "tests", "ci", "examples", "mixed")
_ISSUE_TITLES = {
    "bug": (
        "Crash when the {thing} is empty",
        "{mod}: wrong result with a unicode {thing}",
        "Timeout ignored in {mod}",
    ),
    "feature": ("Feature request: {feature}", "Allow configuring the {thing}", "Support {feature}"),
    "docs": ("Docs: {topic} is unclear", "Broken link in {doc}", "Document the {thing} option"),
    "question": ("How do I set the {thing}?", "Question about {topic}"),
}
_REVIEW_BODIES = {
    "APPROVED": ("LGTM, thanks!", "Looks good to me.", "", "Thanks for the clear description 🙏"),
    "CHANGES_REQUESTED": ("Could you add a test for the empty case?", "Please split this into two PRs."),
    "COMMENTED": ("A couple of small questions inline.", "Nice idea; see my notes.", ""),
}


def _month_starts() -> list[datetime]:
    """The first instant of each month of the 2022-2025 timeline."""
    return [datetime(2022 + m // 12, m % 12 + 1, 1, tzinfo=UTC) for m in range(48)]


def _between(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """A second-precision moment uniformly between ``low`` and ``high``."""
    span = max(0, int((high - low).total_seconds()))
    return low + timedelta(seconds=rng.randint(0, span))


def _later(rng: random.Random, moment: datetime, mean_hours: float, least_minutes: int = 10) -> datetime:
    """A moment after ``moment``, exponentially distributed: most reactions are quick, a few are slow."""
    hours = min(rng.expovariate(1 / mean_hours), 24 * 120)
    return moment + timedelta(minutes=least_minutes, seconds=int(hours * 3600))


class _World:
    """Builds one Dataset from a WorldSpec with a single seeded random generator."""

    def __init__(self, spec: WorldSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.repos = {r.full_name: r for r in spec.repos}
        self.drafts: list[_Draft] = []
        self.reviews: list[_ReviewDraft] = []
        self.login = spec.login
        self.weights = [r.weight for r in spec.repos]

    # -- choosing ----------------------------------------------------------------------------------

    def role(self, repo: RepoSpec, moment: datetime) -> str:
        """The contributor's relationship with ``repo`` at ``moment``."""
        return repo.role if moment >= repo.since else "external"

    def pick_repo(self, moment: datetime) -> RepoSpec:
        """A repository for new work at ``moment``, weighted by where the contributor is active."""
        while True:
            repo = self.rng.choices(self.spec.repos, self.weights)[0]
            if repo.role != "own" or moment >= repo.since:
                return repo

    def maintainer(self, repo: RepoSpec) -> str:
        """Someone who merges and reviews in ``repo``."""
        return self.rng.choice(self.spec.maintainers.get(repo.owner, (repo.owner,)))

    def fill(self, template: str, repo: RepoSpec) -> str:
        """A title or path template with its placeholders filled in."""
        rng = self.rng
        return template.format(
            doc=rng.choice(_DOCS[:6]).rsplit("/", 1)[-1],
            topic=rng.choice(_TOPICS),
            thing=rng.choice(_THINGS),
            mod=rng.choice(_MODULES),
            feature=rng.choice(_FEATURES),
            pkg=repo.full_name.split("/")[1].replace("-", "_"),
        )

    def title(self, kind: str, repo: RepoSpec) -> str:
        """A PR title for ``kind``, with a Conventional-Commit prefix seven times in ten."""
        prefixed, plain = _TITLES[kind]
        pool = prefixed if self.rng.random() < 0.7 else plain
        return self.fill(self.rng.choice(pool), repo)

    def files(self, kind: str, repo: RepoSpec) -> list[ChangedFile]:
        """Changed files that look like a ``kind`` pull request in a repository of ``repo.language``."""
        rng = self.rng
        if repo.language not in _LANGUAGE_PATHS:
            kind = "docs"
        paths: dict[str, tuple[str, int, int]] = {}

        def add(path: str, status: str, added: tuple[int, int], removed: tuple[int, int]) -> None:
            """Add one changed file, unless the path is already in the PR."""
            deletions = 0 if status == "added" else rng.randint(*removed)
            additions = 0 if status == "removed" else rng.randint(*added)
            paths.setdefault(path, (status, additions, deletions))

        def source(slot: int) -> str:
            """A path from slot ``slot`` of the repository language's layout."""
            template = _LANGUAGE_PATHS[repo.language or ""][slot]
            return self.fill(template, repo)

        if kind == "docs":
            for path in rng.sample(_DOCS, rng.randint(1, 3)):
                add(path, "modified", (1, 40), (0, 15))
        if kind in ("code", "mixed"):
            for _ in range(rng.randint(1, 4)):
                add(source(0), rng.choice(("modified", "modified", "modified", "added")), (3, 160), (0, 60))
            if rng.random() < 0.15:
                add(_LANGUAGE_PATHS[repo.language or ""][3], "modified", (1, 4), (0, 3))
        if kind in ("tests", "mixed") or (kind == "code" and rng.random() < 0.4):
            for _ in range(rng.randint(1, 2)):
                add(source(1), rng.choice(("added", "modified")), (8, 120), (0, 20))
        if kind == "mixed":
            add(rng.choice(_DOCS[:4]), "modified", (2, 30), (0, 8))
        if kind == "ci":
            for path in rng.sample(_CI, rng.randint(1, 2)):
                add(path, rng.choice(("modified", "modified", "added")), (2, 30), (0, 10))
        if kind == "examples":
            add(source(2), "added", (15, 90), (0, 0))
            if rng.random() < 0.5:
                add("examples/README.md", "modified", (2, 12), (0, 2))
        if rng.random() < 0.03 and paths:
            path = next(iter(paths))
            paths[path] = ("renamed", paths[path][1], paths[path][2])
        return [ChangedFile(path, status, adds, dels) for path, (status, adds, dels) in paths.items()]

    def labels_for(self, kind: str, title: str) -> list[str]:
        """The labels a maintainer would put on such a pull request."""
        rng = self.rng
        if kind == "docs" and rng.random() < 0.6:
            return ["documentation"]
        if title.lower().startswith(("fix", "crash")) and rng.random() < 0.5:
            return ["bug"]
        if title.lower().startswith(("feat", "add", "support")) and rng.random() < 0.5:
            return ["enhancement"]
        if kind in ("tests", "ci") and rng.random() < 0.3:
            return [kind]
        return []

    # -- outcomes ----------------------------------------------------------------------------------

    def settle_pr(self, draft: _Draft, repo: RepoSpec, merged_share: float, closed_share: float) -> None:
        """Decide whether a pull request was merged, closed or is still open, and when."""
        rng = self.rng
        recent = draft.created_at >= END - timedelta(days=150)
        draw = rng.random()
        open_share = 0.4 if recent else 0.04
        if draw < open_share:
            draft.state = "open"
            draft.draft = rng.random() < 0.3
            draft.updated_at = _between(
                rng, draft.created_at, min(END, draft.created_at + timedelta(days=60))
            )
            return
        outcome = "merged" if rng.random() < merged_share / (merged_share + closed_share) else "closed"
        closed = _later(rng, draft.created_at, 72 if outcome == "merged" else 24 * 20)
        if closed > END:
            draft.state = "open"
            draft.updated_at = _between(rng, draft.created_at, END)
            return
        draft.state = outcome
        draft.closed_at = closed
        draft.updated_at = min(END, closed + timedelta(minutes=rng.randint(0, 3000)))
        if outcome == "merged":
            draft.merged_at = closed
            draft.merged_by = self.merger(draft, repo)

    def merger(self, draft: _Draft, repo: RepoSpec) -> str:
        """Who merges ``draft``: the contributor in its own (and later its member) repositories."""
        role = self.role(repo, draft.created_at)
        if draft.author == self.login:
            if role == "own" or (role == "member" and self.rng.random() < 0.5):
                return self.login
            if role == "collaborator" and self.rng.random() < 0.3:
                return self.login
            return self.maintainer(repo)
        if role == "own" or (role in ("member", "collaborator") and self.rng.random() < 0.55):
            return self.login
        return self.maintainer(repo)

    # -- the contributor's pull requests -----------------------------------------------------------

    def new_pr(
        self,
        repo: RepoSpec,
        moment: datetime,
        kind: str,
        *,
        author: str | None = None,
        title: str | None = None,
        files: list[ChangedFile] | None = None,
        labels: list[str] | None = None,
        settle: bool = True,
    ) -> _Draft:
        """Add a pull request; unless ``settle`` is False its outcome is drawn too."""
        author = author or self.login
        if repo.language not in _LANGUAGE_PATHS:
            kind = "docs"
        title = title or self.title(kind, repo)
        draft = _Draft(True, repo.full_name, author, title, moment)
        draft.files = files if files is not None else self.files(kind, repo)
        draft.labels = labels if labels is not None else self.labels_for(kind, title)
        draft.comments = min(int(self.rng.expovariate(0.6)), 25)
        draft.body = self.rng.choice(
            (
                "",
                f"This changes {len(draft.files)} file(s).",
                "## Summary\n\nSmall, focused change.\n\n- [x] tests pass",
                "Follow-up to the discussion in the issue tracker.",
            )
        )
        if settle:
            own = self.role(repo, moment) in ("own", "member") and author == self.login
            self.settle_pr(draft, repo, 0.95 if own else 0.74, 0.05 if own else 0.26)
        self.drafts.append(draft)
        return draft

    def kind_for(self, moment: datetime) -> str:
        """What kind of work a PR created at ``moment`` is, shifting from docs to code over the years."""
        return self.rng.choices(_KINDS, _KIND_WEIGHTS[moment.year])[0]

    def monthly(self, rates: tuple[float, float]) -> list[tuple[datetime, datetime, int]]:
        """For each month, its bounds and how many events fall in it (a ramp from rates[0] to rates[1])."""
        months = _month_starts()
        out = []
        for m, start in enumerate(months):
            end = (months[m + 1] if m + 1 < len(months) else END + timedelta(seconds=1)) - timedelta(
                seconds=1
            )
            rate = rates[0] + (rates[1] - rates[0]) * m / 47
            out.append((start, end, max(0, round(rate * self.rng.uniform(0.6, 1.4)))))
        return out

    def contributor_prs(self) -> None:
        """The contributor's pull requests, month by month."""
        for start, end, count in self.monthly(self.spec.prs_per_month):
            for _ in range(count):
                moment = _between(self.rng, start, end)
                repo = self.pick_repo(moment)
                self.new_pr(repo, moment, self.kind_for(moment))

    # -- issues ------------------------------------------------------------------------------------

    def fix_with_pr(self, issue: _Draft, repo: RepoSpec, author: str, kind: str) -> bool:
        """Close ``issue`` with a merged pull request by ``author``; False when the timeline has no room."""
        rng = self.rng
        opened = _later(rng, issue.created_at, 24 * 6)
        merged = _later(rng, opened, 60)
        if merged > END:
            return False
        title = self.fill(
            rng.choice(("fix: {thing} handling in {mod}", "Fix the {thing} bug", "docs: explain {topic}"))
            if kind != "docs"
            else rng.choice(("docs: clarify {topic}", "Fix broken link in {doc}")),
            repo,
        )
        pr = self.new_pr(
            repo, opened, "docs" if kind == "docs" else "code", author=author, title=title, settle=False
        )
        pr.state, pr.closed_at, pr.merged_at = "merged", merged, merged
        pr.merged_by = self.merger(pr, repo)
        pr.updated_at = min(END, merged + timedelta(minutes=rng.randint(1, 600)))
        pr.closes.append(issue)
        issue.closed_by.append(pr)
        issue.state, issue.state_reason, issue.closed_at = "closed", "completed", merged
        issue.updated_at = pr.updated_at
        return True

    def new_issue(
        self,
        repo: RepoSpec,
        moment: datetime,
        kind: str,
        *,
        title: str | None = None,
        author: str | None = None,
    ) -> _Draft:
        """Add an issue, open until something settles it."""
        rng = self.rng
        title = title or self.fill(rng.choice(_ISSUE_TITLES[kind]), repo)
        label = {"bug": "bug", "feature": "enhancement", "docs": "documentation", "question": "question"}[
            kind
        ]
        issue = _Draft(False, repo.full_name, author or self.login, title, moment, labels=[label])
        issue.comments = min(int(rng.expovariate(0.4)), 40)
        issue.body = rng.choice(
            (
                "### Steps to reproduce\n\n1. Run the command\n2. See the error\n",
                "It would help if this were configurable.",
                "",
                "Tested on Linux and macOS.",
            )
        )
        issue.updated_at = _between(rng, moment, min(END, moment + timedelta(days=30)))
        self.drafts.append(issue)
        return issue

    def settle_issue(self, issue: _Draft, repo: RepoSpec, kind: str) -> None:
        """Close or leave open one of the contributor's issues, sometimes through a linked fix."""
        rng = self.rng
        draw = rng.random()
        fix_share = {"bug": 0.55, "feature": 0.2, "docs": 0.6, "question": 0.0}[kind]
        if draw < fix_share:
            author = self.login if rng.random() < 0.65 else self.maintainer(repo)
            if self.fix_with_pr(issue, repo, author, kind):
                return
        draw = rng.random()
        not_planned = {"bug": 0.2, "feature": 0.45, "docs": 0.1, "question": 0.0}[kind]
        if draw < 0.25:
            return
        closed = _later(rng, issue.created_at, 24 * 14)
        if closed > END:
            return
        issue.state, issue.closed_at = "closed", closed
        issue.state_reason = "not_planned" if rng.random() < not_planned else "completed"
        issue.updated_at = closed

    def contributor_issues(self) -> None:
        """The contributor's issues, month by month, each settled."""
        months = self.monthly((self.spec.issues_per_month * 0.7, self.spec.issues_per_month * 1.3))
        for start, end, count in months:
            for _ in range(count):
                moment = _between(self.rng, start, end)
                repo = self.pick_repo(moment)
                kind = self.rng.choices(("bug", "feature", "docs", "question"), (40, 30, 15, 15))[0]
                self.settle_issue(self.new_issue(repo, moment, kind), repo, kind)

    def close_others_issues(self, share: float) -> None:
        """Let some of the contributor's merged pull requests close issues other people reported."""
        rng = self.rng
        for pr in [d for d in self.drafts if d.is_pr and d.author == self.login and d.state == "merged"]:
            if rng.random() >= share or pr.closes:
                continue
            repo = self.repos[pr.repo]
            reporter = rng.choice(self.spec.contributors)
            moment = max(START, pr.created_at - timedelta(days=rng.randint(2, 60)))
            issue = self.new_issue(repo, moment, "bug", author=reporter)
            issue.association = "NONE"
            issue.state, issue.state_reason, issue.closed_at = "closed", "completed", pr.merged_at
            issue.updated_at = pr.updated_at
            issue.closed_by.append(pr)
            pr.closes.append(issue)

    # -- reviews -----------------------------------------------------------------------------------

    def review_targets(self, moment: datetime) -> RepoSpec:
        """A repository where the contributor plausibly reviews: own, member, collaborator, or big ones."""
        eligible = [
            r
            for r in self.spec.repos
            if (r.role in ("own", "member", "collaborator") and moment >= r.since) or r.stars > 10_000
        ]
        weights = [4.0 if self.role(r, moment) != "external" else 0.6 for r in eligible]
        return self.rng.choices(eligible, weights)[0]

    def reviewed_prs(self) -> None:
        """Other people's pull requests the contributor reviews, from early 2023 on."""
        rng = self.rng
        first_review = START + timedelta(days=420)
        for start, end, count in self.monthly(self.spec.reviewed_prs_per_month):
            if end < first_review:
                continue
            for _ in range(count):
                moment = _between(rng, max(start, first_review), end)
                repo = self.review_targets(moment)
                author = rng.choice(self.spec.contributors)
                pr = self.new_pr(repo, moment, self.kind_for(moment), author=author, settle=False)
                self.settle_pr(pr, repo, 0.8, 0.2)
                pr.association = rng.choice(("CONTRIBUTOR", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"))
                rounds = rng.choices((1, 2, 3), (65, 30, 5))[0]
                self.add_reviews(pr, repo, self.login, rounds)

    def add_reviews(self, pr: _Draft, repo: RepoSpec, reviewer: str, rounds: int) -> None:
        """Up to ``rounds`` reviews of ``pr`` by ``reviewer``, ending in a state that fits its outcome."""
        rng = self.rng
        last = pr.closed_at or END
        moment = pr.created_at
        for round_number in range(rounds):
            moment = _later(rng, moment, 20, least_minutes=5)
            if moment >= last:
                break
            final = round_number == rounds - 1
            if final and pr.state == "merged":
                state = rng.choices(("APPROVED", "COMMENTED"), (75, 25))[0]
            elif final and pr.state == "closed":
                state = rng.choice(("CHANGES_REQUESTED", "COMMENTED"))
            elif final:
                state = rng.choice(("APPROVED", "CHANGES_REQUESTED", "COMMENTED"))
            else:
                state = rng.choice(("CHANGES_REQUESTED", "COMMENTED"))
            comments = 0 if state == "APPROVED" and rng.random() < 0.8 else rng.randint(1, 6)
            self.reviews.append(
                _ReviewDraft(
                    pr,
                    reviewer,
                    state,
                    moment,
                    comments,
                    self.reviewer_association(reviewer, repo, moment),
                    rng.choice(_REVIEW_BODIES[state]),
                )
            )

    def reviewer_association(self, reviewer: str, repo: RepoSpec, moment: datetime) -> str:
        """The reviewer's author_association on ``repo`` at ``moment``."""
        if reviewer != self.login:
            return "OWNER" if reviewer == repo.owner else "MEMBER"
        role = self.role(repo, moment)
        return {"own": "OWNER", "member": "MEMBER", "collaborator": "COLLABORATOR"}.get(role, "CONTRIBUTOR")

    def maintainer_reviews(self, share: float) -> None:
        """Maintainers review some of the contributor's pull requests in other people's repositories."""
        for pr in [d for d in self.drafts if d.is_pr and d.author == self.login]:
            repo = self.repos[pr.repo]
            if self.role(repo, pr.created_at) != "own" and self.rng.random() < share:
                self.add_reviews(pr, repo, self.maintainer(repo), 1)

    # -- the hand-placed demo situations -------------------------------------------------------------

    def scripted(self) -> None:
        """Situations the demo must show whatever the seed: journey firsts, non-Latin titles, huge PRs."""
        r = self.repos
        at = lambda y, mo, d, h=10: datetime(y, mo, d, h, 17, 42, tzinfo=UTC)  # noqa: E731

        first = self.new_pr(
            r["lumen-ui/lumen"],
            at(2022, 1, 18),
            "docs",
            title="docs: fix typo in the installation guide",
            files=[ChangedFile("docs/installation.md", "modified", 1, 1)],
            labels=["documentation"],
            settle=False,
        )
        self.merge(first, at(2022, 1, 20), "mira-kowalski")

        report = self.new_issue(
            r["cobalt-http/cobalt"], at(2022, 1, 9), "bug", title="Crash when the config file is empty"
        )
        fix = self.new_pr(
            r["cobalt-http/cobalt"],
            at(2022, 2, 3),
            "code",
            title="fix: handle an empty config file",
            files=[
                ChangedFile("src/cobalt/config.py", "modified", 9, 2),
                ChangedFile("tests/test_config.py", "modified", 24, 0),
            ],
            labels=["bug"],
            settle=False,
        )
        self.merge(fix, at(2022, 2, 7), "tomas-reyes")
        self.link(fix, report)

        preview_issue = self.new_issue(
            r["quillmark/quill"],
            at(2022, 5, 30),
            "bug",
            title="Label names with angle brackets break the preview",
        )
        preview_issue.body = "Steps: create a label whose name contains `a < b` and open the preview."
        escape = self.new_pr(
            r["quillmark/quill"],
            at(2022, 6, 8),
            "mixed",
            title="fix: escape HTML in rendered titles and labels",
            labels=["bug", "good first issue"],
            settle=False,
        )
        escape.body = "Titles and labels are escaped before rendering, so a `<` shows as text.\n\nAdds a regression test."
        self.merge(escape, at(2022, 6, 15), "lee-chen")
        self.link(escape, preview_issue)

        self.new_pr(
            r["li-wen/zh-translate"],
            at(2022, 3, 14),
            "docs",
            title="docs: 修正安装指南中的错别字",
            files=[ChangedFile("docs/zh/安装.md", "modified", 3, 3)],
            labels=["documentation"],
        )
        markdown = self.new_pr(
            r["quillmark/quill-plugins"],
            at(2023, 2, 21),
            "docs",
            title="docs: document the `--json` flag and `QUILL_HOME`",
            labels=[],
            settle=False,
        )
        markdown.state, markdown.closed_at = "closed", at(2023, 3, 2)
        markdown.updated_at = markdown.closed_at
        sparkles = self.new_pr(
            r[f"{self.login}/tiny-cli"],
            at(2023, 5, 6),
            "code",
            title="✨ feat: add sparkles to the progress bar 🎉",
            labels=["enhancement"],
            settle=False,
        )
        self.merge(sparkles, at(2023, 5, 6, 18), self.login)
        hebrew = self.new_pr(
            r["openmeadow/meadow-docs"],
            at(2023, 8, 11),
            "docs",
            title="docs: תיקון קישור שבור במדריך ההתקנה",
            labels=["documentation"],
            settle=False,
        )
        self.merge(hebrew, at(2023, 8, 14), "yuki-tan")
        self.new_pr(
            r["openmeadow/meadow-docs"],
            at(2024, 2, 19),
            "docs",
            title="إصلاح رابط معطوب في README",
            files=[ChangedFile("README.md", "modified", 1, 1)],
            labels=["documentation"],
        )
        normalise = self.new_pr(
            r["fernwood-labs/fernwood"],
            at(2024, 4, 9),
            "code",
            title="Normalise label names before display",
            labels=["bug"],
            settle=False,
        )
        self.merge(normalise, at(2024, 4, 12), "noah-kim")
        self.new_issue(
            r["cobalt-http/cobalt"],
            at(2022, 11, 2),
            "feature",
            title="Support 日本語 file names in the archive",
        )
        reopened = self.new_issue(
            r["paperplane-dev/paperplane"], at(2024, 7, 1), "bug", title="Windows paths are not normalised"
        )
        reopened.state_reason = "reopened"
        dark = self.new_issue(
            r["cobalt-http/cobalt"], at(2023, 4, 4), "feature", title="Add a dark mode to the CLI"
        )
        dark.state, dark.state_reason, dark.closed_at = "closed", "not_planned", at(2023, 4, 20)
        dark.updated_at = dark.closed_at

        links = self.new_pr(
            r["nimbus-data/nimbus-docs"],
            at(2023, 9, 12),
            "docs",
            title="docs: fix broken links across the documentation",
            labels=["documentation"],
            settle=False,
            files=[ChangedFile(f"docs/reference/page-{n:03d}.md", "modified", 1, 1) for n in range(142)],
        )
        self.merge(links, at(2023, 9, 20), "anika-shah")
        rename = self.new_pr(
            r["nimbus-data/nimbus"],
            at(2024, 9, 3),
            "code",
            title="refactor: rename nimbus.io to nimbus.storage",
            labels=["enhancement"],
            settle=False,
            files=[ChangedFile(f"src/nimbus/storage/module_{n:03d}.py", "modified", 4, 4) for n in range(104)]
            + [ChangedFile(f"tests/storage/test_module_{n:02d}.py", "modified", 2, 2) for n in range(14)],
        )
        self.merge(rename, at(2024, 9, 10), self.login)
        formatter = self.new_pr(
            r["nimbus-data/nimbus-plugins"],
            at(2025, 3, 17),
            "code",
            title="Apply the formatter to every module",
            labels=[],
            settle=False,
            files=[ChangedFile(f"plugins/p{n:03d}/main.py", "modified", 12, 9) for n in range(263)],
        )
        formatter.state, formatter.closed_at = "closed", at(2025, 3, 19)
        formatter.updated_at = formatter.closed_at

        october = [
            ("quillmark/quill", 2, "docs", "docs: add a table of keyboard shortcuts", True),
            ("paperplane-dev/paperplane", 6, "tests", "test: cover retry backoff edge cases", True),
            ("fernwood-labs/fernwood", 11, "code", "fix: handle an empty locale", True),
            ("openmeadow/meadow-cli", 19, "docs", "docs: clarify the quick start", True),
            (f"{self.login}/awesome-docs-tools", 24, "docs", "Add three documentation linters", True),
            ("paperplane-dev/paperplane", 27, "examples", "examples: show proxy support", False),
        ]
        for name, day, kind, title, accepted in october:
            pr = self.new_pr(
                r[name],
                at(2023, 10, day),
                kind,
                title=title,
                settle=False,
                labels=["hacktoberfest"] + (["documentation"] if kind == "docs" else []),
            )
            if accepted:
                self.merge(pr, at(2023, 10, day) + timedelta(days=2), self.merger(pr, r[name]))
                pr.labels.append(HACKTOBERFEST_LABEL)
            else:
                pr.state, pr.closed_at = "closed", at(2023, 11, 8)
                pr.updated_at = pr.closed_at

    def merge(self, pr: _Draft, moment: datetime, by: str) -> None:
        """Mark ``pr`` merged by ``by`` at ``moment``."""
        pr.state, pr.closed_at, pr.merged_at, pr.merged_by = "merged", moment, moment, by
        pr.updated_at = moment + timedelta(minutes=3)

    @staticmethod
    def link(pr: _Draft, issue: _Draft) -> None:
        """Record that merging ``pr`` closed ``issue``."""
        pr.closes.append(issue)
        issue.closed_by.append(pr)
        issue.state, issue.state_reason, issue.closed_at = "closed", "completed", pr.merged_at
        issue.updated_at = pr.updated_at

    # -- finishing -----------------------------------------------------------------------------------

    def associations(self) -> None:
        """author_association as of each item's creation: OWNER/MEMBER/COLLABORATOR, else by merged history."""
        first_merge: dict[str, datetime] = {}
        for d in self.drafts:
            if d.is_pr and d.author == self.login and d.merged_at is not None:
                first_merge[d.repo] = min(first_merge.get(d.repo, d.merged_at), d.merged_at)
        for d in self.drafts:
            if d.author != self.login:
                owner = self.repos[d.repo].owner
                if d.author == owner:
                    d.association = "OWNER"
                elif d.author in self.spec.maintainers.get(owner, ()):
                    d.association = "MEMBER"
                continue
            role = self.role(self.repos[d.repo], d.created_at)
            if role in ("own", "member", "collaborator"):
                d.association = {"own": "OWNER", "member": "MEMBER", "collaborator": "COLLABORATOR"}[role]
            elif d.repo in first_merge and first_merge[d.repo] < d.created_at:
                d.association = "CONTRIBUTOR"
            else:
                d.association = "FIRST_TIME_CONTRIBUTOR" if d.is_pr else "NONE"

    def number_items(self) -> None:
        """Give every repository's pull requests and issues one rising number sequence, as GitHub does."""
        by_repo: dict[str, list[_Draft]] = defaultdict(list)
        for d in self.drafts:
            by_repo[d.repo].append(d)
        for name, items in sorted(by_repo.items()):
            items.sort(key=lambda d: (d.created_at, d.is_pr, d.title))
            stars = self.repos[name].stars
            number = 1 + stars // 25
            gap = 1 + stars // 2000
            for d in items:
                number += self.rng.randint(1, gap)
                d.number = number

    def build(self) -> Dataset:
        """Run every step and freeze the drafts into the model's immutable records."""
        self.contributor_prs()
        if self.spec.scripted:
            self.scripted()
        self.contributor_issues()
        self.close_others_issues(0.03)
        self.reviewed_prs()
        self.maintainer_reviews(0.55)
        self.associations()
        self.number_items()
        return self.freeze()

    def freeze(self) -> Dataset:
        """Turn the drafts into model records with node ids, and assemble the Dataset."""
        rng = self.rng
        repo_ids: dict[str, int] = {}
        repos: dict[str, Repo] = {}
        for index, spec in enumerate(sorted(self.spec.repos, key=lambda r: r.full_name)):
            repo_ids[spec.full_name] = 200_000_000 + index * 7_919 + rng.randint(0, 7_000)
            repos[spec.full_name] = Repo(
                full_name=spec.full_name,
                owner_login=spec.owner,
                owner_type="User" if spec.owner in self.user_owners() else "Organization",
                stars=spec.stars,
                forks=spec.stars // 9 + rng.randint(0, 5),
                language=spec.language,
                topics=spec.topics,
                is_fork=spec.fork_of is not None,
                archived=spec.archived,
                description=spec.description,
                html_url=f"{WEB}/{spec.full_name}",
                node_id=node_id("R", repo_ids[spec.full_name]),
            )
        ordered = sorted(self.drafts, key=lambda d: (d.created_at, d.repo, d.number))
        bodies: dict[str, str] = {}
        for serial, d in enumerate(ordered):
            base = 1_400_000_000 if d.is_pr else 1_900_000_000
            d.node = node_id("PR" if d.is_pr else "I", repo_ids[d.repo], base + serial * 37)
            if d.body:
                bodies[d.node] = d.body
        prs: list[PullRequest] = []
        issues: list[Issue] = []
        for d in ordered:
            if d.is_pr:
                closes = [i.url for i in d.closes]
                body = bodies.get(d.node, "")
                if closes:
                    body = (body + "\n\n" if body else "") + "\n".join(f"Closes {url}" for url in closes)
                    bodies[d.node] = body
                files = tuple(d.files or ())
                prs.append(
                    PullRequest(
                        node_id=d.node,
                        repo=d.repo,
                        number=d.number,
                        title=d.title,
                        url=d.url,
                        author=d.author,
                        state=d.state,
                        created_at=d.created_at,
                        draft=d.draft,
                        closed_at=d.closed_at,
                        merged_at=d.merged_at,
                        merged_by=d.merged_by,
                        additions=sum(f.additions or 0 for f in files),
                        deletions=sum(f.deletions or 0 for f in files),
                        changed_files=len(files),
                        labels=tuple(d.labels),
                        files=files,
                        comments=d.comments,
                        author_association=d.association,
                        closes=tuple(closes),
                        updated_at=d.updated_at,
                    )
                )
            else:
                issues.append(
                    Issue(
                        node_id=d.node,
                        repo=d.repo,
                        number=d.number,
                        title=d.title,
                        url=d.url,
                        author=d.author,
                        state=d.state,
                        created_at=d.created_at,
                        state_reason=d.state_reason,
                        closed_at=d.closed_at,
                        labels=tuple(d.labels),
                        comments=d.comments,
                        closed_by=tuple(p.url for p in d.closed_by),
                        author_association=d.association,
                        updated_at=d.updated_at,
                    )
                )
        reviews: list[Review] = []
        review_associations: dict[str, str] = {}
        for serial, r in enumerate(sorted(self.reviews, key=lambda r: (r.submitted_at, r.pr.node, r.author))):
            review_node = node_id("PRR", repo_ids[r.pr.repo], 2_400_000_000 + serial * 29)
            reviews.append(
                Review(
                    node_id=review_node,
                    pr_url=r.pr.url,
                    repo=r.pr.repo,
                    author=r.author,
                    state=r.state,
                    submitted_at=r.submitted_at,
                    comments=r.comments,
                    pr_author=r.pr.author,
                )
            )
            review_associations[review_node] = r.association
            if r.body:
                bodies[review_node] = r.body
        return Dataset(
            profiles=self.profiles(repos, prs, issues, reviews),
            repos=repos,
            pull_requests=prs,
            issues=issues,
            reviews=reviews,
            tokens={DEFAULT_TOKEN},
            viewer=self.login,
            bodies=bodies,
            labels=dict(LABELS),
            fork_parents={s.full_name: s.fork_of for s in self.spec.repos if s.fork_of},
            review_associations=review_associations,
        )

    def user_owners(self) -> set[str]:
        """Owners that are people (the contributor and a few others), not organisations."""
        return (
            {self.login}
            | {
                r.owner
                for r in self.spec.repos
                if r.role == "collaborator" or r.owner in self.spec.contributors
            }
            | {r.owner for r in self.spec.repos if r.owner in _PEOPLE}
        )

    def profiles(
        self, repos: dict[str, Repo], prs: list[PullRequest], issues: list[Issue], reviews: list[Review]
    ) -> dict[str, Profile]:
        """A profile for every account the dataset mentions."""
        logins = {self.login}
        logins |= {r.owner_login for r in repos.values()}
        logins |= {p.author for p in prs} | {p.merged_by for p in prs if p.merged_by}
        logins |= {i.author for i in issues} | {r.author for r in reviews}
        people = self.user_owners()
        profiles: dict[str, Profile] = {}
        for index, login in enumerate(sorted(logins)):
            user_id = 40_000_000 + index * 104_729
            is_org = any(r.owner_login == login and r.owner_type == "Organization" for r in repos.values())
            is_org = is_org and login not in people
            if login == self.login:
                profiles[login] = Profile(
                    login=login,
                    name=self.spec.name,
                    avatar_url=f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
                    bio=self.spec.bio,
                    company="Fictional Co. (not a real company)",
                    location="Nowhere (fictional)",
                    blog=f"https://example.com/{login}",
                    followers=128,
                    public_repos=sum(1 for r in repos.values() if r.owner_login == login),
                    created_at=datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
                    html_url=f"{WEB}/{login}",
                    node_id=node_id("U", user_id),
                    type="User",
                )
                continue
            title = login.replace("-", " ").title()
            profiles[login] = Profile(
                login=login,
                name=f"{title} (fictional)",
                avatar_url=f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
                bio="A generated organisation for the demo." if is_org else "A generated demo account.",
                company=None,
                location=None,
                blog=None,
                followers=(index * 37) % 900,
                public_repos=sum(1 for r in repos.values() if r.owner_login == login) + (index % 12),
                created_at=datetime(
                    2012 + index % 9, 1 + index % 12, 1 + index % 27, 8, index % 60, 0, tzinfo=UTC
                ),
                html_url=f"{WEB}/{login}",
                node_id=node_id("O" if is_org else "U", user_id),
                type="Organization" if is_org else "User",
            )
        return profiles


_PEOPLE = ("kim-ode", "rafael-mota", "li-wen", "sam-okafor")
_CONTRIBUTORS = (
    "jo-park",
    "priya-n",
    "owen-b",
    "fatima-z",
    "gus-larsen",
    "ivan-p",
    "ella-r",
    "sara-m",
    "kofi-mensah",
    "ana-lima",
    "ben-ito",
    "chloe-dubois",
    "dmitri-v",
    "eva-novak",
    "femi-ade",
    "hana-sato",
    "ines-costa",
    "jonas-berg",
    "lars-holm",
    "maya-patel",
)
_MAINTAINERS = {
    "lumen-ui": ("mira-kowalski", "lee-chen"),
    "cobalt-http": ("tomas-reyes", "anika-shah"),
    "nimbus-data": ("anika-shah", "yuki-tan"),
    "quillmark": ("lee-chen", "noah-kim"),
    "orbit-lang": ("ivo-marsh", "ruth-adeyemi"),
    "paperplane-dev": ("noah-kim", "tomas-reyes"),
    "fernwood-labs": ("noah-kim",),
    "gridlock-db": ("ruth-adeyemi", "ivo-marsh"),
    "mossy-garden": ("pia-lund",),
    "tinyjson-org": ("pia-lund",),
    "openmeadow": ("yuki-tan", "mira-kowalski"),
    "harborkit": ("ivo-marsh", "lee-chen"),
    "aurora-sci": ("ruth-adeyemi", "anika-shah"),
}


def _demo_repos(login: str) -> tuple[RepoSpec, ...]:
    """The demo world's repositories: the contributor's own, an organisation it joins, and others."""
    at = lambda y, m: datetime(y, m, 1, tzinfo=UTC)  # noqa: E731
    hf = ("hacktoberfest",)
    return (
        RepoSpec(f"{login}/dotfiles", 3, "Shell", "My shell and editor settings (fictional).", 0.4, "own"),
        RepoSpec(f"{login}/tiny-cli", 124, "Python", "A tiny command-line toolkit (fictional).", 3.0, "own"),
        RepoSpec(f"{login}/blog", 5, None, "Notes on open source (fictional).", 0.6, "own"),
        RepoSpec(
            f"{login}/awesome-docs-tools",
            1_640,
            None,
            "A curated list of documentation tools.",
            1.6,
            "own",
            at(2023, 1),
            hf,
        ),
        RepoSpec(
            f"{login}/pyfmt-action", 35, "Python", "A GitHub Action that runs pyfmt.", 0.8, "own", at(2023, 6)
        ),
        RepoSpec(
            f"{login}/nimbus",
            0,
            "Python",
            "Fork of nimbus-data/nimbus.",
            0.2,
            "own",
            fork_of="nimbus-data/nimbus",
        ),
        RepoSpec(
            f"{login}/old-site", 2, "TypeScript", "My old website (archived).", 0.2, "own", archived=True
        ),
        RepoSpec(
            "nimbus-data/nimbus",
            48_200,
            "Python",
            "Distributed dataframes for everyone.",
            3.5,
            "member",
            at(2024, 6),
            ("python", "dataframe"),
        ),
        RepoSpec(
            "nimbus-data/nimbus-docs", 1_210, None, "Documentation for nimbus.", 2.0, "member", at(2024, 6)
        ),
        RepoSpec(
            "nimbus-data/nimbus-plugins", 610, "Python", "Community plugins.", 1.2, "member", at(2024, 6)
        ),
        RepoSpec("nimbus-data/nimbus-benchmarks", 88, "Python", "Benchmarks.", 0.4, "member", at(2024, 6)),
        RepoSpec(
            "lumen-ui/lumen", 52_400, "TypeScript", "A UI component library.", 1.6, topics=("ui", "react")
        ),
        RepoSpec("lumen-ui/lumen-icons", 3_050, "TypeScript", "Icons for lumen.", 0.5),
        RepoSpec("lumen-ui/lumen-website", 410, "TypeScript", "The lumen website.", 0.6),
        RepoSpec("cobalt-http/cobalt", 21_300, "Python", "An HTTP client for humans.", 1.5),
        RepoSpec("cobalt-http/cobalt-docs", 260, None, "Cobalt's documentation.", 0.8),
        RepoSpec("quillmark/quill", 12_100, "TypeScript", "Markdown that renders anywhere.", 1.2, topics=hf),
        RepoSpec("quillmark/quill-plugins", 540, "TypeScript", "Quill plugins.", 0.5, topics=hf),
        RepoSpec("orbit-lang/orbit", 8_500, "Rust", "A small systems language.", 0.9),
        RepoSpec("orbit-lang/orbit-book", 930, None, "The Orbit book.", 0.8),
        RepoSpec("orbit-lang/orbit-vscode", 150, "TypeScript", "VS Code support for Orbit.", 0.3),
        RepoSpec("paperplane-dev/paperplane", 2_300, "Go", "Send files fast.", 0.8, topics=hf),
        RepoSpec("fernwood-labs/fernwood", 310, "Python", "Plant identification models.", 0.7, topics=hf),
        RepoSpec("gridlock-db/gridlock", 5_600, "Go", "An embedded key-value store.", 0.6),
        RepoSpec("gridlock-db/gridlock-py", 420, "Python", "Python bindings for gridlock.", 0.5),
        RepoSpec("mossy-garden/mossy", 45, "Python", "A static garden generator.", 0.3),
        RepoSpec("tinyjson-org/tinyjson", 180, "C", "A JSON parser in one file.", 0.4),
        RepoSpec("openmeadow/meadow-cli", 760, "Rust", "The meadow command line.", 0.6, topics=hf),
        RepoSpec("openmeadow/meadow-docs", 95, None, "Meadow documentation.", 0.5, topics=hf),
        RepoSpec("harborkit/harbor", 14_000, "Go", "Container image toolkit.", 0.6),
        RepoSpec("harborkit/harbor-charts", 230, "Go", "Helm charts for harbor.", 0.3),
        RepoSpec("aurora-sci/aurora", 2_100, "Python", "Astronomy utilities.", 0.6),
        RepoSpec("aurora-sci/aurora-examples", 130, "Python", "Aurora examples.", 0.4),
        RepoSpec(
            "kim-ode/pyfmt",
            1_100,
            "Python",
            "An opinionated Python formatter.",
            1.2,
            "collaborator",
            at(2023, 5),
        ),
        RepoSpec("rafael-mota/shellcheck-action", 240, "Shell", "Run shellcheck in CI.", 0.3),
        RepoSpec("li-wen/zh-translate", 70, None, "Chinese translations of popular docs.", 0.3),
        RepoSpec("sam-okafor/terraform-lint", 8, "Go", "Lint Terraform files.", 0.2),
        RepoSpec("quillmark/quill-themes", 75, "TypeScript", "Themes for quill.", 0.2, archived=True),
        RepoSpec("aurora-sci/aurora-data", 52, "Python", "Sample data for aurora.", 0.2),
    )


DEMO_ENGAGEMENT = EngagementSpec(
    DEMO_LOGIN, seed=15, answers_external=9, answers_own=3, discussions=4, help_comments=160, own_comments=40,
    commits_per_week=(0, 9), careful_reports=8,
)  # fmt: skip
LARGE_ENGAGEMENT = EngagementSpec(
    LARGE_LOGIN, seed=16, answers_external=120, answers_own=30, discussions=40, help_comments=2600,
    own_comments=400, commits_per_week=(5, 60), careful_reports=40,
)  # fmt: skip


def demo_spec(login: str = DEMO_LOGIN, seed: int = 20_240_601) -> WorldSpec:
    """The demo contributor: ~300 PRs, ~80 issues, ~150 reviews over 2022-2025."""
    return WorldSpec(
        login=login,
        name="Demo Contributor (fictional)",
        bio=(
            "Generated demo profile: every repository, pull request and review here is fictional. "
            "Docs first, then code; helps maintain nimbus since 2024."
        ),
        seed=seed,
        repos=_demo_repos(login),
        maintainers=_MAINTAINERS,
        contributors=_CONTRIBUTORS,
        prs_per_month=(3.0, 8.2),
        issues_per_month=1.7,
        reviewed_prs_per_month=(1.2, 5.0),
        engagement=replace(DEMO_ENGAGEMENT, login=login, seed=DEMO_ENGAGEMENT.seed + seed % 1000),
    )


def large_spec(login: str = LARGE_LOGIN, seed: int = 7) -> WorldSpec:
    """A prolific contributor: over 5,000 PRs, with more than 1,000 created in 2024 alone."""
    rng = random.Random(seed)
    words = (
        "amber",
        "basalt",
        "cedar",
        "delta",
        "ember",
        "fjord",
        "garnet",
        "harbor",
        "indigo",
        "juniper",
        "kelp",
        "lagoon",
        "mesa",
        "nectar",
        "onyx",
        "prairie",
        "quartz",
        "raven",
        "sierra",
        "tundra",
    )
    languages = ("Python", "TypeScript", "Go", "Rust", "C", None)
    repos = list(_demo_repos(login))
    maintainers = dict(_MAINTAINERS)
    for index in range(30):
        org = f"{words[index % 20]}-{('works', 'labs', 'project')[index % 3]}"
        maintainers.setdefault(org, (rng.choice(_CONTRIBUTORS), rng.choice(_CONTRIBUTORS)))
        for number in range(3):
            stars = int(10 ** rng.uniform(1, 4.8))
            repos.append(
                RepoSpec(
                    f"{org}/{words[(index + number * 7) % 20]}-{number}",
                    stars,
                    rng.choice(languages),
                    "A generated project for the large demo.",
                    rng.uniform(0.3, 2.0),
                    topics=("hacktoberfest",) if rng.random() < 0.2 else (),
                )
            )
    return WorldSpec(
        login=login,
        name="Prolific Contributor (fictional)",
        bio="Generated benchmark profile with thousands of fictional contributions.",
        seed=seed,
        repos=tuple(repos),
        maintainers=maintainers,
        contributors=_CONTRIBUTORS,
        prs_per_month=(55.0, 175.0),
        issues_per_month=34.0,
        reviewed_prs_per_month=(45.0, 90.0),
        scripted=False,
        engagement=replace(LARGE_ENGAGEMENT, login=login),
    )


def generate(spec: WorldSpec) -> Dataset:
    """A fresh dataset for ``spec``; the same spec always gives an equal dataset."""
    dataset = _World(spec).build()
    return dataset if spec.engagement is None else add_engagement(dataset, spec.engagement, START, END)


@cache
def demo_dataset() -> Dataset:
    """The demo contributor's dataset, shared between callers: do not mutate it."""
    return generate(demo_spec())


@cache
def large_dataset() -> Dataset:
    """The large benchmark contributor's dataset, shared between callers: do not mutate it."""
    return generate(large_spec())
