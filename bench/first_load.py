"""A recruiter's first load: browser time, bytes sent and server stages, beside Streamlit's own empty page.

    python bench/first_load.py            # demo (hosted, as bench/load.py) and the 10k record, with the floor
    python bench/first_load.py --no-10k   # the demo and the floor only
    python bench/first_load.py --no-100k  # without the 100k record's server stages

Five servers, each on its own 127.0.0.1 port, started and stopped one after another. Each dashboard runs
hosted (``PORTFOLIO_HOSTED=1``, with an empty ``PORTFOLIO_CACHE_DIR``, as a fresh deployment) twice: "run"
started by ``streamlit run streamlit_app.py`` as Community Cloud starts it, so the first visit publishes
the data and pays every first-call cost, and "serve" by ``python -m portfolio.app.serve``, the images'
start command, which publishes and runs the app once before its port opens, and compresses Streamlit's
bundle. The dashboards are
the demo over this repository's ``portfolio.toml`` (the shipped demo snapshot) and the 10k-contribution
login ``fictional-prolific`` (collected from the fake GitHub into a temporary store, as ``bench/render.py``,
then exported to ``data/LOGIN.json``) behind a temporary ``portfolio.toml`` naming it. The floor is a
one-line ``st.write("hi")`` script. Publishing the 10k file into an empty cache is also timed on its own,
in a fresh process.

Browser (headless Chromium): seconds from navigation to a rendered page (script stopped, connected, and
for the Overview its figures visible). "cold" is the first visit right after the server started, in a new
context; "warm ctx" a second new context (server caches filled, browser cache empty); "reload" that
context reloaded (both warm), each the median of five rounds. Bytes: HTTP bytes on the wire (CDP
``encodedDataLength``), the share under ``/static/`` (Streamlit's bundle) and under ``/media/`` (files served beside the page; bytes are counted
until the network is quiet), websocket messages received and their bytes, and the largest frame; "defl"
is what the websocket's messages come to deflated one by one (zlib level 6, no shared window): what
``server.enableWebsocketCompression`` would send at most.

Server stages, each in a fresh process without the browser: importing ``streamlit`` alone and
``portfolio.app.main``; ``Store.load_frames`` (the app's read), ``track_record`` of its frames and
``Store.load_record`` (first call, then the median of three), for the demo, the 10k record and
``bench/record.py``'s synthetic 100k record; and the floor for the store: ``pandas.read_sql`` of the same
rows from the same SQLite file.
Everything is bounded (page and start-up timeouts, an alarm over the whole run) and cleaned up.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START_TIMEOUT = 90
PAGE_TIMEOUT_MS = 60_000
RUN_LIMIT_SECONDS = 720  # the 100k record alone takes a minute or two to build and measure
SETTLE_SECONDS = 0.5  # after the page is drawn, late requests and frames still count as sent (not as time)
SETTLE_LIMIT_SECONDS = 15
REPEATS = 3
VISIT_ROUNDS = 5  # warm visits and reloads per server, reported by their median
RENDERED = (
    '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
)
METRIC = '[data-testid="stMetric"]'
FLOOR_SCRIPT = 'import streamlit as st\n\nst.write("hi")\n'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The tables Store.load_record reads for one login, and the column naming it.
RECORD_TABLES = {
    "pull_requests": "author",
    "issues": "author",
    "reviews": "author",
    "discussions": "author",
    "comments": "author",
    "commit_years": "login",
}
CORE_TABLES = ("pull_requests", "issues", "reviews")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- stores and server stages (run in fresh processes) ---------------------------------------------------


def build(size: str, path: str) -> str:
    """Fill a store at ``path`` as bench/render.py does and return its login."""
    from bench.render import build_store

    return build_store(size, path)


def stages(login: str, path: str) -> dict[str, float]:
    """In this fresh process: store load, track record and the read_sql floor for ``login`` in ``path``."""
    import sqlite3

    import pandas as pd

    from portfolio.record import track_record
    from portfolio.store import Store

    def timed(call) -> tuple[float, object]:
        started = time.perf_counter()
        value = call()
        return time.perf_counter() - started, value

    def load():
        with Store(path) as store:
            return store.load_record(login)

    def frames():
        with Store(path) as store:
            return store.load_frames(login)

    # The app's path first (load_frames, then the track record of the frames), so that its first calls
    # pay pandas' own first-call costs, as a server's first visit does.
    frames_first, record_frames = timed(frames)
    frames_warm = statistics.median(timed(frames)[0] for _ in range(REPEATS))
    track_first, _ = timed(lambda: track_record(record_frames))
    track_warm = statistics.median(timed(lambda: track_record(record_frames))[0] for _ in range(REPEATS))
    load_first, record = timed(load)
    load_warm = statistics.median(timed(load)[0] for _ in range(REPEATS))

    def read_sql(tables) -> int:
        with sqlite3.connect(path) as conn:
            return sum(
                len(pd.read_sql(f"SELECT * FROM {t} WHERE {RECORD_TABLES[t]} = ?", conn, params=(login,)))
                for t in tables
            )

    read_sql(CORE_TABLES)  # pandas' own first-call costs are not the floor
    core = statistics.median(timed(lambda: read_sql(CORE_TABLES))[0] for _ in range(REPEATS))
    every = statistics.median(timed(lambda: read_sql(RECORD_TABLES))[0] for _ in range(REPEATS))
    return {
        "contributions": len(record.pull_requests) + len(record.issues) + len(record.reviews),
        "rows": read_sql(RECORD_TABLES),
        "load_first": load_first,
        "load_warm": load_warm,
        "frames_first": frames_first,
        "frames_warm": frames_warm,
        "track_first": track_first,
        "track_warm": track_warm,
        "read_sql_core": core,
        "read_sql_all": every,
    }


def import_seconds(module: str) -> float:
    """Seconds to import ``module`` in a fresh interpreter (the interpreter's own start excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def publish_seconds(login: str, store: str, site: Path, cache: Path) -> float:
    """Export ``login`` to ``site/data/LOGIN.json`` as a deployment commits it; seconds a fresh process takes
    to publish it (hosted start: import into an empty cache), the interpreter's own start excluded."""
    (site / "data").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PORTFOLIO_DB": store}
    out = str(site / "data" / f"{login}.json")
    subprocess.run(
        [sys.executable, "-m", "portfolio", "export", login, "--out", out],
        cwd=ROOT, env=env, capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    code = (
        "import sys, time; from pathlib import Path; from portfolio.publish import publish; "
        "t = time.perf_counter(); publish(Path(sys.argv[1]), [sys.argv[2]], Path(sys.argv[3])); "
        "print(time.perf_counter() - t)"
    )
    timed = subprocess.run(
        [sys.executable, "-c", code, str(site), login, str(cache / "timed")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return float(timed.stdout.strip().splitlines()[-1])


def _child(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


# --- servers and the browser -----------------------------------------------------------------------------


def start_server(
    port: int, script: Path, env_extra: dict[str, str], log: Path, serve: bool
) -> subprocess.Popen:
    """``streamlit run script`` (or, with ``serve``, the images' start command, which runs it) on
    127.0.0.1:``port``, once its health check answers."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTFOLIO_")}
    env = {**env, "PYTHONPATH": str(ROOT), **env_extra}
    env.pop("GITHUB_TOKEN", None)
    env.pop("GH_TOKEN", None)
    # The same options both ways: flags for streamlit run, STREAMLIT_* variables for the images' command.
    options = {"server.port": str(port), "server.address": "127.0.0.1", "server.headless": "true",
               "browser.gatherUsageStats": "false", "server.fileWatcherType": "none"}  # fmt: skip
    if serve:
        command = [sys.executable, "-m", "portfolio.app.serve"]
        env.update({_variable(name): value for name, value in options.items()})
    else:
        flags = [part for name, value in options.items() for part in (f"--{name}", value)]
        command = [sys.executable, "-m", "streamlit", "run", str(script), *flags]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=script.parent, env=env, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")


def _variable(option: str) -> str:
    """Streamlit's environment variable for ``option``: server.fileWatcherType -> STREAMLIT_SERVER_FILE_WATCHER_TYPE."""
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", option.replace(".", "_"))
    return f"STREAMLIT_{words.upper()}"


def stop(process: subprocess.Popen) -> None:
    """End one server we started, by its own handle."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Traffic:
    """What one page received: HTTP responses (CDP) and websocket frames (Playwright)."""

    def __init__(self, page) -> None:
        self.urls: dict[str, str] = {}
        self.in_flight: set[str] = set()
        self.last_activity = time.monotonic()
        self.http = 0
        self.static = 0
        self.media = 0
        self.requests = 0
        self.cached = 0
        self.from_cache: set[str] = set()
        self.ws_messages = 0
        self.ws_bytes = 0
        self.ws_largest = 0
        self.ws_deflated = 0
        self.ws_last = 0.0
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.on("Network.requestServedFromCache", lambda event: self.from_cache.add(event["requestId"]))
        self.cdp.send("Network.enable")
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _sent(self, event: dict) -> None:
        if event.get("type") != "WebSocket":
            self.in_flight.add(event["requestId"])
            self.last_activity = time.monotonic()

    def _response(self, event: dict) -> None:
        if event.get("type") != "WebSocket":
            self.urls[event["requestId"]] = event["response"]["url"]
            if event["response"].get("fromDiskCache") or event["response"].get("fromServiceWorker"):
                self.from_cache.add(event["requestId"])

    def _failed(self, event: dict) -> None:
        self.in_flight.discard(event["requestId"])
        self.urls.pop(event["requestId"], None)
        self.last_activity = time.monotonic()

    def _finished(self, event: dict) -> None:
        self.in_flight.discard(event["requestId"])
        self.last_activity = time.monotonic()
        url = self.urls.pop(event["requestId"], None)
        if url is None:
            return
        size = int(event.get("encodedDataLength", 0))
        self.requests += 1
        self.cached += event["requestId"] in self.from_cache
        self.http += size
        if "/static/" in url:
            self.static += size
        elif "/media/" in url:
            self.media += size

    def settle(self, page) -> None:
        """Wait (not timed) until no request has been in flight for SETTLE_SECONDS, at most SETTLE_LIMIT."""
        deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            self.last_activity = time.monotonic() if self.in_flight else self.last_activity
            if time.monotonic() - max(self.last_activity, self.ws_last) >= SETTLE_SECONDS:
                return

    def _frame(self, payload: bytes | str) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        size = len(data)
        self.ws_messages += 1
        self.ws_bytes += size
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)  # raw deflate, as permessage-deflate frames it
        self.ws_deflated += len(deflate.compress(data) + deflate.flush())
        self.ws_largest = max(self.ws_largest, size)
        self.ws_last = time.monotonic()

    def figures(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "http": self.http,
            "static": self.static,
            "media": self.media,
            "cached": self.cached,
            "ws_messages": self.ws_messages,
            "ws_bytes": self.ws_bytes,
            "ws_largest": self.ws_largest,
            "ws_deflated": self.ws_deflated,
        }


def _wait_rendered(page, overview: bool) -> None:
    if overview:
        page.locator(METRIC).first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    else:
        page.get_by_text("hi", exact=True).wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(RENDERED, timeout=PAGE_TIMEOUT_MS)
    if page.locator('[data-testid="stException"]').count():
        raise SystemExit(f"an exception box on {page.url}")


def visits(browser, url: str, overview: bool) -> dict[str, dict]:
    """The cold visit in a new context, then VISIT_ROUNDS rounds of a second new context and its reload:
    seconds and bytes of each, the warm ones the round of median seconds (a visit varies by a few tenths)."""
    results: dict[str, dict] = {}

    def one(page, go) -> dict:
        traffic = Traffic(page)
        started = time.perf_counter()
        go(page)
        _wait_rendered(page, overview)
        elapsed = time.perf_counter() - started
        traffic.settle(page)
        traffic.cdp.detach()
        return {"seconds": elapsed, **traffic.figures()}

    def goto(page) -> None:
        page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)

    def reload(page) -> None:
        page.reload(wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)

    rounds: dict[str, list[dict]] = {"warm ctx": [], "reload": []}
    for n in range(1 + VISIT_ROUNDS):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        first = one(page, goto)
        if n == 0:
            results["cold"] = first
        else:
            rounds["warm ctx"].append(first)
            rounds["reload"].append(one(page, reload))
        context.close()
    for name, runs in rounds.items():
        results[name] = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
    return results


def browse(targets: list[tuple[str, Path, dict[str, str], bool, bool]], logs: Path) -> dict[str, dict]:
    """Each target's server in turn (started, visited, stopped); one Chromium for all."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            for name, script, env_extra, overview, serve in targets:
                port = _free_port()
                server = start_server(port, script, env_extra, logs / f"{name.replace(' ', '-')}.log", serve)
                try:
                    out[name] = visits(browser, f"http://127.0.0.1:{port}/", overview)
                finally:
                    stop(server)
                print(f"browsed {name}", file=sys.stderr)
        finally:
            browser.close()
    return out


# --- the table ------------------------------------------------------------------------------------------


def _kib(n: int) -> str:
    return f"{n / 1024:,.1f}"


def report(browser: dict[str, dict], server: dict[str, dict], imports: dict[str, float], note: str) -> None:
    floor = browser["floor"]
    print("Browser: seconds from navigation to a rendered page (ratio to Streamlit's empty page)")
    print(f"{'page':<14}{'cold':>14}{'warm ctx':>14}{'reload':>14}")
    for name, runs in browser.items():
        cells = []
        for visit in ("cold", "warm ctx", "reload"):
            seconds = runs[visit]["seconds"]
            ratio = "" if name == "floor" else f" ({seconds / floor[visit]['seconds']:.1f}x)"
            cells.append(f"{seconds:.2f}{ratio}")
        print(f"{name:<14}" + "".join(f"{cell:>14}" for cell in cells))
    print()
    print("Bytes to the browser, KiB (HTTP on the wire; websocket payloads received)")
    print(
        f"{'page':<14}{'visit':<10}{'requests':>9}{'cached':>7}{'HTTP':>10}{'/static/':>10}{'/media/':>9}"
        f"{'ws msgs':>8}{'ws':>8}{'largest':>8}{'defl':>7}"
    )
    for name, runs in browser.items():
        for visit, f in runs.items():
            print(
                f"{name:<14}{visit:<10}{f['requests']:>9}{f['cached']:>7}{_kib(f['http']):>10}"
                f"{_kib(f['static']):>10}{_kib(f['media']):>9}{f['ws_messages']:>8}{_kib(f['ws_bytes']):>8}"
                f"{_kib(f['ws_largest']):>8}{_kib(f['ws_deflated']):>7}"
            )
    print(
        "  counted until no request or frame for 0.5 s after the page is drawn; cached = served from the "
        "browser's cache; /media/ = files Streamlit serves beside the page (downloads made up front)."
    )
    print()
    print("Server stages, seconds in fresh processes (no browser)")
    print(f"{'import streamlit':<34}{imports['streamlit']:>8.2f}")
    print(f"{'import portfolio.app.main':<34}{imports['portfolio.app.main']:>8.2f}")
    for stage in [name for name in imports if name.startswith("publish")]:
        print(f"{stage:<34}{imports[stage]:>8.2f}")
    print(
        f"{'record':<10}{'contrib':>8}{'rows':>7}{'frames 1st':>11}{'frames':>8}{'track 1st':>10}{'track':>8}"
        f"{'load':>8}{'sql 3t':>8}{'sql all':>8}{'frames/sql':>11}{'load/sql':>10}"
    )
    for name, s in server.items():
        print(
            f"{name:<10}{s['contributions']:>8}{s['rows']:>7}{s['frames_first']:>11.3f}{s['frames_warm']:>8.3f}"
            f"{s['track_first']:>10.3f}{s['track_warm']:>8.3f}{s['load_warm']:>8.3f}{s['read_sql_core']:>8.3f}"
            f"{s['read_sql_all']:>8.3f}{s['frames_warm'] / s['read_sql_all']:>10.1f}x"
            f"{s['load_warm'] / s['read_sql_all']:>9.1f}x"
        )
    print(
        "  frames = Store.load_frames, the app's read (median of 3 after the first); track = track_record of "
        "those frames; load = Store.load_record, the model objects the exports use; sql 3t = pandas.read_sql "
        "of the pull_requests, issues and reviews rows; sql all = also discussions, comments and commit "
        "years, the rows both read (repos and profile aside); frames/sql and load/sql are to sql all. 100k "
        "is bench/record.py's synthetic record, measured here only (not browsed)."
    )
    print(
        "  run = `streamlit run streamlit_app.py` (Community Cloud's start): its cold visit also publishes the "
        "data into an empty hosted cache, as a fresh deployment does; serve = `python -m portfolio.app.serve`, "
        "the images' start command, which publishes and runs the app once before its port answers, and "
        "compresses Streamlit's bundle (HTTP bytes on the wire)."
    )
    if note:
        print(note)


def main() -> None:
    """Build the stores, measure the stages, browse the three servers, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-10k", action="store_true", help="measure the demo and the floor only")
    parser.add_argument("--no-100k", action="store_true", help="skip the 100k record's server stages")
    parser.add_argument("--build", nargs=2, metavar=("SIZE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--stages", nargs=2, metavar=("LOGIN", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(build(*args.build))
        return
    if args.stages:
        print(json.dumps(stages(*args.stages)))
        return
    if shutil.which("chromium") is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")

    def too_long(*_: object) -> None:
        raise SystemExit(f"the run took longer than {RUN_LIMIT_SECONDS} s")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(RUN_LIMIT_SECONDS)
    note = ""
    with tempfile.TemporaryDirectory(prefix="portfolio-first-load-") as tmp:
        tmp_path = Path(tmp)
        stores = {"demo": str(tmp_path / "demo.sqlite")}
        logins = {"demo": _child("--build", "demo", stores["demo"])}
        if not args.no_10k:
            stores["10k"] = str(tmp_path / "10k.sqlite")
            try:
                logins["10k"] = _child("--build", "10k", stores["10k"])
            except (subprocess.SubprocessError, OSError) as error:
                note = f"The 10k record could not be built ({type(error).__name__}); measured the demo only."
                del stores["10k"]
        else:
            note = "The 10k record was skipped (--no-10k); measured the demo only."
        if not args.no_100k:
            stores["100k"] = str(tmp_path / "100k.sqlite")
            logins["100k"] = _child("--build", "100k", stores["100k"])
        print("built the stores", file=sys.stderr)
        imports = {module: import_seconds(module) for module in ("streamlit", "portfolio.app.main")}
        server = {name: json.loads(_child("--stages", logins[name], path)) for name, path in stores.items()}
        print("measured the server stages", file=sys.stderr)

        floor_script = tmp_path / "floor" / "floor_app.py"
        floor_script.parent.mkdir()
        floor_script.write_text(FLOOR_SCRIPT)
        home = tmp_path / "home"
        home.mkdir()
        demo_env = {"PORTFOLIO_HOSTED": "1", "PORTFOLIO_SITE_DIR": str(ROOT), "HOME": str(home)}
        # As bench/load.py: this repository's portfolio.toml, an empty home; the first visit loads the demo.
        sites = {"demo": demo_env}
        if "10k" in stores:
            site = tmp_path / "site10k"
            site.mkdir()
            imports["publish 10k data/LOGIN.json"] = publish_seconds(
                logins["10k"], stores["10k"], site, tmp_path / "cache-publish"
            )
            site.joinpath("portfolio.toml").write_text(
                f'[site]\nlogins = ["{logins["10k"]}"]\nheadline = "A fictional prolific contributor."\n'
            )
            sites["10k"] = {**demo_env, "PORTFOLIO_SITE_DIR": str(site)}
        targets = [("floor", floor_script, {"HOME": str(home)}, False, False)]
        for name, env in sites.items():
            for serve in (False, True):
                shown = f"{name} {'serve' if serve else 'run'}"
                cache = {"PORTFOLIO_CACHE_DIR": str(tmp_path / f"cache-{shown.replace(' ', '-')}")}
                targets.append((shown, ROOT / "streamlit_app.py", {**env, **cache}, True, serve))
        browser = browse(targets, tmp_path)
    signal.alarm(0)
    report(browser, server, imports, note)


if __name__ == "__main__":
    main()
