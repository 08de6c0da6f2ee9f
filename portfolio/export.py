"""Exports of a stored record and its track record: stable JSON, contributions as CSV or JSON, and Markdown.

- :func:`record_json` + :func:`dumps`: the whole collected record (what ``import`` reads back), with the
  track record's JSON (:func:`track_record_json`) beside it;
- :func:`contributions_csv` / :func:`contributions_json`: one row per contribution in one shape
  (:data:`CONTRIBUTION_EXPORT_COLUMNS`), written by ``export --format csv`` and by the app's download
  buttons, so a file from a page and one from the command line agree, under the same window and weights;
- :func:`track_record_markdown`: a résumé-ready section with every untrusted text made inert.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from portfolio.classify import CATEGORIES, CATEGORY_LABELS, UNKNOWN
from portfolio.model import Record, SyncInfo
from portfolio.record import HIGHLIGHT_COLUMNS, METRIC_DEFINITIONS, MILESTONE_COLUMNS, TrackRecord
from portfolio.score import BREAKDOWN_COLUMNS
from portfolio.text import contribution_ref, count, is_missing, iso, iso_date, markdown_link, markdown_text


def json_value(value: Any) -> Any:
    """A JSON-ready value: ISO 8601 dates, None for missing, floats rounded to 4 decimals, lists for
    tuples and arrays, recursively."""
    if isinstance(value, list | tuple | np.ndarray):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if is_missing(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return round(float(value), 4)
    return str(value)


def record_json(
    record: Record, sync: SyncInfo | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole record as a JSON-ready dict: profile, repos, pull_requests, issues, reviews and the rest."""
    data: dict[str, Any] = {
        "profile": json_value(asdict(record.profile)),
        "repos": [json_value(asdict(r)) for r in sorted(record.repos, key=lambda r: r.full_name)],
        "pull_requests": [
            json_value(asdict(p)) for p in sorted(record.pull_requests, key=lambda p: (p.repo, p.number))
        ],
        "issues": [json_value(asdict(i)) for i in sorted(record.issues, key=lambda i: (i.repo, i.number))],
        "reviews": [json_value(asdict(r)) for r in sorted(record.reviews, key=lambda r: r.node_id)],
        "discussions": [json_value(asdict(d)) for d in sorted(record.discussions, key=lambda d: d.node_id)],
        "comments": [json_value(asdict(c)) for c in sorted(record.comments, key=lambda c: c.node_id)],
        "commit_years": [json_value(asdict(y)) for y in sorted(record.commit_years, key=lambda y: y.year)],
    }
    if sync is not None:
        data["sync"] = json_value({f.name: getattr(sync, f.name) for f in fields(sync)})
    if extra:
        data.update(extra)
    return data


def dumps(data: dict[str, Any]) -> str:
    """JSON text that is byte-identical between runs for the same data."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts of ``columns``."""
    return [
        {name: json_value(value) for name, value in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False)
    ]


def track_record_json(tr: TrackRecord) -> dict[str, Any]:
    """The track record as JSON-ready data: every total sits next to the rows (breakdown) it sums."""
    breakdown_columns = [*BREAKDOWN_COLUMNS[:6], "number", "title", *BREAKDOWN_COLUMNS[6:]]
    breakdown = tr.contributions.sort_values(["date", "id"], kind="stable")
    classification = tr.classification.sort_values(["url", "id"], kind="stable")
    return {
        "login": tr.login,
        "window": {"since": iso(tr.since), "until": iso(tr.until)},
        "metrics": {name: json_value(tr.metrics[name]) for name in sorted(tr.metrics)},
        "metric_definitions": dict(sorted(METRIC_DEFINITIONS.items())),
        "score": {
            "external": tr.score.external,
            "maintainer": tr.score.maintainer,
            "total": tr.score.total,
            "by_kind": _records(tr.score.by_kind, list(tr.score.by_kind.columns)),
            "by_category": _records(tr.score.by_category, list(tr.score.by_category.columns)),
            "weights": tr.weights.as_dict(),
            "breakdown": _records(breakdown, breakdown_columns),
        },
        "rank_reference": {
            "level": tr.rank.level,
            "percentile": tr.rank.percentile,
            "inputs": dict(sorted(tr.rank.inputs.items())),
            "notes": list(tr.rank.notes),
        },
        "milestones": _records(tr.milestones, MILESTONE_COLUMNS),
        "highlights": _records(tr.highlights, HIGHLIGHT_COLUMNS),
        "languages": _records(tr.languages, list(tr.languages.columns)),
        "classification": _records(classification, list(classification.columns)),
        "limits": list(tr.limits),
    }


