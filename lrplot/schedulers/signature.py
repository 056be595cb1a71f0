"""Options read off a Python signature: what a dotted-path scheduler or an optimizer accepts.

Each parameter becomes an :class:`Option` typed from its annotation, else from its default:
int, float, bool, str, a Literal of strings, a list of numbers. A parameter with neither reads
a number when the text is one (``auto``). A parameter text cannot fill (a callable, a tensor,
an object) becomes an ``unfillable`` option: refused when given, and when required.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Collection
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.entry import REQUIRED, Kind, Option

#: Parameters lrplot itself fills or that do nothing for a plot.
SKIPPED = frozenset({"last_epoch", "verbose"})

_NUMBERS = {int: "int", float: "float", bool: "bool", str: "text"}
_LISTS = {"int": "ints", "float": "floats"}


def signature_of(target: Callable[..., Any]) -> inspect.Signature:
    """The signature of a function, or of a class's ``__init__`` without ``self``."""
    try:
        return inspect.signature(target, eval_str=True)
    except Exception:  # annotations that do not evaluate here: read them as text
        pass
    try:
        return inspect.signature(target)
    except (ValueError, TypeError) as error:  # no signature, or a __wrapped__ loop
        raise InputError(
            "scheduler",
            getattr(target, "__qualname__", repr(target)),
            f"has no signature lrplot can read ({error})",
            "name a plain class or function",
        ) from None


def options_of(
    target: Callable[..., Any], *, first: int = 1, skip: Collection[str] = SKIPPED
) -> tuple[Option, ...]:
    """One option per keyword of ``target`` after its first ``first`` (the optimizer)."""
    params = list(signature_of(target).parameters.values())[first:]
    own = target.__dict__.get("__doc__") if inspect.isclass(target) else inspect.getdoc(target)
    helps = first_lines_of_args(inspect.cleandoc(own) if isinstance(own, str) else "")
    options = []
    for param in params:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or param.name in skip:
            continue
        options.append(option_of(param, helps.get(param.name, "")))
    return tuple(options)


def option_of(param: inspect.Parameter, help: str = "") -> Option:
    """The option of one parameter: kind from annotation or default, required without one."""
    default = REQUIRED if param.default is inspect.Parameter.empty else param.default
    kind, optional, choices, sequence = _kind(param.annotation, default)
    if default is not REQUIRED and kind != "unfillable":
        default = _shown_default(default)
    if kind == "unfillable":
        shown = "" if default is REQUIRED else "; its default is used"
        note = f"{_type_name(param.annotation, param.default)}: not settable from text{shown}"
        help = f"{help} ({note})" if help else note
    return Option(
        param.name,
        kind,
        default,
        help or f"{param.name} of the target",
        choices=choices,
        optional=optional or default is None,
        sequence=sequence,
    )


def _kind(annotation: object, default: object) -> tuple[Kind, bool, tuple[str, ...], bool]:
    """(kind, accepts None, choices, always a list) for an annotation and a default."""
    if annotation is inspect.Parameter.empty or isinstance(annotation, str):
        return _from_text(annotation) if isinstance(annotation, str) else _from_default(default)
    optional = False
    args = typing.get_args(annotation)
    if _is_union(annotation):
        optional = type(None) in args
        members = [a for a in args if a is not type(None)]
        lists = [m for m in members if typing.get_origin(m) in (list, tuple) or m in (list, tuple)]
        numbers = any(m in (int, float) for m in members)
        if numbers and (lists or str in members):
            return "auto", optional, (), False  # timm's noise_range_t: 5, or 5,15; int | str
        annotation = _pick(members)
        args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal and all(isinstance(a, str) for a in args):
        return "choice", optional, tuple(str(a) for a in args), False
    if annotation in _NUMBERS:
        return _NUMBERS[annotation], optional, (), False  # type: ignore[return-value]
    if origin in (list, tuple) or _is_sequence(origin):
        members = [_pick(list(typing.get_args(a))) if _is_union(a) else a for a in args]
        inner = {_NUMBERS.get(a) for a in members if a is not Ellipsis} or {"float"}
        kind = "ints" if inner == {"int"} else "floats"
        if inner <= {"int", "float"}:
            return kind, optional, (), True  # type: ignore[return-value]
    if annotation in (list, tuple):
        return "floats", optional, (), True
    return "unfillable", optional, (), False


