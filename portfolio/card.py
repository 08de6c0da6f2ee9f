"""The profile-README card: headline figures, documentation share, top projects and the as-of date.

Drawn with Altair as text and bar marks on a fixed pixel canvas and written by vl-convert as SVG or PNG,
in a light or a dark theme. Every text on it is a text node (vl-convert escapes it), so an untrusted name
or repository cannot become markup; the card holds no address but the profile's, and no secret.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from portfolio.errors import InvalidInput
from portfolio.model import Profile, SyncInfo
from portfolio.text import format_stars

WIDTH, HEIGHT = 495, 220
PNG_COLOURS = 64  # a palette PNG: the card is flat colour and text, and a full-colour one is over 50 kB
TOP_PROJECTS = 3
FORMATS = ("svg", "png")
_FONT = "Helvetica, Arial, sans-serif"
_LONGEST_TEXT = 60  # characters of an untrusted name or repository; the card has a fixed width


@dataclass(frozen=True)
class Theme:
    """The card's colours."""

    background: str
    border: str
    text: str
    muted: str
    accent: str
    track: str


THEMES: dict[str, Theme] = {
    "light": Theme("#ffffff", "#d0d7de", "#1f2328", "#59636e", "#1a7f37", "#eaeef2"),
    "dark": Theme("#0d1117", "#30363d", "#e6edf3", "#9198a1", "#3fb950", "#21262d"),
}


def _short(text: Any, limit: int = _LONGEST_TEXT) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def card_lines(
    profile: Profile, metrics: dict[str, Any], projects: pd.DataFrame, sync: SyncInfo | None
) -> dict:
    """What the card says, as plain values: a test can assert on them without reading pixels."""
    merged = int(metrics["merged_external_prs"])
    docs = int(metrics["docs_prs"])
    share = docs / merged if merged else 0.0
    external = projects[~projects["own_repo"]] if not projects.empty else projects
    top = external.sort_values(["points", "repo"], ascending=[False, True]).head(TOP_PROJECTS)
    moment = (sync.finished_at or sync.started_at) if sync is not None else datetime.now(UTC)
    return {
        "title": _short(f"{profile.name} (@{profile.login})" if profile.name else f"@{profile.login}"),
        "figures": [
            (f"{merged:,}", "PRs merged"),
            (f"{int(metrics['external_projects']):,}", "projects"),
            (f"{docs:,}", "docs PRs"),
            (f"{int(metrics['reviews_given']):,}", "reviews"),
        ],
        "docs_share": share,
        "projects": [
            _short(f"{row.repo}  {format_stars(int(row.stars))} · {int(row.merged_prs)} merged", 70)
            for row in top.itertuples(index=False)
        ],
        "as_of": f"as of {moment.astimezone(UTC):%Y-%m-%d} · github.com/{profile.login}",
    }


def card_chart(lines: dict, theme: str = "light") -> alt.LayerChart:
    """The card as one layered Altair chart on a fixed pixel canvas."""
    if theme not in THEMES:
        raise InvalidInput(f"--theme {theme!r} is not a card theme: use {' or '.join(THEMES)}.")
    colours = THEMES[theme]
    texts = [{"x": 20, "y": 30, "text": lines["title"], "size": 17, "weight": "bold", "colour": colours.text}]
    for n, (value, label) in enumerate(lines["figures"]):
        x = 20 + n * 118
        texts.append({"x": x, "y": 66, "text": value, "size": 22, "weight": "bold", "colour": colours.text})
        texts.append(
            {"x": x, "y": 84, "text": label, "size": 11, "weight": "normal", "colour": colours.muted}
        )
    share = lines["docs_share"]
    texts.append({
        "x": 20, "y": 110, "text": f"Documentation: {share:.0%} of merged PRs", "size": 12,
        "weight": "normal", "colour": colours.text,
    })  # fmt: skip
    if lines["projects"]:
        texts.append({
            "x": 20, "y": 134, "text": "Top projects", "size": 10, "weight": "normal", "colour": colours.muted,
        })  # fmt: skip
    for n, project in enumerate(lines["projects"]):
        texts.append({
            "x": 20, "y": 150 + n * 16, "text": project, "size": 11, "weight": "normal", "colour": colours.text,
        })  # fmt: skip
    texts.append(
        {"x": 20, "y": 206, "text": lines["as_of"], "size": 10, "weight": "normal", "colour": colours.muted}
    )
    frame = pd.DataFrame(texts)
    scale_x = alt.Scale(domain=[0, WIDTH], range=[0, WIDTH])
    scale_y = alt.Scale(domain=[0, HEIGHT], range=[0, HEIGHT])
    position = {
        "x": alt.X("x:Q", scale=scale_x, axis=None),
        "y": alt.Y("y:Q", scale=scale_y, axis=None),
    }
    words = [
        alt.Chart(frame[frame["weight"] == weight])
        .mark_text(align="left", baseline="alphabetic", font=_FONT, fontWeight=weight)
        .encode(
            **position,
            text="text:N",
            size=alt.Size("size:Q", scale=None, legend=None),
            color=alt.Color("colour:N", scale=None, legend=None),
        )
        for weight in ("bold", "normal")
    ]
    bars = pd.DataFrame([
        {"x": 250, "x2": 475, "y": 102, "y2": 112, "colour": colours.track},
        {"x": 250, "x2": 250 + 225 * share, "y": 102, "y2": 112, "colour": colours.accent},
    ])  # fmt: skip
    bar = (
        alt.Chart(bars)
        .mark_rect(cornerRadius=3)
        .encode(
            x=alt.X("x:Q", scale=scale_x, axis=None),
            x2="x2:Q",
            y=alt.Y("y:Q", scale=scale_y, axis=None),
            y2="y2:Q",
            color=alt.Color("colour:N", scale=None, legend=None),
        )
    )
    return (
        alt.layer(bar, *words)
        .properties(width=WIDTH, height=HEIGHT, background=colours.background, padding=0)
        .configure_view(stroke=colours.border, strokeWidth=1, cornerRadius=6)
    )


def render_card(lines: dict, fmt: str, theme: str = "light") -> bytes:
    """The card as SVG text (UTF-8) or PNG bytes."""
    import vl_convert

    spec = card_chart(lines, theme).to_dict()
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "png":
        return _palette_png(vl_convert.vegalite_to_png(spec, scale=2))
    raise InvalidInput(f"a card is .svg or .png, not .{fmt}.")


def _palette_png(png: bytes) -> bytes:
    """``png`` re-encoded with a small palette, which keeps flat colours and anti-aliased text legible."""
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=PNG_COLOURS).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()


def card_format(out: Path) -> str:
    """The card format a file name asks for, from its extension."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(f"--out {out.name!r} must end in .svg or .png.")
    return fmt
