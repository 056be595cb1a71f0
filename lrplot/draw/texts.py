"""Text a figure draws, checked before any work (text that encodes, holds no control
character, and whose mathtext parses) and, when the figure is drawn, that its font can draw.

matplotlib reads a text with an even number of unescaped ``$`` as mathtext and fails only
when it draws it, so a bad title would surface as an internal error after the simulation.
A character the font lacks (a CJK title with only DejaVu Sans installed, a terminal escape)
would be drawn as a box, with a raw warning per glyph on stderr. Before the work, matplotlib
is imported only for a text that has ``$`` in it.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
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
    controls = [c for c in dict.fromkeys(text) if unicodedata.category(c) == "Cc"]
    controls = [c for c in controls if c not in "\n\t"]  # a line break and a tab draw
    if controls:
        shown = _codes(controls)
        raise InputError(where, text, f"holds the control character {shown}", "leave it out")
    if "$" in text:
        _check_mathtext(text, where)


def _check_mathtext(text: str, where: str) -> None:
    from matplotlib.cbook import is_math_text
    from matplotlib.mathtext import MathTextParser

    if not is_math_text(text):
        return  # an odd count of $: matplotlib draws it as it is
    # Only the syntax is asked here: the glyphs are check_glyphs' (a figure's) question, and
    # the parser would log each missing one to stderr.
    mathtext_log = logging.getLogger("matplotlib.mathtext")
    level = mathtext_log.level
    mathtext_log.setLevel(logging.ERROR)
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
    finally:
        mathtext_log.setLevel(level)


def check_glyphs(texts: Iterable[tuple[str | None, str]]) -> None:
    """Refuse a text (of ``(text, where)`` pairs) with a character none of the figure's fonts
    can draw. Only a figure needs this: a terminal chart or a CSV file shows any text, so it
    is asked when the figure is drawn, not before the simulation."""
    for text, where in texts:
        missing, families = _undrawable(plain_part(text or ""))
        if missing:
            raise InputError(
                where,
                text,
                f"has characters the figure's font ({families}) cannot draw: {_codes(missing)}",
                "leave them out, or install a font that has them and name it first under "
                "font.sans-serif in your matplotlibrc",
            )


def plain_part(text: str) -> str:
    """``text`` without its mathtext formulas (``$...$``, when the $ are even): a formula is
    drawn in mathtext's fonts, with their own fallback (STIX), not in the text font."""
    if "$" not in text:
        return text
    from matplotlib.cbook import is_math_text

    if not is_math_text(text):
        return text
    return "".join(re.split(r"(?<!\\)\$", text)[0::2])


def _undrawable(text: str) -> tuple[list[str], str]:
    """The characters of ``text`` none of the text fonts has a glyph for, in order, and those
    fonts' families (matplotlib's fallback list for rcParams' font.family). Printable ASCII
    is never looked up: matplotlib's own font has it all."""
    characters = [c for c in dict.fromkeys(text) if c not in _ALWAYS_DRAWN]
    if not characters:
        return [], ""
    from matplotlib.font_manager import FontProperties, fontManager

    fonts = [_font(str(path)) for path in fontManager._find_fonts_by_props(FontProperties())]
    drawn = frozenset().union(*(charmap for _, charmap in fonts))
    missing = [c for c in characters if ord(c) not in drawn]
    return missing, ", ".join(dict.fromkeys(family for family, _ in fonts))


#: Printable ASCII, newline and tab: DejaVu Sans (matplotlib's own) draws them all.
_ALWAYS_DRAWN = frozenset(map(chr, range(32, 127))) | {"\n", "\t"}


@functools.lru_cache(maxsize=16)
def _font(path: str) -> tuple[str, frozenset[int]]:
    """A font file's family name and the code points it has glyphs for."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    return font.family_name, frozenset(font.get_charmap())


def _codes(characters: list[str]) -> str:
    shown = [f"{c} (U+{ord(c):04X})" if c.isprintable() else f"U+{ord(c):04X}" for c in characters]
    return ", ".join(shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")


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
    """Text drawn as it is, never as mathtext: each $ escaped, bad bytes and characters the
    font has no glyph for (a file name in Chinese) as escapes."""
    text = _escaped(text)
    for character in _undrawable(text)[0]:
        text = text.replace(character, character.encode("ascii", "backslashreplace").decode())
    return text.replace("$", "\\$")