def _is_union(annotation: object) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _is_sequence(origin: object) -> bool:
    import collections.abc as abc

    return origin in (abc.Sequence, abc.MutableSequence)


def _pick(members: list[Any]) -> Any:
    """The member of a Union text can fill best: ``float | Tensor`` is a float."""
    for wanted in (float, int, bool, str):
        if wanted in members:
            return wanted
    fillable = [m for m in members if typing.get_origin(m) in (list, tuple) or m in (list, tuple)]
    return fillable[0] if fillable else (members[0] if len(members) == 1 else object)


def _from_default(default: object) -> tuple[Kind, bool, tuple[str, ...], bool]:
    if default is REQUIRED or default is None:
        return "auto", default is None, (), False
    for python_type, kind in _NUMBERS.items():
        if type(default) is python_type:
            return kind, False, (), False  # type: ignore[return-value]
    if isinstance(default, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in default
    ):
        ints = all(isinstance(v, int) for v in default) and bool(default)
        return ("ints" if ints else "floats"), False, (), True
    return "unfillable", False, (), False


_TEXT_TYPES = {"int": "int", "float": "float", "bool": "bool", "str": "text"}


def _from_text(annotation: str) -> tuple[Kind, bool, tuple[str, ...], bool]:
    """Annotations left as text (``from __future__ import annotations`` naming what does not
    import here): the simple shapes by name, anything else unfillable."""
    text = annotation.replace("typing.", "").replace(" ", "")
    optional = text.startswith("Optional[") or "|None" in text or "None|" in text
    literal = re.fullmatch(r"Literal\[((?:'[^']*'|\"[^\"]*\")(?:,(?:'[^']*'|\"[^\"]*\"))*)\]", text)
    if literal:
        return "choice", False, tuple(re.findall(r"['\"]([^'\"]*)['\"]", literal.group(1))), False
    core = re.sub(r"^(?:Optional|Union)\[(.*)\]$", r"\1", text)
    members = [m for m in re.split(r"[|,](?![^\[]*\])", core) if m and m != "None"]
    for wanted in ("float", "int", "bool", "str"):
        if wanted in members:
            return _TEXT_TYPES[wanted], optional, (), False  # type: ignore[return-value]
    for member in members:
        match = re.fullmatch(
            r"(?:list|List|Sequence|tuple|Tuple)\[(int|float)(?:,\.\.\.)?\]", member
        )
        if match:
            return _LISTS[match.group(1)], optional, (), True  # type: ignore[return-value]
    return "unfillable", optional, (), False


def _shown_default(default: object) -> object:
    return tuple(default) if isinstance(default, list) else default


def _type_name(annotation: object, default: object) -> str:
    if annotation is not inspect.Parameter.empty:
        return annotation if isinstance(annotation, str) else _annotation_text(annotation)
    return type(default).__name__


def _annotation_text(annotation: object) -> str:
    name = getattr(annotation, "__name__", None)
    return name if isinstance(name, str) and not typing.get_args(annotation) else repr(annotation)


def first_paragraph(doc: str) -> str:
    """The docstring's first paragraph, on one line."""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def first_lines_of_args(doc: str) -> dict[str, str]:
    """``name -> first line of its description`` from a Google- or numpy-style Args section."""
    helps: dict[str, str] = {}
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^\s*(\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", line)
        if not match or match.group(1) in helps:
            continue
        text = match.group(3).strip()
        if not text and i + 1 < len(lines):
            text = lines[i + 1].strip()
        if text:
            helps[match.group(1)] = text.rstrip(".")
    return helps
