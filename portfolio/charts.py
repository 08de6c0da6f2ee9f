"""Altair chart builders over the track record's aggregated frames: pandas and altair only, one palette.

Every builder takes an aggregate (per month, per category, per repository, per milestone), never raw
contribution rows, and returns a top-level chart whose colours mean the same thing on every page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from portfolio.classify import CATEGORIES, UNKNOWN

GROUPS: tuple[str, ...] = (*CATEGORIES, UNKNOWN, "issue", "review", "answer", "discussion")
"""What a contribution is, for colour: a PR's category, or its kind."""

GROUP_NAMES: dict[str, str] = {
    "code": "Code PRs",
    "tests": "Test PRs",
    "docs": "Docs PRs",
    "ci": "CI/build PRs",
    "examples": "Example PRs",
    UNKNOWN: "PRs (files unseen)",
    "issue": "Issues",
    "review": "Reviews",
    "answer": "Accepted answers",
    "discussion": "Discussions started",
}
GROUP_COLOURS: dict[str, str] = {
    "code": "#1f6feb",
    "tests": "#8250df",
    "docs": "#1a7f37",
    "ci": "#bf8700",
    "examples": "#0a9396",
    UNKNOWN: "#8c959f",
    "issue": "#e16f24",
    "review": "#d63384",
    "answer": "#8a4600",
    "discussion": "#57606a",
}
ROLE_COLOURS: dict[str, str] = {"contributor": "#1f6feb", "maintainer": "#1a7f37", "owner": "#8250df"}
LOGIN_PALETTE: tuple[str, ...] = ("#1f6feb", "#e16f24", "#1a7f37", "#8250df")

_FONT = "sans-serif"
POINT_PADDING = 16  # pixels between the frame and the outermost dot: the largest circle is ~28 px across
REACH_HEADROOM = 1.12  # the reach chart's axes run this far past the largest value (stars: its 4th power)


def _group_scale(names: pd.Series | None = None) -> alt.Scale:
    """Group name -> its colour; only the groups in ``names`` get a legend entry."""
    shown = [g for g in GROUPS if names is None or GROUP_NAMES[g] in set(names)]
    return alt.Scale(domain=[GROUP_NAMES[g] for g in shown], range=[GROUP_COLOURS[g] for g in shown])


def _styled(chart: alt.Chart | alt.LayerChart, height: int) -> alt.Chart | alt.LayerChart:
    """The shared look: full container width, no frame, legend under the plot so phones keep the width."""
    # Fit the width only: fitting the height too squeezes the plot on a phone, where the legend is tall.
    return (
        chart.properties(
            height=height, width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
        )
        .configure_view(strokeWidth=0)
        .configure_axis(labelFont=_FONT, titleFont=_FONT, grid=False, labelLimit=220)
        .configure_legend(orient="bottom", labelFont=_FONT, titleFont=_FONT, columns=2, labelLimit=150)
    )


PICTURE_LOOK: dict[str, Any] = {
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#57606a", "titleColor": "#57606a",
             "titleFontWeight": "normal", "domainColor": "#d0d7de", "tickColor": "#d0d7de"},
    "legend": {"labelFontSize": 12, "labelColor": "#1f2328", "symbolType": "square"},
    "text": {"fontSize": 12},
}  # fmt: skip
"""What Streamlit's theme gives a chart in the browser, for the charts drawn on the server instead (their
font stays sans-serif: a picture shown as an image cannot use the page's web font)."""


def picture(spec: Mapping[str, Any], width: int) -> str:
    """A chart's Vega-Lite ``spec`` drawn as SVG ``width`` pixels wide, in the page's look.

    For a page that sends a picture rather than the Vega library the browser would load, compile and run
    for a live chart: a megabyte of code and half a second of each visit. A picture is shown as an image,
    so the marks' screen-reader labels (half its bytes) are left out, and the page labels the whole; its
    coordinates keep a tenth of a pixel (a third of the rest).
    """
    import vl_convert

    config = {**spec.get("config", {}), "aria": False}
    for part, look in PICTURE_LOOK.items():
        config[part] = {**config.get(part, {}), **look}
    svg = vl_convert.vegalite_to_svg({**spec, "width": width, "config": config}, vl_version="6.4")
    return _TENTHS.sub(r"\1", svg)


