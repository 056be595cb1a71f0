"""The optimizers a curve can run on: every ``torch.optim.Optimizer`` class torch ships.

Discovered from ``torch.optim`` itself, so a torch that adds one (Muon, Adafactor) offers it
with no change here. torch is imported inside the functions only: ``lrplot --help`` and the
scheduler table stay free of it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from lrplot.schedulers.entry import Option
from lrplot.schedulers.signature import options_of

#: Where the optimizer classes live.
OPTIMIZER_MODULE = "torch.optim"
#: The class every curve runs on unless told otherwise.
DEFAULT_OPTIMIZER = "SGD"
#: Classes torch ships that a plot cannot drive, and why (the reason is shown to the user).
REFUSED = {
    "LBFGS": "needs a closure that re-evaluates the loss at every step(), and a plot has no loss",
    "SparseAdam": "updates sparse gradients only (nn.Embedding(sparse=True)), and the plot's "
    "dummy parameter is dense",
}


@dataclass(frozen=True)
class OptimizerEntry:
    """One ``torch.optim`` class: its name, its keywords as options, or why it is refused."""

    name: str  # the class name, e.g. "AdamW"
    options: tuple[Option, ...] = ()  # every keyword after ``params``, lr included
    refused: str | None = None

    def option(self, key: str) -> Option | None:
        """The option for a keyword, in snake or kebab case and any letter case."""
        wanted = key.strip().replace("-", "_").lower()
        return next((o for o in self.options if o.name.lower() == wanted), None)


@functools.cache
def optimizer_classes() -> dict[str, type]:
    """Every optimizer class in ``torch.optim`` by its name (the base class left out)."""
    import torch.optim

    found: dict[str, type] = {}
    for name in sorted(dir(torch.optim), key=str.lower):
        value: Any = getattr(torch.optim, name)
        optimizer = isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
        if optimizer and value is not torch.optim.Optimizer and not name.startswith("_"):
            found[name] = value
    return found


def optimizer_class(name: str) -> type:
    """The torch class called ``name`` exactly (a name :func:`find_optimizer` returned)."""
    return optimizer_classes()[name]


@functools.cache
def find_optimizer(name: str) -> OptimizerEntry | None:
    """The entry for a class name in any case (``adamw``, ``AdamW``), ``None`` if unknown."""
    by_lower = {key.lower(): key for key in optimizer_classes()}
    key = by_lower.get(name.strip().lower())
    if key is None:
        return None
    if key in REFUSED:
        return OptimizerEntry(key, refused=REFUSED[key])
    return OptimizerEntry(key, options_of(optimizer_classes()[key]))


def optimizer_names() -> list[str]:
    """The names ``--optimizer`` accepts, lower case, refused classes left out."""
    return [name.lower() for name in optimizer_classes() if name not in REFUSED]
