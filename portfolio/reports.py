"""What an issue's body shows about how well the report was made, read once at collection time.

The body itself is never stored: only these signals are. Each is a plain pattern a reader can check against
the issue on GitHub: steps to reproduce (a "steps" heading or a numbered list of two or more items), a code
block or log (a fenced or indented block, a traceback, a stack frame), and version or environment details (a
version number beside the name of a runtime, an operating system or a package manager, or an
"Environment" heading).
"""

from __future__ import annotations

import re

# "Steps to reproduce", "To reproduce", "Reproduction steps", "How to reproduce", "Repro": GitHub's issue
# forms and templates name the section one of these ways.
_STEPS_HEADING = re.compile(
    r"(?im)^\W*(?:steps\s+to\s+reproduce|to\s+reproduce|how\s+to\s+reproduce|reproduction(?:\s+steps)?|"
    r"repro(?:\s+steps)?|steps)\b"
)
_NUMBERED_ITEM = re.compile(r"(?m)^\s{0,3}\d{1,2}[.)]\s+\S")
_FENCE = re.compile(r"(?m)^\s{0,3}(?:```|~~~)")
_INDENTED_BLOCK = re.compile(r"(?m)(?:^(?:\t| {4})\S.*\n){2,}")
_TRACE = re.compile(
    r"Traceback \(most recent call last\)|^\s+at \S+ \(?\S+:\d+(?::\d+)?\)?$|Exception in thread|"
    r"panicked at|^\s*(?:ERROR|FATAL|WARN(?:ING)?)\b|^\s*\w+(?:\.\w+)*(?:Error|Exception): ",
    re.MULTILINE,
)
_ENVIRONMENT_HEADING = re.compile(
    r"(?im)^\W*(?:environment|system\s+info(?:rmation)?|platform|versions?|your\s+environment)\b"
)
_VERSION = re.compile(r"(?<![\w.])v?\d+\.\d+(?:\.\d+)?(?![\w.])")
_ENVIRONMENT_WORD = re.compile(
    r"(?i)\b(?:python|node(?:\.js)?|npm|yarn|pnpm|pip|conda|rustc|cargo|go|java|jdk|ruby|php|dotnet|"
    r"windows|macos|os\s*x|linux|ubuntu|debian|fedora|alpine|android|ios|chrome|firefox|safari|"
    r"docker|kernel|version|os)\b"
)


def _has_steps(body: str) -> bool:
    """Whether the body has a steps heading or a numbered list of at least two items."""
    return bool(_STEPS_HEADING.search(body)) or len(_NUMBERED_ITEM.findall(body)) >= 2


def _has_code(body: str) -> bool:
    """Whether the body has a code block, an indented block, a traceback or a log line."""
    return bool(_FENCE.search(body) or _INDENTED_BLOCK.search(body) or _TRACE.search(body))


def _has_environment(body: str) -> bool:
    """Whether the body names its environment: a heading, or a version number beside a runtime or OS."""
    if _ENVIRONMENT_HEADING.search(body):
        return True
    return any(_ENVIRONMENT_WORD.search(line) for line in body.splitlines() if _VERSION.search(line))


def report_signals(body: str | None) -> dict[str, int | bool]:
    """The signals of an issue body, keyed by the Issue fields that keep them."""
    text = (body or "").replace("\r\n", "\n")
    return {
        "body_length": len(text.strip()),
        "has_steps": _has_steps(text),
        "has_code": _has_code(text),
        "has_environment": _has_environment(text),
    }


REPRODUCIBLE_MIN_LENGTH = 200  # characters: below this a report rarely holds steps and context together
REPRODUCIBLE_MIN_SIGNALS = 2  # of steps, code or log, environment
REPRODUCIBLE_RULE = (
    f"A report is reproducible when its body, read at collection, has at least {REPRODUCIBLE_MIN_SIGNALS} of: "
    "steps to reproduce (a steps heading or a numbered list of two or more items), a code block or log "
    "(fenced or indented block, traceback, stack frame, error line), version or environment details (an "
    "environment heading, or a version number beside a runtime, OS or package manager), and is at least "
    f"{REPRODUCIBLE_MIN_LENGTH} characters long. Bodies are not stored, only these signals."
)


def is_reproducible(
    length: int | None, steps: bool | None, code: bool | None, environment: bool | None
) -> bool:
    """Whether signals make a reproducible report (see REPRODUCIBLE_RULE); unknown signals count as absent."""
    signals = sum(bool(flag) for flag in (steps, code, environment))
    return (length or 0) >= REPRODUCIBLE_MIN_LENGTH and signals >= REPRODUCIBLE_MIN_SIGNALS
