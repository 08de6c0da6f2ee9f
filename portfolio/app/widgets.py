"""Small pieces every page uses: safe text, links that keep the frame, evidence under a number."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

import streamlit as st

from portfolio.text import markdown_text

MISSING_CELL = "–"  # a table cell with no value: "None" would read as a value of its own
METRIC_WIDTH = 165  # pixels: two figures side by side on a 390-pixel phone, four or more a row on a laptop


def page_link(frame: Any, slug: str, label: str, icon: str | None = None, **filters: str) -> None:
    """A link to another page of this view, carrying login, window and ``filters`` in the query string."""
    st.page_link(
        frame.pages[slug],
        label=label,
        icon=icon,
        query_params=frame.params(page=slug, **filters),
    )


def track_chart(frame: Any, name: str) -> None:
    """Draw one of the view's charts from its cached spec, which ``st.vega_lite_chart`` sends as it is."""
    spec = frame.chart(name)
    if spec is not None:
        st.vega_lite_chart(spec=spec, width="stretch")


PICTURE_WIDTHS = {"wide": 860, "narrow": 360}  # pixels: a laptop's page column, and a phone's
_URI_SAFE = " /=:;,.-()'!*_~"  # left as they are in the pictures' data URIs; quotes, < > # % are encoded
NARROW_BELOW = 600  # pixels of page column under which the narrow drawing is shown
_PICTURE_STYLE = (
    "<style>.chart-picture{container-type:inline-size}.chart-picture img{max-width:100%;height:auto}"
    f".chart-picture .narrow{{display:none}}@container (max-width:{NARROW_BELOW}px)"
    "{.chart-picture .wide{display:none}.chart-picture .narrow{display:block}}</style>"
)


def track_picture(frame: Any, name: str, label: str) -> None:
    """One of the view's charts as a picture drawn on the server, in a laptop's and a phone's width; the
    page column's width picks which shows. No Vega code reaches the browser for it.

    The pictures hold only the chart's own words (axis titles, group and language names), never text from
    GitHub; they are images (st.html keeps no inline SVG), so nothing in them runs.
    """
    drawn = {size: frame.picture(name, width) for size, width in PICTURE_WIDTHS.items()}
    if drawn["wide"] is None:
        return
    alt = html.escape(label)
    # Percent-encoded rather than base64: a sixth smaller, and it deflates to half of base64's size.
    images = "".join(
        f'<img class="{size}" alt="{alt}" src="data:image/svg+xml,{quote(svg, safe=_URI_SAFE)}">'
        for size, svg in drawn.items()
    )
    st.html(f'{_PICTURE_STYLE}<div class="chart-picture">{images}</div>')


def evidence_metric(
    frame: Any,
    column: Any,
    label: str,
    value: Any,
    help_text: str,
    link_label: str | None = None,
    rows: int | None = 0,
    slug: str = "contributions",
    **filters: str,
) -> None:
    """A headline number (``value``, formatted) with a link under it to the ``rows`` it counts."""
    with column:
        st.metric(label, value, help=help_text)
        # A link to an empty list is a dead end: when there are no rows, or their number is unknown, none.
        if link_label and rows:
            page_link(frame, slug, link_label, icon=":material/arrow_forward:", **filters)


def missing_login(frame: Any) -> None:
    """What to do about a login that is not in the store."""
    known = ", ".join(frame.logins) or "none yet"
    st.warning(
        f"{frame.login} has not been collected yet. Run `python -m portfolio collect {frame.login}` to "
        f"collect it; collected so far: {markdown_text(known)}."
    )
    if not frame.hosted:
        page_link(frame, "refresh", "Or collect it from the Refresh page", icon=":material/sync:")


HELP_NOT_POINTS = (
    "Comments on other people's issues and pull requests, in repositories this login does not own. "
    "Context, never points: comment counts are the easiest thing to farm."
)


def help_given_table(help_given: Any, key: str) -> None:
    """Help given per repository and month, with its threads and how many comments were very short."""
    if help_given.empty:
        st.caption("No comments on others' issues or pull requests in this window (or none were collected).")
        return
    st.caption(HELP_NOT_POINTS)
    st.dataframe(
        help_given[["month", "repo", "comments", "threads", "short_comments"]].sort_values(
            ["month", "repo"], ascending=[False, True]
        ),
        key=key,
        hide_index=True,
        placeholder=MISSING_CELL,
        width="stretch",
        height=min(38 + 35 * max(len(help_given), 1), 320),
        column_config={"short_comments": st.column_config.NumberColumn("under 5 words")},
    )
