"""What kind of work a pull request is: docs, tests, CI/build, code or examples.

One table, :data:`PATH_RULES`, decides the category of a changed path; the first rule that matches wins,
and a path no rule matches is code. The rules follow the spirit of GitHub Linguist's documentation rules
(``docs/``, ``*.md``, README, CHANGELOG, man pages, ...) plus test, example and CI/build conventions.

A pull request's category is the kind of change, not the kind of file with most lines. Any changed source
(code) line makes it **code**, whatever else came with it: its tests (then ``with_tests`` is true), docs,
manifests or CI edits are part of that work. Without source, the category among tests, docs, CI/build and
examples holding most changed lines (additions + deletions; file count when no file has line counts) wins,
ties going to the earlier one in :data:`CATEGORIES`: tests alone are tests, docs with incidental config
are docs, CI/build alone is CI/build. Where the files are unknown (REST without a token) the labels, then
the title (Conventional Commits ``docs:``, NumPy ``DOC:``, GitHub's default ``Update README.md``) decide,
and otherwise the category is ``unknown``.

:func:`classify_prs` columns: ``node_id``, ``category``, ``category_source`` (files / labels / title / none),
``with_tests`` (a code PR that also changed tests), ``lines`` (changed lines seen, ``<NA>`` when unknown)
and ``lines_<category>`` for every category.
:func:`path_languages` gives each path's ``language`` and ``language_type`` (programming / markup / data /
prose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

CATEGORIES: tuple[str, ...] = ("code", "tests", "docs", "ci", "examples")
"""PR categories, in the order that breaks ties between equal line counts."""

UNKNOWN = "unknown"
"""The category of a PR whose files, labels and title all say nothing."""

CATEGORY_LABELS: dict[str, str] = {
    "code": "code",
    "tests": "tests",
    "docs": "documentation",
    "ci": "CI/build",
    "examples": "examples",
    UNKNOWN: "unknown (no files)",
}


class PathRule(NamedTuple):
    """One row of the path table: paths matching ``pattern`` belong to ``category``."""

    category: str
    pattern: str
    why: str


# Patterns are searched (not anchored) in the full path and must mean the same in Python's re and RE2,
# which pandas uses for Arrow strings: no look-arounds, case-insensitivity only as scoped (?i:...) groups.
PATH_RULES: tuple[PathRule, ...] = (
    PathRule("ci", r"(?:^|/)\.github/(?:workflows|actions)/", "GitHub Actions workflow or action"),
    PathRule("ci", r"(?:^|/)\.(?:circleci|buildkite|woodpecker)/", "CI service configuration folder"),
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:\.gitlab-ci\.ya?ml|\.travis\.ya?ml|azure-pipelines\.ya?ml|appveyor\.ya?ml|jenkinsfile"
        r"|\.pre-commit-config\.ya?ml|renovate\.json5?|\.cirrus\.ya?ml|codecov\.ya?ml|\.codecov\.ya?ml)$)",
        "CI service configuration file",
    ),
    PathRule("ci", r"(?i:(?:^|/)\.github/dependabot\.ya?ml$)", "dependency bot configuration"),
    # Before the folder rules: a docs site's or a test fixture's package.json is bumped with all the others.
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml"
        r"|pnpm-workspace\.yaml|bun\.lockb?|deno\.lock|pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock"
        r"|pipfile|pipfile\.lock|cargo\.toml|cargo\.lock|go\.mod|go\.sum|go\.work(?:\.sum)?|gemfile"
        r"|gemfile\.lock|composer\.json|composer\.lock|flake\.lock)$)",
        "dependency manifest or lockfile, wherever it lives",
    ),
    PathRule(
        "docs",
        r"(?i:(?:^|/)(?:docs?|documentation|man|manual|javadoc|groovydoc|mkdocs|inst/doc|website|www)/)",
        "inside a documentation folder or documentation site",
    ),
    PathRule(
        "tests",
        r"(?i:(?:^|/)(?:tests?|__tests__|specs?|testing|testdata|test_?data|fixtures|__fixtures__|__mocks__"
        r"|e2e|cypress|__snapshots__|playground|testlib|testutils?|test[-_]?utils|test[-_]?helpers)/)",
        "inside a tests, fixtures or test-utilities folder (vite-style playground/ included)",
    ),
    PathRule(
        "tests",
        r"(?i:(?:^|/)test_[^/]*$|_test\.[^/.]+$|\.(?:test|spec|e2e)\.[^/.]+$|_spec\.rb$|(?:^|/)conftest\.py$)",
        "test file name (test_*, *_test.*, *.test.*, *.spec.*, *.e2e.*, conftest.py)",
    ),
    PathRule(
        "tests",
        r"(?i:(?:^|/)(?:test[-_]?(?:utils?|helpers?|setup)|setup[-_]?tests?|(?:vitest|jest)[-_.]?setup[^/]*"
        r"|(?:vitest|jest)\.config\.e2e)\.[^/]+$)",
        "test utility or test-runner setup file",
    ),
    PathRule("tests", r"[a-z0-9]Tests?\.(?:java|kt|cs|swift|scala|php|groovy)$", "JVM/.NET test class"),
    PathRule("examples", r"(?i:(?:^|/)(?:examples?|samples?|demos?)/)", "inside an examples folder"),
    PathRule(
        "docs",
        r"(?i:(?:^|/)\.github/(?:issue_template|pull_request_template|discussion_template)[^/]*(?:/|$))",
        "issue or pull-request template",
    ),
    PathRule(
        "docs",
        r"(?i:\.(?:md|mdx|markdown|rst|adoc|asciidoc|rdoc|textile|pod|man)$)",
        "documentation markup (*.md, *.mdx, *.rst, *.adoc, ...)",
    ),
    # Only prose extensions: commitizen/changelog.py and CHANGES.md.j2 templates are code.
    PathRule(
        "docs",
        r"(?i:(?:^|/)(?:readme|changelog|changes|history|news|contributing|contributors|authors|"
        r"code_of_conduct|security|support|governance|maintainers|notice|citation|install|licen[cs]e|copying)"
        r"(?:[-_][a-z0-9]+)?(?:\.(?:txt|md|markdown|rst|adoc|org|html?))?$)",
        "README, CHANGELOG, CONTRIBUTING, LICENSE and friends",
    ),
    PathRule("docs", r"(?:^|/)[^/.]+\.[1-9]$", "man page"),
    PathRule(
        "docs", r"(?i:(?:^|/)(?:mkdocs\.ya?ml|\.readthedocs\.ya?ml|_config\.yml)$)", "documentation build"
    ),
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:dockerfile|containerfile)[^/]*$|(?:^|/)(?:docker-)?compose[^/]*\.ya?ml$"
        r"|(?:^|/)\.dockerignore$)",
        "Dockerfile or compose file",
    ),
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:gnu)?makefile(?:\.am|\.in)?$|(?:^|/)cmakelists\.txt$|\.cmake$|(?:^|/)configure\.ac$"
        r"|(?:^|/)meson\.build$|(?:^|/)meson_options\.txt$|(?:^|/)justfile$|\.bzl$"
        r"|(?:^|/)(?:build|build\.bazel|workspace|module\.bazel)$)",
        "Make, CMake, Meson, Bazel build file",
    ),
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:setup\.py|setup\.cfg|tox\.ini|noxfile\.py|manifest\.in|environment\.ya?ml|\.flake8"
        r"|ruff\.toml|mypy\.ini)$|(?:^|/)requirements[^/]*\.(?:txt|in)$)",
        "Python packaging or tooling",
    ),
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:\.npmrc|\.nvmrc|lerna\.json|tsconfig[^/]*\.json|\.babelrc|\.eslintrc[^/]*"
        r"|\.prettierrc[^/]*|(?:webpack|vite|vitest|jest|rollup|rolldown|tsdown|tsup|esbuild|babel|eslint|prettier"
        r"|commitlint|lint-staged|playwright|turbo)(?:\.[a-z]+)?\.config\.[cm]?[jt]s)$)",
        "JavaScript tooling",
    ),
    PathRule(
        "ci",
        r"(?i:(?:^|/)(?:pom\.xml|build\.gradle(?:\.kts)?|settings\.gradle(?:\.kts)?|gradle\.properties"
        r"|gradlew(?:\.bat)?|rakefile|flake\.nix|\.golangci\.ya?ml|\.clang-format"
        r"|rust-toolchain(?:\.toml)?|rustfmt\.toml|clippy\.toml|deny\.toml|taskfile\.ya?ml)$"
        r"|(?:^|/)\.goreleaser[^/]*\.ya?ml$"
        r"|(?:^|/)gradle/|\.(?:gemspec|csproj|sln|vcxproj)$)",
        "Rust, Go, JVM, Ruby, Nix, .NET build and lint configuration",
    ),
    PathRule(
        "ci",
        r"(?i:(?:^|/)\.(?:[a-z]+ignore|gitattributes|gitmodules|editorconfig|mailmap)$|(?:^|/)\.github/)",
        "repository configuration",
    ),
)

TITLE_RULES: tuple[tuple[str, str], ...] = (
    (
        "docs",
        r"^(?:docs?|documentation)(?:\([^)]*\))?!?:|^\[(?:docs?|documentation)\]|^update [^ ]+\.(?:md|rst|txt)$",
    ),
    ("tests", r"^(?:tests?|tst)(?:\([^)]*\))?!?:|^\[tests?\]"),
    ("ci", r"^(?:ci|build|bld)(?:\([^)]*\))?!?:|^\[ci\]|^chore\(deps(?:-dev)?\):"),
    ("examples", r"^examples?(?:\([^)]*\))?!?:"),
    ("code", r"^(?:feat|fix|perf|refactor|enh|bug|bugfix|maint|style|revert)(?:\([^)]*\))?!?:"),
)
"""Title prefixes, lower case: Conventional Commits and NumPy-style (DOC:, TST:, BLD:, ENH:, BUG:)."""

LABEL_RULES: tuple[tuple[str, str], ...] = (
    ("docs", r"(?:^|[^a-z])(?:docs?|documentation)(?:[^a-z]|$)"),
    ("tests", r"(?:^|[^a-z])(?:tests?|testing)(?:[^a-z]|$)"),
    ("ci", r"(?:^|[^a-z])(?:ci|build|dependencies|github[ _-]actions)(?:[^a-z]|$)"),
    ("examples", r"(?:^|[^a-z])examples?(?:[^a-z]|$)"),
    ("code", r"(?:^|[^a-z])(?:bug|bugfix|enhancement|feature|performance|refactor(?:ing)?)(?:[^a-z]|$)"),
)
"""Label words, lower case: GitHub's default ``documentation``, ``area/docs``, ``type: bug``, ..."""