CONTRIBUTION_EXPORT_COLUMNS: tuple[str, ...] = (
    "date", "kind", "category", "with_tests", "repo", "number", "title", "url", "state", "outcome", "labels",
    "lines", "lines_code", "lines_tests", "lines_docs", "lines_ci", "lines_examples", "stars", "track",
    "points", "merged_at", "closed_at", "id",
)  # fmt: skip
"""One exported contribution, the same in the CLI's CSV and the app's CSV and JSON downloads: dates in
ISO 8601 UTC, stored codes as in the JSON export (``pr``, ``merged``, ``external``), ``labels`` a list
(joined by ``; `` in CSV), ``points`` under the weights in force."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a leading
# apostrophe makes it text, as OWASP's CSV injection guidance recommends.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def contribution_rows(contributions: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a contributions frame (the track record's, or a filtered part of it) as JSON-ready dicts of
    :data:`CONTRIBUTION_EXPORT_COLUMNS`, in the frame's order."""
    return _records(contributions, list(CONTRIBUTION_EXPORT_COLUMNS))


def contributions_json(contributions: pd.DataFrame) -> str:
    """The contributions as a JSON list of :data:`CONTRIBUTION_EXPORT_COLUMNS` rows."""
    return json.dumps(contribution_rows(contributions), indent=2, ensure_ascii=False) + "\n"


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as it is: lists joined, formula-like text neutralised."""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def contributions_csv(contributions: pd.DataFrame) -> str:
    """The contributions as CSV with a header of :data:`CONTRIBUTION_EXPORT_COLUMNS`, one row each."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CONTRIBUTION_EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in contribution_rows(contributions):
        writer.writerow({name: csv_cell(value) for name, value in row.items()})
    return out.getvalue()


def _window_text(tr: TrackRecord) -> str:
    """``all public activity`` or ``2024-01-01 to today``."""
    if tr.since is None and tr.until is None:
        return "all public activity"
    start = iso_date(tr.since) if tr.since is not None else "the start"
    end = iso_date(tr.until) if tr.until is not None else "today"
    return f"{start} to {end}"


