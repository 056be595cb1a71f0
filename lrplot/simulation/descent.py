"""Run real torch SGD on a 1-D quadratic with several learning rates (the guide's first figure)."""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lrplot.errors import InputError
from lrplot.schedulers.entry import POSITIVE, Bound
from lrplot.simulation.optimizer import sgd_class
from lrplot.spec.values import to_float, to_int

# On the default loss x**2 (curvature 2) one SGD step multiplies x by r = 1 - 2 * lr:
# - 0.05: r = 0.9, each step removes only a tenth of the distance; after 20 steps x is still
#   0.49 (from 4), plainly too small. 0.1 (r = 0.8) gets within 1% and reads as fine.
# - 0.3: r = 0.4, a few visible steps into the minimum. 0.5 (r = 0) would land on it exactly
#   in one step: a degenerate picture, and a loss of exactly 0 that a log axis cannot show.
# - 1.05: r = -1.1, each step jumps past the minimum and lands 10% farther out on the other
#   wall; |x| grows 6.7-fold in 20 steps (loss 16 -> 724), a clear divergence that stays
#   finite (float64 would overflow only after about 3700 steps).
DEFAULT_LRS = (0.05, 0.3, 1.05)
DEFAULT_STEPS = 20
DEFAULT_START = 4.0
DEFAULT_CURVATURE = 2.0

MAX_RUNS = 10  # more lines than the figure's colour cycle can tell apart
STEPS_BOUND = Bound(low=1, high=10_000)
# Larger starts only rescale the same picture, and push the loss towards float overflow.
START_BOUND = Bound(low=-1e6, high=1e6)
#: A contraction factor above this removes less than a fifth of the distance per step.
SLOW_FACTOR = 0.8


@dataclass(frozen=True)
class DescentRun:
    """One SGD run: its iterates ``x_0 .. x_steps`` and the loss at each (float64 arrays).

    ``label`` classifies the run by its contraction factor ``r = 1 - lr * curvature``, the
    number each step multiplies x by: "too large" when ``|r| >= 1`` (x never settles; it
    grows unless ``r`` is exactly -1), "overshoots" when ``-1 < r < 0`` (x jumps past the
    minimum every step but converges), "too small" when ``r > 0.8`` (less than a fifth of the
    distance is covered per step), and "good" otherwise; the lr follows in brackets.
    """

    lr: float
    x: np.ndarray
    loss: np.ndarray
    label: str


@dataclass(frozen=True)
class Descent:
    """SGD on ``loss(x) = curvature / 2 * x**2`` from ``start``, one run per lr."""

    curvature: float
    start: float
    steps: int
    runs: tuple[DescentRun, ...]
    torch_version: str = ""

    def loss_of(self, x: np.ndarray) -> np.ndarray:
        """The loss surface at ``x``."""
        return np.asarray(self.curvature / 2 * np.square(x), dtype=np.float64)


def descend(
    lrs: Sequence[float] = DEFAULT_LRS,
    *,
    steps: int = DEFAULT_STEPS,
    start: float = DEFAULT_START,
    curvature: float = DEFAULT_CURVATURE,
    fast: bool = True,
) -> Descent:
    """Run ``steps`` steps of ``torch.optim.SGD`` from ``start`` for each lr in ``lrs``.

    Each run has its own fresh parameter and optimizer. ``fast=False`` uses the plain
    ``torch.optim.SGD`` and calls ``zero_grad``/``step`` through all of torch's wrappers
    (which import torch._dynamo, about a second); the default builds the optimizer as
    ``lrplot.simulation.optimizer`` does and calls the same functions without those wrappers
    when that is known to be safe (see ``_calls``). Both give the same bits.
    """
    checked = _checked_lrs(lrs)
    steps = to_int(steps, "--steps", STEPS_BOUND, DEFAULT_STEPS)
    start = to_float(start, "--start", START_BOUND, DEFAULT_START)
    curvature = to_float(curvature, "--curvature", POSITIVE, DEFAULT_CURVATURE)
    runs = tuple(_run(lr, steps, start, curvature, fast=fast) for lr in checked)
    return Descent(curvature, start, steps, runs, torch_version=torch.__version__)


def _checked_lrs(lrs: Sequence[float]) -> tuple[float, ...]:
    shown = ",".join(str(lr) for lr in lrs)
    if not 1 <= len(lrs) <= MAX_RUNS:
        raise InputError(
            "--lr",
            shown or None,
            f"gives {len(lrs)} learning rates; a descent figure shows 1 to {MAX_RUNS}",
            "e.g. --lr 0.05 --lr 0.3 --lr 1.05",
        )
    checked = tuple(to_float(lr, "--lr", POSITIVE, 0.3) for lr in lrs)
    for index, lr in enumerate(checked):
        if lr in checked[:index]:
            raise InputError("--lr", lr, "is given twice", "give each learning rate once")
    return checked


