"""``python -m portfolio.app.serve``: the deployed images' start command.

It serves ``streamlit_app.py`` as ``streamlit run`` does, with two differences a recruiter feels:

- **Warm before the first visit.** A plain ``streamlit run`` leaves the first visitor after a start or a
  wake from sleep to pay for importing pandas, Altair and the pages, publishing ``data/*.json`` into the
  hosted store, the track record and its charts. Here all of that is done before the port opens: the
  imports and the publishing first, then one run of the app, as a visitor without a query string would
  make, which leaves the default login's track record and chart specs in the shared caches. Other logins
  of the deployment find everything else ready and compute only their own record.
- **Streamlit's code compressed.** Streamlit serves its 4 MB of JavaScript and fonts uncompressed, which
  is quick on a laptop next to the server and slow on a phone: compressed it is about a third of that.

Options are Streamlit's own, as ``STREAMLIT_*`` environment variables (the images set the port and the
address that way) or ``.streamlit/config.toml``. Streamlit Community Cloud starts ``streamlit_app.py``
itself and never runs this: there, the first visit after a wake still pays for the start.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from portfolio.errors import PortfolioError
from portfolio.publish import publish
from portfolio.site import SITE_FILE, load_site

SCRIPT = Path(__file__).resolve().parents[2] / "streamlit_app.py"
COMPRESSED_PREFIX = "/static/"  # Streamlit's bundle: hashed file names, cached by browsers once fetched
COMPRESS_LEVEL = 6  # nearly level 9's size at a third of its time; each first visit compresses 4 MB
COMPRESS_MINIMUM_BYTES = 1024

log = logging.getLogger("portfolio.serve")


def main() -> None:
    """Prepare, then serve the app with the warm-up as its start-up and its bundle compressed."""
    import streamlit as st
    from starlette.middleware import Middleware

    prepare()
    app = st.App(SCRIPT, lifespan=_warm_up, middleware=[Middleware(CompressBundle)])
    # The script health check is off by default; the images' HEALTHCHECK runs the app through it.
    app.run(config={**environment_options(), "server.scriptHealthCheckEnabled": True})


def environment_options() -> dict[str, Any]:
    """Streamlit's options set as ``STREAMLIT_*`` variables, typed: only ``streamlit run``'s command line
    reads them by itself (the sensitive ones aside, which Streamlit reads from the environment anyway)."""
    from streamlit import config

    options: dict[str, Any] = {}
    # The option definitions, not get_config_options(): parsing the files here as well makes Streamlit warn
    # that the server's options changed when App.run parses them again.
    for name, option in config._config_options_template.items():
        raw = os.environ.get(option.env_var)
        if raw is None or option.sensitive:
            continue
        if option.type is bool:
            options[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif option.type in (int, float):
            options[name] = option.type(raw)
        elif isinstance(option.default_val, list):  # lists are typed by their default, as the CLI does
            options[name] = raw.split()
        else:
            options[name] = raw
    return options


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
        from portfolio.app.frame import hosted_mode, site_dir
    finally:
        quiet.setLevel(level)
    try:
        site = (
            load_site(site_dir() / SITE_FILE) if hosted_mode() else None
        )  # a local app reads the CLI's store
        if site is not None:
            publish(site_dir(), site.logins)
    except (PortfolioError, OSError) as error:
        log.warning("the data was not published before the start: %s", error)
    log.info("prepared in %.2f s", time.perf_counter() - started)


@asynccontextmanager
async def _warm_up(_app: Any) -> AsyncIterator[None]:
    """Before the port opens: run the app once, as Streamlit's script health check does."""
    from streamlit import runtime

    started = time.perf_counter()
    ran, outcome = await runtime.get_instance().does_script_run_without_error()
    if ran:
        log.info("warmed the first page in %.2f s", time.perf_counter() - started)
    else:  # the page shows its visitors why, in a sentence; the server serves anyway
        log.warning("the warm-up run of the app did not finish (%s)", outcome)
    yield


class CompressBundle:
    """Gzip for Streamlit's own files under ``/static/`` (its pages, media and messages pass as they are)."""

    def __init__(self, app: Any) -> None:
        from starlette.middleware.gzip import GZipMiddleware

        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=COMPRESS_MINIMUM_BYTES, compresslevel=COMPRESS_LEVEL)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from streamlit import config

        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        prefix = f"/{base}{COMPRESSED_PREFIX}" if base else COMPRESSED_PREFIX
        bundle = scope["type"] == "http" and scope["path"].startswith(prefix)
        await (self.gzip if bundle else self.app)(scope, receive, send)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    main()
