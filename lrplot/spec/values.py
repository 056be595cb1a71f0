"""Turn raw option values (command-line text or TOML values) into checked Python values.

One converter serves the command line, SPEC strings and manifests, so the three accept the
same values and reject bad ones with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lrplot.errors import InputError
from lrplot.schedulers.entry import REQUIRED, Bound, Option
from lrplot.spec.expression import Expression, parse_expression

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def coerce(option: Option, raw: object, where: str) -> object:
    """Convert ``raw`` for ``option``; ``where`` names it in errors (``--gamma``, a field)."""
    if option.optional and (raw is None or (isinstance(raw, str) and raw.lower() == "none")):
        return None
    converter = _CONVERTERS[option.kind]
    return converter(option, raw, where)


def to_int(raw: object, where: str, bound: Bound | None = None, example: object = 10) -> int:
    """An integer from text or a TOML number; floats must be whole."""
    value: int
    if isinstance(raw, bool):
        raise InputError(where, raw, "must be a whole number", f"e.g. {example}")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        try:
            value = int(raw.strip())
        except ValueError:
            raise InputError(where, raw, "is not a whole number", f"e.g. {example}") from None
    else:
        raise InputError(where, raw, "must be a whole number", f"e.g. {example}")
    _check_bound(value, bound, where, raw, example)
    return value


def to_float(raw: object, where: str, bound: Bound | None = None, example: object = 0.5) -> float:
    """A finite float from text or a TOML number."""
    value: float
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise InputError(where, raw, "must be a number", f"e.g. {example}")
    try:
        value = float(raw)
    except (ValueError, OverflowError):
        raise InputError(where, raw, "is not a number", f"e.g. {example}") from None
    if not math.isfinite(value):
        raise InputError(where, raw, "must be a finite number", f"e.g. {example}")
    _check_bound(value, bound, where, raw, example)
    return value


def to_bool(raw: object, where: str) -> bool:
    """A boolean from a TOML bool or text such as true/false/yes/no."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise InputError(where, raw, "must be true or false", "write true or false")


