"""The table of schedulers lrplot knows: one frozen entry per torch class, no torch import.

The entries themselves are data in torch_decay.py, torch_cycles.py and torch_swa.py; this module
assembles them in command order and looks names up.
"""

from __future__ import annotations

import difflib

from lrplot.errors import InputError
from lrplot.schedulers import torch_cycles, torch_decay, torch_swa
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


def find(name: str) -> Scheduler | None:
    """The entry for a command name or torch class name, in any case; ``None`` if unknown."""
    return _BY_NAME.get(_normalise(name))


def lookup(name: str, *, where: str = "scheduler") -> Scheduler:
    """Like :func:`find`, but an unknown name raises an error that suggests the closest."""
    entry = find(name)
    if entry is None:
        raise InputError(where, name, "is not a scheduler lrplot knows", suggest(name))
    return entry


def suggest(name: str, *, extra: list[str] | None = None) -> str:
    """A 'did you mean' hint for an unknown scheduler (or, with ``extra``, command) name."""
    spellings = {e.command.lower(): e.command for e in SCHEDULERS}
    spellings |= {e.class_name.lower(): e.command for e in SCHEDULERS}
    spellings |= {n.lower(): n for n in extra or []}
    close = difflib.get_close_matches(name.lower(), list(spellings), n=4, cutoff=0.6)
    commands = list(dict.fromkeys(spellings[c] for c in close))[:3]
    hint = f"did you mean {' or '.join(commands)}? " if commands else ""
    return hint + "'lrplot list' shows every scheduler"