def _headline_lines(metrics: dict[str, Any]) -> list[str]:
    """The résumé's bullet points: accepted work, its kinds, issues and reviews, activity, maintainer work."""
    m = metrics
    rate = f"; merge rate {m['merge_rate'] * 100:.0f}%" if m["merge_rate"] is not None else ""
    lines = [
        f"- **{count(m['merged_external_prs'], 'pull request')} merged** into "
        f"{count(m['external_projects'], 'project')} owned by others "
        f"({count(m['external_organisations'], 'organisation')}){rate}."
    ]
    split = ", ".join(
        f"{m[f'{name}_prs']} {CATEGORY_LABELS[name]}" for name in (*CATEGORIES, UNKNOWN) if m[f"{name}_prs"]
    )
    if split:
        lines.append(f"- Merged work by kind: {split}.")
    if m["code_prs"]:
        lines.append(
            f"- {m['code_prs_with_tests']} of {count(m['code_prs'], 'merged code PR')} came with tests "
            f"({m['code_with_tests_share']:.0%})."
        )
    lines.append(
        f"- {count(m['issues_reported'], 'issue')} reported ({m['issues_fixed']} fixed); "
        f"{count(m['reviews_given'], 'review')} of other people's pull requests."
    )
    if m["first_contribution"] is not None:
        median = m["median_hours_to_merge"]
        merge_time = f"; median time to merge {median / 24:.1f} days" if median is not None else ""
        lines.append(
            f"- Active in {count(m['active_months'], 'month')} from {iso_date(m['first_contribution'])} "
            f"to {iso_date(m['latest_contribution'])}; longest streak "
            f"{count(m['longest_streak_weeks'], 'week')}{merge_time}."
        )
    if m["languages"]:
        lines.append(f"- Languages: {', '.join(markdown_text(lang) for lang in m['languages'])}.")
    if m["maintainer_projects"] or m["own_repo_prs"]:
        lines.append(
            f"- Maintainer work: {count(m['maintainer_projects'], 'project')} as member or collaborator, "
            f"{count(m['own_repo_prs'], 'PR')} in own repositories, {m['self_merged_prs']} self-merged."
        )
    return lines


def _evidence_lines(tr: TrackRecord) -> list[str]:
    """The highlights and the journey, each linked to the contribution on GitHub."""
    lines = []
    if not tr.highlights.empty:
        lines += ["", "### Highlights", ""]
        for row in tr.highlights.to_dict("records"):
            title = (
                f": {markdown_text(row['title'])}" if isinstance(row["title"], str) and row["title"] else ""
            )
            link = markdown_link(contribution_ref(row["repo"], row["number"]), row["url"])
            lines.append(f"{row['rank']}. {link}{title} — {markdown_text(row['reason'])}")
    if not tr.milestones.empty:
        lines += ["", "### Journey", ""]
        for row in tr.milestones.to_dict("records"):
            detail = f" ({markdown_text(row['detail'])})" if row["detail"] else ""
            link = markdown_link(contribution_ref(row["repo"], row["number"]), row["url"])
            lines.append(
                f"- {iso_date(row['date'])} · {markdown_text(row['title'])}: "
                f"{link} {markdown_text(row['contribution_title'])}{detail}".rstrip()
            )
    return lines


def _score_lines(tr: TrackRecord) -> list[str]:
    """The points of both tracks, and the github-readme-stats rank for reference."""
    by_kind = tr.score.by_kind
    external = by_kind[by_kind["track"] == "external"].set_index("kind")["points"]
    return [
        "",
        "### Score",
        "",
        f"External track: **{tr.score.external:,.1f} points** (pull requests {external.get('pr', 0):,.1f}, issues "
        f"{external.get('issue', 0):,.1f}, reviews {external.get('review', 0):,.1f}); maintainer track: "
        f"{tr.score.maintainer:,.1f} points. Points are kind × outcome × size × project reach, with caps on "
        "trivial and repeated work; every point is listed per contribution in the JSON export.",
        "",
        f"For reference, the github-readme-stats rank of the same counts is **{markdown_text(tr.rank.level)}** "
        f"(top {tr.rank.percentile:g}%), computed with "
        + ", ".join(f"{name} = {value}" for name, value in tr.rank.inputs.items())
        + (" (no commits were collected)." if tr.rank.inputs["commits"] == 0 else "."),
        "",
    ]


def track_record_markdown(tr: TrackRecord) -> str:
    """A résumé-ready Markdown section: headline numbers, highlights and milestones, each linked to GitHub."""
    lines = [
        f"## Open-source track record: @{markdown_text(tr.login)}",
        "",
        f"*{markdown_text(_window_text(tr).capitalize())}, from public GitHub data. Each highlight links to its "
        "evidence.*",
        "",
        *_headline_lines(tr.metrics),
        *_evidence_lines(tr),
        *_score_lines(tr),
    ]
    return "\n".join(lines)