def split_list(raw: object, where: str) -> list[object]:
    """Items of a list given as ``30,80``, ``[30, 80]`` or a TOML array."""
    if isinstance(raw, (list, tuple)):
        items: list[object] = list(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text.startswith("[") != text.endswith("]"):
            raise InputError(where, raw, "has an unbalanced bracket", "write e.g. 30,80 or [30,80]")
        text = text.strip("[]").strip()
        items = [part.strip() for part in text.split(",")] if text else []
    else:
        items = [raw]
    if not items or any(item == "" for item in items):
        raise InputError(where, raw, "is not a list of numbers", "write e.g. 30,80 or [30,80]")
    return items


def _check_bound(
    value: float, bound: Bound | None, where: str, raw: object, example: object
) -> None:
    if bound is not None and not bound.contains(value):
        raise InputError(where, raw, bound.describe(), f"use e.g. {example}")


def _example(option: Option) -> object:
    default = option.default
    if isinstance(default, tuple):
        return ",".join(str(v) for v in default)
    if default is None or default == REQUIRED:
        return {"float": 0.5, "floats": "0.1,0.2", "ints": "30,80"}.get(option.kind, 10)
    return default


def _int(option: Option, raw: object, where: str) -> int:
    return to_int(raw, where, option.bound, _example(option))


def _float(option: Option, raw: object, where: str) -> float:
    return to_float(raw, where, option.bound, _example(option))


def _bool(option: Option, raw: object, where: str) -> bool:
    return to_bool(raw, where)


def _choice(option: Option, raw: object, where: str) -> str:
    if isinstance(raw, str) and raw.strip() in option.choices:
        return raw.strip()
    choices = ", ".join(option.choices)
    raise InputError(where, raw, f"must be one of {choices}", f"e.g. {option.choices[0]}")


def _floats(option: Option, raw: object, where: str) -> float | tuple[float, ...]:
    items = split_list(raw, where)
    values = tuple(to_float(item, where, option.bound, _example(option)) for item in items)
    return values[0] if len(values) == 1 else values


def _ints(option: Option, raw: object, where: str) -> tuple[int, ...]:
    items = split_list(raw, where)
    return tuple(to_int(item, where, option.bound, _example(option)) for item in items)


def _expr(option: Option, raw: object, where: str) -> Expression:
    if isinstance(raw, Expression):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise InputError(where, raw, "must be an expression", f"e.g. {option.default!r}")
    return parse_expression(str(raw), option=where, variable=option.variable)


def _exprs(option: Option, raw: object, where: str) -> Expression | tuple[Expression, ...]:
    """One expression for every param group, or one per group (``--lr-lambda`` repeated,
    ``[a, b]`` in a SPEC string, a TOML array)."""
    from lrplot.spec.grammar import split_top_level

    if isinstance(raw, str) and raw.strip().startswith("[") and raw.strip().endswith("]"):
        raw = [part.strip() for part in split_top_level(raw.strip()[1:-1], where, raw)]
    items = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    if not items:
        raise InputError(where, raw, "is empty", f"give an expression, e.g. {option.default!r}")
    values = tuple(_expr(option, item, where) for item in items)
    return values[0] if len(values) == 1 else values


def _specs(option: Option, raw: object, where: str) -> tuple[str, ...]:
    from lrplot.spec.grammar import parse_spec, split_children

    items = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    if len(items) == 1 and isinstance(items[0], str):
        items = list(split_children(items[0], where))
    if not items or not all(isinstance(item, str) for item in items):
        raise InputError(
            where,
            raw,
            "must be one or more SPEC strings",
            "e.g. 'cosine:T_max=95' (repeat for each child)",
        )
    texts = tuple(str(item) for item in items)
    for text in texts:
        parse_spec(text, where)  # syntax errors now; option values when the child is built
    return texts


def _text(option: Option, raw: object, where: str) -> str:
    if isinstance(raw, str):
        return raw
    raise InputError(where, raw, "must be text", f"e.g. {option.default!r}")


def _auto(option: Option, raw: object, where: str) -> object:
    """An untyped parameter: a TOML value as it is; text as a number when it reads as one,
    a list of numbers when it has commas, true/false, else the text itself."""
    if not isinstance(raw, str):
        return list(raw) if isinstance(raw, tuple) else raw
    text = raw.strip()
    if "," in text or (text.startswith("[") and text.endswith("]")):
        return [_number_or_text(item) for item in split_list(text, where)]
    if text.lower() in _TRUE | _FALSE and not text.isdigit():
        return text.lower() in _TRUE
    return _number_or_text(text)


def _number_or_text(item: object) -> object:
    text = str(item).strip()
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


def _unfillable(option: Option, raw: object, where: str) -> object:
    kind = option.help.rpartition("(")[2].split(":")[0]
    raise InputError(
        where,
        raw,
        f"is a parameter text cannot fill (a {kind})",
        "leave it out to use the target's own default, or wrap the target in a factory "
        "that fills it",
    )


_CONVERTERS = {
    "int": _int,
    "float": _float,
    "bool": _bool,
    "choice": _choice,
    "floats": _floats,
    "ints": _ints,
    "expr": _expr,
    "exprs": _exprs,
    "specs": _specs,
    "text": _text,
    "auto": _auto,
    "unfillable": _unfillable,
}


def per_group(value: object, groups: int, where: str) -> object:
    """Check a per-group keyword (``a,b``) has one value or one per param group."""
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) != groups:
        expressions = all(isinstance(v, Expression) for v in value)
        shown = " | ".join(v.source for v in value) if expressions else ",".join(map(str, value))
        plural = "param group" if groups == 1 else "param groups"
        raise InputError(
            where,
            shown,
            f"gives {len(value)} values for {groups} {plural}",
            "give one value for every group, or one per --lr",
        )
    return value
