"""Benchmark the track record on 10k, 100k and 1M synthetic contributions, against a naive per-row loop.

    python bench/record.py                      # 10k, 100k, 1M; the naive loop on every size
    python bench/record.py --sizes 10000 100000 --naive-max 100000

Each measurement runs in a fresh process: it generates its data (seeded, not timed), resets the peak-RSS
mark, and reports wall time, CPU time (the machine may be shared; best of ``--repeats`` up to 100k) and peak
memory above the data (Linux VmHWM). "ours" is ``track_record`` on ``Frames``: classification, scores with
caps, every metric, milestones, highlights, languages, activity and projects, as typed DataFrames.
"Record→frames" is the extra cost of starting from model objects. "naive" is the readable track record of
``tests/oracle.py`` (the test oracle of the vectorised one): it walks the same ``Record`` row by row in plain
Python with the same path table and weights, computing less: the classification, the points with their caps
and the headline metrics. Before timing, the two are checked to agree on every row of a 5k record.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portfolio.frames import (
    FILE_COLUMNS,
    ISSUE_COLUMNS,
    PR_COLUMNS,
    PROFILE_COLUMNS,
    REPO_COLUMNS,
    REVIEW_COLUMNS,
    Frames,
    record_frames,
    typed_frame,
)
from portfolio.model import ChangedFile, Issue, Profile, PullRequest, Record, Repo, Review
from portfolio.record import track_record
from portfolio.weights import load_weights
from tests.oracle import disagreements, readable_track_record

LOGIN = "bench-user"
START = datetime(2017, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 8 * 365 * 86400

_DIRS = [
    "src",
    "lib",
    "pkg/core",
    "docs",
    "doc/api",
    "tests",
    "test/unit",
    "examples",
    ".github/workflows",
    "cmd",
]
_EXTS = ["py", "go", "rs", "ts", "js", "md", "rst", "yml", "toml", "java", "c", "h"]
_SPECIAL = [
    "README.md",
    "CHANGELOG.md",
    "Dockerfile",
    "Makefile",
    "pyproject.toml",
    "package.json",
    "LICENSE",
]


def _objects(values: list[Any], picks: np.ndarray) -> np.ndarray:
    """An object array of shared Python values (tuples stay tuples), chosen by index."""
    table = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        table[i] = value
    return table[picks]


def synthetic_frames(n: int, seed: int = 0) -> Frames:
    """About ``n`` contributions (70% PRs, 20% issues, 10% reviews) over a skewed set of repositories."""
    rng = np.random.default_rng(seed)
    n_prs, n_issues = int(n * 0.7), int(n * 0.2)
    n_reviews = n - n_prs - n_issues
    n_repos = max(20, n // 40)
    owner_ids = rng.integers(0, max(10, n_repos // 3), n_repos)
    org = owner_ids % 5 < 2
    owners = np.where(org, "org-" + owner_ids.astype(str), "user-" + owner_ids.astype(str)).astype(object)
    own = rng.random(n_repos) < 0.05
    owners[own] = LOGIN
    full_names = pd.Series(owners + "/repo-" + np.arange(n_repos).astype(str), dtype="str")
    stars = np.minimum(rng.lognormal(4, 2.5, n_repos), 400_000).astype("int64")
    repos = typed_frame(
        {
            "full_name": full_names,
            "owner_login": owners,
            "owner_type": np.where(org & ~own, "Organization", "User"),
            "stars": stars,
            "language": _objects(["Python", "Go", "Rust", "TypeScript", None], rng.integers(0, 5, n_repos)),
            "topics": _objects(
                [(), ("hacktoberfest",), ("cli", "python")], rng.choice(3, n_repos, p=[0.8, 0.1, 0.1])
            ),
            "is_fork": np.zeros(n_repos, dtype=bool),
            "html_url": "https://github.com/" + full_names,
        },
        REPO_COLUMNS,
    )

    def pick_repos(k: int) -> np.ndarray:
        """``k`` repository indexes, a few popular, most rare."""
        return (rng.pareto(1.2, k) * n_repos / 20).astype("int64") % n_repos

    pr_repo = pick_repos(n_prs)
    repo_names = full_names.to_numpy(dtype=object)
    created = START + pd.to_timedelta(rng.integers(0, SPAN_SECONDS, n_prs), unit="s")
    state = rng.choice(np.array(["merged", "closed", "open"], dtype=object), n_prs, p=[0.65, 0.15, 0.2])
    merged = state == "merged"
    merged_at = pd.Series(
        created + pd.to_timedelta(rng.exponential(3 * 86400, n_prs).astype("int64"), unit="s")
    )
    merged_by = np.where(
        rng.random(n_prs) < 0.05, LOGIN, "maintainer-" + rng.integers(0, 50, n_prs).astype(str)
    )
    files_known = rng.random(n_prs) > 0.05
    additions = rng.lognormal(3, 1.8, n_prs).astype("int64")
    deletions = rng.lognormal(2, 1.5, n_prs).astype("int64")
    numbers = np.arange(1, n_prs + 1)
    pr_urls = (
        "https://github.com/" + pd.Series(repo_names[pr_repo], dtype="str") + "/pull/" + numbers.astype(str)
    )
    titles = _objects(
        [
            "Fix parser crash",
            "docs: clarify install",
            "Update README.md",
            "feat: add flag",
            "Refactor",
            "ci: cache",
        ],
        rng.integers(0, 6, n_prs),
    )
    labels = _objects(
        [(), ("bug",), ("documentation",), ("hacktoberfest-accepted",), ("enhancement", "good first issue")],
        rng.choice(5, n_prs, p=[0.6, 0.15, 0.1, 0.05, 0.1]),
    )
    issue_numbers = np.arange(1, n_issues + 1)
    issue_repo = pick_repos(n_issues)
    issue_urls = (
        "https://github.com/"
        + pd.Series(repo_names[issue_repo], dtype="str")
        + "/issues/"
        + issue_numbers.astype(str)
    ).to_numpy(dtype=object)
    closes = np.full(n_prs, None, dtype=object)
    linking = np.flatnonzero(rng.random(n_prs) < 0.1)
    if n_issues:
        for i, j in zip(linking, rng.integers(0, n_issues, len(linking)), strict=True):
            closes[i] = (issue_urls[j],)
    prs = typed_frame(
        {
            "node_id": "PR_" + numbers.astype(str),
            "repo": repo_names[pr_repo],
            "number": numbers,
            "title": titles,
            "url": pr_urls,
            "author": np.full(n_prs, LOGIN),
            "state": state,
            "created_at": created,
            "closed_at": merged_at.where(state != "open"),
            "merged_at": merged_at.where(merged),
            "merged_by": np.where(merged, merged_by, None),
            "additions": np.where(files_known, additions, None),
            "deletions": np.where(files_known, deletions, None),
            "labels": labels,
            "author_association": _objects(
                ["CONTRIBUTOR", "MEMBER", "COLLABORATOR", "NONE", "FIRST_TIME_CONTRIBUTOR"],
                rng.choice(5, n_prs, p=[0.7, 0.05, 0.03, 0.12, 0.1]),
            ),
            "closes": closes,
            "files_known": files_known,
        },
        PR_COLUMNS,
    )

    per_pr = np.where(files_known, rng.integers(1, 5, n_prs), 0)
    n_files = int(per_pr.sum())
    pool_size = max(100, min(200_000, n_files // 4))
    pool_dirs = np.asarray(_DIRS, dtype=object)[rng.integers(0, len(_DIRS), pool_size)]
    pool_names = "file_" + rng.integers(0, pool_size, pool_size).astype(str).astype(object) + "."
    pool = (
        pool_dirs + "/" + pool_names + np.asarray(_EXTS, dtype=object)[rng.integers(0, len(_EXTS), pool_size)]
    )
    pool[: len(_SPECIAL)] = _SPECIAL
    file_pr = np.repeat(prs["node_id"].to_numpy(dtype=object), per_pr)
    files = typed_frame(
        {
            "pr": file_pr,
            "path": pool[rng.integers(0, pool_size, n_files)],
            "status": np.full(n_files, "modified"),
            "additions": rng.lognormal(2.5, 1.6, n_files).astype("int64"),
            "deletions": rng.lognormal(1.5, 1.4, n_files).astype("int64"),
        },
        FILE_COLUMNS,
    )

    issue_created = START + pd.to_timedelta(rng.integers(0, SPAN_SECONDS, n_issues), unit="s")
    issue_closed = rng.random(n_issues) < 0.6
    issues = typed_frame(
        {
            "node_id": "I_" + issue_numbers.astype(str),
            "repo": repo_names[issue_repo],
            "number": issue_numbers,
            "title": np.full(n_issues, "Crash on empty input"),
            "url": issue_urls,
            "author": np.full(n_issues, LOGIN),
            "state": np.where(issue_closed, "closed", "open"),
            "created_at": issue_created,
            "state_reason": np.where(
                issue_closed, np.where(rng.random(n_issues) < 0.7, "completed", "not_planned"), None
            ),
            "closed_at": pd.Series(issue_created + pd.Timedelta(days=5)).where(issue_closed),
            "labels": _objects([(), ("bug",)], rng.integers(0, 2, n_issues)),
        },
        ISSUE_COLUMNS,
    )

    review_repo = pick_repos(n_reviews)
    reviews = typed_frame(
        {
            "node_id": "R_" + np.arange(n_reviews).astype(str),
            "pr_url": "https://github.com/"
            + pd.Series(repo_names[review_repo], dtype="str")
            + "/pull/"
            + rng.integers(1, 10, n_reviews).astype(str),
            "repo": repo_names[review_repo],
            "author": np.full(n_reviews, LOGIN),
            "state": rng.choice(
                np.array(["APPROVED", "CHANGES_REQUESTED", "COMMENTED"], dtype=object), n_reviews
            ),
            "submitted_at": START + pd.to_timedelta(rng.integers(0, SPAN_SECONDS, n_reviews), unit="s"),
            "pr_author": np.where(rng.random(n_reviews) < 0.05, LOGIN, "someone"),
        },
        REVIEW_COLUMNS,
    )
    profile = typed_frame({"login": [LOGIN], "followers": [120], "type": ["User"]}, PROFILE_COLUMNS)
    return Frames(prs=prs, files=files, issues=issues, reviews=reviews, repos=repos, profile=profile)


def _value(v: Any) -> Any:
    """A pandas scalar as the plain Python value the model holds."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def synthetic_record(frames: Frames) -> Record:
    """The same data as model objects, for the naive loop and the Record→frames timing."""
    files_by_pr: dict[str, list[ChangedFile]] = defaultdict(list)
    for pr, path, status, additions, deletions in frames.files.itertuples(index=False):
        files_by_pr[pr].append(ChangedFile(path, status, int(additions), int(deletions)))

    def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
        """The rows of ``frame`` as dicts of plain values."""
        columns = list(frame.columns)
        return [dict(zip(columns, map(_value, row), strict=True)) for row in frame.itertuples(index=False)]

    prs = []
    for row in rows(frames.prs):
        known = row.pop("files_known")
        prs.append(PullRequest(**row, files=tuple(files_by_pr.get(row["node_id"], ())) if known else None))
    return Record(
        profile=Profile(**rows(frames.profile)[0]),
        repos=tuple(Repo(**r) for r in rows(frames.repos)),
        pull_requests=tuple(prs),
        issues=tuple(Issue(**r) for r in rows(frames.issues)),
        reviews=tuple(Review(**r) for r in rows(frames.reviews)),
    )


