"""Plain words for stored codes: filter values and the sentence above the Contributions table."""

from __future__ import annotations

import pytest

from portfolio.labels import (
    CATEGORY_NAMES,
    KIND_NAMES,
    KIND_PLURALS,
    OUTCOME_NAMES,
    filter_sentence,
    filter_value_name,
)
from portfolio.weights import CATEGORY_VALUES, KINDS, OUTCOMES


@pytest.mark.parametrize(
    ("chosen", "text", "sentence"),
    [
        ({}, "", "All contributions"),
        (
            {"kind": ["pr"], "outcome": ["merged"], "track": ["external"], "category": ["docs"]},
            "",
            "Merged documentation PRs in others' projects",
        ),
        ({"kind": ["pr"], "outcome": ["merged"], "track": ["external"]}, "", "Merged PRs in others' projects"),
        ({"kind": ["review"]}, "", "Reviews"),
        ({"kind": ["issue"], "outcome": ["fixed"]}, "", "Fixed issues"),
        ({"kind": ["issue"], "repo": ["lumen-ui/lumen"]}, "timeout", 'Issues in lumen-ui/lumen with "timeout" in the title'),
        ({"labels": ["documentation", "hacktoberfest-accepted"]}, "", "Contributions labelled documentation or hacktoberfest-accepted"),
        ({"outcome": ["changes_requested"]}, "", "Changes requested contributions"),
        ({"category": ["docs", "code"]}, "", "Documentation or code PRs"),
    ],
)  # fmt: skip
def test_filter_sentence_says_what_is_shown(chosen, text, sentence):
    """Every combination of filters reads as one plain phrase naming each chosen value."""
    assert filter_sentence(chosen, text) == sentence


def test_filter_values_have_plain_names():
    """Stored codes show as words in the filter chips; repositories and labels stay as they are."""
    assert filter_value_name("kind", "pr") == "Pull requests"
    assert filter_value_name("track", "external") == "In others' projects"
    assert filter_value_name("outcome", "changes_requested") == "Changes requested"
    assert filter_value_name("repo", "acme/widgets") == "acme/widgets"


def test_every_metric_has_a_human_name():
    """Each metric the track record defines has a plain name for pages, so no raw key reaches a page."""
    from portfolio.labels import METRIC_NAMES
    from portfolio.record import METRIC_DEFINITIONS

    assert set(METRIC_DEFINITIONS) <= set(METRIC_NAMES)


def test_every_stored_code_has_plain_words():
    """Each kind, category and outcome the score knows, accepted answers included, has a name for the pages."""
    assert set(KIND_NAMES) == set(KIND_PLURALS) == set(KINDS)
    assert set(CATEGORY_NAMES) == set(CATEGORY_VALUES)
    assert set(OUTCOME_NAMES) == set(OUTCOMES)
