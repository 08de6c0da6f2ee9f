"""The one contributions export: its shape, spreadsheet safety, and the CLI writing what the app downloads."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner

from portfolio.cli import cli
from portfolio.export import CONTRIBUTION_EXPORT_COLUMNS, contributions_csv, contributions_json, csv_cell
from portfolio.record import track_record
from portfolio.store import Store
from portfolio.weights import load_weights
from tests.test_record import ALICE

FORMULAS = ['=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_cells_become_text(text):
    """A cell starting with =, +, -, @, tab or CR gets a leading apostrophe, so no spreadsheet runs it."""
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["fix: a bug", "a=b", "", 3, -1, 2.5, None])
def test_other_cells_are_left_alone(value):
    """Ordinary text and every number are written as they are."""
    assert csv_cell(value) == value


def test_csv_of_hostile_titles_reads_back_inert():
    """Formula titles come back from the CSV neutralised, and every other cell unchanged."""
    hostile = replace(
        ALICE,
        pull_requests=tuple(
            replace(pr, title=title) for pr, title in zip(ALICE.pull_requests, FORMULAS, strict=False)
        ),
    )
    contributions = track_record(hostile).contributions
    rows = list(csv.DictReader(io.StringIO(contributions_csv(contributions))))
    assert tuple(rows[0]) == CONTRIBUTION_EXPORT_COLUMNS
    titles = {row["title"] for row in rows if row["kind"] == "pr"}
    assert {"'" + title for title in FORMULAS[: len(ALICE.pull_requests)]} <= titles
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
    assert [row["id"] for row in rows] == list(contributions["id"])


def test_json_and_csv_hold_the_same_rows():
    """The JSON download has the CSV's columns and rows, with labels as lists and ISO 8601 dates."""
    contributions = track_record(ALICE).contributions
    rows = json.loads(contributions_json(contributions))
    assert [tuple(row) for row in rows] == [CONTRIBUTION_EXPORT_COLUMNS] * len(contributions)
    assert [row["id"] for row in rows] == list(contributions["id"])
    assert all(isinstance(row["labels"], list) for row in rows)
    assert rows[0]["date"].endswith("+00:00")


def test_cli_csv_is_the_app_download_with_window_and_weights(monkeypatch, tmp_path):
    """export --format csv --since --until --weights writes exactly the rows and points the app exports."""
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        store.save([ALICE.profile, *ALICE.repos, *ALICE.pull_requests, *ALICE.issues, *ALICE.reviews])
    weights = tmp_path / "weights.toml"
    weights.write_text("[kind]\ndocs = 20.0\n", encoding="utf-8")
    monkeypatch.setenv("PORTFOLIO_DB", str(path))
    args = ["export", "alice", "--format", "csv", "--since", "2023-10-01", "--until", "2023-12-31"]
    result = CliRunner().invoke(cli, [*args, "--weights", str(weights)])
    assert result.exit_code == 0, result.output
    with Store(path) as store:
        record = store.load_record("alice")
    tr = track_record(record, load_weights(weights), since=date(2023, 10, 1), until=date(2023, 12, 31))
    assert result.output == contributions_csv(tr.contributions)
    assert 0 < len(tr.contributions) < len(track_record(record).contributions)
    assert result.output != contributions_csv(
        track_record(record, since=date(2023, 10, 1), until=date(2023, 12, 31)).contributions
    )
