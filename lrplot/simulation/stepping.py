"""Build the real torch scheduler on an optimizer, step it as a training loop does, record it.

Row k is the state before the k-th ``scheduler.step()``. A run can be recorded in segments
(epoch by epoch, say) and checkpointed between them, as a training script saves one.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from lrplot.curve import BETA1, group_column
from lrplot.errors import LrplotError
from lrplot.schedulers.dotted import warnings_said
from lrplot.simulation.construct import construct, reworded, user_error
from lrplot.simulation.optimizer import fresh_optimizer
from lrplot.spec.curve_spec import CurveSpec

# torch warns when a scheduler steps before its optimizer; lrplot never trains, so the
# order is irrelevant here (DESIGN.md section 2: the warning must not reach the user).
_STEP_ORDER_WARNING = r"Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`"


@contextlib.contextmanager
def step_order_ignored() -> Iterator[None]:
    """Run schedulers without torch's step-order warning (and nothing else silenced)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_STEP_ORDER_WARNING, category=UserWarning)
        yield


@contextlib.contextmanager
def guarded(spec: CurveSpec) -> Iterator[list[str]]:
    """Run ``spec``'s scheduler: torch's step-order warning silenced; for a target's own code,
    its warnings (timm's deprecations) collected as lines naming it, and its prints sent to
    stderr, so that stdout holds only what lrplot writes there (CSV with ``-o -``)."""
    said: list[str] = []
    if spec.scheduler.source == "torch":
        with step_order_ignored():
            yield said
        return
    with warnings_said(_STEP_ORDER_WARNING) as lines, contextlib.redirect_stdout(sys.stderr):
        yield said
    said.extend(f"{spec.scheduler.torch_class}: {line}" for line in lines)


@dataclass(frozen=True)
class Checkpoint:
    """What a training script saves after ``step`` scheduler steps: both state_dicts."""

    step: int
    optimizer: dict[str, Any]
    scheduler: dict[str, Any]


def tracks_momentum(spec: CurveSpec) -> bool:
    """Whether the scheduler (or a child) changes momentum, so the run records it."""
    switch = spec.scheduler.momentum_switch
    own = switch is not None and bool(spec.params.get(switch))
    return own or any(tracks_momentum(child) for child in spec.children)


def momentum_column(optimizer: torch.optim.Optimizer) -> str:
    """What a scheduler cycling momentum changes: ``beta1`` when the optimizer has betas.

    torch's CyclicLR and OneCycleLR cycle ``betas[0]`` then (Adam's family), else the
    ``momentum`` keyword.
    """
    return BETA1 if "betas" in optimizer.defaults else "momentum"


def _reading_betas(step: Any, betas: list[tuple[memoryview, Any]]) -> Any:
    """``step`` that first records beta1 of the row it leaves: row k, at the k-th call."""
    rows = itertools.count()

    def stepping(*args: Any) -> Any:
        k = next(rows)
        for row, group in betas:
            row[k] = group["betas"][0]
        return step(*args)

    return stepping


