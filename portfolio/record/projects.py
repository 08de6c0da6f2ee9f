"""Per repository and per month: the login's role in each project, what it did there, and activity over time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from portfolio.record.repos import RepoTable


def roles(contributions: pd.DataFrame) -> pd.Series:
    """owner / maintainer / contributor per repository, from the whole history."""
    grouped = contributions.groupby("repo", sort=True)
    own = grouped["own_repo"].any()
    maintainer = grouped["maintainer_signal"].any()
    return pd.Series(
        np.where(own, "owner", np.where(maintainer, "maintainer", "contributor")),
        index=own.index,
        dtype="str",
    )


def activity(contributions: pd.DataFrame) -> pd.DataFrame:
    """Contributions, merged PRs and points per month, kind, category and track."""
    dated = contributions["date"].notna().to_numpy(dtype=bool)
    names = ("kind", "category", "track")
    # Grouping on integer codes rather than Arrow strings keeps this cheap at a million rows.
    factorized = {name: pd.factorize(contributions[name].to_numpy(dtype=object)[dated]) for name in names}
    months = contributions["date"].dt.tz_convert(None).to_numpy()[dated].astype("datetime64[M]")
    frame = pd.DataFrame(
        {
            "month": months.astype("int64"),
            **{name: codes for name, (codes, _) in factorized.items()},
            "merged": (contributions["outcome"] == "merged").to_numpy(dtype="int64")[dated],
            "points": contributions["points"].to_numpy(dtype="float64")[dated],
        }
    )
    out = (
        frame.groupby(["month", *names])
        .agg(contributions=("merged", "size"), merged=("merged", "sum"), points=("points", "sum"))
        .reset_index()
    )
    out["month"] = pd.DatetimeIndex(out["month"].to_numpy().astype("datetime64[M]").astype("datetime64[s]"))
    out["month"] = out["month"].dt.tz_localize("UTC")
    for name, (_, uniques) in factorized.items():
        out[name] = pd.array(np.asarray(uniques, dtype=object)[out[name].to_numpy()], dtype="str")
    out["points"] = out["points"].astype("float64").round(4)
    out = out.astype({"contributions": "int64", "merged": "int64"})
    return out.sort_values(["month", *names], kind="stable").reset_index(drop=True)


def projects(contributions: pd.DataFrame, repo_roles: pd.Series, repos: RepoTable) -> pd.DataFrame:
    """One row per repository of the window: who owns it, the login's role, and what the login did there."""
    kind = contributions["kind"]
    columns = ["repo", "url", "owner", "org_owned", "own_repo", "stars", "points", "date"]
    frame = contributions[columns].assign(
        is_pr=(kind == "pr").astype("int64"),
        is_merged=((kind == "pr") & (contributions["outcome"] == "merged")).astype("int64"),
        is_issue=(kind == "issue").astype("int64"),
        is_review=(kind == "review").astype("int64"),
        is_answer=(kind == "answer").astype("int64"),
        is_discussion=(kind == "discussion").astype("int64"),
    )
    out = (
        frame.groupby("repo", sort=False)
        .agg(
            url=("url", "first"),
            owner=("owner", "first"),
            org_owned=("org_owned", "first"),
            own_repo=("own_repo", "first"),
            stars=("stars", "first"),
            prs=("is_pr", "sum"),
            merged_prs=("is_merged", "sum"),
            issues=("is_issue", "sum"),
            reviews=("is_review", "sum"),
            answers=("is_answer", "sum"),
            discussions=("is_discussion", "sum"),
            points=("points", "sum"),
            first=("date", "min"),
            latest=("date", "max"),
        )
        .reset_index()
    )
    # The repository's own page, else one of its contributions' URLs cut back to the repository.
    home = out["url"].astype("str").str.replace(r"/(?:pull|issues)/\d+.*$", "", regex=True)
    html = repos.take("html_url", out["repo"])
    out["url"] = np.where(pd.notna(html), html, home.to_numpy(dtype=object))
    out.insert(6, "role", repo_roles.reindex(out["repo"].to_numpy()).to_numpy(dtype=object))
    out["points"] = out["points"].round(4)
    out = out.sort_values(["points", "repo"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out.astype(
        {"repo": "str", "url": "str", "owner": "str", "role": "str", "org_owned": "boolean", "stars": "Int64"}
    )
