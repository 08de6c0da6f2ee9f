"""Methodology: how every number is computed, the weights in force, and this contributor's own points."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.app.frame import Frame
from portfolio.app.widgets import MISSING_CELL
from portfolio.labels import CATEGORY_NAMES, KIND_NAMES, OUTCOME_NAMES, TRACK_NAMES, metric_name
from portfolio.record import METRIC_DEFINITIONS, hacktoberfest_rule
from portfolio.reports import REPRODUCIBLE_RULE
from portfolio.score import explain
from portfolio.text import format_stars
from portfolio.weights import default_weights_text

BREAKDOWN_SHOWN = ["how", "points", "url", "date", "kind", "category", "repo", "outcome", "track", "size"]
"""The sentence and its points first, so a phone sees why before where."""
DEFINITION_ROW_HEIGHT = 66  # two to three lines: definitions wrap
BREAKDOWN_ROW_HEIGHT = 88  # four lines: the longest explanation wraps instead of being cut
PLAIN_COLUMNS: dict[str, dict[str, str]] = {
    "kind": KIND_NAMES,
    "category": CATEGORY_NAMES,
    "outcome": OUTCOME_NAMES,
    "track": TRACK_NAMES,
}


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its stored codes (kind, category, outcome, track) in plain words."""
    out = frame.copy()
    for column, names in PLAIN_COLUMNS.items():
        if column in out:
            out[column] = out[column].map(lambda value, names=names: names.get(value, value))
    return out


def _breakdown(breakdown: pd.DataFrame) -> None:
    """Every contribution's points with the sentence saying how they came about."""
    rows = breakdown.assign(how=explain(breakdown)).sort_values("points", ascending=False)
    st.caption(
        "Every contribution's points, largest first: how each factor multiplies, and which cap applied."
    )
    st.dataframe(
        _plain(rows[BREAKDOWN_SHOWN]),
        key="breakdown",
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        height=38 + BREAKDOWN_ROW_HEIGHT * 8,
        row_height=BREAKDOWN_ROW_HEIGHT,
        column_order=BREAKDOWN_SHOWN,
        column_config={
            "how": st.column_config.TextColumn("How the points came about", width=330),
            "points": st.column_config.NumberColumn("Points", format="%.2f", width=70),
            "url": st.column_config.LinkColumn("Link", display_text="Open", width=56),
            "date": st.column_config.DatetimeColumn("Date", format="YYYY-MM-DD", width=100),
            "kind": st.column_config.TextColumn("Kind", width=100),
            "category": st.column_config.TextColumn("Category", width=110),
            "repo": st.column_config.TextColumn("Repository", width="medium"),
            "outcome": st.column_config.TextColumn("Outcome", width=118),
            "track": st.column_config.TextColumn("Counted as", width=180),
            "size": st.column_config.TextColumn("Size", width=70),
        },
    )


