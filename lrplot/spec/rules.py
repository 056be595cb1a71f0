"""Checks of a curve's options that torch leaves out or words badly, made before it runs.

Resume and row limits, SequentialLR's milestones, CyclicLR's bounds and exp_range overflow,
and values inside torch's ranges that make a class divide by zero within the run: each
refuses a run with a message in the user's own option names instead of letting torch fail
later (or, worse, silently draw nonsense).
"""

from __future__ import annotations

import itertools
import math
import os
import sys
from collections.abc import Callable

from lrplot.errors import InputError
from lrplot.schedulers.entry import AT_LEAST_ONE
from lrplot.spec.arithmetic import number_text
from lrplot.spec.curve_spec import CurveSpec, Namer
from lrplot.spec.values import to_int

#: The most rows one curve may record unless LRPLOT_MAX_ROWS says otherwise.
DEFAULT_MAX_ROWS = 10_000_000


def check_milestones(milestones: object, children: int, where: str) -> None:
    assert isinstance(milestones, tuple)
    shown = ",".join(map(str, milestones))
    if len(milestones) != children - 1:
        raise InputError(
            where,
            shown,
            f"has {len(milestones)} milestones for {children} "
            f"schedules; SequentialLR needs one fewer milestone than schedules",
            f"give {children - 1} milestone{'s' if children != 2 else ''}, "
            f"or {len(milestones) + 1} --schedule",
        )
    if any(b <= a for a, b in itertools.pairwise(milestones)):
        raise InputError(where, shown, "must be strictly increasing", "sort them, e.g. 5,50")
    if milestones and milestones[0] <= 0:
        raise InputError(
            where, shown, "must be > 0 (torch would skip the first child)", "start at 1 or later"
        )


def check_resume(spec: CurveSpec, namer: Namer) -> None:
    if spec.start_epoch == 0:
        return
    entry = spec.scheduler
    if entry.needs_metric or entry.composite:
        raise InputError(
            namer("start_epoch"),
            spec.start_epoch,
            f"is not supported for "
            f"{entry.command}: torch resumes {entry.class_name} from a state_dict, "
            "not from last_epoch",
            f"drop {namer('start_epoch')}",
        )
    if spec.start_epoch >= spec.epochs:
        raise InputError(
            namer("start_epoch"),
            spec.start_epoch,
            f"must be below {namer('epochs')} ({spec.epochs})",
            "record at least one epoch",
        )


def max_rows() -> int:
    """The row limit: LRPLOT_MAX_ROWS from the environment, else 10,000,000."""
    text = os.environ.get("LRPLOT_MAX_ROWS", "").strip()
    if not text:
        return DEFAULT_MAX_ROWS
    # A limit someone set but lrplot ignored would be a silent surprise; refuse it instead.
    return to_int(text, "LRPLOT_MAX_ROWS", AT_LEAST_ONE, f"{DEFAULT_MAX_ROWS * 2:_}")


def check_rows(spec: CurveSpec, namer: Namer) -> None:
    limit = max_rows()
    if spec.rows > limit:
        raise InputError(
            namer("epochs"),
            spec.epochs,
            f"x {namer('steps_per_epoch')} {spec.steps_per_epoch} = {spec.rows:,} "
            f"rows, more than the limit of {limit:,}",
            "lower them, or raise the limit with LRPLOT_MAX_ROWS",
        )
    total = spec.params.get("total_steps")
    if isinstance(total, int) and total < spec.rows:
        raise InputError(
            namer("total_steps"),
            total,
            f"is smaller than the {spec.rows} steps to record "
            f"({spec.epochs} epochs x {spec.steps_per_epoch} steps)",
            f"raise it to at least {spec.rows} or lower {namer('epochs')}",
        )


def check_cyclic(spec: CurveSpec) -> None:
    """CyclicLR checks torch leaves out: the bounds' order, and gamma ** step overflowing."""
    if spec.scheduler.class_name != "CyclicLR":
        return
    lows, highs = _groups(spec.params["base_lr"]), _groups(spec.params["max_lr"])
    for group in range(max(len(lows), len(highs))):
        if (
            lows[min(group, len(lows) - 1)] > highs[min(group, len(highs) - 1)]
        ):  # torch would cycle "up" to a max below the base without a word
            raise InputError(
                spec.name_of("base_lr"),
                _joined(spec.params["base_lr"]),
                f"is above {spec.name_of('max_lr')} {_joined(spec.params['max_lr'])}; "
                "CyclicLR cycles from base_lr up to max_lr",
                f"make {spec.name_of('base_lr')} <= {spec.name_of('max_lr')}, or swap them",
            )
    gamma = spec.params.get("gamma")
    if spec.params.get("scale_fn") is not None or spec.params.get("mode") != "exp_range":
        return
    assert isinstance(gamma, float)
    first = _first_overflow(abs(gamma))  # a negative gamma overflows as its magnitude does
    if first is not None and first <= _last_step(spec):
        raise InputError(
            spec.name_of("gamma"),
            gamma,
            f"makes gamma ** step (exp_range) overflow at step {first:,} "
            f"(epoch {number_text(first / spec.steps_per_epoch)})",
            f"use a gamma in [-1, 1], or record fewer {spec.name_of('epochs')}",
        )


