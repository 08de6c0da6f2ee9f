"""Benchmark: requests, wall time and peak memory of collecting a contributor, three ways, side by side.

    python bench/collect.py [--latency 0.1] [--naive-sample 150] [--datasets demo,large]

(a) our GraphQL collector, (b) our REST collector (with a token), (c) a naive PyGithub loop written the way
a newcomer would (search, then get_pull, get_files and get_repo for every PR). All run against the project's
fake GitHub on 127.0.0.1 with the given latency added to every response. Each run is a fresh child process,
so its peak RSS is its own. The naive loop at 100 ms a request would take most of an hour on the large
profile, so it runs over its first ``--naive-sample`` PRs and its figures are extrapolated per PR (marked ~).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fakehub import DEFAULT_TOKEN, FakeGitHub  # noqa: E402
from fakehub.demo import DEMO_LOGIN, LARGE_LOGIN, demo_dataset, large_dataset  # noqa: E402

DATASETS = {"demo": (DEMO_LOGIN, demo_dataset), "large": (LARGE_LOGIN, large_dataset)}


def child_collect(backend: str, login: str, api_url: str) -> dict:
    """Run our collector (in this child process) and report its figures."""
    from portfolio.collect import collect
    from portfolio.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.sqlite")
        started = time.perf_counter()
        result = collect(login, store, api_url=api_url, token=DEFAULT_TOKEN, backend=backend)
        elapsed = time.perf_counter() - started
        record = store.load_record(login)
        store.close()
    contributions = (
        len(record.pull_requests) + len(record.issues) + len(record.reviews)
        + len(record.discussions) + len(record.comments)
    )  # fmt: skip
    return {"seconds": elapsed, "contributions": contributions, "prs": len(record.pull_requests),
            "client_requests": result.requests}  # fmt: skip


def child_naive(login: str, api_url: str, sample: int) -> dict:
    """The loop a newcomer writes with PyGithub: one search, then three calls per PR."""
    from github import Auth, Github

    gh = Github(auth=Auth.Token(DEFAULT_TOKEN), base_url=api_url, per_page=100, retry=None)
    started = time.perf_counter()
    hits = gh.search_issues(f"author:{login} is:pr")
    seen = 0
    rows = []
    for issue in hits:
        pr = issue.as_pull_request()
        files = [f.filename for f in pr.get_files()]
        repo = gh.get_repo(issue.repository.full_name)
        rows.append((pr.number, pr.merged, len(files), repo.stargazers_count))
        seen += 1
        if seen >= sample:
            break
    return {"seconds": time.perf_counter() - started, "prs": seen, "total_hits": hits.totalCount}


def run_child(args: list[str]) -> dict:
    """Run this script as a child for one measurement; returns its JSON figures plus its peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, latency: float, sample: int) -> list[dict]:
    """All three ways over one dataset, each against a fresh log of the same server."""
    login, make = DATASETS[name]
    dataset = make()
    expected = dataset.record_for(login)
    n_prs = len(expected.pull_requests)
    n_core = n_prs + len(expected.issues) + len(expected.reviews)
    # The floor counts every item a collection pages through: answers, discussions and comments too.
    n_all = n_core + len(expected.discussions) + len(expected.comments)
    rows = []
    with FakeGitHub(dataset, latency=latency) as hub:
        for backend in ("graphql", "rest"):
            hub.reset_log()
            figures = run_child(["collect", backend, login, hub.base_url])
            # REST cannot see answers, discussions or comments (its limits say so).
            wanted = n_all if backend == "graphql" else n_core
            assert figures["contributions"] == wanted, (backend, figures, wanted)
            rows.append({"way": f"({'a' if backend == 'graphql' else 'b'}) {backend}", "requests": hub.request_count(),
                         "seconds": figures["seconds"], "rss_mb": figures["rss_mb"], "estimated": False})  # fmt: skip
        hub.reset_log()
        figures = run_child(["naive", login, hub.base_url, str(sample)])
        per_pr_requests = hub.request_count() / figures["prs"]
        per_pr_seconds = figures["seconds"] / figures["prs"]
        rows.append({"way": "(c) naive PyGithub loop", "requests": per_pr_requests * n_prs,
                     "seconds": per_pr_seconds * n_prs, "rss_mb": figures["rss_mb"],
                     "estimated": figures["prs"] < n_prs})  # fmt: skip
    floor = math.ceil(n_all / 100)
    for row in rows:
        row.update(dataset=name, contributions=n_all, prs=n_prs, floor=floor)
    return rows


def print_table(rows: list[dict], latency: float) -> None:
    """One table: figures and ratios to (a), and to the floor ceil(N/100)."""
    print(f"\nCollection against the fake GitHub, {latency * 1000:.0f} ms latency per request")
    header = f"{'dataset':8} {'N':>6} {'floor':>6} {'way':26} {'requests':>10} {'x (a)':>8} {'x floor':>8} {'wall s':>9} {'x (a)':>8} {'peak MB':>8}"
    print(header)
    print("-" * len(header))
    for name in dict.fromkeys(r["dataset"] for r in rows):
        group = [r for r in rows if r["dataset"] == name]
        base = group[0]
        for r in group:
            mark = "~" if r["estimated"] else " "
            print(
                f"{name:8} {r['contributions']:>6} {r['floor']:>6} {r['way']:26} {mark}{r['requests']:>9.0f} "
                f"{r['requests'] / base['requests']:>8.1f} {r['requests'] / r['floor']:>8.2f} "
                f"{mark}{r['seconds']:>8.1f} {r['seconds'] / base['seconds']:>8.1f} {r['rss_mb']:>8.0f}"
            )
    print(
        "~ extrapolated per PR from the naive loop's sample; the naive loop also stops at search's 1,000-result cap."
    )
    print(
        "floor = ceil(N / 100), N = PRs + issues + reviews + accepted answers + discussions started + comments "
        "(REST sees only the first three)."
    )


def main() -> None:
    """Parse arguments; as a child, measure one run; as the parent, run them all and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--naive-sample", type=int, default=150)
    parser.add_argument("--datasets", default="demo,large")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        figures = child_collect(*rest) if kind == "collect" else child_naive(rest[0], rest[1], int(rest[2]))
        figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return
    rows = []
    for name in args.datasets.split(","):
        rows.extend(measure(name, args.latency, args.naive_sample))
    print_table(rows, args.latency)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
