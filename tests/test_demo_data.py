"""The generated demo and large contributors: deterministic, fictional, and shaped like real careers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakehub.demo import (
    DEMO_LOGIN,
    HACKTOBERFEST_LABEL,
    LARGE_LOGIN,
    demo_dataset,
    demo_spec,
    generate,
    large_spec,
)
from fakehub.ids import database_id
from portfolio.model import validate_login

DOC_PATH = re.compile(r"(^|/)(docs?/|README|CHANGELOG|CONTRIBUTING)|\.(md|rst|adoc)$")
NODE_IDS = {
    "pull_requests": re.compile(r"PR_kwDO[\w-]{12}"),
    "issues": re.compile(r"I_kwDO[\w-]{12}"),
    "reviews": re.compile(r"PRR_kwDO[\w-]{12}"),
}


@pytest.fixture(scope="module")
def record(demo_data):
    """The demo contributor's complete record."""
    return demo_data.record_for(DEMO_LOGIN)


def test_generation_is_deterministic_and_fast():
    """Two fresh generations from the same seed are equal, each well under two seconds."""
    started = time.perf_counter()
    first = generate(demo_spec())
    assert time.perf_counter() - started < 2
    assert first == generate(demo_spec()) == demo_dataset()
    assert generate(demo_spec(seed=1)) != first


# Run both here and in a child process with another hash seed; the digests must agree.
DIGEST = (
    "import hashlib\n"
    "from fakehub.demo import demo_spec, generate\n"
    "d = generate(demo_spec())\n"
    "parts = (sorted(d.profiles.items()), sorted(d.repos.items()), d.pull_requests, d.issues, d.reviews,"
    " sorted(d.bodies.items()))\n"
    "digest = hashlib.sha256(repr(parts).encode()).hexdigest()\n"
)


def test_generation_does_not_depend_on_hash_seeds():
    """A process with another PYTHONHASHSEED generates byte-for-byte the same demo data."""
    here: dict[str, object] = {}
    exec(DIGEST, here)  # noqa: S102 - our own constant, run in-process for the reference digest
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-c", DIGEST + "print(digest)"]
    child = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == here["digest"]


def test_demo_has_the_promised_size(record):
    """About 300 PRs over about 40 repositories, 80 issues and 150 reviews."""
    assert 260 <= len(record.pull_requests) <= 340
    assert 30 <= len(record.repos) <= 45
    assert 65 <= len(record.issues) <= 100
    assert 125 <= len(record.reviews) <= 180


