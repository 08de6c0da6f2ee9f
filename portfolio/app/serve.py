"""``python -m portfolio.app.serve [streamlit options]``: the deployed images' start command.

It is ``streamlit run streamlit_app.py`` with a recruiter's first visit paid for before the recruiter comes.
A plain ``streamlit run`` leaves it all to the first visitor after a start or a wake from sleep: importing
pandas, Altair and the pages, publishing ``data/*.json`` into the hosted store, the track record and its
charts (2.9 s of the demo's first load and 4.7 s of a 10k record's, against 2.0 s and 2.5 s once warm).
Here the imports and the publishing happen before the port opens, so a host routes no visitor to a server
still starting; then Streamlit's own script health check runs the app once, as a visitor without a query
string would, which leaves the default login's track record and chart specs in the shared caches. Other
logins of the deployment find the imports and the store ready and compute only their own record.

Streamlit Community Cloud starts ``streamlit_app.py`` itself and never runs this: there, the first visit
after a wake still pays for the start.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import urllib.request
from pathlib import Path

from portfolio.errors import PortfolioError
from portfolio.publish import publish
from portfolio.site import SITE_FILE, load_site

SCRIPT = Path(__file__).resolve().parents[2] / "streamlit_app.py"
START_LIMIT_SECONDS = 120  # how long the warm-up waits for the server to answer its health check
RUN_LIMIT_SECONDS = 300  # a 100k-contribution record takes seconds to compute on a small host
ANY_ADDRESS = {"", "0.0.0.0", "::"}  # noqa: S104  # compared with, never bound: the warm-up calls loopback

log = logging.getLogger("portfolio.serve")


def main(argv: list[str] | None = None) -> None:
    """Prepare, start the warm-up beside the server, then run Streamlit's own command line."""
    from streamlit.web import cli

    options = sys.argv[1:] if argv is None else argv
    prepare()
    threading.Thread(target=warm, name="portfolio-warm-up", daemon=True).start()
    # The health check that runs the script is off by default; it is as cheap as a visit once warm.
    arguments = ["run", str(SCRIPT), "--server.scriptHealthCheckEnabled", "true", *options]
    cli.main(args=arguments, prog_name="streamlit")


def prepare() -> None:
    """What every visit needs whatever its login: the app's modules imported and the data files published.

    A mistake in the settings or the data is left for the page, which explains it in a sentence.
    """
    started = time.perf_counter()
    # Streamlit warns that no runtime exists yet while the cached loaders are defined; they find it when called.
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        import portfolio.app.main  # noqa: F401  # Streamlit, pandas, Altair and every page
        from portfolio.app.frame import site_dir
    finally:
        quiet.setLevel(level)

    try:
        site = load_site(site_dir() / SITE_FILE)
        if site is not None:
            publish(site_dir(), site.logins)
    except (PortfolioError, OSError) as error:
        log.warning("the data was not published before the start: %s", error)
    log.info("prepared in %.2f s", time.perf_counter() - started)


def warm() -> None:
    """Once the server answers, run the app once through Streamlit's script health check."""
    started = time.perf_counter()
    root = _server_root(started + START_LIMIT_SECONDS)
    if root is None:
        log.warning(
            "the server did not answer within %d s; the first visit will warm it", START_LIMIT_SECONDS
        )
        return
    try:
        check = f"{root}/_stcore/script-health-check"
        with urllib.request.urlopen(check, timeout=RUN_LIMIT_SECONDS) as answer:  # noqa: S310  # http:// built here
            answer.read()
    except OSError as error:  # a 503 (the script failed) included: the page shows why to its visitors
        log.warning("the warm-up run of the app did not finish: %s", error)
        return
    log.info("warmed the first page in %.2f s", time.perf_counter() - started)


def _server_root(deadline: float) -> str | None:
    """The address this process's server answers on, once its health check does; None after ``deadline``."""
    from streamlit import config

    while time.perf_counter() < deadline:
        time.sleep(0.1)
        # Read each time: Streamlit parses its options after this thread has started.
        address = config.get_option("server.address") or ""
        host = "127.0.0.1" if address in ANY_ADDRESS else address
        host = f"[{host}]" if ":" in host else host
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        root = f"http://{host}:{config.get_option('server.port')}" + (f"/{base}" if base else "")
        try:
            with urllib.request.urlopen(f"{root}/_stcore/health", timeout=2):  # noqa: S310  # http:// built here
                return root
        except OSError:
            continue
    return None


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    main()
