"""The GraphQL query documents: ``queries/*.graphql`` with the fragments each one uses, and aliased batches.

Every document is checked against GitHub's published schema by the tests.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from itertools import pairwise

_SPREAD = re.compile(r"\.\.\.\s*([A-Z]\w*)")
_FRAGMENT = re.compile(r"^fragment (\w+) on ", re.MULTILINE)


def _read(name: str) -> str:
    """The text of ``queries/{name}.graphql``, from the installed package."""
    return resources.files("portfolio.github").joinpath("queries", f"{name}.graphql").read_text("utf-8")


@cache
def _fragments() -> dict[str, str]:
    """Every shared fragment by name, from ``queries/fragments.graphql``."""
    text = _read("fragments")
    starts = [m.start() for m in _FRAGMENT.finditer(text)] + [len(text)]
    pieces = (text[a:b].strip() for a, b in pairwise(starts))
    return {_FRAGMENT.match(piece).group(1): piece for piece in pieces}


def with_fragments(operation: str) -> str:
    """``operation`` followed by exactly the fragments it uses, directly or through other fragments."""
    fragments = _fragments()
    needed: list[str] = []
    pending = _SPREAD.findall(operation)
    while pending:
        name = pending.pop(0)
        if name in needed:
            continue
        needed.append(name)
        pending.extend(_SPREAD.findall(fragments[name]))
    return "\n\n".join([operation.strip(), *(fragments[name] for name in sorted(needed))]) + "\n"


@cache
def document(name: str) -> str:
    """The query document ``queries/{name}.graphql`` with the fragments it needs appended."""
    return with_fragments(_read(name))


@cache
def repositories_document(count: int) -> str:
    """One query fetching ``count`` repositories by alias (``r0``, ``r1``, ...), names passed as variables."""
    variables = ", ".join(f"$owner{i}: String!, $name{i}: String!" for i in range(count))
    fields = "\n".join(
        f"  r{i}: repository(owner: $owner{i}, name: $name{i}) {{\n    ...RepositoryFields\n  }}"
        for i in range(count)
    )
    rate = "  rateLimit {\n    ...RateLimitFields\n  }"
    return with_fragments(f"query Repositories({variables}) {{\n{fields}\n{rate}\n}}")


@cache
def review_windows_document(count: int) -> str:
    """One query for the first page of a user's reviews in each of ``count`` windows (``y0``, ``y1``, ...)."""
    variables = ", ".join(f"$from{i}: DateTime!, $to{i}: DateTime!" for i in range(count))
    fields = "\n".join(
        f"    y{i}: contributionsCollection(from: $from{i}, to: $to{i}) {{\n"
        "      pullRequestReviewContributions(first: 100, orderBy: {direction: ASC}) {\n"
        "        ...ReviewContributionFields\n      }\n    }"
        for i in range(count)
    )
    rate = "  rateLimit {\n    ...RateLimitFields\n  }"
    return with_fragments(
        f"query ReviewWindows($login: String!, {variables}) {{\n  user(login: $login) {{\n{fields}\n  }}\n{rate}\n}}"
    )
