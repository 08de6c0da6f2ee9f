"""Snapshots: one login's stored record as a JSON export (plain or gzip), and that export back into a store.

The format is the JSON export (``portfolio.export.record_json``) marked with ``SNAPSHOT_FORMAT``. An import
checks every field against the model before it writes anything, then replaces the login's stored work in
one transaction, so a bad file leaves the store as it was and importing a file twice changes nothing.
Keys other than the record's (such as the derived ``track_record``) are ignored on import.
"""

from __future__ import annotations

import gzip
import json
import types
import zlib
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from portfolio.errors import InvalidSnapshot, UserNotFound
from portfolio.model import (
    Comment,
    CommitYear,
    Discussion,
    InvalidLogin,
    Issue,
    Profile,
    PullRequest,
    Record,
    Repo,
    Review,
    SyncInfo,
    validate_login,
)
from portfolio.store import Store

FORMAT = "portfolio-record"
FORMAT_VERSION = 1
SNAPSHOT_FORMAT = {"format": FORMAT, "format_version": FORMAT_VERSION}
_SECTIONS: dict[str, tuple[type, str]] = {  # top-level list -> (model type, its unique key)
    "repos": (Repo, "full_name"),
    "pull_requests": (PullRequest, "node_id"),
    "issues": (Issue, "node_id"),
    "reviews": (Review, "node_id"),
    "discussions": (Discussion, "node_id"),
    "comments": (Comment, "node_id"),
    "commit_years": (CommitYear, "key"),
}
_OPTIONAL = {"discussions", "comments", "commit_years"}  # sections older exports lack: empty when absent
_GZIP_MAGIC = b"\x1f\x8b"


class _Invalid(ValueError):
    """One field of the file is not what the model needs; the message says which and why."""


def snapshot_json(record: Record, sync: SyncInfo | None) -> str:
    """The export text of ``record`` and its sync, marked with the snapshot format; stable between runs."""
    from portfolio.export import dumps, record_json  # it loads pandas, which importing a file never needs

    return dumps(record_json(record, sync, dict(SNAPSHOT_FORMAT)))


def export_snapshot(store: Store, login: str) -> str:
    """The snapshot text of ``login`` as ``store`` holds it, with its latest sync."""
    record = store.load_record(login)
    if record is None:
        raise UserNotFound(f"{login} is not in the store: collect or import it first.")
    return snapshot_json(record, store.last_sync(login))


def gzip_bytes(text: str) -> bytes:
    """``text`` as gzip with no time stamp, so the same text always compresses to the same file here."""
    return gzip.compress(text.encode("utf-8"), mtime=0)


def import_snapshot(store: Store, path: str | Path) -> str:
    """Load the export at ``path`` (``.json`` or ``.json.gz``) into ``store``; returns its login."""
    path = Path(path)
    data = _read(path)
    record, sync = _parse(data, path)
    store.replace_record(record, sync)
    return record.profile.login


def _read(path: Path) -> Any:
    """The JSON value in ``path``, gunzipped first if it is gzip."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidSnapshot(f"{path} cannot be read: {error.strerror or error}.") from None
    if raw.startswith(_GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise InvalidSnapshot(
                f"{path} is not a portfolio export: its gzip data is damaged ({error})."
            ) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidSnapshot(f"{path} is not a portfolio export: it is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise InvalidSnapshot(
            f"{path} is not a portfolio export: it is not JSON ({error.msg} at line {error.lineno}, "
            f"column {error.colno})."
        ) from None


def _parse(data: Any, path: Path) -> tuple[Record, SyncInfo | None]:
    """The record and sync in an export's JSON value, or InvalidSnapshot naming the file and the fault."""
    if not isinstance(data, dict) or not isinstance(data.get("profile"), dict):
        raise InvalidSnapshot(f"{path} is not a portfolio export: it has no profile object at the top level.")
    kind = data.get("format", FORMAT)
    if kind != FORMAT:
        raise InvalidSnapshot(
            f"{path} is not a portfolio export: its format is {_shown(kind)}, not {FORMAT!r}."
        )
    version = data.get("format_version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        raise InvalidSnapshot(
            f"{path} is a portfolio export in format version {_shown(version)}, but this portfolio reads "
            f"only version {FORMAT_VERSION}."
        )
    try:
        record, sync = _record(data)
    except _Invalid as error:
        raise InvalidSnapshot(f"{path} is not a valid portfolio export: {error}.") from None
    return record, sync