def check_zero_divisions(spec: CurveSpec) -> None:
    """Values torch accepts but then divides by zero with, at a step this run reaches."""
    check = _DIVISIONS.get(spec.scheduler.class_name)
    if check is not None:
        check(spec)


def _last_step(spec: CurveSpec) -> int:
    """The largest step count the scheduler reaches (its ``last_epoch`` at the last row)."""
    return spec.first_step + spec.rows - 1


def _at(spec: CurveSpec, step: int) -> str:
    return f"step {step:,} (epoch {number_text(step / spec.steps_per_epoch)})"


def _reaches_total_iters(spec: CurveSpec) -> int | None:
    """``total_iters`` when the run steps the scheduler to it, else None."""
    total = spec.params["total_iters"]
    assert isinstance(total, int)
    return total if 1 <= total <= _last_step(spec) else None


def _constant(spec: CurveSpec) -> None:
    # At total_iters ConstantLR undoes its factor: lr * (1 / factor).
    total = _reaches_total_iters(spec)
    if spec.params["factor"] == 0 and total is not None:
        raise InputError(
            spec.name_of("factor"),
            spec.params["factor"],
            f"makes ConstantLR divide by zero at {_at(spec, total)}, "
            "where it restores the lr by 1 / factor",
            f"use a {spec.name_of('factor')} > 0, or {spec.name_of('total_iters')} 0 "
            "to hold the lr at 0",
        )


def _polynomial(spec: CurveSpec) -> None:
    # PolynomialLR multiplies by ((1 - t/T) / (1 - (t-1)/T)) ** power, 0 ** power at t = T.
    power = spec.params["power"]
    total = _reaches_total_iters(spec)
    if isinstance(power, float) and power < 0 and total is not None:
        raise InputError(
            spec.name_of("power"),
            power,
            f"makes PolynomialLR raise 0 to a negative power at {_at(spec, total)}, "
            "where the lr reaches 0",
            f"use a {spec.name_of('power')} >= 0, or a {spec.name_of('total_iters')} "
            f"past step {_last_step(spec):,}",
        )


def _cyclic_period(spec: CurveSpec) -> None:
    # CyclicLR divides the step by step_size_up + step_size_down, the cycle's length.
    up, down = spec.params["step_size_up"], spec.params["step_size_down"]
    if isinstance(up, int) and isinstance(down, int) and up + down == 0:
        raise InputError(
            spec.name_of("step_size_down"),
            down,
            f"makes the cycle 0 steps long with {spec.name_of('step_size_up')} {up} "
            "(CyclicLR divides by the cycle length)",
            f"make their sum non-zero, e.g. {spec.name_of('step_size_down')} {abs(up)}",
        )


def _onecycle_phase(spec: CurveSpec) -> None:
    # OneCycleLR's first phase ends at pct_start * total_steps - 1 and divides by that step.
    pct = spec.params["pct_start"]
    total = spec.params.get("total_steps") or spec.epochs * spec.steps_per_epoch
    assert isinstance(pct, float) and isinstance(total, int)
    if float(pct * total) - 1 == 0:
        raise InputError(
            spec.name_of("pct_start"),
            pct,
            f"times {total} total steps is 1, so the warm-up ends at step 0 and "
            "OneCycleLR divides by its length, 0",
            f"use a {spec.name_of('pct_start')} above {number_text(1 / total)}, or 0",
        )


_DIVISIONS: dict[str, Callable[[CurveSpec], None]] = {
    "ConstantLR": _constant,
    "PolynomialLR": _polynomial,
    "CyclicLR": _cyclic_period,
    "OneCycleLR": _onecycle_phase,
}


def _groups(value: object) -> list[float]:
    """A per-group keyword's values as a list (one value serves every group)."""
    items = value if isinstance(value, tuple) else (value,)
    return [float(v) for v in items if isinstance(v, (int, float))]


def _joined(value: object) -> str:
    return ",".join(map(number_text, _groups(value)))


def _first_overflow(base: float) -> int | None:
    """The smallest whole k for which Python's ``base ** k`` overflows (None: never)."""
    if base <= 1.0:
        return None
    k = max(0, int(math.log(sys.float_info.max) / math.log(base)) - 2)
    while True:
        try:
            if math.isinf(base**k):
                return k
        except OverflowError:
            return k
        k += 1
