"""Scheduler targets handed over as Python objects (the pytest plugin's), never imported.

:func:`hold` gives the object a path that reads like its own import path; the registry and
:mod:`lrplot.schedulers.dotted` then treat it as any target by import path, except that it
is called with the keywords bound here: ``target(optimizer, **keywords)``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.signature import signature_of

_HELD: dict[str, tuple[Any, dict[str, Any]]] = {}
_FIX = "give the target's own keyword arguments, as in a call target(optimizer, ...)"


def hold(target: Any, keywords: dict[str, Any]) -> str:
    """The path under which ``target`` is found, called with ``keywords``.

    The path is the target's module and qualified name (``train.schedules.make``; a lambda
    is ``...lambda``); another target or other keywords under the same path get a suffix.
    """
    try:
        signature_of(target).bind_partial(None, **keywords)
    except (TypeError, ValueError) as error:
        name = getattr(target, "__qualname__", type(target).__name__)
        raise InputError("target", name, f"does not take these keywords ({error})", _FIX) from None
    base = _readable_path(target)
    for n in range(1, len(_HELD) + 2):
        path = base if n == 1 else f"{base}_{n}"
        found = _HELD.get(path)
        if found is None or (found[0] is target and found[1] == keywords):
            _HELD[path] = (target, dict(keywords))
            return path
    raise AssertionError("unreachable: one of the suffixes is free")


def _readable_path(target: Any) -> str:
    """Identifiers only, at least two of them: a path ``is_dotted`` accepts."""
    home = target.func if isinstance(target, functools.partial) else target
    module = str(getattr(home, "__module__", None) or "")
    qualname = str(getattr(home, "__qualname__", None) or type(home).__name__)
    parts = [re.sub(r"\W", "", part) for part in (*module.split("."), *qualname.split("."))]
    words = [p for p in parts if p and p != "locals" and not p[0].isdigit()]
    return ".".join(words if len(words) > 1 else ["held", *words, "target"][:2])


def is_held(path: str) -> bool:
    """Whether ``path`` names an object handed over by :func:`hold`."""
    return path in _HELD


def target(path: str) -> Any:
    """The object held under ``path``."""
    return _HELD[path][0]


def bound_keywords(path: str) -> dict[str, Any]:
    """The keywords bound to the object at ``path`` (none for any other path)."""
    return dict(_HELD[path][1]) if path in _HELD else {}