_TENTHS = re.compile(r"(\d\.\d)\d+")


def start_picture_engine() -> None:
    """Start vl-convert's JavaScript engine (0.4 s, once per process) by drawing an empty chart."""
    picture({"mark": "point", "data": {"values": []}}, 10)


def monthly_activity(activity: pd.DataFrame) -> pd.DataFrame:
    """Contributions per month and group (``month, group, name, contributions``) from ``TrackRecord.activity``."""
    if activity.empty:
        return pd.DataFrame({"month": [], "group": [], "name": [], "contributions": []})
    group = activity["category"].where(activity["kind"] == "pr", activity["kind"])
    totals = (
        activity.assign(group=group)
        .groupby(["month", "group"], as_index=False, observed=True)["contributions"]
        .sum()
    )
    totals["month"] = pd.to_datetime(totals["month"], utc=True).dt.tz_localize(None)
    totals["name"] = totals["group"].map(GROUP_NAMES)
    totals["order"] = totals["group"].map({g: i for i, g in enumerate(GROUPS)})
    return totals.sort_values(["month", "order"]).reset_index(drop=True)


def activity_chart(activity: pd.DataFrame, height: int = 260) -> alt.Chart:
    """Contributions per month stacked by group: how the work grew and what it was."""
    data = monthly_activity(activity)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6)
            ),
            y=alt.Y("sum(contributions):Q", title="Per month"),
            color=alt.Color("name:N", title=None, scale=_group_scale(data["name"])),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("name:N", title="What"),
                alt.Tooltip("sum(contributions):Q", title="Contributions"),
            ],
        )
    )
    return _styled(chart, height)


def category_counts(metrics: Mapping[str, Any]) -> pd.DataFrame:
    """Merged external PRs per category (``group, name, prs``) from the track record's metrics."""
    rows = [(c, GROUP_NAMES[c], int(metrics.get(f"{c}_prs", 0) or 0)) for c in (*CATEGORIES, UNKNOWN)]
    return pd.DataFrame(rows, columns=["group", "name", "prs"])


def split_chart(counts: pd.DataFrame, height: int = 230) -> alt.Chart:
    """Merged external PRs by category as horizontal bars: the docs / code / tests split."""
    data = counts[counts["prs"] > 0].sort_values("prs", ascending=False, kind="stable")
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=list(data["name"])),
            x=alt.X("prs:Q", title="Merged PRs in others' projects"),
            color=alt.Color("name:N", scale=_group_scale(), legend=None),
            tooltip=[alt.Tooltip("name:N", title="Category"), alt.Tooltip("prs:Q", title="Merged PRs")],
        )
    )
    labels = chart.mark_text(align="left", dx=4, font=_FONT).encode(text="prs:Q", color=alt.value("#1f2328"))
    return _styled(alt.layer(chart, labels), height)


def languages_chart(languages: pd.DataFrame, limit: int = 8, height: int | None = None) -> alt.Chart:
    """Share of changed lines per language (the top ``limit``), from ``TrackRecord.languages``."""
    top = languages.sort_values("lines", ascending=False).head(limit)
    data = pd.DataFrame(
        {
            "language": top["language"].astype("str"),
            "type": top["type"].astype("str"),
            "share": top["share"].astype("float64"),
            "prs": top["prs"].astype("int64"),
        }
    )
    chart = (
        alt.Chart(data)
        .mark_bar(color="#57606a")
        .encode(
            y=alt.Y("language:N", title=None, sort="-x"),
            x=alt.X("share:Q", title="Share of changed lines", axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("language:N", title="Language"),
                alt.Tooltip("share:Q", title="Share of lines", format=".1%"),
                alt.Tooltip("prs:Q", title="PRs touching it"),
            ],
        )
    )
    return _styled(chart, height or 60 + 28 * len(data))


def score_parts(by_kind: pd.DataFrame, by_category: pd.DataFrame) -> pd.DataFrame:
    """Points per track and group (``track, group, name, points``): PR categories, then issues and reviews."""
    prs = by_category.rename(columns={"category": "group"})[["track", "group", "points"]]
    others = by_kind[by_kind["kind"] != "pr"].rename(columns={"kind": "group"})[["track", "group", "points"]]
    parts = pd.concat([prs, others], ignore_index=True)
    parts = parts[parts["points"] > 0].copy()
    parts["name"] = parts["group"].map(GROUP_NAMES)
    parts["order"] = parts["group"].map({g: i for i, g in enumerate(GROUPS)})
    parts["track"] = parts["track"].map({"external": "Others' projects", "maintainer": "Own / maintained"})
    return parts.reset_index(drop=True)