def _run(lr: float, steps: int, start: float, curvature: float, *, fast: bool) -> DescentRun:
    """The textbook loop: loss, zero_grad, backward, step; records x and the loss first."""
    parameter = torch.nn.Parameter(torch.tensor([start], dtype=torch.float64))
    optimizer = sgd_class(fast=fast)([parameter], lr=lr)
    zero_grad, step = _calls(optimizer, fast=fast)
    x = np.empty(steps + 1, dtype=np.float64)
    loss_values = np.empty(steps + 1, dtype=np.float64)
    for k in range(steps + 1):
        loss = curvature / 2 * parameter**2
        x[k], loss_values[k] = parameter.item(), loss.item()
        if not (math.isfinite(x[k]) and math.isfinite(loss_values[k])):
            raise _overflow(lr, k)
        if k == steps:
            break
        zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward untyped
        step()
    return DescentRun(lr, x, loss_values, label_of(lr, curvature))


def _overflow(lr: float, k: int) -> InputError:
    return InputError(
        "--lr",
        lr,
        f"makes SGD diverge so fast that x or its loss overflows float64 at step {k}",
        "use a smaller --lr or fewer --steps",
    )


def label_of(lr: float, curvature: float = DEFAULT_CURVATURE) -> str:
    """ "too small", "good", "overshoots" or "too large", with the lr (see DescentRun)."""
    factor = 1 - lr * curvature
    if abs(factor) >= 1:
        kind = "too large"
    elif factor < 0:
        kind = "overshoots"
    elif factor > SLOW_FACTOR:
        kind = "too small"
    else:
        kind = "good"
    return f"{kind} (lr={lr:g})"


def descent_document(descent: Descent) -> dict[str, Any]:
    """The descent as JSON-ready data: every run's lr, label, iterates and losses."""
    return {
        "kind": "descent",
        "torch_version": descent.torch_version,
        "curvature": descent.curvature,
        "start": descent.start,
        "steps": descent.steps,
        "runs": [
            {"lr": run.lr, "label": run.label, "x": run.x.tolist(), "loss": run.loss.tolist()}
            for run in descent.runs
        ],
    }


def descent_csv(descent: Descent) -> bytes:
    """``step,lr=A:x,lr=A:loss,lr=B:x,...``: one row per iterate, shortest round-trip floats."""
    header = ["step"]
    columns: list[list[float]] = []
    for run in descent.runs:
        header += [f"lr={run.lr!r}:x", f"lr={run.lr!r}:loss"]
        columns += [run.x.tolist(), run.loss.tolist()]
    lines = [",".join(header)]
    for step, row in enumerate(zip(*columns, strict=True)):
        # float.__repr__ is the shortest text that reads back bit-identical.
        lines.append(",".join([str(step), *map(repr, row)]))
    return ("\n".join(lines) + "\n").encode("utf-8")


# The wrappers torch puts around ``Optimizer.zero_grad`` and ``SGD.step``, by file and function
# name. In eager mode, with no profiler and no step hooks, all they do besides calling the
# function is set grad mode (done below with torch.no_grad) and import torch._dynamo, which
# costs about a second and is only needed to compile.
_KNOWN_WRAPPERS = frozenset(
    {
        ("optim/optimizer.py", "wrapper"),  # Optimizer.profile_hook_step: profiler, step hooks
        ("optim/optimizer.py", "_use_grad"),  # _use_grad_for_differentiable: grad mode
        ("torch/_compile.py", "inner"),  # torch._disable_dynamo
    }
)

Call = Callable[[], object]


def _calls(optimizer: torch.optim.SGD, *, fast: bool) -> tuple[Call, Call]:
    """``optimizer.zero_grad`` and ``optimizer.step``, without torch's wrappers when safe.

    Falls back to the plain methods when a wrapper is not one of ``_KNOWN_WRAPPERS`` (torch
    internals differ), when step hooks are registered (the wrappers would run them), or when
    the optimizer is differentiable (its step must keep grad mode on).
    """
    plain = (optimizer.zero_grad, optimizer.step)
    if not fast or optimizer.defaults.get("differentiable") is not False:
        return plain
    zero_grad = _unwrapped(type(optimizer).zero_grad, "zero_grad")
    step = _unwrapped(type(optimizer).step, "step")
    if zero_grad is None or step is None or _has_step_hooks(optimizer):
        return plain

    def no_grad_step() -> None:
        with torch.no_grad():
            step(optimizer)

    return functools.partial(zero_grad, optimizer), no_grad_step


@functools.cache
def _unwrapped(function: Callable[..., Any], name: str) -> Callable[..., Any] | None:
    """The function named ``name`` under ``_KNOWN_WRAPPERS``; None if anything else wraps it."""
    while (inner := getattr(function, "__wrapped__", None)) is not None:
        code = getattr(function, "__code__", None)
        if code is None or (_file_of(code.co_filename), code.co_name) not in _KNOWN_WRAPPERS:
            return None
        function = inner
    code = getattr(function, "__code__", None)
    return function if code is not None and code.co_name == name else None


def _file_of(filename: str) -> str:
    return "/".join(Path(filename).parts[-2:])


def _has_step_hooks(optimizer: torch.optim.Optimizer) -> bool:
    """Whether any step pre/post hook could run; True when torch keeps them elsewhere."""
    module = importlib.import_module("torch.optim.optimizer")
    hook_tables = (
        getattr(module, "_global_optimizer_pre_hooks", None),
        getattr(module, "_global_optimizer_post_hooks", None),
        getattr(optimizer, "_optimizer_step_pre_hooks", None),
        getattr(optimizer, "_optimizer_step_post_hooks", None),
    )
    return any(table is None or len(table) > 0 for table in hook_tables)
