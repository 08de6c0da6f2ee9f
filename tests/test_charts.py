"""Charts drawn on the server: the page's look, no screen-reader label per mark, tenths of a pixel."""

from __future__ import annotations

import re

import pandas as pd

from portfolio import charts


def counts() -> pd.DataFrame:
    return pd.DataFrame({"group": ["docs", "code"], "name": ["Docs PRs", "Code PRs"], "prs": [64, 58]})


def test_a_picture_is_svg_of_the_spec_at_the_width_asked():
    svg = charts.picture(charts.split_chart(counts()).to_dict(), 360)
    assert svg.startswith("<svg") and 'width="360"' in svg
    assert "Docs PRs" in svg and ">64<" in svg
    assert 'fill="#57606a"' in svg  # axis labels in the page's muted text colour


def test_a_picture_leaves_out_per_mark_labels_and_long_decimals():
    spec = charts.split_chart(counts()).to_dict()
    svg = charts.picture(spec, 860)
    assert 'aria-roledescription="rect"' not in svg and "prs: 64" not in svg
    assert not re.search(r"\d\.\d{2,}", svg)


def test_the_engine_starts_on_an_empty_chart():
    charts.start_picture_engine()