# (extension or file name, lower case) -> (language, Linguist type)
LANGUAGES: dict[str, tuple[str, str]] = {
    "py": ("Python", "programming"),
    "pyi": ("Python", "programming"),
    "pyx": ("Cython", "programming"),
    "ipynb": ("Jupyter Notebook", "markup"),
    "js": ("JavaScript", "programming"),
    "mjs": ("JavaScript", "programming"),
    "cjs": ("JavaScript", "programming"),
    "jsx": ("JavaScript", "programming"),
    "ts": ("TypeScript", "programming"),
    "tsx": ("TypeScript", "programming"),
    "go": ("Go", "programming"),
    "rs": ("Rust", "programming"),
    "java": ("Java", "programming"),
    "kt": ("Kotlin", "programming"),
    "kts": ("Kotlin", "programming"),
    "scala": ("Scala", "programming"),
    "groovy": ("Groovy", "programming"),
    "c": ("C", "programming"),
    "h": ("C", "programming"),
    "cc": ("C++", "programming"),
    "cpp": ("C++", "programming"),
    "cxx": ("C++", "programming"),
    "hpp": ("C++", "programming"),
    "hh": ("C++", "programming"),
    "cs": ("C#", "programming"),
    "fs": ("F#", "programming"),
    "rb": ("Ruby", "programming"),
    "php": ("PHP", "programming"),
    "swift": ("Swift", "programming"),
    "m": ("Objective-C", "programming"),
    "mm": ("Objective-C++", "programming"),
    "dart": ("Dart", "programming"),
    "lua": ("Lua", "programming"),
    "r": ("R", "programming"),
    "jl": ("Julia", "programming"),
    "hs": ("Haskell", "programming"),
    "ml": ("OCaml", "programming"),
    "ex": ("Elixir", "programming"),
    "exs": ("Elixir", "programming"),
    "erl": ("Erlang", "programming"),
    "clj": ("Clojure", "programming"),
    "zig": ("Zig", "programming"),
    "nim": ("Nim", "programming"),
    "pl": ("Perl", "programming"),
    "sh": ("Shell", "programming"),
    "bash": ("Shell", "programming"),
    "zsh": ("Shell", "programming"),
    "ps1": ("PowerShell", "programming"),
    "sql": ("SQL", "data"),
    "vue": ("Vue", "markup"),
    "svelte": ("Svelte", "markup"),
    "html": ("HTML", "markup"),
    "htm": ("HTML", "markup"),
    "css": ("CSS", "markup"),
    "scss": ("SCSS", "markup"),
    "sass": ("Sass", "markup"),
    "less": ("Less", "markup"),
    "tex": ("TeX", "markup"),
    "nix": ("Nix", "programming"),
    "tf": ("HCL", "programming"),
    "proto": ("Protocol Buffer", "data"),
    "json": ("JSON", "data"),
    "yaml": ("YAML", "data"),
    "yml": ("YAML", "data"),
    "toml": ("TOML", "data"),
    "xml": ("XML", "data"),
    "csv": ("CSV", "data"),
    "md": ("Markdown", "prose"),
    "mdx": ("MDX", "prose"),
    "markdown": ("Markdown", "prose"),
    "rst": ("reStructuredText", "prose"),
    "adoc": ("AsciiDoc", "prose"),
    "txt": ("Text", "prose"),
    "dockerfile": ("Dockerfile", "programming"),
    "makefile": ("Makefile", "programming"),
    "cmakelists.txt": ("CMake", "programming"),
    "cmake": ("CMake", "programming"),
}


