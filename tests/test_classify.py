"""PR classification: a hand-labelled table of PRs, the path rules, and their vectorised/scalar agreement."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import NamedTuple

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.classify import (
    CATEGORIES,
    PATH_RULES,
    classify_change,
    classify_path,
    classify_paths,
    classify_prs,
    path_languages,
    path_rule,
)
from portfolio.export import track_record_json, track_record_markdown
from portfolio.frames import record_frames
from portfolio.model import ChangedFile, Profile, PullRequest, Record
from portfolio.record import track_record


class Labelled(NamedTuple):
    """One hand-labelled PR: its changed files as (path, changed lines) or None when unseen."""

    name: str
    files: list[tuple[str, int]] | None
    labels: tuple[str, ...]
    title: str
    expected: str


NO = ()
LABELLED: list[Labelled] = [
    # Documentation, in the spirit of Linguist's documentation rules.
    Labelled("readme-typo", [("README.md", 2)], NO, "Fix typo", "docs"),
    Labelled("docs-folder-markdown", [("docs/install.md", 40)], NO, "Explain install", "docs"),
    Labelled("docs-folder-python-config", [("docs/conf.py", 10)], NO, "Sphinx theme", "docs"),
    Labelled("rst-in-doc-folder", [("doc/source/tutorial.rst", 120)], NO, "Tutorial", "docs"),
    Labelled("asciidoc", [("documentation/guide.adoc", 30)], NO, "Guide", "docs"),
    Labelled("txt-in-docs-folder", [("docs/requirements.txt", 2)], NO, "Pin sphinx", "docs"),
    Labelled("changelog", [("CHANGELOG.md", 5)], NO, "Changelog for 2.1", "docs"),
    Labelled("contributing", [("CONTRIBUTING.rst", 12)], NO, "How to contribute", "docs"),
    Labelled("man-folder", [("man/tool.1", 40)], NO, "Man page", "docs"),
    Labelled("man-page-extension", [("share/tool.8", 20)], NO, "Admin man page", "docs"),
    Labelled("license", [("LICENSE", 21)], NO, "Add license", "docs"),
    Labelled("nested-readme", [("packages/core/README.md", 8)], NO, "Core readme", "docs"),
    Labelled("mkdocs-config", [("mkdocs.yml", 4)], NO, "Nav", "docs"),
    Labelled("issue-template", [(".github/ISSUE_TEMPLATE/bug_report.yml", 30)], NO, "Bug form", "docs"),
    Labelled("pr-template", [(".github/pull_request_template.md", 10)], NO, "PR template", "docs"),
    Labelled("docs-case-insensitive", [("Docs/Guide.MD", 10)], NO, "Guide", "docs"),
    Labelled("readme-txt", [("ReadMe.txt", 3)], NO, "Readme", "docs"),
    Labelled("examples-inside-docs", [("docs/examples/demo.py", 20)], NO, "Docs example", "docs"),
    Labelled("docs-site", [("website/src/components/Hero.tsx", 30)], NO, "Site hero", "docs"),
    Labelled("hugo-site", [("www/content/install.html", 10)], NO, "Install page", "docs"),
    Labelled("mdx-page", [("src/pages/guide.mdx", 30)], NO, "Guide", "docs"),
    Labelled("license-variant", [("LICENSE-MIT", 21)], NO, "Dual licence", "docs"),
    # Code: whatever no rule claims.
    Labelled("python-module", [("src/pkg/parser.py", 80)], NO, "Faster parser", "code"),
    Labelled("go-package", [("internal/cache/lru.go", 60)], NO, "LRU", "code"),
    Labelled("rust-crate", [("src/lib.rs", 200)], NO, "Rewrite", "code"),
    Labelled("javascript", [("lib/index.js", 40)], NO, "Export", "code"),
    Labelled("c-header", [("include/foo.h", 12)], NO, "Header", "code"),
    Labelled("txt-outside-docs", [("data/words.txt", 100)], NO, "Word list", "code"),
    Labelled("latest-is-not-a-test", [("src/Latest.java", 30)], NO, "Latest", "code"),
    Labelled("contest-is-not-a-test", [("src/contest.py", 10)], NO, "Contest", "code"),
    Labelled("changelog-module-is-code", [("commitizen/changelog.py", 30)], NO, "Changelog code", "code"),
    Labelled("changes-template-is-code", [("pkg/templates/CHANGES.md.j2", 10)], NO, "Template", "code"),
    Labelled("app-config-is-code", [("src/app.config.ts", 10)], NO, "App config", "code"),
    # Tests.
    Labelled("tests-folder", [("tests/test_parser.py", 50)], NO, "Tests", "tests"),
    Labelled("test-prefix-at-root", [("test_cli.py", 30)], NO, "CLI tests", "tests"),
    Labelled("go-test-suffix", [("pkg/cache/lru_test.go", 70)], NO, "LRU tests", "tests"),
    Labelled("tsx-spec", [("src/components/button.spec.tsx", 45)], NO, "Button spec", "tests"),
    Labelled("js-test-suffix", [("src/utils.test.js", 20)], NO, "Utils tests", "tests"),
    Labelled("jest-folder", [("src/__tests__/app.js", 20)], NO, "App tests", "tests"),
    Labelled("maven-test-tree", [("src/test/java/org/x/ParserTest.java", 80)], NO, "Parser test", "tests"),
    Labelled("dotnet-test-class", [("core/src/ParserTests.cs", 30)], NO, "Parser tests", "tests"),
    Labelled("rspec", [("spec/models/user_spec.rb", 40)], NO, "User spec", "tests"),
    Labelled("conftest", [("conftest.py", 15)], NO, "Fixtures", "tests"),
    Labelled("golden-files", [("testdata/golden.json", 100)], NO, "Golden", "tests"),
    Labelled("vite-playground", [("playground/hmr/index.html", 30)], NO, "HMR fixture", "tests"),
    Labelled("playground-spec", [("playground/ssr/__tests__/ssr.spec.ts", 30)], NO, "SSR test", "tests"),
    Labelled("nested-fixtures", [("src/__tests__/fixtures/a.js", 5)], NO, "Fixture", "tests"),
    Labelled("go-testlib", [("internal/testlib/git.go", 20)], NO, "Test helper", "tests"),
    Labelled("test-utils-file", [("packages/core/src/test-utils.ts", 25)], NO, "Helpers", "tests"),
    Labelled("vitest-setup", [("playground/vitestSetup.ts", 8)], NO, "Setup", "tests"),
    Labelled("vitest-e2e-config", [("vitest.config.e2e.ts", 5)], NO, "E2E config", "tests"),
    Labelled("e2e-file", [("src/app.e2e.ts", 25)], NO, "E2E", "tests"),
    Labelled("jest-mocks", [("src/__mocks__/fs.js", 10)], NO, "Mock fs", "tests"),
    Labelled("fixture-tool-config", [("playground/css/vite.config.js", 5)], NO, "Fixture config", "tests"),
    Labelled("readme-in-tests-folder", [("tests/README.md", 5)], NO, "Test readme", "tests"),
    # CI and build.
    Labelled("actions-workflow", [(".github/workflows/ci.yml", 20)], NO, "CI", "ci"),
    Labelled("composite-action", [(".github/actions/setup/action.yml", 15)], NO, "Setup", "ci"),
    Labelled("dockerfile", [("Dockerfile", 12)], NO, "Image", "ci"),
    Labelled("dockerfile-variant", [("docker/Dockerfile.dev", 12)], NO, "Dev image", "ci"),
    Labelled("compose", [("docker-compose.yml", 8)], NO, "Compose", "ci"),
    Labelled("makefile", [("Makefile", 6)], NO, "Make", "ci"),
    Labelled("cmake", [("CMakeLists.txt", 14)], NO, "CMake", "ci"),
    Labelled("pyproject", [("pyproject.toml", 3)], NO, "Metadata", "ci"),
    Labelled("requirements", [("requirements-dev.txt", 2)], NO, "Dev deps", "ci"),
    Labelled("npm-lockfile", [("package.json", 4), ("package-lock.json", 300)], NO, "Bump", "ci"),
    Labelled("cargo", [("Cargo.toml", 2), ("Cargo.lock", 40)], NO, "Bump", "ci"),
    Labelled("go-modules", [("go.mod", 2), ("go.sum", 6)], NO, "Bump", "ci"),
    Labelled("docs-site-manifest", [("docs/package.json", 2)], NO, "Bump", "ci"),
    Labelled("fixture-manifest", [("playground/alias/package.json", 2)], NO, "Bump", "ci"),
    Labelled("tsconfig", [("tsconfig.json", 3)], NO, "Strict", "ci"),
    Labelled("bundler-config", [("packages/vite/rolldown.dts.config.ts", 6)], NO, "Bundle", "ci"),
    Labelled("maven", [("pom.xml", 6)], NO, "Maven", "ci"),
    Labelled("goreleaser-config", [(".goreleaser.yaml", 6)], NO, "Release", "ci"),
    Labelled("taskfile", [("Taskfile.yml", 6)], NO, "Tasks", "ci"),
    Labelled("prettierignore", [(".prettierignore", 1)], NO, "Ignore", "ci"),
    Labelled("travis", [(".travis.yml", 10)], NO, "Travis", "ci"),
    Labelled("gitlab", [(".gitlab-ci.yml", 10)], NO, "GitLab", "ci"),
    Labelled("circleci", [(".circleci/config.yml", 25)], NO, "CircleCI", "ci"),
    Labelled("pre-commit", [(".pre-commit-config.yaml", 6)], NO, "Hooks", "ci"),
    Labelled("dependabot", [(".github/dependabot.yml", 10)], NO, "Dependabot", "ci"),
    Labelled("gitignore", [(".gitignore", 2)], NO, "Ignore", "ci"),
    # Examples.
    Labelled("examples-script", [("examples/quickstart.py", 60)], NO, "Quickstart", "examples"),
    Labelled("examples-readme", [("examples/basic/README.md", 20)], NO, "Example readme", "examples"),
    Labelled("samples-folder", [("samples/hello/main.go", 30)], NO, "Hello", "examples"),
    Labelled("demo-folder", [("demo/app.ts", 40)], NO, "Demo", "examples"),
    # Mixed PRs: most changed lines win; ties go to the earlier category; no lines: the file count.
    Labelled(
        "mostly-code", [("src/a.py", 90), ("tests/test_a.py", 30), ("README.md", 5)], NO, "Feature", "code"
    ),
    Labelled("fix-with-its-tests", [("src/a.py", 10), ("tests/test_a.py", 80)], NO, "Fix", "code"),
    Labelled("docs-with-a-source-touch", [("docs/api.md", 120), ("src/a.py", 4)], NO, "API docs", "code"),
    Labelled("code-docs-tie", [("src/a.py", 40), ("docs/a.md", 40)], NO, "Feature", "code"),
    Labelled("tests-docs-tie", [("tests/t.py", 10), ("docs/x.md", 10)], NO, "Both", "tests"),
    Labelled("renames-only", [("docs/old.md", 0), ("docs/new.md", 0), ("src/x.py", 0)], NO, "Move", "code"),
    Labelled(
        "renames-of-docs", [("docs/old.md", 0), ("docs/new.md", 0), ("mkdocs.yml", 0)], NO, "Move", "docs"
    ),
    Labelled("workflow-and-code", [(".github/workflows/ci.yml", 5), ("src/x.py", 50)], NO, "Feature", "code"),
    Labelled(
        "vite-fix-with-spec",
        [("src/node/http.ts", 12), ("src/node/__tests__/http.spec.ts", 60)],
        NO,
        "fix: x",
        "code",
    ),
    Labelled("tests-alone", [("tests/test_a.py", 80), ("tests/conftest.py", 5)], NO, "Cover", "tests"),
    Labelled("tests-with-their-config", [("tests/t.py", 40), ("tox.ini", 2)], NO, "Cover", "tests"),
    Labelled("docs-with-incidental-config", [("docs/a.md", 40), ("pyproject.toml", 2)], NO, "Docs", "docs"),
    Labelled(
        "docs-site-dependency-bump", [("website/package.json", 2), ("pnpm-lock.yaml", 90)], NO, "Bump", "ci"
    ),
    Labelled("manifest-with-source", [("package.json", 40), ("src/index.ts", 3)], NO, "Feature", "code"),
    Labelled("ci-alone", [(".github/workflows/ci.yml", 30), ("Makefile", 4)], NO, "CI", "ci"),
    Labelled("files-beat-docs-label", [("src/x.py", 30)], ("documentation",), "docs: x", "code"),
    # Files unknown (REST without a token): labels, then the title decide.
    Labelled("label-documentation", None, ("documentation",), "Update guide", "docs"),
    Labelled("label-area-docs", None, ("area/docs",), "Clarify", "docs"),
    Labelled("label-type-documentation", None, ("Type: Documentation",), "Clarify", "docs"),
    Labelled("title-docs-prefix", None, NO, "docs: fix broken link", "docs"),
    Labelled("title-numpy-doc", None, NO, "DOC: fix docstring of mean", "docs"),
    Labelled("title-default-readme-edit", None, NO, "Update README.md", "docs"),
    Labelled("title-docs-scope", None, NO, "docs(api): describe auth", "docs"),
    Labelled("title-bracket-docs", None, NO, "[docs] Fix the example", "docs"),
    Labelled("title-test", None, NO, "test: cover empty input", "tests"),
    Labelled("title-numpy-tst", None, NO, "TST: cover empty input", "tests"),
    Labelled("title-ci", None, NO, "ci: run on 3.13", "ci"),
    Labelled("title-build", None, NO, "build(deps): bump x from 1 to 2", "ci"),
    Labelled("title-chore-deps", None, NO, "chore(deps): bump x from 1 to 2", "ci"),
    Labelled("title-feat", None, NO, "feat: add --json flag", "code"),
    Labelled("title-breaking-fix", None, NO, "fix!: drop python 3.8", "code"),
    Labelled("title-numpy-enh", None, NO, "ENH: vectorise the loop", "code"),
    Labelled("label-bug", None, ("bug",), "Handle empty input", "code"),
    Labelled("label-beats-title", None, ("documentation",), "fix: typo", "docs"),
    Labelled("nothing-to-go-on", None, NO, "Handle empty input", "unknown"),
    Labelled("docs-not-as-prefix", None, NO, "Add docs for the CLI", "unknown"),
    Labelled("hacktoberfest-label-says-nothing", None, ("hacktoberfest-accepted",), "Improve", "unknown"),
    Labelled("no-files-listed", [], NO, "docs: empty file list", "docs"),
]

WHEN = datetime(2024, 3, 1, tzinfo=UTC)


def _pull_request(i: int, case: Labelled) -> PullRequest:
    files = None
    additions = deletions = None
    if case.files is not None:
        files = tuple(ChangedFile(path, "modified", lines, 0) for path, lines in case.files)
        additions, deletions = sum(lines for _, lines in case.files), 0
    return PullRequest(
        node_id=f"PR_{i}",
        repo="owner/project",
        number=i + 1,
        title=case.title,
        url=f"https://github.com/owner/project/pull/{i + 1}",
        author="me",
        state="merged",
        created_at=WHEN,
        additions=additions,
        deletions=deletions,
        labels=case.labels,
        files=files,
    )


@pytest.fixture(scope="module")
def classified() -> pd.DataFrame:
    """Every labelled PR classified together, as the track record does it."""
    record = Record(Profile("me"), pull_requests=tuple(_pull_request(i, c) for i, c in enumerate(LABELLED)))
    frames = record_frames(record)
    return classify_prs(frames.prs, frames.files).set_index("node_id")


def test_the_table_is_big_enough():
    """The labelled table holds at least 60 PRs with unique names, covering every category."""
    assert len(LABELLED) >= 60
    assert len({c.name for c in LABELLED}) == len(LABELLED)
    assert {c.expected for c in LABELLED} == {*CATEGORIES, "unknown"}


@pytest.mark.parametrize(("index", "case"), list(enumerate(LABELLED)), ids=[c.name for c in LABELLED])
def test_labelled_pr(classified, index, case):
    """Each hand-labelled PR gets its label, from its files when they were seen, else from labels/title."""
    row = classified.loc[f"PR_{index}"]
    assert row["category"] == case.expected
    expected_source = "files" if case.files else ("labels" if case.name.startswith("label") else None)
    if expected_source:
        assert row["category_source"] == expected_source


def test_lines_per_category_add_up(classified):
    """The per-category line columns of a PR sum to its changed lines when every file was listed."""
    row = classified.loc[f"PR_{[c.name for c in LABELLED].index('mostly-code')}"]
    assert (row["lines_code"], row["lines_tests"], row["lines_docs"]) == (90, 30, 5)
    assert row["lines"] == 125


@pytest.mark.parametrize(
    ("name", "with_tests"),
    [
        ("vite-fix-with-spec", True),
        ("fix-with-its-tests", True),
        ("python-module", False),
        ("tests-alone", False),
    ],
)
def test_code_changes_carry_whether_they_came_with_tests(classified, name, with_tests):
    """A code PR that also changes tests is flagged "with tests"; code alone and tests alone are not."""
    row = classified.loc[f"PR_{[c.name for c in LABELLED].index(name)}"]
    assert bool(row["with_tests"]) is with_tests


def test_the_share_of_code_prs_with_tests_is_a_metric_and_a_column():
    """The track record flags each code PR that came with tests and counts them among merged code PRs."""
    cases = [c for c in LABELLED if c.name in ("vite-fix-with-spec", "python-module", "tests-alone")]
    prs = tuple(
        replace(_pull_request(i, c), repo="other/project", merged_by="maintainer")
        for i, c in enumerate(cases)
    )
    tr = track_record(Record(Profile("me"), pull_requests=prs))
    flagged = tr.contributions.set_index("title")["with_tests"]
    assert flagged.to_dict() == {"fix: x": True, "Faster parser": False, "Cover": False}
    assert (tr.metrics["code_prs"], tr.metrics["code_prs_with_tests"]) == (2, 1)
    assert tr.metrics["code_with_tests_share"] == 0.5
    exported = track_record_json(tr)
    assert {row["title"]: row["with_tests"] for row in exported["classification"]}["fix: x"] is True
    assert "1 of 2 merged code PRs came with tests (50%)." in track_record_markdown(tr)


def test_unseen_files_leave_lines_unknown(classified):
    """A PR collected without files or line counts has unknown lines, not zero."""
    row = classified.loc[f"PR_{[c.name for c in LABELLED].index('nothing-to-go-on')}"]
    assert pd.isna(row["lines"])


def test_pr_level_counts_win_over_the_listed_files():
    """GitHub truncates file lists, so a PR's own additions/deletions give its size when known."""
    big = replace(_pull_request(0, LABELLED[0]), additions=900, deletions=100)
    frames = record_frames(Record(Profile("me"), pull_requests=(big,)))
    assert classify_prs(frames.prs, frames.files)["lines"].iloc[0] == 1000


