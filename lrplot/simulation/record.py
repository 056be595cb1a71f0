"""Run the real torch scheduler on a fresh dummy SGD optimizer and record each step."""

from __future__ import annotations

import functools
import importlib
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch

from lrplot.curve import Curve, group_column
from lrplot.errors import InputError, LrplotError
from lrplot.schedulers.entry import REQUIRED
from lrplot.simulation.marks import marks_for
from lrplot.spec.arithmetic import number_text
from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.expression import Expression

# torch warns when a scheduler steps before its optimizer; lrplot never trains, so the
# order is irrelevant here (DESIGN.md section 2: the warning must not reach the user).
_STEP_ORDER_WARNING = r"Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`"


def simulate(spec: CurveSpec) -> Curve:
    """Record ``spec.rows`` rows of the scheduler ``spec`` describes."""
    optimizer = fresh_optimizer(spec.lrs, spec.momentum)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_STEP_ORDER_WARNING, category=UserWarning)
        scheduler = build_scheduler(spec, optimizer)
        columns = _record(spec, optimizer, scheduler, _tracks_momentum(spec))
    require_finite(spec, columns)  # NaN/inf is an error naming its epoch, never a plot gap
    return Curve(
        marks=marks_for(spec, columns["lr"], columns.get("metric")),
        command=spec.scheduler.command,
        scheduler=spec.scheduler.class_name,
        params=spec.json_params(),
        optimizer={"name": "SGD", "lr": list(spec.lrs), "momentum": spec.momentum},
        epochs=spec.epochs,
        steps_per_epoch=spec.steps_per_epoch,
        series=columns,
        torch_version=torch.__version__,
        label=spec.label,
        title=title_of(spec),
    )


def title_of(spec: CurveSpec) -> str:
    """The torch call with the keywords that differ from torch's defaults."""
    shown = [title_of(child) for child in spec.children]
    params = spec.json_params()
    for option in spec.scheduler.options:
        if option.kind == "specs":
            continue
        value = params[option.name]
        if option.torch_default_value == REQUIRED or value != option.torch_default_value:
            shown.append(f"{option.name}={_short(value)}")
    return f"{spec.scheduler.class_name}({', '.join(shown)})"