def _combined(patterns: list[str]) -> str:
    """One alternation of ``patterns`` that matches where any of them does."""
    return "|".join(f"(?:{p})" for p in patterns)


def _stages(rules: tuple[PathRule, ...]) -> list[tuple[str, str]]:
    """Runs of consecutive same-category rules as one alternation, which keeps first-match-wins exact."""
    stages: list[tuple[str, list[str]]] = []
    for rule in rules:
        if stages and stages[-1][0] == rule.category:
            stages[-1][1].append(rule.pattern)
        else:
            stages.append((rule.category, [rule.pattern]))
    return [(category, _combined(patterns)) for category, patterns in stages]


_PATH_STAGES = _stages(PATH_RULES)
_COMPILED_RULES = [(rule, re.compile(rule.pattern)) for rule in PATH_RULES]


def path_rule(path: str) -> PathRule | None:
    """The first rule of :data:`PATH_RULES` that ``path`` matches, or None (code)."""
    for rule, pattern in _COMPILED_RULES:
        if pattern.search(path):
            return rule
    return None


def classify_path(path: str) -> str:
    """The category of one changed path; the scalar twin of :func:`classify_paths`."""
    rule = path_rule(path)
    return rule.category if rule else "code"


def classify_change(files: list[tuple[str, int]]) -> tuple[str, bool]:
    """Category and "with tests" of one PR from its (path, changed lines); the scalar twin of classify_prs."""
    lines_by = dict.fromkeys(CATEGORIES, 0)
    files_by = dict.fromkeys(CATEGORIES, 0)
    for path, lines in files:
        category = classify_path(path)
        lines_by[category] += lines
        files_by[category] += 1
    weight = lines_by if sum(lines_by.values()) else files_by
    if weight["code"]:
        return "code", weight["tests"] > 0
    rest = CATEGORIES[1:]
    return max(rest, key=lambda c: (weight[c], -rest.index(c))), False


