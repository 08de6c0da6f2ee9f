"""Repository facts of each contribution: canonical name, owner, organisation, stars, topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from portfolio.frames import Frames
from portfolio.record.arrays import floats, label_flags, lower, objects, text_column

REPO_CONTEXT_COLUMNS = ("repo", "owner", "own_repo", "external", "org_owned", "stars")
"""The columns :func:`repository_context` gives every kind of contribution."""


@dataclass(frozen=True)
class RepoTable:
    """Repository facts, looked up by lower-case full name."""

    keys: pd.Series
    full_name: np.ndarray
    owner_type: np.ndarray
    stars: np.ndarray
    language: np.ndarray
    html_url: np.ndarray
    hacktoberfest_topic: np.ndarray

    @classmethod
    def of(cls, frames: Frames) -> RepoTable:
        """The repository table of ``frames``, the last row winning for a repeated name."""
        repos = frames.repos.assign(key=lower(frames.repos["full_name"]))
        repos = repos.drop_duplicates("key", keep="last").reset_index(drop=True)
        topics = label_flags(repos["topics"], {"hacktoberfest": r"^hacktoberfest$"})["hacktoberfest"]
        return cls(
            keys=repos["key"].reset_index(drop=True),
            full_name=objects(repos["full_name"]),
            owner_type=objects(repos["owner_type"]),
            stars=floats(repos["stars"]),
            language=objects(repos["language"]),
            html_url=objects(repos["html_url"]),
            hacktoberfest_topic=topics,
        )

    def locate(self, repo: pd.Series) -> np.ndarray:
        """Row of each of ``repo`` in this table, -1 where unknown."""
        codes, uniques = pd.factorize(pd.concat([self.keys, lower(repo)], ignore_index=True))
        row = np.full(len(uniques) + 1, -1, dtype="int64")
        row[codes[: len(self.keys)]] = np.arange(len(self.keys))
        return row[codes[len(self.keys) :]]

    def pick(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Column ``name`` at table rows ``rows`` (None, NaN or False at -1)."""
        values = getattr(self, name)
        fill = np.nan if values.dtype.kind == "f" else (False if values.dtype.kind == "b" else None)
        if not len(values):
            return np.full(len(rows), fill, dtype=values.dtype if values.dtype.kind in "fb" else object)
        return np.where(rows >= 0, values[np.maximum(rows, 0)], fill)

    def take(self, name: str, repo: pd.Series) -> np.ndarray:
        """Column ``name`` for each of ``repo``."""
        return self.pick(name, self.locate(repo))


def repository_context(
    repo: pd.Series, login: str, repos: RepoTable, profile_type: str | None
) -> dict[str, Any]:
    """Canonical name, owner, ownership, organisation and stars of each row's repository."""
    rows = repos.locate(repo)
    canonical = repos.pick("full_name", rows)
    owner = repo.astype("str").str.replace(r"/.*$", "", regex=True)
    own = (owner.str.lower() == login.lower()).to_numpy(dtype=bool)
    owner_type = repos.pick("owner_type", rows)
    org = np.where(pd.isna(owner_type), np.nan, owner_type == "Organization").astype("float64")
    if profile_type is not None:
        org[own] = float(profile_type == "Organization")
    return {
        "repo": np.where(pd.isna(canonical), objects(repo.astype("str")), canonical),
        "owner": text_column(owner),
        "own_repo": own,
        "external": ~own,
        "org_owned": org,
        "stars": repos.pick("stars", rows),
        "hacktoberfest_topic": repos.pick("hacktoberfest_topic", rows).astype(bool),
    }
