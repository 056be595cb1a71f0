"""Scheduler targets handed over as Python objects (the pytest plugin's), never imported.

:func:`holding` gives the object, for the length of a block, a path that reads like its own
import path; the registry and :mod:`lrplot.schedulers.dotted` then treat it as any target by
import path, except that it is called with the keywords bound here.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.signature import signature_of

_FIX = "give the target's own keyword arguments, as in a call target(optimizer, ...)"
#: The object held now, as (path, target, keywords); None outside :func:`holding`.
_NOW: ContextVar[tuple[str, Any, dict[str, Any]] | None] = ContextVar("held", default=None)


@contextlib.contextmanager
def holding(target: Any, keywords: dict[str, Any]) -> Iterator[str]:
    """Within the block, ``target`` is found under the path this yields, called with
    ``keywords``; outside it, the path means what it imports (nothing is cached).

    The path is the target's module and qualified name (``train.schedules.make``; a lambda
    is ``...lambda``), so the figure and its JSON name it as the user knows it.
    """
    try:
        signature_of(target).bind_partial(None, **keywords)
    except (TypeError, ValueError) as error:
        name = getattr(target, "__qualname__", type(target).__name__)
        raise InputError("target", name, f"does not take these keywords ({error})", _FIX) from None
    path = _readable_path(target)
    token = _NOW.set((path, target, dict(keywords)))
    try:
        yield path
    finally:
        _NOW.reset(token)


def _readable_path(target: Any) -> str:
    """Identifiers only, at least two of them: a path ``is_dotted`` accepts."""
    home = target.func if isinstance(target, functools.partial) else target
    module = str(getattr(home, "__module__", None) or "")
    qualname = str(getattr(home, "__qualname__", None) or type(home).__name__)
    parts = [re.sub(r"\W", "", part) for part in (*module.split("."), *qualname.split("."))]
    words = [p for p in parts if p and p != "locals" and not p[0].isdigit()]
    return ".".join(words if len(words) > 1 else ["held", *words, "target"][:2])


def is_held(path: str) -> bool:
    """Whether ``path`` names the object held now."""
    now = _NOW.get()
    return now is not None and now[0] == path


def target(path: str) -> Any:
    """The object held under ``path``."""
    now = _NOW.get()
    assert now is not None and now[0] == path, path
    return now[1]


def bound_keywords(path: str) -> dict[str, Any]:
    """The keywords bound to the object held under ``path`` (none for any other path)."""
    now = _NOW.get()
    return dict(now[2]) if now is not None and now[0] == path else {}
