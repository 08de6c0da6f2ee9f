"""Plain words for the track record's codes (kind, category, outcome, track), and sentences made of them.

Pages and exports show these instead of the stored codes, so nobody has to know that ``external`` means
"in other people's projects" or that ``changes_requested`` is a review outcome.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from portfolio.classify import UNKNOWN

KIND_NAMES: dict[str, str] = {
    "pr": "pull request",
    "issue": "issue",
    "review": "review",
    "answer": "accepted answer",
    "discussion": "discussion started",
}
KIND_PLURALS: dict[str, str] = {
    "pr": "PRs",
    "issue": "issues",
    "review": "reviews",
    "answer": "accepted answers",
    "discussion": "discussions started",
}
CATEGORY_NAMES: dict[str, str] = {
    "code": "code",
    "tests": "tests",
    "docs": "documentation",
    "ci": "CI/build",
    "examples": "examples",
    UNKNOWN: "files not seen",
    "issue": "issue",
    "review": "review",
    "answer": "accepted answer",
    "discussion": "discussion started",
}
OUTCOME_NAMES: dict[str, str] = {
    "merged": "merged",
    "open": "open",
    "closed": "closed",
    "fixed": "fixed",
    "not_planned": "closed as not planned",
    "approved": "approved",
    "changes_requested": "changes requested",
    "commented": "commented",
    "dismissed": "dismissed",
    "accepted": "accepted as the answer",
    "answered": "answered",
    "unanswered": "unanswered",
}
TRACK_NAMES: dict[str, str] = {
    "external": "others' project",
    "maintainer": "own or maintained project",
}
"""What ``track`` means for one row: counted as work accepted by others, or as the contributor's own."""
TRACK_PHRASES: dict[str, str] = {
    "external": "in others' projects",
    "maintainer": "in own or maintained projects",
}

FILTER_VALUE_NAMES: dict[str, dict[str, str]] = {
    "kind": {key: name.capitalize() for key, name in KIND_PLURALS.items()} | {"pr": "Pull requests"},
    "category": {key: name.capitalize() for key, name in CATEGORY_NAMES.items()} | {"ci": "CI/build"},
    "outcome": {key: name.capitalize() for key, name in OUTCOME_NAMES.items()},
    "track": {key: name.capitalize() for key, name in TRACK_PHRASES.items()},
    "with_tests": {"True": "With tests", "False": "Without tests"},
}
"""How a filter shows each stored value: ``pr`` reads "Pull requests", ``external`` "In others' projects"."""


def filter_value_name(column: str, value: str) -> str:
    """The plain name of one filter value (repositories and labels are shown as they are)."""
    return FILTER_VALUE_NAMES.get(column, {}).get(value, value)


def _either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    words = list(dict.fromkeys(words))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def filter_sentence(chosen: Mapping[str, Sequence[str]], text: str = "") -> str:
    """What a set of Contributions filters shows, in words: "Merged documentation PRs in others' projects".

    ``chosen`` maps a filter (kind, category, outcome, track, repo, labels, with_tests) to its chosen stored values;
    ``text`` is the title search. No filter at all reads "All contributions".
    """
    kinds = list(chosen.get("kind") or ())
    categories = [CATEGORY_NAMES.get(c, c) for c in chosen.get("category") or () if c not in KIND_NAMES]
    outcomes = [OUTCOME_NAMES.get(o, o) for o in chosen.get("outcome") or ()]
    category_kinds = [c for c in chosen.get("category") or () if c in KIND_NAMES]
    nouns = [KIND_PLURALS.get(k, k) for k in kinds] or (
        ["PRs"] if categories and not category_kinds else ["contributions"]
    )
    if category_kinds and not kinds:
        nouns = [KIND_PLURALS[c] for c in category_kinds] + (["PRs"] if categories else [])
    words = [_either(outcomes), _either(categories), " and ".join(dict.fromkeys(nouns))]
    phrase = " ".join(w for w in words if w)
    tracks = [TRACK_PHRASES.get(t, t) for t in chosen.get("track") or ()]
    if tracks:
        phrase += " " + " or ".join(dict.fromkeys(tracks))
    repos = list(chosen.get("repo") or ())
    if repos:
        phrase += " in " + _either(repos)
    tests = [filter_value_name("with_tests", t).lower() for t in chosen.get("with_tests") or ()]
    if tests:
        phrase += " " + " or ".join(dict.fromkeys(tests))
    labels = list(chosen.get("labels") or ())
    if labels:
        phrase += " labelled " + _either(labels)
    if text.strip():
        phrase += f' with "{text.strip()}" in the title'
    if phrase == "contributions":
        phrase = "all contributions"
    return phrase[0].upper() + phrase[1:]


METRIC_NAMES: dict[str, str] = {
    "contributions": "Contributions",
    "prs_opened": "Pull requests opened",
    "merged_prs": "Pull requests merged (anywhere)",
    "external_prs": "Pull requests sent to others' projects",
    "merged_external_prs": "Pull requests accepted by others' projects",
    "merge_rate": "Share of those accepted (merge rate)",
    "external_projects": "Others' projects with accepted work",
    "external_organisations": "Organisations behind those projects",
    "first_time_projects": "Projects whose first PR from them was accepted",
    "code_prs": "Accepted code PRs",
    "tests_prs": "Accepted test PRs",
    "docs_prs": "Accepted documentation PRs",
    "ci_prs": "Accepted CI/build PRs",
    "examples_prs": "Accepted example PRs",
    "unknown_prs": "Accepted PRs of unknown kind (files not seen)",
    "issues_reported": "Issues reported",
    "issues_fixed": "Reported issues that were fixed",
    "issues_fixed_by_own_prs": "Issues closed by their merged PRs",
    "reviews_given": "Reviews of other people's PRs",
    "reviews_approved": "Reviews that approved",
    "reviews_changes_requested": "Reviews that asked for changes",
    "reviews_commented": "Reviews with comments only",
    "self_merged_prs": "PRs they merged themselves in others' projects",
    "own_repo_prs": "PRs in their own repositories",
    "maintainer_projects": "Others' projects where they are a maintainer",
    "largest_project_stars": "Stars of the largest project with accepted work",
    "active_months": "Months with any contribution",
    "longest_streak_weeks": "Longest run of active weeks",
    "median_hours_to_merge": "Typical hours from opening to merge (median)",
    "languages": "Main languages of the changed files",
    "first_contribution": "First contribution",
    "latest_contribution": "Latest contribution",
    "score_external": "Points for work accepted by others",
    "score_maintainer": "Points for work in own or maintained projects",
    "answers_accepted": "Answers accepted in others' discussions",
    "own_repo_answers": "Answers accepted in own repositories",
    "discussions_started": "Discussions started",
    "code_prs_with_tests": "Accepted code PRs that came with tests",
    "code_with_tests_share": "Share of accepted code PRs with tests",
    "reproducible_reports": "Reproducible issue reports",
    "reproducible_reports_fixed": "Reproducible reports that were fixed",
    "well_made_fixed_share": "Share of reported issues that were reproducible and fixed",
}
"""A human name for every metric of the track record, for pages and exports (keys stay in JSON)."""


def metric_name(key: str) -> str:
    """The human name of metric ``key``; the key itself, spaced, if it has none yet."""
    return METRIC_NAMES.get(key, key.replace("_", " ").capitalize())
