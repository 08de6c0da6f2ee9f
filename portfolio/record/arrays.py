"""Column helpers of the track record: pandas columns as NumPy arrays, label tests, first-of-group flags."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from portfolio.weights import TRACKS

MAINTAINER_ASSOCIATIONS = frozenset({"MEMBER", "OWNER", "COLLABORATOR"})
"""GitHub author associations that show a maintainer role in a repository."""


def lower(series: pd.Series) -> pd.Series:
    """Lower-case text of a column."""
    return series.astype("str").str.lower()


def is_login(series: pd.Series, login: str) -> np.ndarray:
    """Whether each login of a column is ``login``, in any case."""
    return (lower(series) == login.lower()).to_numpy(dtype=bool)


def objects(series: pd.Series) -> np.ndarray:
    """A column as a NumPy object array with None for missing values."""
    return series.to_numpy(dtype=object, na_value=None)


def naive_datetimes(dates: pd.Series) -> np.ndarray:
    """UTC datetimes as naive ``datetime64[s]`` (NaT for missing), cheap to concatenate and reorder."""
    return dates.dt.tz_convert(None).to_numpy(dtype="datetime64[s]")


def floats(series: pd.Series) -> np.ndarray:
    """A numeric column as float64, NaN for missing."""
    return series.to_numpy(dtype="float64", na_value=np.nan)


def repeated(value: Any, length: int) -> np.ndarray:
    """An object array holding ``value`` (even a tuple) ``length`` times."""
    out = np.empty(length, dtype=object)
    out.fill(value)
    return out


def repeated_code(value: str, values: tuple[str, ...], length: int) -> np.ndarray:
    """``value``'s code (its position in ``values``) for ``length`` rows."""
    return np.full(length, values.index(value), dtype="int64")


def track_codes(maintainer: np.ndarray) -> np.ndarray:
    """Track codes: maintainer where ``maintainer``, else external."""
    return np.where(maintainer, TRACKS.index("maintainer"), TRACKS.index("external")).astype("int64")


def text_column(series: pd.Series) -> pd.Series:
    """A text column kept in pandas' string dtype: reordering it later is a cheap Arrow take."""
    return series.astype("str").reset_index(drop=True)


def maintainer_association(associations: pd.Series) -> np.ndarray:
    """Whether each author association is one of :data:`MAINTAINER_ASSOCIATIONS`."""
    return associations.astype("str").str.upper().isin(list(MAINTAINER_ASSOCIATIONS)).to_numpy(dtype=bool)


def label_flags(labels: pd.Series, patterns: dict[str, str]) -> dict[str, np.ndarray]:
    """For each named pattern, whether any (lower-case) label of a row matches it; one explode for all."""
    exploded = labels.reset_index(drop=True).explode().dropna()
    flags = {name: np.zeros(len(labels), dtype=bool) for name in patterns}
    if exploded.empty:
        return flags
    text = exploded.astype("str").str.lower()
    rows = exploded.index.to_numpy(dtype="int64")
    for name, pattern in patterns.items():
        flags[name][rows[text.str.contains(pattern, regex=True).to_numpy(dtype=bool)]] = True
    return flags


def tuple_lengths(values: pd.Series) -> np.ndarray:
    """Items in each row's tuple (None counts 0)."""
    exploded = values.reset_index(drop=True).explode().dropna()
    return np.bincount(exploded.index.to_numpy(dtype="int64"), minlength=len(values))


def first_of_groups(*keys: np.ndarray) -> np.ndarray:
    """True for the first row (lowest position) of each group of equal ``keys``."""
    n = len(keys[0])
    order = np.lexsort((np.arange(n), *reversed(keys)))
    starts_group = np.zeros(n, dtype=bool)
    if n:
        starts_group[0] = True
        for key in keys:
            starts_group[1:] |= key[order][1:] != key[order][:-1]
    first = np.zeros(n, dtype=bool)
    first[order[starts_group]] = True
    return first
