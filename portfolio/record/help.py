"""Help given: comments the login left on other people's issues and PRs in repositories it does not own.

Counted per repository and month as context, never as points: comments are the easiest thing to farm (a
bot or a person can leave hundreds of "+1"s a day), so the score ignores them entirely. ``short_comments``
(fewer than :data:`SHORT_WORDS` words) shows how much of the count is one-word noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portfolio.frames import Frames
from portfolio.record.arrays import is_login

SHORT_WORDS = 5
HELP_COLUMNS: dict[str, str] = {
    "repo": "str",
    "month": "str",
    "comments": "int64",
    "threads": "int64",
    "short_comments": "int64",
    "first": "datetime64[s, UTC]",
    "latest": "datetime64[s, UTC]",
}
"""Columns of ``TrackRecord.help_given``: one row per repository and calendar month (UTC, ``YYYY-MM``)."""


def help_given(frames: Frames, since: pd.Timestamp | None, until: pd.Timestamp | None) -> pd.DataFrame:
    """The login's comments on others' threads in others' repositories, per repository and month."""
    comments = frames.comments
    login = frames.login
    others = (
        is_login(comments["author"], login)
        & ~is_login(comments["thread_author"].fillna(""), login)
        & ~is_login(comments["repo_owner"].fillna(comments["repo"].str.split("/").str[0]), login)
    )
    keep = np.asarray(others, dtype=bool)
    if since is not None:
        keep &= (comments["created_at"] >= since).fillna(False).to_numpy(dtype=bool)
    if until is not None:
        keep &= (comments["created_at"] <= until).fillna(False).to_numpy(dtype=bool)
    rows = comments[keep]
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in HELP_COLUMNS.items()})
    frame = pd.DataFrame(
        {
            "repo": rows["repo"].astype("str").to_numpy(dtype=object),
            "month": rows["created_at"].dt.strftime("%Y-%m").to_numpy(dtype=object),
            "thread": rows["thread_url"].astype("str").to_numpy(dtype=object),
            "short": (rows["words"].fillna(0).to_numpy(dtype="int64") < SHORT_WORDS),
            "created_at": rows["created_at"].to_numpy(),
        }
    )
    grouped = frame.groupby(["repo", "month"], sort=True).agg(
        comments=("thread", "size"),
        threads=("thread", "nunique"),
        short_comments=("short", "sum"),
        first=("created_at", "min"),
        latest=("created_at", "max"),
    )
    out = grouped.reset_index()
    out["first"] = pd.to_datetime(out["first"], utc=True)
    out["latest"] = pd.to_datetime(out["latest"], utc=True)
    return out.astype(HELP_COLUMNS)[list(HELP_COLUMNS)]