def _first_stage(text: pd.Series, stages: list[tuple[str, str]]) -> np.ndarray:
    """Index of the first stage whose pattern each string matches (-1: none); each distinct string once."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    return np.append(_first_stage_of_each(pd.Series(uniques, dtype="str"), stages), -1)[codes]


def _first_stage_of_each(unique_text: pd.Series, stages: list[tuple[str, str]]) -> np.ndarray:
    """Index of the first stage whose pattern each string matches (-1: none)."""
    result = np.full(len(unique_text), -1, dtype="int64")
    open_ = np.ones(len(unique_text), dtype=bool)
    for stage, (_, pattern) in enumerate(stages):
        if not open_.any():
            break
        hit = unique_text[open_].str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
        rows = np.flatnonzero(open_)[hit]
        result[rows] = stage
        open_[rows] = False
    return result


def _stage_names(
    stages: list[tuple[str, str]] | tuple[tuple[str, str], ...], default: str | None
) -> np.ndarray:
    """Stage categories by index, with ``default`` appended so that index -1 picks it."""
    return np.asarray([*(category for category, _ in stages), default], dtype=object)


# For each path stage (and -1, no match: code), the index of its category in CATEGORIES.
_PATH_STAGE_CATEGORY = np.asarray([*(CATEGORIES.index(c) for c, _ in _PATH_STAGES), 0], dtype="int64")


_CODE = CATEGORIES.index("code")
_TESTS = CATEGORIES.index("tests")

_LANGUAGE_NAMES = {key: language for key, (language, _) in LANGUAGES.items()}
LANGUAGE_TYPES: dict[str, str] = {language: kind for language, kind in LANGUAGES.values()}
"""The type (programming / markup / data / prose) of each language name."""


@dataclass(frozen=True)
class PathFacts:
    """What the rules say about each path: its category (index into CATEGORIES), language and type."""

    category: np.ndarray
    language: np.ndarray  # object: a language name or None
    language_type: np.ndarray


def path_facts(paths: pd.Series) -> PathFacts:
    """Category and language of every path, examining each distinct path once."""
    codes, uniques = pd.factorize(paths.astype("str"), use_na_sentinel=True)
    unique = pd.Series(uniques, dtype="str")
    category = _PATH_STAGE_CATEGORY[_first_stage_of_each(unique, _PATH_STAGES)]
    # Arrow's regex replace runs in C; str.extract and str.rsplit would loop in Python.
    name = unique.str.replace(r"^.*/", "", regex=True).str.lower()
    key = name.where(name.isin(list(LANGUAGES)), name.str.replace(r"^.*\.", "", regex=True))
    language = key.map(_LANGUAGE_NAMES).to_numpy(dtype=object, na_value=None)
    kind = key.map(_LANGUAGE_NAMES).map(LANGUAGE_TYPES).to_numpy(dtype=object, na_value=None)
    return PathFacts(
        category=np.append(category, 0)[codes],
        language=np.append(language, None)[codes],
        language_type=np.append(kind, None)[codes],
    )


def path_category_codes(paths: pd.Series) -> np.ndarray:
    """The category of every changed path as an index into :data:`CATEGORIES`."""
    return path_facts(paths).category


def classify_paths(paths: pd.Series) -> pd.Series:
    """The category of every changed path, by :data:`PATH_RULES` (first match wins, else code)."""
    names = np.asarray(CATEGORIES, dtype=object)[path_category_codes(paths)]
    return pd.Series(names, index=paths.index, dtype="str")


def _label_categories(labels: pd.Series) -> np.ndarray:
    """The category the labels of each PR point to (the earliest of :data:`LABEL_RULES`), or None."""
    exploded = labels.reset_index(drop=True).explode().dropna()
    best = np.full(len(labels), len(LABEL_RULES), dtype="int64")
    if not exploded.empty:
        stage = _first_stage(exploded.astype("str").str.lower(), list(LABEL_RULES))
        stage = np.where(stage < 0, len(LABEL_RULES), stage)
        np.minimum.at(best, exploded.index.to_numpy(dtype="int64"), stage)
    return np.asarray([*(c for c, _ in LABEL_RULES), None], dtype=object)[best]


def classify_text(titles: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Category from labels, else title prefix, else ``unknown``: for PRs whose files were not seen."""
    by_label = _label_categories(labels)
    title_stage = _first_stage(titles.astype("str").str.strip().str.lower(), list(TITLE_RULES))
    by_title = _stage_names(TITLE_RULES, None)[title_stage]
    has_label = pd.notna(by_label)
    category = np.where(has_label, by_label, np.where(pd.notna(by_title), by_title, UNKNOWN))
    source = np.where(has_label, "labels", np.where(pd.notna(by_title), "title", "none"))
    return pd.DataFrame(
        {"category": pd.array(category, dtype="str"), "category_source": pd.array(source, dtype="str")},
        index=titles.index,
    )