def render(frame: Frame) -> None:
    """Definitions, weights, the contributor's breakdown, and what the data cannot see."""
    tr = frame.track()
    if tr is None:
        return
    st.title("Methodology", anchor=False)
    st.markdown(
        "Each pull request, issue, review, accepted answer and discussion started earns points: its "
        "**kind** × its **outcome** (merged, fixed, approved, accepted…) × its **size** × the project's "
        "**reach** (stars) × **whose project** it is. Work accepted by someone else's project counts fully; "
        "work in the contributor's own repositories, or merged by themselves as a maintainer, is counted "
        "apart. Caps make many trivial PRs nearly worthless, count only the best few accepted answers per "
        "repository and month, and stop discussions started at a small total. Accepted answers and "
        "discussions are read over GitHub's GraphQL API, so a record collected without a token has none. "
        "Points are computed over the whole record; the date window only selects rows, so a contribution "
        "has the same points in every view."
    )
    st.subheader("What kind of work a pull request is", anchor=False)
    st.markdown(
        "Each changed path gets a category from one table of path rules (docs, tests, CI/build, examples, "
        "else code). A pull request is then classified by the **kind of change**, not by the kind of file "
        "with most lines: if it changes any source code it is **code**, and it is marked *with tests* when "
        "it also changed tests; its docs, manifests and CI edits are part of that work. Without source, "
        "the category with most changed lines (additions + deletions) among tests, docs, CI/build and "
        "examples wins, ties in that order: tests alone are tests, docs with incidental config are docs, "
        "CI/build alone is CI/build. With no changed lines (renames, binary files) the file count decides; "
        "with no files seen, the labels, then a Conventional-Commit title prefix (`docs:`, `test:`, `ci:`)."
    )
    st.subheader("Every number, defined", anchor=False)
    definitions = pd.DataFrame(
        [
            (metric_name(name), _percent(value) if name == "merge_rate" else _value(value), text)
            for name, text in METRIC_DEFINITIONS.items()
            for value in [tr.metrics.get(name)]
        ],
        columns=["metric", "value", "definition"],
    )
    st.dataframe(
        definitions,
        key="definitions",
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        row_height=DEFINITION_ROW_HEIGHT,
        column_config={
            "metric": st.column_config.TextColumn("What", width=190),
            "value": st.column_config.TextColumn("Value", width=80),
            "definition": st.column_config.TextColumn("How it is counted", width=380),
        },
    )
    st.subheader(f"{tr.login}'s points", anchor=False)
    a, b, c = st.columns(3)
    a.metric("Work accepted by others", f"{tr.score.external:,.1f}")
    b.metric("Own or maintained projects", f"{tr.score.maintainer:,.1f}")
    c.metric("Total", f"{tr.score.total:,.1f}")
    left, right = st.columns(2)
    points = {
        "points": st.column_config.NumberColumn("Points", format="%.1f"),
        "kind": st.column_config.TextColumn("Kind"),
        "category": st.column_config.TextColumn("Category"),
        "track": st.column_config.TextColumn("Counted as"),
        "contributions": st.column_config.NumberColumn("Contributions"),
        "prs": st.column_config.NumberColumn("PRs"),
    }
    left.dataframe(
        _plain(tr.score.by_kind),
        key="by_kind",
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        column_config=points,
    )
    right.dataframe(
        _plain(tr.score.by_category),
        key="by_category",
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        column_config=points,
    )
    if tr.breakdown.empty:
        st.caption("No contributions in this window, so no points.")
    else:
        _breakdown(tr.breakdown)
    st.subheader("Weights in force", anchor=False)
    st.caption("From the weights file shipped with the package; a user's own file can override any of them.")
    with st.expander("weights.toml"):
        st.code(default_weights_text(), language="toml")
    st.subheader("Reproducible reports", anchor=False)
    st.markdown(REPRODUCIBLE_RULE)
    st.subheader("Help given is context, never points", anchor=False)
    st.markdown(
        "Comments on other people's issues and pull requests are counted per repository and month and shown "
        "on the Overview and Projects pages, but they earn no points: a comment count is the easiest number "
        "to farm (hundreds of one-word replies cost nothing), so letting it into the score would reward "
        "noise. The tables show how many comments were under five words."
    )
    st.subheader("Highlights are picked by", anchor=False)
    for rule in tr.highlight_rules:
        st.text(f"• {rule}")
    st.subheader("The journey", anchor=False)
    stars = " or ".join(format_stars(n).removesuffix("★") + "+" for n in tr.weights.reach_milestones)
    st.markdown(
        "Each milestone is the first time the contributor did something: a first issue, pull request, "
        "documentation PR, merge into someone else's project, review, accepted answer, maintainer role, or a "
        f"merge into a project with {stars} stars (the weights' star milestones). A contribution that was "
        "several firsts at once is one step, named by all of them."
    )
    st.markdown(hacktoberfest_rule())
    st.subheader("What the data cannot see", anchor=False)
    limits = [*(frame.sync.limits if frame.sync else ()), *tr.limits]
    for limit in dict.fromkeys(limits):
        st.text(f"• {limit}")
    st.caption(tr.rank.notes[0] + " " + " ".join(tr.rank.notes[1:]))
