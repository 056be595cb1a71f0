"""The SPEC grammar ``NAME[:key=value,...]`` shared by sequential, chained, compare and manifests.

Commas inside brackets or parentheses do not split, so lists (``milestones=[30,80]``) and
expressions (``lr_lambda=max(0.1, 0.95 ** epoch)``) stay whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from lrplot.errors import InputError

_OPEN = "([{"
_CLOSE = ")]}"
MAX_SPEC_LENGTH = 2000


@dataclass(frozen=True)
class ParsedSpec:
    """A SPEC split into its scheduler name and raw ``key -> value`` texts."""

    text: str
    name: str
    options: dict[str, str]


def parse_spec(
    text: str, where: str = "SPEC", *, what: str = "scheduler", example: str = ""
) -> ParsedSpec:
    """Split ``NAME[:key=value,...]``; values stay text for lrplot.spec.values to convert.

    ``what`` names what NAME is and ``example`` shows one, in the errors (``--optimizer``
    parses ``adam:betas=[0.9,0.99]`` with the same grammar).
    """
    if len(text) > MAX_SPEC_LENGTH:
        raise InputError(where, text, f"is longer than {MAX_SPEC_LENGTH} characters", "shorten it")
    name, colon, rest = text.partition(":")
    name = name.strip()
    if not name:
        raise InputError(
            where, text, f"has no {what} name", f"write e.g. {example or 'cosine:T_max=95'}"
        )
    options: dict[str, str] = {}
    if colon and not rest.strip():
        raise InputError(where, text, "has nothing after ':'", "write NAME:key=value,...")
    for item in split_top_level(rest, where, text) if colon else []:
        key, equals, value = item.partition("=")
        key = key.strip()
        if not equals or not key or not value.strip():
            raise InputError(
                where,
                text,
                f"has '{item.strip()}' where key=value belongs",
                f"write e.g. {example or 'step:step_size=10,gamma=0.5'}",
            )
        first = next((k for k in options if canonical_key(k) == canonical_key(key)), None)
        if first is not None:
            twice = "twice" if first == key else f"and {key}, two spellings of one option"
            raise InputError(where, text, f"gives {first} {twice}", "give it once")
        options[key] = value.strip()
    return ParsedSpec(text, name, options)


def canonical_key(key: str) -> str:
    """The one spelling of an option's key: ``T_max``, ``t-max`` and ``--t-max`` are one.

    As lrplot.schedulers.entry.Scheduler.option reads a key; a SPEC string or a manifest
    table giving two spellings of one key is refused, not silently left to the last.
    """
    return key.strip().lstrip("-").replace("-", "_").lower()


def split_children(text: str, where: str) -> list[str]:
    """A composite's children in one SPEC value: ``[A, B]``, each ``(NAME:k=v,...)`` when it
    has commas of its own; a bare value is one child. This is how a composite nests in a SPEC:
    ``sequential:schedulers=[(chained:schedulers=[constant, exponential]), cosine]``."""
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")):
        return [text]
    return [_unwrapped(part.strip()) for part in split_top_level(stripped[1:-1], where, text)]


def _unwrapped(item: str) -> str:
    """``(NAME:k=v,...)`` -> ``NAME:k=v,...`` when the parentheses enclose the whole item."""
    if not (item.startswith("(") and item.endswith(")")):
        return item
    depth = 0
    for index, char in enumerate(item):
        depth += (char in _OPEN) - (char in _CLOSE)
        if depth == 0 and index < len(item) - 1:
            return item  # "(a)+(b)": the first bracket closes early
    return item[1:-1].strip()


def split_top_level(text: str, where: str, whole: str) -> list[str]:
    """Split on commas that are not inside (), [] or {}; refuse unbalanced brackets."""
    parts: list[str] = []
    stack: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            stack.append(_CLOSE[_OPEN.index(char)])
        elif char in _CLOSE:
            if not stack or stack.pop() != char:
                raise InputError(where, whole, f"has an unmatched '{char}'", "balance brackets")
        elif char == "," and not stack:
            parts.append(text[start:index])
            start = index + 1
    if stack:
        raise InputError(
            where, whole, f"has an unclosed bracket (missing '{stack[-1]}')", "balance brackets"
        )
    parts.append(text[start:])
    if any(not part.strip() for part in parts):
        raise InputError(where, whole, "has an empty item between commas", "remove the extra comma")
    return parts