def test_timeline_is_fixed_and_utc(demo_data):
    """Every timestamp lies in 2022-2025, is timezone-aware UTC and has second precision."""
    low, high = datetime(2022, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    for item in [*demo_data.pull_requests, *demo_data.issues]:
        for moment in (item.created_at, item.closed_at, item.updated_at, getattr(item, "merged_at", None)):
            if moment is not None:
                assert low <= moment <= high
                assert moment.utcoffset().total_seconds() == 0 and moment.microsecond == 0
        assert item.updated_at >= item.created_at
        assert item.closed_at is None or item.closed_at >= item.created_at


def test_profile_is_labelled_fictional(demo_data):
    """The demo account says plainly that it is generated, in a bio a person could have written."""
    profile = demo_data.profiles[DEMO_LOGIN]
    assert profile.name == "Demo Contributor (fictional)"
    assert "generated demo" in profile.bio.lower()
    assert "fictional" in profile.company.lower() and "fictional" in profile.location.lower()
    assert profile.created_at == datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_every_account_has_a_valid_login_and_profile(demo_data):
    """Authors, mergers, reviewers and owners all have profiles with logins GitHub could issue."""
    logins = {p.author for p in demo_data.pull_requests} | {p.merged_by for p in demo_data.pull_requests}
    logins |= {i.author for i in demo_data.issues} | {r.author for r in demo_data.reviews}
    logins |= {r.owner_login for r in demo_data.repos.values()}
    logins.discard(None)
    assert logins <= demo_data.profiles.keys()
    for login in demo_data.profiles:
        validate_login(login)
    types = Counter(p.type for p in demo_data.profiles.values())
    assert types["Organization"] >= 10 and types["User"] >= 20


def test_node_ids_are_unique_and_github_shaped(demo_data):
    """Node ids look like GitHub's and are unique; each decodes to a distinct database id."""
    for attribute, pattern in NODE_IDS.items():
        ids = [item.node_id for item in getattr(demo_data, attribute)]
        assert all(pattern.fullmatch(i) for i in ids), attribute
        assert len(set(ids)) == len(ids) == len({database_id(i) for i in ids})
    assert all(re.fullmatch(r"R_kgDO[\w-]{6}", r.node_id) for r in demo_data.repos.values())
    assert all(re.fullmatch(r"(U|O)_kgDO[\w-]{6}", p.node_id) for p in demo_data.profiles.values())


def test_numbers_rise_with_time_in_each_repository(demo_data):
    """Pull requests and issues share one number sequence per repository, in creation order."""
    by_repo = {}
    for item in [*demo_data.pull_requests, *demo_data.issues]:
        by_repo.setdefault(item.repo, []).append(item)
    for items in by_repo.values():
        items.sort(key=lambda i: i.number)
        assert len({i.number for i in items}) == len(items)
        assert [i.created_at for i in items] == sorted(i.created_at for i in items)


def test_outcomes_kinds_and_titles_vary(record):
    """Merged, closed, open and draft PRs; docs, tests, CI and example files; prefixed and plain titles."""
    prs = record.pull_requests
    assert {"merged", "closed", "open"} <= {p.state for p in prs}
    assert any(p.draft for p in prs)
    paths = [f.path for p in prs for f in p.files]
    assert any(p.startswith(".github/workflows/") for p in paths)
    assert any(p.startswith("tests/") or "/test" in p for p in paths)
    assert any(p.startswith("examples/") for p in paths)
    prefixes = Counter(
        p.title.split(":")[0] for p in prs if re.match(r"^(docs|fix|feat|test|ci)(\(\w+\))?:", p.title)
    )
    assert {"docs", "fix", "feat", "test", "ci"} <= prefixes.keys()
    assert sum(1 for p in prs if ":" not in p.title) >= 30
    labels = {label for p in prs for label in p.labels}
    assert {"documentation", "bug", "enhancement", HACKTOBERFEST_LABEL} <= labels


def test_a_merged_docs_only_pr_exists(record):
    """At least one merged PR changes documentation files only."""
    assert any(
        p.state == "merged" and all(DOC_PATH.search(f.path) for f in p.files) for p in record.pull_requests
    )


def test_size_fields_agree_with_files(demo_data):
    """additions, deletions and changed_files are the sums over each PR's files."""
    for pr in demo_data.pull_requests:
        assert pr.changed_files == len(pr.files)
        assert pr.additions == sum(f.additions for f in pr.files)
        assert pr.deletions == sum(f.deletions for f in pr.files)


def test_huge_prs_need_file_paging(record):
    """A few PRs change more than 100 files, one more than 200 (three pages of files)."""
    sizes = sorted(len(p.files) for p in record.pull_requests)
    assert sum(1 for s in sizes if s > 100) >= 3
    assert sizes[-1] > 200


def test_hacktoberfest_october(record, demo_data):
    """October 2023 has four or more PRs to hacktoberfest repositories, accepted ones labelled so."""
    october = [
        p
        for p in record.pull_requests
        if (p.created_at.year, p.created_at.month) == (2023, 10)
        and ("hacktoberfest" in (demo_data.repos[p.repo].topics or ()) or HACKTOBERFEST_LABEL in p.labels)
    ]
    assert len(october) >= 4
    assert sum(1 for p in october if HACKTOBERFEST_LABEL in p.labels and p.state == "merged") >= 4


@pytest.mark.parametrize(
    "needle",
    ["`--json`", "✨", "🎉", "修正", "תיקון", "إصلاح"],
)
def test_code_spans_and_non_ascii_titles(record, needle):
    """Titles carry code spans, emoji, CJK and right-to-left text, as real contributors' titles do."""
    assert any(needle in p.title for p in record.pull_requests)


ATTACKS = re.compile(
    r"<[a-z/!]|javascript:|\bon\w+=|[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", re.IGNORECASE
)


def test_demo_carries_no_attack_strings(demo_data):
    """No text of the demo world holds markup, script URLs or invisible direction tricks: those live in fakehub.hostile."""
    texts = [*demo_data.bodies.values(), *demo_data.labels]
    for item in [*demo_data.profiles.values(), *demo_data.repos.values(), *demo_data.pull_requests,
                 *demo_data.issues, *demo_data.reviews]:  # fmt: skip
        texts.extend(str(value) for value in vars_of(item) if isinstance(value, str | tuple))
    assert not [text for text in texts if ATTACKS.search(text)]


def vars_of(item: object) -> list[object]:
    """The field values of a slotted model record."""
    return [getattr(item, name) for name in item.__slots__]


def test_issues_fixed_by_linked_prs(record, demo_data):
    """Bug reports closed by a PR list it in closed_by, and that PR lists the issue in closes."""
    fixed = [i for i in record.issues if i.closed_by]
    assert len(fixed) >= 10
    for issue in fixed:
        assert (issue.state, issue.state_reason) == ("closed", "completed")
        for url in issue.closed_by:
            pr = demo_data.index.pr_by_url[url]
            assert issue.url in pr.closes
            assert pr.state == "merged" and pr.merged_at == issue.closed_at
    assert any(demo_data.index.pr_by_url[i.closed_by[0]].author == DEMO_LOGIN for i in fixed)
    assert any(demo_data.index.pr_by_url[i.closed_by[0]].author != DEMO_LOGIN for i in fixed)
    reasons = Counter(i.state_reason for i in record.issues)
    assert reasons["not_planned"] >= 3 and reasons["reopened"] >= 1
    assert sum(1 for i in record.issues if i.state == "open") >= 5


def test_reviews_are_of_other_peoples_prs(record, demo_data):
    """The contributor's reviews are on PRs by others that the dataset holds, in all three states."""
    for review in record.reviews:
        pr = demo_data.index.pr_by_url[review.pr_url]
        assert pr.author != DEMO_LOGIN == review.author
        assert review.pr_author == pr.author and review.repo == pr.repo
        assert pr.created_at < review.submitted_at
        assert review.comments is not None
    assert {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"} == {r.state for r in record.reviews}
    assert any(r.author != DEMO_LOGIN for r in demo_data.reviews), "maintainers review the contributor too"


def test_roles_and_merges_show_a_path_to_maintainer(record, demo_data):
    """Associations run from first-time contributor to member; some work is merged by the contributor itself."""
    associations = {p.author_association for p in record.pull_requests}
    assert {"FIRST_TIME_CONTRIBUTOR", "CONTRIBUTOR", "MEMBER", "OWNER", "COLLABORATOR"} <= associations
    member = [p for p in record.pull_requests if p.author_association == "MEMBER"]
    assert min(p.created_at for p in member) >= datetime(2024, 6, 1, tzinfo=UTC)
    self_merged = [p for p in record.pull_requests if p.merged_by == DEMO_LOGIN]
    assert any(demo_data.repos[p.repo].owner_type == "User" for p in self_merged)
    assert any(demo_data.repos[p.repo].owner_type == "Organization" for p in self_merged)
    assert any(i.author_association == "NONE" for i in record.issues)


def test_repositories_span_reach_and_kinds(record):
    """Repositories range from a handful of stars to over 50k, with forks, archives and hacktoberfest topics."""
    stars = [r.stars for r in record.repos]
    assert min(stars) <= 10 and max(stars) >= 50_000
    assert any(r.is_fork for r in record.repos) and any(r.archived for r in record.repos)
    assert any("hacktoberfest" in r.topics for r in record.repos)
    assert {"User", "Organization"} == {r.owner_type for r in record.repos}


def test_record_for_is_sorted_and_complete(record, demo_data):
    """record_for sorts PRs and issues by (repo, number), reviews by node id, repos by name, and misses nothing."""
    assert list(record.pull_requests) == sorted(record.pull_requests, key=lambda p: (p.repo, p.number))
    assert list(record.issues) == sorted(record.issues, key=lambda i: (i.repo, i.number))
    assert [r.node_id for r in record.reviews] == sorted(r.node_id for r in record.reviews)
    assert [r.full_name for r in record.repos] == sorted(r.full_name for r in record.repos)
    assert len(record.pull_requests) == sum(1 for p in demo_data.pull_requests if p.author == DEMO_LOGIN)
    assert record.profile == demo_data.profiles[DEMO_LOGIN]
    with pytest.raises(KeyError):
        demo_data.record_for("nobody-at-all")


def test_large_contributor_crosses_the_search_cap(large_data):
    """The large contributor has 5,000+ PRs, over 1,000 in one year, and issues and reviews to match."""
    record = large_data.record_for(LARGE_LOGIN)
    per_year = Counter(p.created_at.year for p in record.pull_requests)
    assert len(record.pull_requests) >= 5000
    assert max(per_year.values()) > 1000
    assert len(record.issues) >= 1000
    assert len(record.reviews) >= 2000


def test_large_generation_is_fast_and_deterministic(large_data):
    """The large dataset generates in well under ten seconds and equals the shared one."""
    started = time.perf_counter()
    fresh = generate(large_spec())
    assert time.perf_counter() - started < 10
    assert fresh == large_data
