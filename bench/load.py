"""Load on a hosted deployment: concurrent browser sessions opening the Overview, on loopback only.

    python bench/load.py                 # 20 sessions against this repository run hosted (the demo)
    python bench/load.py --sessions 10   # fewer; at most MAX_SESSIONS, so a run stays bounded

One ``streamlit run`` in hosted mode (``PORTFOLIO_HOSTED=1``) over this repository's ``portfolio.toml``
binds 127.0.0.1 only; one warm-up visit imports the published data. Then one headless Chromium opens N
contexts at once, each loading the Overview until its four key figures are drawn and the script has
stopped. Reported: errors (timeouts, an exception box, missing figures), the median and 95th percentile
time from navigation to that rendered page, the wall time of the whole wave, and the server's peak RSS
(the process and its children, sampled every 50 ms with psutil).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
MAX_SESSIONS = 50
START_TIMEOUT = 90
PAGE_TIMEOUT_MS = 120_000
RENDERED = (
    '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PeakRss:
    """The largest resident set of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                family = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in family))
            except psutil.Error:
                pass
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_server(port: int, home: str) -> subprocess.Popen:
    """``streamlit run`` in hosted mode over this repository, on 127.0.0.1:``port``."""
    env = {
        **os.environ,
        "PORTFOLIO_HOSTED": "1",
        "PORTFOLIO_SITE_DIR": str(ROOT),
        "PYTHONPATH": str(ROOT),
        "HOME": home,
    }
    env.pop("GITHUB_TOKEN", None)
    env.pop("GH_TOKEN", None)
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"streamlit did not start: {process.stderr.read().decode()[-2000:]}")


async def open_overview(browser, url: str) -> tuple[float, str | None]:
    """Seconds from navigation to a rendered Overview with its figures, and the error if there was one."""
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
        await page.wait_for_selector('[data-testid="stMetric"]', timeout=PAGE_TIMEOUT_MS)
        await page.wait_for_selector(RENDERED, timeout=PAGE_TIMEOUT_MS)
        elapsed = time.perf_counter() - started
        if await page.locator('[data-testid="stException"]').count():
            return elapsed, "an exception box"
        figures = await page.locator('[data-testid="stMetric"]').count()
        if figures < 4:
            return elapsed, f"only {figures} figures"
        return elapsed, None
    except Exception as error:
        return time.perf_counter() - started, f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        await context.close()


async def wave(url: str, sessions: int) -> tuple[list[tuple[float, str | None]], float, float]:
    """One warm-up visit, then ``sessions`` contexts at once; (results, warm-up seconds, wave seconds)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        warm_up, error = await open_overview(browser, url)
        if error:
            raise SystemExit(f"the warm-up visit failed: {error}")
        started = time.perf_counter()
        results = await asyncio.gather(*(open_overview(browser, url) for _ in range(sessions)))
        took = time.perf_counter() - started
        await browser.close()
    return list(results), warm_up, took


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    """Run the wave and print the figures (``--json`` for a machine-readable line)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help=f"concurrent contexts (1-{MAX_SESSIONS})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    args = parser.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be between 1 and {MAX_SESSIONS}")
    if shutil.which("chromium") is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="portfolio-load-") as home:
        process = start_server(port, home)
        try:
            with PeakRss(process.pid) as rss:
                results, warm_up, took = asyncio.run(wave(f"http://127.0.0.1:{port}/", args.sessions))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    times = [seconds for seconds, error in results if error is None]
    errors = [error for _, error in results if error is not None]
    figures = {
        "sessions": args.sessions,
        "errors": len(errors),
        "median_s": round(statistics.median(times), 2) if times else None,
        "p95_s": round(percentile(times, 0.95), 2) if times else None,
        "max_s": round(max(times), 2) if times else None,
        "wave_s": round(took, 2),
        "warm_up_s": round(warm_up, 2),
        "server_peak_rss_mib": round(rss.peak / 2**20, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>20}: {value}")
        for error in sorted(set(errors)):
            print(f"{'error':>20}: {error}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
