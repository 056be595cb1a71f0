"""The value every layer passes around: one recorded schedule as numpy columns plus metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The column of Adam's ``betas[0]``, which torch cycles where SGD's momentum would be.
BETA1 = "beta1"


@dataclass(frozen=True)
class Mark:
    """A place where the lr changes by a rule of the scheduler (drawn by ``--annotate``)."""

    epoch: float
    text: str


@dataclass(frozen=True)
class Curve:
    """One simulated schedule.

    ``series`` holds the columns in file order: ``step``, ``epoch``, ``lr`` (then ``lr_1``,
    ``lr_2``, ... for further param groups), ``momentum`` when the scheduler changes it
    (``beta1`` on an optimizer with betas: torch cycles ``betas[0]``),
    ``metric`` for ReduceLROnPlateau. Row k is the state before the k-th scheduler step.
    """

    command: str
    scheduler: str
    params: Mapping[str, Any]
    optimizer: Mapping[str, Any]
    epochs: int
    steps_per_epoch: int
    series: Mapping[str, np.ndarray]
    torch_version: str
    label: str | None = None
    title: str = ""
    marks: tuple[Mark, ...] = field(default=())
    #: How many marks the scheduler's rules gave; more than ``len(marks)`` when a run had too
    #: many to tell apart and only every k-th was kept (0: as many as ``marks``).
    mark_count: int = 0
    #: A resumed run: {"epoch", "by", "diverges_at"} (JSON ``resume``); None otherwise.
    resume: Mapping[str, Any] | None = None
    #: The uninterrupted run's columns, when a resumed run differs from it (drawn dashed).
    reference: Mapping[str, np.ndarray] | None = None
    #: Warnings for the user about this run (one line each).
    notes: tuple[str, ...] = ()
    #: Where plateau's metric came from: "synthetic: EXPR", "expression: EXPR",
    #: "metrics: PATH or values" (None without a metric).
    metric_source: str | None = None

    @property
    def epoch(self) -> np.ndarray:
        """The x axis, in epochs."""
        return self.series["epoch"]

    @property
    def lr(self) -> np.ndarray:
        """The lr of the first param group."""
        return self.series["lr"]

    def lr_columns(self) -> list[str]:
        """Names of the lr columns, one per param group."""
        return [name for name in self.series if name == "lr" or name.startswith("lr_")]

    def momentum_columns(self) -> list[str]:
        """Names of the momentum columns (empty when the scheduler leaves momentum alone):
        ``momentum``, or ``beta1`` on an optimizer with betas (Adam), ``_1`` ... per group."""
        return [n for n in self.series if n.split("_")[0] in ("momentum", BETA1)]

    @property
    def rows(self) -> int:
        """Number of recorded rows."""
        return len(self.series["step"])


def group_column(name: str, index: int) -> str:
    """Column name of param group ``index``: ``lr``, ``lr_1``, ``lr_2`` ..."""
    return name if index == 0 else f"{name}_{index}"
