"""A hosted deployment's store, built from the JSON exports it commits: ``data/LOGIN.json``.

A deployment reviews its data as text in a diff (``python -m portfolio export LOGIN --out data/LOGIN.json``,
which the refresh workflow runs nightly), and the dashboard, started in hosted mode, imports those files
into a store of its own. The store is named after a SHA-256 of the files it holds, so a restart with the same
files reuses it and a changed file builds a new one beside it, never half-written: it is built under a
temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from portfolio.demo import DEMO_LOGIN, DEMO_SNAPSHOT, load_demo
from portfolio.errors import PortfolioError
from portfolio.snapshot import FORMAT_VERSION, import_snapshot
from portfolio.store import SCHEMA_VERSION, Store

DATA_DIR = "data"
SUFFIXES = (".json", ".json.gz")
CACHE_VARIABLE = "PORTFOLIO_CACHE_DIR"


@dataclass(frozen=True)
class Published:
    """The store a deployment shows, the configured logins it holds, and one sentence per login it lacks."""

    path: str
    logins: tuple[str, ...]
    problems: tuple[str, ...]


def cache_dir() -> Path:
    """Where published stores are kept: ``PORTFOLIO_CACHE_DIR``, else a folder in the system's temp dir."""
    chosen = os.environ.get(CACHE_VARIABLE, "").strip()
    return Path(chosen).expanduser() if chosen else Path(tempfile.gettempdir()) / "portfolio-published"


def data_file(root: Path, login: str) -> Path | None:
    """``data/LOGIN.json`` (or ``.json.gz``) under ``root``, matching the login without case, or None."""
    folder = root / DATA_DIR
    if not folder.is_dir():
        return None
    wanted = {f"{login.lower()}{suffix}" for suffix in SUFFIXES}
    found = sorted(path for path in folder.iterdir() if path.name.lower() in wanted and path.is_file())
    return found[0] if found else None


def _sources(root: Path, logins: Sequence[str]) -> tuple[dict[str, Path], list[str]]:
    """The file to import per login (the shipped snapshot for an uncommitted demo), and the logins lacking one."""
    files: dict[str, Path] = {}
    missing: list[str] = []
    for login in logins:
        path = data_file(root, login)
        if path is None and login.lower() == DEMO_LOGIN:
            path = Path(str(DEMO_SNAPSHOT))
        if path is None:
            missing.append(login)
        else:
            files[login] = path
    return files, missing


def _digest(files: dict[str, Path]) -> str:
    """A SHA-256 of the files' names and bytes, and of the formats that read them."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION} format {FORMAT_VERSION}\n".encode())
    for login in sorted(files, key=str.lower):
        digest.update(f"{login.lower()}\n".encode())
        digest.update(files[login].read_bytes())
    return digest.hexdigest()


def _shown(path: Path, root: Path) -> str:
    """``data/LOGIN.json`` as a deployment names it, without the server's own directories."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def publish(root: Path, logins: Sequence[str], cache: Path | None = None) -> Published:
    """The store holding ``logins``' exports from ``root/data``, built once per set of file contents."""
    files, missing = _sources(root, logins)
    problems = [
        f"There is no {DATA_DIR}/{login}.json in this deployment: export it with "
        f"`python -m portfolio export {login} --out {DATA_DIR}/{login}.json` (the refresh workflow does this "
        "nightly), commit it and redeploy."
        for login in missing
    ]
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"published-{_digest(files)[:24]}.sqlite"
    problems_file = target.with_suffix(".problems")
    if not target.exists():
        built, failed = _build(root, files, cache)
        problems_file.write_text("\n".join(failed), encoding="utf-8")
        os.replace(built, target)
    failed = [line for line in problems_file.read_text(encoding="utf-8").splitlines() if line]
    with Store(target) as store:
        held = {login.lower() for login in store.logins()}
    shown = tuple(login for login in logins if login.lower() in held)
    return Published(str(target), shown, (*problems, *failed))


def _build(root: Path, files: dict[str, Path], cache: Path) -> tuple[Path, list[str]]:
    """A new store file with every readable export imported; one sentence per file that was refused."""
    handle, name = tempfile.mkstemp(prefix="building-", suffix=".sqlite", dir=cache)
    os.close(handle)
    Path(name).unlink()
    failed: list[str] = []
    with Store(name) as store:
        for login, path in files.items():
            try:
                imported = (
                    load_demo(store) if path == Path(str(DEMO_SNAPSHOT)) else import_snapshot(store, path)
                )
            except PortfolioError as error:
                failed.append(str(error).replace(str(path), _shown(path, root)))
                continue
            if imported.lower() != login.lower():
                failed.append(f"{_shown(path, root)} holds the record of {imported}, not of {login}.")
    return Path(name), failed