def file_lines(files: pd.DataFrame) -> np.ndarray:
    """Changed lines of each file row (additions + deletions, missing counts as 0)."""
    additions = files["additions"].to_numpy(dtype="float64", na_value=0.0)
    deletions = files["deletions"].to_numpy(dtype="float64", na_value=0.0)
    return (additions + deletions).astype("int64")


def file_positions(prs: pd.DataFrame, files: pd.DataFrame) -> np.ndarray:
    """Row position in ``prs`` of each file's PR, -1 for files of other PRs (``prs.node_id`` is unique)."""
    codes, uniques = pd.factorize(pd.concat([prs["node_id"], files["pr"]], ignore_index=True))
    row = np.full(len(uniques) + 1, -1, dtype="int64")
    pr_codes = codes[: len(prs)]
    row[pr_codes[pr_codes >= 0]] = np.flatnonzero(pr_codes >= 0)
    return row[codes[len(prs) :]]


def classify_prs(
    prs: pd.DataFrame,
    files: pd.DataFrame,
    positions: np.ndarray | None = None,
    categories: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per PR of ``prs`` (same index): its category, where that came from, and lines per category.

    ``positions`` (:func:`file_positions`) and ``categories`` (:func:`path_category_codes` of the files of
    ``prs``) may be passed when the caller already has them.
    """
    n = len(prs)
    width = len(CATEGORIES)
    positions = file_positions(prs, files) if positions is None else positions
    ours = positions >= 0
    category_index = path_category_codes(files["path"][ours]) if categories is None else categories
    cell = positions[ours] * width + category_index
    lines = np.bincount(cell, weights=file_lines(files)[ours], minlength=n * width).reshape(n, width)
    counts = np.bincount(cell, minlength=n * width).reshape(n, width)
    lines = lines.astype("int64")
    has_files = counts.sum(axis=1) > 0
    # Renames and binary files have no changed lines; then the file count decides.
    weight = np.where(lines.sum(axis=1, keepdims=True) > 0, lines, counts)
    # The kind of change, not of the biggest file: any source change makes it code work (its tests, docs and
    # build edits come with it); without source, the most changed lines among the rest decide.
    has_code = weight[:, _CODE] > 0
    rest = weight[:, 1:].argmax(axis=1) + 1 if n else np.empty(0, dtype="int64")
    chosen = np.where(has_code, _CODE, rest)
    category = np.asarray(CATEGORIES, dtype=object)[chosen] if n else np.empty(0, dtype=object)
    with_tests = has_code & (weight[:, _TESTS] > 0)
    source = np.full(n, "files", dtype=object)
    if (~has_files).any():
        without = np.flatnonzero(~has_files)
        text = classify_text(prs["title"].iloc[without], prs["labels"].iloc[without])
        category[without] = text["category"].to_numpy(dtype=object)
        source[without] = text["category_source"].to_numpy(dtype=object)
    # PR-level counts, when the collector saw them, cover files past the listed ones; else the files' sum.
    additions = prs["additions"].to_numpy(dtype="float64", na_value=np.nan)
    deletions = prs["deletions"].to_numpy(dtype="float64", na_value=np.nan)
    total = np.where(
        np.isnan(additions + deletions), np.where(has_files, lines.sum(axis=1), np.nan), additions + deletions
    )
    out = pd.DataFrame(lines, columns=[f"lines_{c}" for c in CATEGORIES], index=prs.index)
    out.insert(0, "lines", pd.array(total, dtype="Float64").astype("Int64"))
    out.insert(0, "with_tests", with_tests)
    out.insert(0, "category_source", pd.array(source, dtype="str"))
    out.insert(0, "category", pd.array(category, dtype="str"))
    out.insert(0, "node_id", prs["node_id"].to_numpy())
    return out


def path_languages(paths: pd.Series) -> pd.DataFrame:
    """``language`` and ``language_type`` of each path, from its file name or extension (same index)."""
    facts = path_facts(paths)
    return pd.DataFrame(
        {
            "language": pd.array(facts.language, dtype="str"),
            "language_type": pd.array(facts.language_type, dtype="str"),
        },
        index=paths.index,
    )
