"""``python -m portfolio``: collect, export, import and demo commands, with exit codes a script can act on.

Exit codes: 0 ok; 2 invalid input (before any request); 3 no such user; 4 bad or missing credentials;
5 rate limited (the message says when to retry); 6 the store is busy (another collection is writing to
it); 1 anything else. Errors are one sentence on stderr.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import click

from portfolio.config import DEFAULT_API_URL, default_db_path, read_token
from portfolio.errors import InvalidInput, PortfolioError, UserNotFound

log = logging.getLogger("portfolio")
QUIET_LIBRARIES = ("urllib3", "github", "requests")
"""Loggers silenced unless ``-v``: their warnings repeat, in their own terms, what our error sentence says."""


class _Command(click.Group):
    """A group that turns every failure into one sentence and the documented exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PortfolioError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted: what was fetched is saved; run the same command to resume.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.exceptions.ClickException, click.exceptions.Abort):
            raise
        except Exception as error:
            log.debug("unexpected failure", exc_info=True)
            click.echo(
                f"error: unexpected {type(error).__name__}; run with PORTFOLIO_DEBUG=1 for details.", err=True
            )
            sys.exit(1)


def _db_option(function: Callable) -> Callable:
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="SQLite store (default: $PORTFOLIO_DB or the user data directory).",
    )(function)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option} {value!r} is not a date: use YYYY-MM-DD.") from None


def _checked_window(since: date | None, until: date | None, today: date | None = None) -> None:
    """Refuse a window that ends before it starts or that starts or ends after today, naming both values."""
    today = today or datetime.now(UTC).date()
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"--since {since} is after --until {until}: give the earlier date to --since.")
    for option, day in (("--since", since), ("--until", until)):
        if day is not None and day > today:
            raise InvalidInput(
                f"{option} {day} is in the future (today is {today} UTC): give a date up to today, or leave "
                f"{option} out."
            )


def _parse_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--since {value!r} is not a date: use YYYY-MM-DD.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.group(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log each step to stderr.")
def cli(verbose: bool) -> None:
    """Turn a GitHub login's public open-source work into a verifiable track record."""
    import os

    debug = verbose or bool(os.environ.get("PORTFOLIO_DEBUG"))
    handler = logging.StreamHandler()
    if not debug:
        # Retries and dropped connections are our errors to explain in one sentence, not the libraries'.
        # A filter on our own handler, not a level on their loggers, so nothing else stops hearing them.
        handler.addFilter(lambda record: not record.name.startswith(QUIET_LIBRARIES))
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(message)s", handlers=[handler]
    )
    if not debug:
        logging.getLogger("portfolio").setLevel(logging.WARNING)


@cli.command()
@click.argument("login")
@click.option("--since", help="Only contributions created on or after this date (YYYY-MM-DD).")
@click.option("--api-url", default=DEFAULT_API_URL, show_default=True, help="GitHub (Enterprise) API root.")
@_db_option
@click.option(
    "--backend", type=click.Choice(["auto", "rest", "graphql"]), default="auto", show_default=True,
    help="auto: GraphQL with a token, REST without.",
)  # fmt: skip
@click.option("--full", is_flag=True, help="Collect everything again instead of only what changed.")
@click.option(
    "--max-wait", type=float, default=None, help="Longest rate-limit wait in seconds (default 120)."
)
def collect(
    login: str,
    since: str | None,
    api_url: str,
    db: Path | None,
    backend: str,
    full: bool,
    max_wait: float | None,
) -> None:
    """Collect LOGIN's public pull requests, issues and reviews into the store (token: GITHUB_TOKEN or GH_TOKEN)."""
    from portfolio.collect import checked_login
    from portfolio.collect import collect as run_collect
    from portfolio.store import Store

    checked_login(login)
    started = _parse_date(since)
    _checked_window(started.astimezone(UTC).date() if started else None, None)
    path = db or default_db_path()
    with Store(path) as store, _progress_reporter() as report:
        result = run_collect(
            login, store, api_url=api_url, token=read_token(), backend=backend, since=started, full=full,
            max_wait=max_wait, progress=report,
        )  # fmt: skip
    counts = ", ".join(f"{n} {kind}s" for kind, n in result.items.items())
    mode = "updated" if result.incremental else "collected"
    click.echo(
        f"{result.login}: {mode} {counts} and {result.repos} repositories over {result.backend.upper()} "
        f"in {result.requests} requests into {path}."
    )
    for limit in result.limits:
        click.echo(f"note: {limit}")