def _table_paths() -> list[str]:
    return [path for case in LABELLED for path, _ in case.files or ()]


def test_every_path_rule_is_needed():
    """Each rule of the path table is the first match for some path of the labelled table (no dead rules)."""
    deciding = {path_rule(path) for path in _table_paths()}
    unused = [rule.why for rule in PATH_RULES if rule not in deciding]
    assert not unused


def test_vectorised_and_scalar_agree_on_the_table():
    """classify_paths (RE2 via Arrow) gives what classify_path (Python re) gives for every table path."""
    paths = _table_paths()
    assert classify_paths(pd.Series(paths)).tolist() == [classify_path(p) for p in paths]


_SEGMENTS = st.sampled_from(
    [
        "src",
        "docs",
        "Doc",
        "tests",
        "test",
        "examples",
        ".github",
        "workflows",
        "ISSUE_TEMPLATE",
        "man",
        "a",
        "B",
    ]
)
_NAMES = st.sampled_from(
    [
        "README.md",
        "readme",
        "x.py",
        "x_test.go",
        "test_x.py",
        "x.spec.ts",
        "Dockerfile",
        "Makefile",
        "CMakeLists.txt",
        "tool.1",
        "notes.txt",
        "FooTest.java",
        "Latest.java",
        "pyproject.toml",
        "package.json",
        "conf.py",
        "ci.yml",
        "LICENSE",
        "CHANGES",
        ".gitignore",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_SEGMENTS, max_size=4), _NAMES), min_size=1, max_size=20))