def _peak_kib() -> int:
    """This process's peak resident memory since the last reset, in KiB."""
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def _rss_kib() -> int:
    """This process's resident memory now, in KiB."""
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def measure(method: str, n: int, repeats: int) -> dict[str, float]:
    """Wall and CPU time (best of ``repeats``) and peak memory above the data of one method, in this process."""
    frames = synthetic_frames(n)
    weights = load_weights()
    record = synthetic_record(frames) if method in ("naive", "record_frames") else None
    track_record(synthetic_frames(200, seed=1), weights)  # imports and first-call costs are not the subject

    def run() -> None:
        """The measured work."""
        if method == "ours":
            track_record(frames, weights)
        elif method == "record_frames":
            record_frames(record)
        else:
            readable_track_record(record, weights)

    before = _rss_kib()
    Path("/proc/self/clear_refs").write_text("5")
    walls, cpus = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return {"seconds": min(walls), "cpu": min(cpus), "peak_mib": max(0, _peak_kib() - before) / 1024}


def check_agreement(n: int = 5000) -> dict[str, float]:
    """The readable loop and the vectorised track record agree on every row's points and the headline metrics."""
    frames = synthetic_frames(n, seed=7)
    weights = load_weights()
    ours = track_record(frames, weights)
    if wrong := disagreements(ours, *readable_track_record(synthetic_record(frames), weights)):
        raise SystemExit(f"readable and vectorised disagree: {dict(list(wrong.items())[:10])}")
    return {"external": ours.score.external, "merged_external_prs": ours.metrics["merged_external_prs"]}


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--naive-max", type=int, default=1_000_000, help="skip the naive loop above this size"
    )
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (one run above 100k)")
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "N", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]), int(args.child[2]))))
        return
    agreed = check_agreement()
    print(
        f"readable and vectorised agree on a 5k record: external score {agreed['external']:g}, "
        f"{agreed['merged_external_prs']} merged external PRs\n"
    )
    print(
        "| contributions | ours: wall | ours: CPU | ours: peak | Record→frames | naive loop: wall "
        "| naive: CPU | naive: peak | naive ÷ ours (CPU) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    results: dict[int, dict[str, dict[str, float]]] = {}
    for n in args.sizes:
        repeats = args.repeats if n <= 100_000 else 1
        methods = ["ours", "record_frames"] + (["naive"] if n <= args.naive_max else [])
        results[n] = {}
        for method in methods:
            command = [sys.executable, __file__, "--child", method, str(n), str(repeats)]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            results[n][method] = json.loads(out.stdout.strip().splitlines()[-1])
        ours, conv, naive = results[n]["ours"], results[n]["record_frames"], results[n].get("naive")
        naive_cells = (
            f"{naive['seconds']:.2f} s | {naive['cpu']:.2f} s | {naive['peak_mib']:.0f} MiB "
            f"| {naive['cpu'] / ours['cpu']:.1f}×"
            if naive
            else "skipped | | |"
        )
        print(
            f"| {n:,} | {ours['seconds']:.3f} s | {ours['cpu']:.3f} s | {ours['peak_mib']:.0f} MiB "
            f"| {conv['seconds']:.2f} s | {naive_cells} |",
            flush=True,
        )
    if len(args.sizes) > 1:
        first, last = args.sizes[0], args.sizes[-1]
        growth = results[last]["ours"]["cpu"] / results[first]["ours"]["cpu"]
        print(f"\nours (CPU) grows {growth:.1f}× for {last / first:.0f}× the contributions.")


if __name__ == "__main__":
    main()
