"""The table of schedulers lrplot knows: one frozen entry per torch class, no torch import.

The entries themselves are data in torch_decay.py, torch_cycles.py and torch_swa.py; this module
assembles them in command order and looks names up.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from lrplot.errors import InputError
from lrplot.schedulers import dotted, held, hf, torch_cycles, torch_decay, torch_swa
from lrplot.schedulers.entry import Scheduler

#: The synthetic validation loss plateau uses when given no metric (documented in README).
SYNTHETIC_METRIC = "0.3 + 0.7 * exp(-min(epoch, 30) / 8) + 0.003 * sin(epoch)"


SCHEDULERS: tuple[Scheduler, ...] = (
    *torch_decay.STEP_FAMILY,
    *torch_decay.COSINE_FAMILY,
    torch_decay.PLATEAU,
    *torch_cycles.CYCLIC_FAMILY,
    *torch_cycles.WARMUP_FAMILY,
    torch_swa.SWA,
    *torch_cycles.COMPOSITES,
)


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _index() -> dict[str, Scheduler]:
    table: dict[str, Scheduler] = {}
    for entry in SCHEDULERS:
        for key in (entry.command, entry.class_name, *entry.aliases):
            table[_normalise(key)] = entry
    return table


_BY_NAME = _index()
#: A torch class by its import path is its curated entry, with the demo defaults.
_BY_PATH = {entry.torch_class: entry for entry in SCHEDULERS}


def find(name: str) -> Scheduler | None:
    """The entry for a command name or torch class name, in any case; ``None`` if unknown.

    An import path (``pkg.module.Name``, ``module:Name``) is imported and read; ``hf/NAME``
    is a transformers schedule. Either raises an InputError when it cannot be.
    """
    path = dotted.normalised(name)
    if held.is_held(path):  # an object itself, called as given, before torch's entries
        return dotted.entry_for(path)
    if path in _BY_PATH:
        return _BY_PATH[path]
    if hf.is_hf(path):
        return hf.entry_for(path)
    if dotted.is_dotted(path):
        return dotted.entry_for(path)
    return _BY_NAME.get(_normalise(name))


def is_import_path(name: str) -> bool:
    """Whether ``name`` names a scheduler outside the curated torch entries by import path."""
    path = dotted.normalised(name)
    return path not in _BY_PATH and (hf.is_hf(path) or dotted.is_dotted(path))


def imported_package(name: str) -> str | None:
    """The top-level package an import path names; None for the curated entries and for
    transformers' schedules by name (``hf/cosine``), which come from a fixed table."""
    path = dotted.normalised(name)
    if path in _BY_PATH or hf.is_hf(path):
        return None
    return dotted.top_package(path) if dotted.is_dotted(path) else None


#: The top-level packages a manifest may import (None: any, as on the command line).
_ALLOWED: ContextVar[frozenset[str] | None] = ContextVar("allowed_imports", default=None)


@contextlib.contextmanager
def imports_allowed(packages: Iterable[str]) -> Iterator[None]:
    """Within the block, an import path outside torch must name one of ``packages``."""
    token = _ALLOWED.set(frozenset(packages))
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def check_allowed(name: str, where: str) -> None:
    """Refuse to import a package a manifest names unless --allow-import names it too."""
    allowed, package = _ALLOWED.get(), imported_package(name)
    if allowed is None or package is None or package == "torch" or package in allowed:
        return
    raise InputError(
        where,
        name,
        f"imports the package {package}, and a manifest is data: it imports only what "
        "--allow-import names",
        f"if you trust it, run again with --allow-import {package}",
    )


def lookup(name: str, *, where: str = "scheduler") -> Scheduler:
    """Like :func:`find`, but an unknown name raises an error that suggests the closest."""
    check_allowed(name, where)
    try:
        entry = find(name)
    except InputError as error:  # an import path that does not resolve, named as given
        if where == error.where:
            raise
        shown = None if name in where else name  # a SPEC's where already quotes it
        raise InputError(where, shown, error.problem, error.fix) from None
    if entry is None:
        shown = None if name in where else name
        raise InputError(where, shown, "is not a scheduler lrplot knows", suggest(name))
    return entry


def suggest(name: str, *, extra: list[str] | None = None) -> str:
    """A 'did you mean' hint for an unknown scheduler (or, with ``extra``, command) name."""
    spellings = {e.command.lower(): e.command for e in SCHEDULERS}
    spellings |= {e.class_name.lower(): e.command for e in SCHEDULERS}
    spellings |= {n.lower(): n for n in extra or []}
    close = difflib.get_close_matches(name.lower(), list(spellings), n=4, cutoff=0.6)
    commands = list(dict.fromkeys(spellings[c] for c in close))[:3]
    hint = f"did you mean {' or '.join(commands)}? " if commands else ""
    spaced = name.strip().lower().replace(":", " ").split()
    if len(spaced) == 2 and spaced[0] == "hf":  # 'hf cosine' inside a SPEC string
        hint = f"a transformers schedule in a SPEC is hf/{spaced[1]}; " + hint
    return hint + "'lrplot list' shows every scheduler"