def _record(data: dict[str, Any]) -> tuple[Record, SyncInfo | None]:
    """The model records in an export, checked to belong together as one login's collection."""
    profile = _convert(data["profile"], Profile, "profile")
    try:
        login = validate_login(profile.login)
    except InvalidLogin as error:
        raise _Invalid(f"profile.login: {error}") from None
    sections: dict[str, tuple[Any, ...]] = {}
    for name, (cls, key) in _SECTIONS.items():
        items = data.get(name, [] if name in _OPTIONAL else None)
        if not isinstance(items, list):
            raise _Invalid(f"{name} should be a list, not {_shown(items)}")
        convert = _converter(cls)
        converted = tuple([convert(item, (name, n)) for n, item in enumerate(items)])
        seen: set[str] = set()
        for n, item in enumerate(converted):
            identity = getattr(item, key)
            identity = identity.lower() if key == "full_name" else identity  # node ids are case-sensitive
            if identity in seen:
                raise _Invalid(f"{name}[{n}] repeats the {key} {getattr(item, key)!r}")
            seen.add(identity)
            author = getattr(item, "author", None) or getattr(item, "login", login)
            if author.lower() != login.lower():
                raise _Invalid(f"{name}[{n}] is by {author!r}, not by the profile's login {login!r}")
        sections[name] = converted
    sync = None if data.get("sync") is None else _convert(data["sync"], SyncInfo, "sync")
    if sync is not None and sync.login.lower() != login.lower():
        raise _Invalid(f"sync.login {sync.login!r} is not the profile's login {login!r}")
    return Record(profile=profile, **sections), sync


# Where a value sits in the file, as (parent, step) pairs: a field name or a list index. Made into text only
# for an error message, since naming every one of a large file's values costs more than reading them.
Where = str | tuple[Any, str | int]


def _where(where: Where) -> str:
    """``where`` as the file's path to the value: ``pull_requests[3].files[0].path``."""
    steps: list[str] = []
    while isinstance(where, tuple):
        where, step = where
        steps.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    return where + "".join(reversed(steps))


def _convert(value: Any, kind: Any, where: Where) -> Any:
    """``value`` read from JSON as the model type ``kind``; ``where`` names it in an error."""
    return _converter(kind)(value, where)


@cache
def _converter(kind: Any) -> Callable[[Any, Where], Any]:
    """The function that reads a JSON value as the model type ``kind``, built once per type."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        inner = _converter(next(option for option in get_args(kind) if option is not type(None)))
        return lambda value, where: None if value is None else inner(value, where)
    if origin is tuple:
        return _tuple_converter(_converter(get_args(kind)[0]))
    if is_dataclass(kind):
        return _dataclass_converter(kind)
    if kind is datetime:
        return _moment
    return _exact_converter(kind)


def _tuple_converter(item: Callable[[Any, Where], Any]) -> Callable[[Any, Where], Any]:
    def convert(value: Any, where: Where) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _Invalid(f"{_where(where)} should be a list, not {_shown(value)}")
        return tuple([item(element, (where, n)) for n, element in enumerate(value)])

    return convert


def _exact_converter(kind: type) -> Callable[[Any, Where], Any]:
    names = {str: "text", int: "a whole number", bool: "true or false"}

    def convert(value: Any, where: Where) -> Any:
        if type(value) is not kind:  # exact: a JSON true is not the number 1, nor 1 a true
            raise _Invalid(f"{_where(where)} should be {names.get(kind, kind.__name__)}, not {_shown(value)}")
        return value

    return convert


def _dataclass_converter(cls: type) -> Callable[[Any, Where], Any]:
    known = {name: _converter(hint) for name, hint in get_type_hints(cls).items()}
    required = [
        field.name for field in fields(cls) if field.default is MISSING and field.default_factory is MISSING
    ]

    def convert(value: Any, where: Where) -> Any:
        if not isinstance(value, dict):
            raise _Invalid(f"{_where(where)} should be an object, not {_shown(value)}")
        if not value.keys() <= known.keys():
            unknown = sorted(set(value) - set(known))
            raise _Invalid(f"{_where(where)} has a field this portfolio does not know, {unknown[0]!r}")
        for name in required:
            if name not in value:
                raise _Invalid(f"{_where(where)} lacks its {name!r}")
        return cls(**{name: known[name](item, (where, name)) for name, item in value.items()})

    return convert


def _moment(value: Any, where: Where) -> datetime:
    if not isinstance(value, str):
        raise _Invalid(f"{_where(where)} should be an ISO-8601 time, not {_shown(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"{_where(where)} should be an ISO-8601 time, not {_shown(value)}") from None
    if moment.tzinfo is None:
        raise _Invalid(f"{_where(where)} should say its time zone, as in {value}+00:00")
    return moment


def _shown(value: Any) -> str:
    """A short, safe rendering of a value from the file, for an error message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else f"{text[:40]}…"
