"""Hacktoberfest as its published rules have it: which PRs count, and how many a year completes the event."""

from __future__ import annotations

import numpy as np
import pandas as pd

from portfolio.record.arrays import label_flags

FIRST_YEAR = 2014
REQUIRED_PRS: dict[int, int] = {FIRST_YEAR: 4, 2018: 5, 2019: 4, 2025: 6}
"""Accepted PRs the event asked for, from each year on (hacktoberfest.com and DigitalOcean's announcements):
four from 2014, five in 2018, four again from 2019, six from 2025."""
OPT_IN_YEAR = 2020
"""From this year a repository takes part by the ``hacktoberfest`` topic (or by labelling the PR
``hacktoberfest-accepted``); before, any public repository did."""
LABELS = {
    "accepted": r"^hacktoberfest-accepted$",
    # The event's own checks: a label with the word spam or invalid disqualifies, unless also accepted.
    "rejected": r"\b(?:spam|invalid)\b",
}


def required_prs(year: int) -> int | None:
    """How many accepted PRs completed Hacktoberfest in ``year`` (None before the first one)."""
    if year < FIRST_YEAR:
        return None
    return REQUIRED_PRS[max(start for start in REQUIRED_PRS if start <= year)]


def counts_for_hacktoberfest(
    labels: pd.Series, created: pd.Series, merged: np.ndarray, on_topic: np.ndarray, own_repo: np.ndarray
) -> np.ndarray:
    """Which PRs count: opened in October, in someone else's repository taking part, and accepted there
    (merged, or labelled hacktoberfest-accepted), with no spam or invalid label unless accepted by label."""
    flags = label_flags(labels, LABELS)
    dates = pd.to_datetime(created)
    october = (dates.dt.month == 10).to_numpy(dtype=bool)
    taking_part = on_topic | (dates.dt.year < OPT_IN_YEAR).to_numpy(dtype=bool)
    accepted = flags["accepted"] | (merged & taking_part & ~flags["rejected"])
    return october & (dates.dt.year >= FIRST_YEAR).to_numpy(dtype=bool) & ~own_repo & accepted


def hacktoberfest_rule() -> str:
    """The rule the Journey applies, in one paragraph for the Methodology page."""
    steps = sorted(REQUIRED_PRS.items())
    counts = "; ".join(
        f"{needed} from {start}" if end is None else f"{needed} in {start}" if end == start + 1
        else f"{needed} in {start}–{end - 1}"
        for (start, needed), (end, _) in zip(steps, [*steps[1:], (None, 0)], strict=True)
    )  # fmt: skip
    return (
        "A year's **Hacktoberfest** milestone is shown only when the event's own goal was met: enough pull "
        f"requests opened in October and accepted ({counts}). A pull request counts when it is in someone "
        "else's repository that took part (from "
        f"{OPT_IN_YEAR} one with the `hacktoberfest` topic, or a PR labelled `hacktoberfest-accepted`; before "
        f"{OPT_IN_YEAR} any public repository) and was merged or labelled `hacktoberfest-accepted`, with no "
        "`spam` or `invalid` label. Approving reviews also count for the event but are not collected, so a "
        "year completed only through approvals is missed. Work in the contributor's own repositories never "
        "counts. The milestone is dated by the pull request that reached the goal."
    )