@cli.command()
@click.argument("login")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "md"]), default="json", show_default=True)
@click.option("--since", help="Track record window start (YYYY-MM-DD, inclusive).")
@click.option("--until", help="Track record window end (YYYY-MM-DD, inclusive).")
@click.option(
    "--weights", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="Your own score weights (TOML, same keys as the packaged weights.toml).",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File (default: stdout)."
)
def export(
    login: str,
    db: Path | None,
    fmt: str,
    out: Path | None,
    since: str | None,
    until: str | None,
    weights: Path | None,
) -> None:
    """Print LOGIN's stored record with its track record: JSON, CSV (one row per contribution, as the app's
    download) or Markdown; the window and weights apply to all three."""
    from portfolio.collect import checked_login
    from portfolio.export import (
        contributions_csv,
        dumps,
        record_json,
        track_record_json,
        track_record_markdown,
    )
    from portfolio.record import track_record
    from portfolio.snapshot import SNAPSHOT_FORMAT
    from portfolio.store import Store
    from portfolio.weights import load_weights

    checked_login(login)
    window = {"since": _parse_day(since, "--since"), "until": _parse_day(until, "--until")}
    _checked_window(**window)
    try:
        chosen_weights = load_weights(weights) if weights else None
    except (ValueError, KeyError, OSError) as error:
        raise InvalidInput(f"--weights {weights} is not a usable weights file: {error}") from None
    path = db or default_db_path()
    if not Path(path).exists():
        raise UserNotFound(f"No store at {path}: run `python -m portfolio collect {login}` first.")
    with Store(path) as store:
        record = store.load_record(login)
        sync = store.last_sync(login)
    if record is None:
        raise UserNotFound(
            f"{login} has not been collected into {path}: run `python -m portfolio collect {login}`."
        )
    tr = track_record(record, weights=chosen_weights, **window)
    if fmt == "csv":
        text = contributions_csv(tr.contributions)
    elif fmt == "md":
        text = track_record_markdown(tr)
    else:
        extra = {**SNAPSHOT_FORMAT, "track_record": track_record_json(tr)}
        text = dumps(record_json(record, sync, extra))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}.", err=True)


@cli.command()
@click.argument("login")
@_db_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="card.svg or card.png."
)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option(
    "--site", type=click.Path(dir_okay=False, path_type=Path), default=Path("portfolio.toml"), show_default=True,
    help="Curation to apply (hidden contributions count nowhere), when the file exists.",
)  # fmt: skip
def card(login: str, db: Path | None, out: Path, theme: str, site: Path) -> None:
    """Draw LOGIN's profile-README card (headline figures, documentation share, top projects, as-of date)."""
    from portfolio.card import card_format, card_lines, render_card
    from portfolio.collect import checked_login
    from portfolio.record import track_record
    from portfolio.site import hide_contributions, load_site
    from portfolio.store import Store

    checked_login(login)
    fmt = card_format(out)
    settings = load_site(site)
    path = db or default_db_path()
    if not Path(path).exists():
        raise UserNotFound(f"No store at {path}: run `python -m portfolio collect {login}` first.")
    with Store(path) as store:
        record = store.load_record(login)
        sync = store.last_sync(login)
    if record is None:
        raise UserNotFound(
            f"{login} has not been collected into {path}: run `python -m portfolio collect {login}`."
        )
    tr = track_record(hide_contributions(record, settings.hides if settings else ()))
    data = render_card(card_lines(record.profile, tr.metrics, tr.projects, sync), fmt, theme)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).", err=True)


@cli.command()
@click.option(
    "--site",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("portfolio.toml"),
    show_default=True,
)
def logins(site: Path) -> None:
    """Print the logins portfolio.toml shows, one a line, after validating the whole file (for scripts)."""
    from portfolio.site import load_site

    settings = load_site(site)
    if settings is None:
        raise InvalidInput(f"There is no {site}: copy the repository's portfolio.toml and name your login.")
    for login in settings.logins:
        click.echo(login)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_db_option
def import_(file: Path, db: Path | None) -> None:
    """Load a JSON export (FILE.json or FILE.json.gz) into the store, replacing that login's stored work."""
    from portfolio.snapshot import import_snapshot
    from portfolio.store import Store

    path = db or default_db_path()
    with Store(path) as store:
        login = import_snapshot(store, file)
    click.echo(f"{login}: imported {file} into {path}.")


@cli.command()
@_db_option
def demo(db: Path | None) -> None:
    """Load the fictional demo contributor into the store from the snapshot shipped with portfolio (offline)."""
    from portfolio.demo import load_demo
    from portfolio.store import Store

    path = db or default_db_path()
    with Store(path) as store:
        login = load_demo(store)
    click.echo(
        f"Demo contributor {login} (fictional) loaded into {path}; "
        f"try `python -m portfolio export {login} --format md`."
    )


class _progress_reporter:
    """A tqdm bar on a terminal, plain lines (one per stage) otherwise."""

    def __enter__(self) -> Callable:
        self.bar = None
        self.stage = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=None, unit=" items", file=sys.stderr, dynamic_ncols=True)
        return self

    def __call__(self, state: object) -> None:
        if self.bar is not None:
            self.bar.set_description(state.stage)
            if state.expected:
                self.bar.total = max(state.expected, state.items)
            self.bar.n = state.items
            left = "?" if state.rate_remaining is None else state.rate_remaining
            self.bar.set_postfix_str(f"pages {state.pages}, requests {state.requests}, rate left {left}")
        elif state.stage != self.stage and self.stage is not None:
            left = "?" if state.rate_remaining is None else state.rate_remaining
            click.echo(
                f"{self.stage} done: {state.items} items in {state.pages} pages so far, {state.requests} requests, "
                f"rate left {left}",
                err=True,
            )
        self.stage = state.stage

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def main() -> None:
    """Console entry point."""
    cli(prog_name="python -m portfolio")


if __name__ == "__main__":
    main()
