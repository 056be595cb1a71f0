"""A manifest's names and keys: figure names that are safe file stems, one spelling per key.

A figure's name becomes ``<name>.png`` in the output folder, so it is held to a file-stem
rule here, once, for ``render`` and ``check`` alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lrplot.errors import InputError
from lrplot.spec.grammar import canonical_key

#: Letters, digits, '.', '_' and '-', not first; at most 100 (a file name's temporary fits).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: The contact sheet's stem (``render --contact-sheet`` writes index.png and index.md).
RESERVED_NAMES = frozenset({"index"})
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10))}
)


def figure_name(name: object, where: str) -> str:
    """A figure name, refused unless it is a safe file stem that no other file of a run has.

    ``fullmatch``: with ``match`` and ``$`` a name ending in a newline would pass.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InputError(
            where,
            name,
            "must be a file stem of letters, digits, '.', '_' or '-'",
            'e.g. name = "steplr"',
        )
    if name.split(".")[0].lower() in WINDOWS_DEVICES:  # nul.png is the null device there
        raise InputError(where, name, "is a device name on Windows", "give the figure another name")
    if name.lower() in RESERVED_NAMES:  # any case: index.png and Index.png may be one file
        raise InputError(
            where, name, "is the contact sheet's name (index.png)", "give the figure another name"
        )
    return name


def check_unique(name: str, earlier: Sequence[str], where: str) -> None:
    """Refuse a figure name used before, in any case: on macOS and Windows a.png is A.png."""
    same = next((other for other in earlier if other.lower() == name.lower()), None)
    if same is not None:
        raise InputError(
            f"{where}: field 'name'",
            name,
            "is used by an earlier figure too"
            + ("" if same == name else f" ('{same}': the names differ only in case)"),
            "give every figure its own name",
        )


def table_fields(raw: Mapping[str, Any], namer: Callable[[str], str]) -> dict[str, Any]:
    """A table's keys with '-' read as '_'; one key spelled twice is refused, not merged.

    The rule of SPEC strings (lrplot.spec.grammar.canonical_key): the spellings that name
    one option (``step-size``, ``step_size``, ``T_max``, ``t-max``) may appear once.
    """
    seen: dict[str, str] = {}
    for key in raw:
        first = seen.setdefault(canonical_key(key), key)
        if first != key:
            raise InputError(
                namer(key), raw[key], f"is the same option as '{first}', given too", "give it once"
            )
    return {key.replace("-", "_"): value for key, value in raw.items()}