def test_vectorised_and_scalar_agree_on_any_path(parts):
    """For generated paths, the vectorised rules and the scalar rules give the same category."""
    paths = ["/".join([*folders, name]) for folders, name in parts]
    assert classify_paths(pd.Series(paths)).tolist() == [classify_path(p) for p in paths]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(st.lists(_SEGMENTS, max_size=3), _NAMES, st.integers(0, 50)), min_size=1, max_size=6
        ),
        min_size=1,
        max_size=8,
    )
)
def test_vectorised_and_scalar_agree_per_pull_request(prs):
    """classify_prs decides every generated PR as the readable per-PR classify_change does."""
    changes = [[("/".join([*folders, name]), lines) for folders, name, lines in pr] for pr in prs]
    record = Record(
        Profile("me"),
        pull_requests=tuple(
            replace(
                _pull_request(i, Labelled(f"pr-{i}", files, NO, "x", "code")),
                additions=None,
                deletions=None,
            )
            for i, files in enumerate(changes)
        ),
    )
    frames = record_frames(record)
    got = classify_prs(frames.prs, frames.files)
    assert list(zip(got["category"], got["with_tests"], strict=True)) == [classify_change(c) for c in changes]


@pytest.mark.parametrize(
    ("path", "language", "kind"),
    [
        ("src/a.py", "Python", "programming"),
        ("web/App.TSX", "TypeScript", "programming"),
        ("Dockerfile", "Dockerfile", "programming"),
        ("docs/index.md", "Markdown", "prose"),
        (".github/workflows/ci.yml", "YAML", "data"),
        ("LICENSE", None, None),
        ("archive.tar.zst", None, None),
    ],
)
def test_languages_come_from_extensions(path, language, kind):
    """A file's language is looked up from its extension or well-known file name; unknown stays missing."""
    row = path_languages(pd.Series([path])).iloc[0]
    assert (None if pd.isna(row["language"]) else row["language"]) == language
    assert (None if pd.isna(row["language_type"]) else row["language_type"]) == kind
