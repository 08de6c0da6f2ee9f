"""Benchmark the Overview page: server-side render time cold and warm, peak memory, and browser time.

    python bench/render.py                   # demo, 10k and 100k contributions, plus the browser run
    python bench/render.py --sizes demo 10k  # a subset; --no-browser skips Chromium

Each size is measured in a fresh process over its own store, built beforehand by another process: the demo and the 10k login are collected with the real
collector from the fake GitHub; 100k is the synthetic record of ``bench/record.py`` saved into a store. "cold"
is the first AppTest run of the Overview with empty caches (store load, track record, page; imports and
Streamlit's one-time start-up are done before timing); "warm" is the median of later runs with the caches filled. Peak memory is the process's peak
RSS (Linux VmHWM), Streamlit and pandas included. "browser" is the time from navigation to a settled
Overview in headless Chromium against ``streamlit run`` (first load, then a reload).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ("demo", "10k", "100k")
GOALS_10K = {"cold": 1.0, "warm": 0.2, "peak_mib": 300}
WARM_RUNS = 5
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def build_store(size: str, path: str) -> str:
    """Fill a store for ``size`` and return the login to render."""
    from portfolio.demo import DEMO_LOGIN, load_demo
    from portfolio.store import Store

    with Store(path) as store:
        # Every store the app has started on holds the demo: the app builds it on first start.
        load_demo(store)
        if size == "demo":
            return DEMO_LOGIN
        if size == "10k":
            from fakehub import DEFAULT_TOKEN, FakeGitHub
            from fakehub.demo import LARGE_LOGIN, large_dataset
            from portfolio.collect import collect

            with FakeGitHub(large_dataset()) as hub:
                collect(LARGE_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True)
            return LARGE_LOGIN
        from bench.record import LOGIN, synthetic_frames, synthetic_record

        record = synthetic_record(synthetic_frames(100_000))
        store.save([record.profile, *record.repos, *record.pull_requests, *record.issues, *record.reviews])
        store.finish_sync(store.start_sync(LOGIN, "synthetic"), complete=True, requests=0)
        return LOGIN


def child(login: str, path: str) -> dict[str, float]:
    """Measure one login's Overview in this fresh process (the store was built by another) and return the numbers."""
    import gc

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import portfolio.app.main  # noqa: F401 - imported before timing: the cost measured is the page's
    from portfolio.store import Store

    with Store(path) as store:
        contributions = (lambda r: len(r.pull_requests) + len(r.issues) + len(r.reviews))(
            store.load_record(login)
        )
    os.environ["PORTFOLIO_DB"] = path
    # Streamlit's own one-time start-up work (component discovery) is not the page's cost.
    AppTest.from_string("import streamlit as st\nst.write('warm-up')").run()
    st.cache_data.clear()
    gc.collect()
    # Reset the peak-RSS mark so the store building above does not count (Linux clear_refs value 5).
    Path("/proc/self/clear_refs").write_text("5")
    base_kib = _status_kib("VmRSS")

    def render() -> float:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
        at.query_params["user"] = login
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        if at.exception or not at.metric:
            raise SystemExit(f"the Overview of {login} did not render: {at.exception}")
        return elapsed

    cold = render()
    warm = statistics.median(render() for _ in range(WARM_RUNS))
    return {
        "contributions": contributions,
        "cold": cold,
        "warm": warm,
        "peak_mib": _status_kib("VmHWM") / 1024,
        "base_mib": base_kib / 1024,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_times(path: str) -> dict[str, float]:
    """Seconds from navigation to a settled demo Overview in Chromium: first load, then a reload."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import settle

    chromium_path = shutil.which("chromium")
    if chromium_path is None:
        return {}
    port = _free_port()
    env = {**os.environ, "PORTFOLIO_DB": path, "PORTFOLIO_HOSTED": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):  # noqa: S310 - our own http URL
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1280, "height": 800})
            times = {}
            for name in ("first", "reload"):
                started = time.perf_counter()
                page.goto(f"{base}/", wait_until="domcontentloaded")
                settle(page)
                # settle() ends with fixed pauses (300 + 500 ms) to let charts finish; they are not page time.
                times[name] = time.perf_counter() - started - 0.8
            chromium.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    """Run each size in its own process and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=SIZES, default=list(SIZES))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("LOGIN", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, metavar=("SIZE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.build:
        print(build_store(*args.build))
        return
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = str(Path(tmp) / f"{size}.sqlite")
            built = subprocess.run(
                [sys.executable, __file__, "--build", size, path], capture_output=True, text=True, check=True
            )
            login = built.stdout.strip().splitlines()[-1]
            out = subprocess.run(
                [sys.executable, __file__, "--child", login, path], capture_output=True, text=True, check=True
            )
            rows[size] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"measured {size}", file=sys.stderr)
        browser = {}
        if not args.no_browser:
            demo = str(Path(tmp) / "browser.sqlite")
            build_store("demo", demo)
            browser = browser_times(demo)
    print(f"{'size':>6} {'contributions':>13} {'cold s':>8} {'warm s':>8} {'peak MiB':>9} {'before MiB':>10}")
    for size, r in rows.items():
        print(
            f"{size:>6} {r['contributions']:>13,} {r['cold']:>8.3f} {r['warm']:>8.3f} "
            f"{r['peak_mib']:>9.0f} {r['base_mib']:>10.0f}"
        )
    goals = ", ".join(f"{k} < {v}" for k, v in GOALS_10K.items())
    print(f"goals at 10k: {goals} (s, s, MiB)")
    if browser:
        print(
            f"browser, demo Overview: first load {browser['first']:.2f} s, reload {browser['reload']:.2f} s"
        )


if __name__ == "__main__":
    main()