class Recorder:
    """A scheduler on its optimizer, recorded from scheduler step ``step`` on."""

    def __init__(self, spec: CurveSpec, optimizer: Any, scheduler: Any, *, step: int = 0):
        self.spec, self.optimizer, self.scheduler = spec, optimizer, scheduler
        self.first = self.step = step
        tracked = tracks_momentum(spec)
        self.keys = ("lr", momentum_column(optimizer)) if tracked else ("lr",)
        self._parts: list[dict[str, np.ndarray]] = []

    @classmethod
    def fresh(cls, spec: CurveSpec) -> Recorder:
        """A new optimizer and scheduler, before their first step."""
        optimizer = fresh_optimizer(spec)
        return cls(spec, optimizer, construct(spec, optimizer))

    def record(self, rows: int, *, last: bool = False) -> None:
        """Record ``rows`` rows, stepping after each, but after the run's ``last`` row."""
        groups = self.optimizer.param_groups
        table = {key: np.empty((len(groups), rows)) for key in self.keys}
        # One (row of the table, param group, key) per recorded value. A float stored through
        # a memoryview skips numpy's index parsing: over a million steps that is the
        # difference between lrplot's loop and a bare scheduler.step() loop.
        cells = [
            (memoryview(table[key][g]), group, key)
            for key in self.keys
            if key != BETA1
            for g, group in enumerate(groups)
        ]
        # beta1 is betas[0], a tuple torch replaces at every step: read through the group.
        betas = [
            (memoryview(table[key][g]), group)
            for key in self.keys
            if key == BETA1
            for g, group in enumerate(groups)
        ]
        steps = rows - 1 if last else rows
        try:
            self._fill(cells, betas, steps)
            if last:
                for row, group, key in cells:
                    row[rows - 1] = group[key]
                for row, group in betas:
                    row[rows - 1] = group["betas"][0]
        except LrplotError:
            raise
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            if self.spec.scheduler.source == "torch":
                raise reworded(self.spec, error) from None
            raise user_error(self.spec, error, "failed while stepping") from None
        except (Exception, SystemExit) as error:
            if self.spec.scheduler.source == "torch":
                raise
            raise user_error(self.spec, error, "failed while stepping") from None
        self.step += steps
        self._parts.append(table)

    def _fill(self, cells: list[Any], betas: list[Any], steps: int) -> None:
        """Read every cell, then step, ``steps`` times: the loop every curve's time is spent in."""
        metric, step, spe = self.spec.metric, self._stepper(), self.spec.steps_per_epoch
        step = _reading_betas(step, betas) if betas else step  # SGD's loop pays nothing for it
        first, fractional = self.step, self.spec.fractional_epochs
        for k in range(steps):
            for row, group, key in cells:
                row[k] = group[key]
            if fractional:  # torch's documented per-batch loop: step(epoch + i / batches)
                step((first + k) / spe)
            else:
                step() if metric is None else step(metric[first + k])

    def _stepper(self) -> Any:
        """``scheduler.step``, or for timm its own protocol as timm's train.py drives it:
        ``step_update(num_updates)`` after every batch, ``step(epoch + 1, metric)`` at the end
        of each epoch (the scheduler acts on whichever its ``t_in_epochs`` says)."""
        if self.spec.scheduler.source != "timm":
            return self.scheduler.step
        scheduler, spe, done = self.scheduler, self.spec.steps_per_epoch, [self.step]

        def step(metric: float | None = None) -> None:
            done[0] += 1
            scheduler.step_update(num_updates=done[0], metric=metric)
            if done[0] % spe == 0:
                scheduler.step(done[0] // spe, metric)

        return step

    def checkpoint(self) -> Checkpoint:
        """Both state_dicts now, copied so that later steps cannot change them."""
        return Checkpoint(
            self.step,
            copy.deepcopy(self.optimizer.state_dict()),
            copy.deepcopy(self.scheduler.state_dict()),
        )

    def columns(self) -> dict[str, np.ndarray]:
        """The recorded rows as named columns: step, epoch, lr (lr_1 ...), momentum or beta1,
        metric."""
        parts = self._parts
        tables = (
            parts[0]
            if len(parts) == 1
            else {key: np.concatenate([part[key] for part in parts], axis=1) for key in self.keys}
        )
        rows = tables["lr"].shape[1]
        # int32 while it fits: half the memory of a column a 1M-step PNG holds to the end
        kind = np.int32 if self.first + rows < 2**31 else np.int64
        steps = np.arange(self.first, self.first + rows, dtype=kind)
        columns: dict[str, np.ndarray] = {"step": steps, "epoch": steps / self.spec.steps_per_epoch}
        for key in self.keys:
            for g in range(tables[key].shape[0]):
                columns[group_column(key, g)] = tables[key][g]
        if self.spec.metric is not None:
            metric = self.spec.metric[self.first : self.first + rows]
            columns["metric"] = np.asarray(metric, dtype=np.float64)
        return columns
