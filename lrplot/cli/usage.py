"""How a usage error reads: one line, and for a misspelt option the option it most likely meant.

Click's own hint for an unknown option lists every option a difflib cutoff lets through, the
leading dashes included, so ``--optim`` got "Possible options: --dpi, --optimizer". Here the
hint is one option of the command that failed: one that starts with what was typed, else the
closest spelling.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

#: How alike (difflib's ratio, dashes left out) a misspelling and an option must be to name it.
CUTOFF = 0.6


def usage_message(error: Exception) -> str:
    """``MESSAGE (see 'lrplot CMD --help')`` for one of Click's usage errors, on one line."""
    ctx = getattr(error, "ctx", None)
    if type(error).__name__ == "NoSuchOption":
        typed = str(getattr(error, "option_name", ""))
        meant = closest_option(typed, option_names(ctx)) if ctx is not None else None
        message = f"No such option: {typed}" + (f"; did you mean {meant}?" if meant else "")
    else:
        message = " ".join(str(getattr(error, "format_message", error.__str__)()).split())
    path = getattr(ctx, "command_path", "lrplot") if ctx is not None else "lrplot"
    return f"{message} (see '{path} --help')"


def option_names(ctx: Any) -> list[str]:
    """The long options of the context's command, as its --help lists them (with --help)."""
    params = ctx.command.get_params(ctx)
    names = [n for p in params if not p.hidden for n in [*p.opts, *p.secondary_opts]]
    return [n for n in names if n.startswith("--")]


def closest_option(typed: str, names: Sequence[str]) -> str | None:
    """The option ``typed`` most likely meant: among those that start with it, else among all
    names, the most alike; None when none is alike enough (or ``typed`` is a short option)."""
    if not typed.startswith("--"):
        return None
    word = typed[2:]

    def alike(name: str) -> float:
        return difflib.SequenceMatcher(None, word, name[2:]).ratio()

    starting = [name for name in names if name.startswith(typed)]
    if starting:
        return max(starting, key=alike)  # the shortest completion; the first of equals
    best = max(names, key=alike, default=None)
    return best if best is not None and alike(best) >= CUTOFF else None
