"""Parse TOML and JSON text within limits: nesting depth, dotted-key length, integer digits.

tomllib and json recurse once per bracket (100,000 ``[`` end in a RecursionError), tomllib's
work on a dotted key grows with the square of its parts, and Python refuses an integer of
more than 4,300 digits with a ValueError from deep inside the parser. Each is a FileProblem
(see lrplot.spec.reading) that names the limit. The brackets are counted on the text with its
strings and comments blanked, before the parser sees it; the parsed data's depth after.
"""

from __future__ import annotations

import json
import re
import sys
from itertools import accumulate
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, released as tomli
    import tomli as tomllib  # type: ignore[no-redef]

from lrplot.spec.reading import FileProblem

#: Deepest nesting of arrays and tables (brackets, dotted keys, both) a manifest or JSON
#: file may have; lrplot's own files need 4.
MAX_NESTING = 32

# Strings (TOML's four kinds, JSON's one) and comments, blanked before brackets are counted;
# a string becomes "0" so that a quoted key part still counts in a dotted key.
_STRINGS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|(#[^\n]*)', re.S
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_DOTTED = re.compile(rf"(?<![\w-])[\w-]+(?:[ \t]*\.[ \t]*[\w-]+){{{MAX_NESTING},}}")
_FIX_NESTING = "flatten it"


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML document ``text``; FileProblem for bad syntax or a limit passed."""
    _check_text(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FileProblem(f"is not valid TOML: {error}", "fix the syntax") from None
    except (ValueError, RecursionError) as error:
        raise _limit(error) from None
    _check_depth(data)
    return data


def parse_json(text: str) -> Any:
    """The JSON document ``text``; FileProblem for bad syntax or a limit passed."""
    _check_text(text)
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        raise FileProblem(f"is not valid JSON ({error.msg})") from None
    except (ValueError, RecursionError) as error:
        raise _limit(error) from None
    _check_depth(data)
    return data


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict (json.loads's ``object_pairs_hook``); FileProblem for
    a key given twice, which json would settle silently by keeping the last (TOML refuses)."""
    data = dict(pairs)
    if len(data) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise FileProblem(f"has the key {json.dumps(key)[:40]} twice", "keep one")
            seen.add(key)
    return data


def _check_text(text: str) -> None:
    blanked = _STRINGS.sub(lambda m: "" if m.group(1) else "0", text)
    brackets = _NOT_BRACKET.sub("", blanked)
    if brackets and max(accumulate(map(_STEP.__getitem__, brackets))) > MAX_NESTING:
        raise FileProblem(
            f"nests brackets more than {MAX_NESTING} levels deep (lrplot's limit)", _FIX_NESTING
        )
    if _DOTTED.search(blanked):
        raise FileProblem(
            f"has a dotted key of more than {MAX_NESTING} parts (lrplot's limit)",
            "shorten the key",
        )


def _check_depth(data: object) -> None:
    """Refuse data nested deeper than MAX_NESTING, without recursion (dotted keys in inline
    tables multiply: each of 32 brackets may hold a 32-part key)."""
    level: list[tuple[object, int]] = [(data, 0)]
    while level:
        value, depth = level.pop()
        if depth > MAX_NESTING:
            raise FileProblem(
                f"nests tables and arrays more than {MAX_NESTING} levels deep (lrplot's limit)",
                _FIX_NESTING,
            )
        if isinstance(value, dict):
            level.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            level.extend((item, depth + 1) for item in value)


def _limit(error: ValueError | RecursionError) -> FileProblem:
    if isinstance(error, RecursionError):  # only if the text check missed a shape
        return FileProblem("nests too deeply for the parser", _FIX_NESTING)
    if "integer string conversion" in str(error):
        digits = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
        return FileProblem(
            f"has an integer of more than {digits:,} digits (Python's limit)",
            "write a shorter number",
        )
    return FileProblem(f"cannot be parsed ({error})", "fix the value")