def _short(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ",".join(_short(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


@functools.cache
def _fast_sgd_class() -> type[torch.optim.SGD]:
    """SGD that adds its param groups without importing torch._dynamo, if torch allows."""
    return _sgd_without_dynamo(torch.optim.Optimizer.add_param_group)


def _sgd_without_dynamo(add_param_group: Callable[..., Any]) -> type[torch.optim.SGD]:
    """An SGD whose ``add_param_group`` calls the function ``add_param_group`` wraps.

    torch wraps ``Optimizer.add_param_group`` in ``torch._disable_dynamo``, whose first
    call imports torch._dynamo (about a second) only to mark the method not compilable.
    lrplot never compiles, so calling the wrapped function is the same. Anything but that
    exact wrapper (another torch, another decorator) gets the plain ``torch.optim.SGD``.
    """
    wrapped = getattr(add_param_group, "__wrapped__", None)
    disable = getattr(torch, "_disable_dynamo", None)
    if not (callable(wrapped) and callable(disable)):
        return torch.optim.SGD
    # Building a _disable_dynamo wrapper imports nothing (only calling it does); sharing its
    # code object proves add_param_group is such a wrapper, around torch's own method.
    probe = disable(_sgd_without_dynamo)
    same = getattr(add_param_group, "__code__", None) is getattr(probe, "__code__", False)
    if not same or getattr(wrapped, "__name__", "") != "add_param_group":
        return torch.optim.SGD
    plain: Callable[..., None] = wrapped

    class FastSGD(torch.optim.SGD):
        def add_param_group(self, param_group: dict[str, Any]) -> None:
            plain(self, param_group)

    FastSGD.__name__ = FastSGD.__qualname__ = "SGD"
    return FastSGD


def fresh_optimizer(
    lrs: tuple[float, ...], momentum: float, *, fast: bool = True
) -> torch.optim.SGD:
    """A new SGD over one dummy parameter per group; no state is shared between curves."""
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    cls = _fast_sgd_class() if fast else torch.optim.SGD
    optimizer = cls(groups, lr=lrs[0], momentum=momentum)
    # What optimizer.step() would have set: tells torch the step order is as it expects
    # (lrplot never trains, so it never calls optimizer.step()).
    optimizer._opt_called = True  # type: ignore[attr-defined]
    return optimizer


def build_scheduler(spec: CurveSpec, optimizer: torch.optim.Optimizer) -> Any:
    """Construct the torch class of ``spec`` on ``optimizer``; reword torch's ValueErrors.

    A composite's children are built first, in order, on the same optimizer, as torch's
    documentation does it. A resumed spec (``--start-epoch``) is built the way a training
    script resumes: the optimizer first holds what a checkpoint would (a fresh run of the
    same scheduler up to the resume step sets its lr, ``initial_lr`` and any keys the class
    keeps in the param groups), then the scheduler is rebuilt with ``last_epoch``.
    """
    if not spec.first_step:
        return _construct(spec, optimizer)
    checkpoint = _construct(spec, optimizer)
    for k in range(spec.first_step):
        _step(spec, checkpoint, k)
    return _construct(spec, optimizer, last_epoch=spec.first_step - 1)


def _construct(spec: CurveSpec, optimizer: torch.optim.Optimizer, last_epoch: int = -1) -> Any:
    module, _, name = spec.scheduler.torch_class.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    kwargs = spec.torch_kwargs()
    if spec.children:
        kwargs["schedulers"] = [_construct(child, optimizer) for child in spec.children]
    if last_epoch != -1:
        kwargs["last_epoch"] = last_epoch
    try:
        return cls(optimizer=optimizer, **kwargs)
    except (ValueError, TypeError) as error:
        raise _reworded(spec, error) from None


def _reworded(spec: CurveSpec, error: Exception) -> InputError:
    """torch's message with its keyword names replaced by the names the user typed."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    for option in spec.scheduler.options:
        message = re.sub(rf"\b{re.escape(option.name)}\b", spec.name_of(option.name), message)
    return InputError(
        spec.scheduler.class_name,
        None,
        f"torch refused the options: {message}",
        f"check the values (lrplot {spec.scheduler.command} --help)",
    )


def _tracks_momentum(spec: CurveSpec) -> bool:
    switch = spec.scheduler.momentum_switch
    own = switch is not None and bool(spec.params.get(switch))
    return own or any(_tracks_momentum(child) for child in spec.children)


def _step(spec: CurveSpec, scheduler: Any, k: int) -> None:
    """The k-th scheduler step (from the start of the run), as the recording loop takes it."""
    if spec.fractional_epochs:
        scheduler.step(k / spec.steps_per_epoch)
    elif spec.metric is not None:
        scheduler.step(spec.metric[k])
    else:
        scheduler.step()


def _record(
    spec: CurveSpec, optimizer: torch.optim.Optimizer, scheduler: Any, track_momentum: bool
) -> dict[str, np.ndarray]:
    last = spec.rows - 1
    keys = ("lr", "momentum") if track_momentum else ("lr",)
    table = {key: np.empty((len(optimizer.param_groups), spec.rows)) for key in keys}
    # One (row of the table, param group, key) per recorded value. A float stored through a
    # memoryview skips numpy's index parsing: over a million steps that is the difference
    # between lrplot's loop and a bare scheduler.step() loop.
    cells = [
        (memoryview(table[key][g]), group, key)
        for key in keys
        for g, group in enumerate(optimizer.param_groups)
    ]
    metric = spec.metric
    step = scheduler.step
    spe, first = spec.steps_per_epoch, spec.first_step
    fractional = spec.fractional_epochs
    try:
        for k in range(last):
            for row, group, key in cells:
                row[k] = group[key]
            if fractional:  # torch's documented per-batch loop: step(epoch + i / batches)
                step((first + k) / spe)
            else:
                step() if metric is None else step(metric[k])
        for row, group, key in cells:
            row[last] = group[key]
    except LrplotError:
        raise
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        raise _reworded(spec, error) from None
    return _columns(spec, table["lr"], table.get("momentum"))


def _columns(spec: CurveSpec, lr: np.ndarray, momentum: np.ndarray | None) -> dict[str, np.ndarray]:
    steps = np.arange(spec.first_step, spec.first_step + spec.rows, dtype=np.int64)
    columns: dict[str, np.ndarray] = {"step": steps, "epoch": steps / spec.steps_per_epoch}
    for g in range(lr.shape[0]):
        columns[group_column("lr", g)] = lr[g]
    if momentum is not None:
        for g in range(momentum.shape[0]):
            columns[group_column("momentum", g)] = momentum[g]
    if spec.metric is not None:
        columns["metric"] = np.asarray(spec.metric, dtype=np.float64)
    return columns


def require_finite(spec: CurveSpec, columns: Mapping[str, np.ndarray]) -> None:
    """Refuse a run whose lr or momentum became NaN or inf, naming the epoch where it did.

    A plot would show such values as a silent gap; torch computes them without complaint
    (an lr multiplied past 1e308, or inf - inf).
    """
    first: tuple[int, str] | None = None
    for name, column in columns.items():
        if name in ("step", "epoch", "metric"):
            continue
        bad = ~np.isfinite(column)
        if bad.any() and (first is None or int(bad.argmax()) < first[0]):
            first = (int(bad.argmax()), name)
    if first is None:
        return
    row, name = first
    value = float(columns[name][row])
    at = f"at epoch {number_text(float(columns['epoch'][row]))} (step {int(columns['step'][row])})"
    where, source = _blame(spec)
    if source is not None:
        raise InputError(
            where, source, f"makes the {name} column {value} {at}", "bound it, e.g. min(1, ...)"
        )
    raise InputError(
        where,
        None,
        f"the {name} column becomes {value} {at}",
        f"choose values that keep it below 1e308 (lrplot {spec.scheduler.command} --help)",
    )


def _blame(spec: CurveSpec) -> tuple[str, str | None]:
    """The expression option most likely at fault (its name and text), else the class name."""
    for owner in (spec, *spec.children):
        for keyword, value in owner.params.items():
            if isinstance(value, Expression):
                return owner.name_of(keyword), value.source
    return spec.scheduler.class_name, None
