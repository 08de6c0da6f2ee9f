"""GitHub's issue-search query language, as far as a contribution collector uses it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fakehub.dataset import Dataset
from portfolio.model import Issue, PullRequest

Item = PullRequest | Issue
Predicate = Callable[[Item], bool]

_TERM = re.compile(r'(-?)([A-Za-z][\w-]*):("[^"]*"|\S+)|"([^"]*)"|(\S+)')
_ONE_SECOND = timedelta(seconds=1)
USER_QUALIFIERS = frozenset({"author", "reviewed-by", "user", "org", "involves", "assignee", "mentions"})


class SearchError(ValueError):
    """A query GitHub would refuse with 422; ``errors`` is GitHub's list of error objects."""

    def __init__(self, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@dataclass(frozen=True, slots=True)
class Qualifier:
    """One ``key:value`` term of a query; ``negated`` for a leading ``-``."""

    key: str
    value: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: qualifiers plus the free-text words matched against titles and bodies."""

    qualifiers: tuple[Qualifier, ...]
    words: tuple[str, ...]

    def values(self, key: str) -> list[str]:
        """The values of the non-negated qualifiers named ``key``."""
        return [q.value for q in self.qualifiers if q.key == key and not q.negated]


def parse_query(text: str) -> Query:
    """Split a search string into qualifiers and words, as GitHub's search box does."""
    qualifiers: list[Qualifier] = []
    words: list[str] = []
    for match in _TERM.finditer(text):
        minus, key, value, quoted, word = match.groups()
        if key is not None:
            qualifiers.append(Qualifier(key.lower(), value.strip('"'), negated=bool(minus)))
        elif quoted is not None:
            words.append(quoted)
        elif word is not None:
            words.append(word)
    return Query(tuple(qualifiers), tuple(words))


def _instant(text: str, *, end: bool) -> datetime:
    """A bound from a date (the first or last second of that UTC day) or from a full ISO datetime."""
    if text == "*":
        return datetime.max.replace(tzinfo=UTC) if end else datetime.min.replace(tzinfo=UTC)
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return day + timedelta(days=1) - _ONE_SECOND if end else day
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise SearchError(f"Invalid date {text!r} in search query") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def date_bounds(value: str) -> tuple[datetime | None, datetime | None]:
    """Inclusive (low, high) bounds for a date qualifier value: ``A..B``, ``>=D``, ``>D``, ``<=D``, ``<D``, ``D``."""
    if ".." in value:
        low, high = value.split("..", 1)
        return (
            None if low == "*" else _instant(low, end=False),
            None if high == "*" else _instant(high, end=True),
        )
    for operator in (">=", "<=", ">", "<"):
        if value.startswith(operator):
            stamp = value[len(operator) :]
            if operator == ">=":
                return _instant(stamp, end=False), None
            if operator == ">":
                return _instant(stamp, end=True) + _ONE_SECOND, None
            if operator == "<=":
                return None, _instant(stamp, end=True)
            return None, _instant(stamp, end=False) - _ONE_SECOND
    return _instant(value, end=False), _instant(value, end=True)


def _date_predicate(attribute: str, value: str) -> Predicate:
    """A test that an item's ``attribute`` date falls within a date qualifier's bounds."""
    low, high = date_bounds(value)

    def matches(item: Item) -> bool:
        """Whether the item's date lies within the bounds."""
        moment = getattr(item, attribute, None)
        if moment is None:
            return False
        return (low is None or moment >= low) and (high is None or moment <= high)

    return matches


def _is_predicate(value: str) -> Predicate:
    """The test behind ``is:``/``type:``/``state:`` values."""
    value = value.lower()
    checks: dict[str, Predicate] = {
        "pr": lambda i: isinstance(i, PullRequest),
        "pull-request": lambda i: isinstance(i, PullRequest),
        "issue": lambda i: isinstance(i, Issue),
        "open": lambda i: i.state == "open",
        "closed": lambda i: i.state != "open",
        "merged": lambda i: isinstance(i, PullRequest) and i.state == "merged",
        "unmerged": lambda i: isinstance(i, PullRequest) and i.state == "closed",
        "draft": lambda i: isinstance(i, PullRequest) and bool(i.draft),
        "public": lambda i: True,
    }
    if value not in checks:
        raise SearchError(f"Unsupported is:{value} qualifier")
    return checks[value]


class Searcher:
    """Answers issue searches over one dataset, reusing indexes instead of scanning where it can."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.index = dataset.index

    def _login_predicate(self, key: str, value: str) -> Predicate:
        """The test behind a user qualifier (author, user/org, reviewed-by, involves)."""
        login = value.lower()
        if key == "author":
            return lambda i: i.author.lower() == login
        if key in ("user", "org"):
            return lambda i: i.repo.split("/", 1)[0].lower() == login
        reviewed = {pr.node_id for pr in self.index.reviewed_by.get(login, [])}
        if key == "reviewed-by":
            return lambda i: i.node_id in reviewed
        if key == "involves":
            return lambda i: i.author.lower() == login or i.node_id in reviewed
        return lambda i: False

    def _predicate(self, qualifier: Qualifier, viewer: str | None) -> Predicate:
        """The test one qualifier stands for; SearchError where GitHub would answer 422."""
        key, value = qualifier.key, qualifier.value
        if key in USER_QUALIFIERS:
            if value == "@me":
                if viewer is None:
                    raise SearchError("The @me qualifier needs an authenticated request")
                value = viewer
            if self.dataset.profile(value) is None:
                raise SearchError(
                    "Validation Failed",
                    [
                        {
                            "message": "The listed users cannot be searched either because the users do not "
                            "exist or you do not have permission to view the users.",
                            "resource": "Search",
                            "field": "q",
                            "code": "invalid",
                        }
                    ],
                )
            return self._login_predicate(key, value)
        if key in ("is", "type", "state"):
            return _is_predicate("issue" if value.lower() in ("issue", "issues") else value)
        if key in ("created", "updated", "closed", "merged"):
            return _date_predicate(f"{key}_at", value)
        if key == "repo":
            full_name = value.lower()
            return lambda i: i.repo.lower() == full_name
        if key == "label":
            names = {name.lower() for name in value.split(",")}
            return lambda i: any(label.lower() in names for label in i.labels)
        if key == "archived":
            archived = value.lower() == "true"
            return lambda i: bool(getattr(self.dataset.repo(i.repo), "archived", False)) == archived
        if key == "in":
            return lambda i: True
        return self._word_predicate(f"{key}:{value}")

    def _word_predicate(self, word: str) -> Predicate:
        """A case-insensitive match of a free-text word in the title or body."""
        needle = word.lower()
        bodies = self.dataset.bodies
        return lambda i: needle in i.title.lower() or needle in bodies.get(i.node_id, "").lower()

    def _candidates(self, query: Query, viewer: str | None) -> Iterable[Item]:
        """The smallest indexed list that must contain every match."""
        lists: list[list[Item]] = []
        for key, table in (("author", self.index.by_author), ("reviewed-by", self.index.reviewed_by)):
            for value in query.values(key):
                login = (viewer or "") if value == "@me" else value
                lists.append(table.get(login.lower(), []))
        for value in query.values("repo"):
            lists.append(self.index.by_repo.get(value.lower(), []))
        return min(lists, key=len) if lists else self.index.items

    def search(self, text: str, sort: str | None = None, order: str | None = None, viewer: str | None = None):
        """Every match for ``text`` in GitHub's order (best match is taken as newest first)."""
        query = parse_query(text)
        if not query.qualifiers and not query.words:
            raise SearchError("Validation Failed", [{"resource": "Search", "field": "q", "code": "missing"}])
        predicates: list[Predicate] = []
        for qualifier in query.qualifiers:
            predicate = self._predicate(qualifier, viewer)
            predicates.append((lambda p: lambda i: not p(i))(predicate) if qualifier.negated else predicate)
        predicates.extend(self._word_predicate(word) for word in query.words)
        matches = [item for item in self._candidates(query, viewer) if all(p(item) for p in predicates)]
        attribute = {"updated": "updated_at", "comments": "comments"}.get(sort or "", "created_at")
        reverse = (order or "desc").lower() != "asc"
        minimum = datetime.min.replace(tzinfo=UTC)

        def sort_key(item: Item) -> tuple[object, ...]:
            """The sort field, then creation and position, so equal keys keep a stable order."""
            value = getattr(item, attribute)
            if value is None:
                value = 0 if attribute == "comments" else minimum
            return (value, item.created_at, item.repo, item.number)

        matches.sort(key=sort_key, reverse=reverse)
        return matches
