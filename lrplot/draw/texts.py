"""Text a figure draws, checked before any work: text that encodes, mathtext that parses.

matplotlib reads a text with an even number of unescaped ``$`` as mathtext and fails only
when it draws it, so a bad title would surface as an internal error after the simulation.
matplotlib is imported only for a text that has ``$`` in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lrplot.errors import InputError

_AT_CHAR = re.compile(r"at char (\d+)")


#: The longest title or label a figure takes: at 8 inches it wraps to about four lines;
#: much more and matplotlib's layout collapses the axes to nothing (and warns).
MAX_TEXT = 400


def check_text(text: str, where: str) -> None:
    """Refuse ``text`` (from ``where``) if it cannot be written, is too long to lay out, or
    its mathtext is bad."""
    check_encodable(text, where)
    if len(text) > MAX_TEXT:
        raise InputError(
            where,
            text,
            f"is {len(text):,} characters, more than the {MAX_TEXT} a figure can lay out",
            "shorten it",
        )
    if "$" not in text:
        return
    from matplotlib.cbook import is_math_text
    from matplotlib.mathtext import MathTextParser

    if not is_math_text(text):
        return  # an odd count of $: matplotlib draws it as it is
    try:
        MathTextParser("path").parse(text)
    except ValueError as error:
        at = _AT_CHAR.search(str(error))
        place = f" at character {int(at.group(1)) + 1}" if at else ""
        raise InputError(
            where,
            text,
            f"is not valid mathtext (text between two $ is a formula; matplotlib cannot "
            f"parse it{place})",
            "escape each $ as \\$ to show a dollar sign, or fix the formula, e.g. '$\\eta$'",
        ) from None


def check_encodable(text: str, where: str) -> None:
    """Refuse text that is not valid Unicode (undecodable argv bytes become surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            where,
            None,
            f"'{_escaped(text)}' is not valid text: it holds bytes that are not UTF-8 (or not "
            "of the locale's encoding)",
            "give it as UTF-8 text",
        ) from None


def _escaped(text: str) -> str:
    """The text with each undecodable byte (a surrogate escape) shown as ``\\xNN``."""
    raw = text.encode("utf-8", "surrogateescape") if _escapable(text) else None
    if raw is not None:
        return raw.decode("utf-8", "backslashreplace")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _escapable(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def check_texts(texts: Iterable[tuple[str | None, str]]) -> None:
    """Check each (text, where) pair; None texts are left out."""
    for text, where in texts:
        if text is not None:
            check_text(text, where)


def literal(text: str) -> str:
    """Text drawn as it is, never as mathtext: each $ escaped, bad bytes as escapes."""
    return _escaped(text).replace("$", "\\$")