def score_chart(by_kind: pd.DataFrame, by_category: pd.DataFrame, height: int = 200) -> alt.Chart:
    """The score of each track as one column stacked by what earned the points (columns, so the legend
    starts at the left edge and fits a phone)."""
    parts = score_parts(by_kind, by_category)
    chart = (
        alt.Chart(parts)
        .mark_bar()
        .encode(
            x=alt.X(
                "track:N",
                title=None,
                sort=["Others' projects", "Own / maintained"],
                axis=alt.Axis(labelAngle=0),
            ),
            # Untitled: the section is about points, and the legend needs the width on a phone.
            y=alt.Y("sum(points):Q", title=None),
            color=alt.Color("name:N", title=None, scale=_group_scale(parts["name"])),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("track:N", title="Track"),
                alt.Tooltip("name:N", title="From"),
                alt.Tooltip("sum(points):Q", title="Points", format=",.0f"),
            ],
        )
    )
    return _styled(chart, height)


def reach_chart(projects: pd.DataFrame, height: int = 320) -> alt.Chart:
    """Each repository's stars (log scale) against the merged PRs the contributor landed there."""
    data = pd.DataFrame(
        {
            "repo": projects["repo"].astype("str"),
            "stars": projects["stars"].fillna(0).astype("int64").clip(lower=1),
            "merged_prs": projects["merged_prs"].astype("int64"),
            "role": projects["role"].astype("str"),
            "points": projects["points"].astype("float64"),
        }
    )
    # Room beyond the largest values, so the right-most and top-most circles stay inside the frame.
    x_domain = [0, int(data["merged_prs"].max() * REACH_HEADROOM) + 1 if len(data) else 1]
    y_domain = [1, int(data["stars"].max() * REACH_HEADROOM**4) + 10 if len(data) else 10]
    chart = (
        alt.Chart(data)
        .mark_circle(opacity=0.8, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("merged_prs:Q", title="Merged PRs by this contributor", scale=alt.Scale(domain=x_domain)),
            y=alt.Y("stars:Q", title="Stars (log scale)", scale=alt.Scale(type="log", domain=y_domain)),
            size=alt.Size("points:Q", title="Points", legend=None, scale=alt.Scale(range=[40, 600])),
            color=alt.Color(
                "role:N",
                title="Role",
                scale=alt.Scale(domain=list(ROLE_COLOURS), range=list(ROLE_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("repo:N", title="Repository"),
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("stars:Q", title="Stars", format=","),
                alt.Tooltip("merged_prs:Q", title="Merged PRs"),
                alt.Tooltip("points:Q", title="Points", format=",.0f"),
            ],
        )
    )
    return _styled(chart, height)


EVENT_NAME = "Hacktoberfest"
EVENT_COLOUR = "#bf3989"
LABEL_LINE = 15  # pixels per line of a milestone's label
LABEL_GAP = 13  # pixels between two milestones' bands, so no label touches the next


def milestone_group(kind: pd.Series, category: pd.Series) -> pd.Series:
    """The colour group of each journey entry's contribution: a PR's category, else its kind."""
    return category.astype("str").where(kind.astype("str") == "pr", kind.astype("str"))


def _whole_years(dates: pd.Series) -> list[str] | Any:
    """From the first year's 1 January to the next after the last: rounding after padding would add a year."""
    if dates.empty:
        return alt.Undefined
    return [f"{dates.min().year}-01-01", f"{dates.max().year + 1}-01-01"]


def journey_chart(milestones: pd.DataFrame) -> alt.LayerChart:
    """The journey entries as dots on a time axis, each in a band of its own (in the order reached), its short
    names stacked beside the dot: toward the middle of the chart, so no label runs past either edge."""
    dates = pd.to_datetime(milestones["date"], utc=True).dt.tz_localize(None)
    lines = milestones["label"].map(list)
    count = lines.map(len).clip(lower=1).to_numpy()
    band = count * LABEL_LINE + LABEL_GAP
    bottom = band.cumsum()
    data = pd.DataFrame(
        {
            "title": milestones["title"].astype("str"),
            "label": lines.map("\n".join),
            "date": dates,
            "repo": milestones["repo"].astype("str"),
            "event": milestones["earned"].map(lambda keys: any(k.startswith("hacktoberfest") for k in keys)),
            "group": milestone_group(milestones["kind"], milestones["category"]),
            "y": bottom - band / 2,
            # Vega sets a label's first line at y and the others below it: start high enough to centre them.
            "label_y": bottom - band / 2 - (count - 1) * LABEL_LINE / 2,
        }
    )
    # Dots right of the middle of the time span get their label on their left, the others on their right:
    # each label then has half the width, which the short names fit even on a 390-pixel phone.
    middle = dates.min() + (dates.max() - dates.min()) / 2 if len(dates) else None
    data["late"] = dates > middle if middle is not None else False
    data["name"] = data["group"].map(GROUP_NAMES).where(~data["event"], EVENT_NAME)
    colours = {**{GROUP_NAMES[g]: GROUP_COLOURS[g] for g in GROUPS}, EVENT_NAME: EVENT_COLOUR}
    present = [name for name in colours if name in set(data["name"])]
    scale = alt.Scale(domain=present, range=[colours[name] for name in present])
    total = int(bottom[-1]) if len(bottom) else LABEL_LINE
    base = alt.Chart(data).encode(
        x=alt.X(
            "date:T",
            title=None,
            scale=alt.Scale(domain=_whole_years(dates), padding=POINT_PADDING),
            axis=alt.Axis(format="%Y", labelAngle=0, tickCount="year", grid=True),
        ),
        # One pixel per unit, the first entry on top.
        y=alt.Y("y:Q", title=None, axis=None, scale=alt.Scale(domain=[total, 0], nice=False, zero=False)),
    )
    dots = base.mark_point(filled=True, size=150, opacity=1).encode(
        color=alt.Color("name:N", title=None, scale=scale),
        shape=alt.condition("datum.event", alt.value("diamond"), alt.value("circle")),
        tooltip=[
            alt.Tooltip("title:N", title="Milestone"),
            alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
            alt.Tooltip("repo:N", title="Repository"),
        ],
    )
    text = {"font": _FONT, "fontSize": 12, "baseline": "middle", "lineHeight": LABEL_LINE, "lineBreak": "\n"}
    early = base.transform_filter("!datum.late").mark_text(align="left", dx=10, **text)
    late = base.transform_filter("datum.late").mark_text(align="right", dx=-10, **text)
    ink = alt.value("#1f2328")
    label = {"text": "label:N", "color": ink, "y": alt.Y("label_y:Q")}
    chart = alt.layer(dots, early.encode(**label), late.encode(**label))
    return _styled(chart, total)


def compare_activity_chart(monthly: pd.DataFrame, height: int = 260) -> alt.Chart:
    """Contributions per month for each login (``login, month, contributions``), one line each."""
    logins = [*dict.fromkeys(monthly["login"])]
    chart = (
        alt.Chart(monthly)
        .mark_line(point=True, interpolate="monotone")
        .encode(
            x=alt.X(
                "yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6)
            ),
            y=alt.Y("sum(contributions):Q", title="Contributions per month"),
            color=alt.Color(
                "login:N",
                title=None,
                scale=alt.Scale(domain=logins, range=list(LOGIN_PALETTE[: len(logins)])),
            ),
            tooltip=[
                alt.Tooltip("login:N", title="Login"),
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("sum(contributions):Q", title="Contributions"),
            ],
        )
    )
    return _styled(chart, height)


def compare_split_chart(counts: pd.DataFrame, height: int = 240) -> alt.Chart:
    """Share of each login's merged external PRs per category (``login, group, name, prs``)."""
    shown = counts[counts["prs"] > 0]
    chart = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("login:N", title=None),
            x=alt.X("sum(prs):Q", stack="normalize", title="Share of merged PRs", axis=alt.Axis(format="%")),
            color=alt.Color("name:N", title=None, scale=_group_scale(shown["name"])),
            tooltip=[
                alt.Tooltip("login:N", title="Login"),
                alt.Tooltip("name:N", title="Category"),
                alt.Tooltip("sum(prs):Q", title="Merged PRs"),
            ],
        )
    )
    return _styled(chart, height)
