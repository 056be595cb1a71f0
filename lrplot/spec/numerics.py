"""Values inside torch's ranges that make its arithmetic fail later in the run: CyclicLR's
bounds and exp_range overflow, and divisions by zero a class reaches at a known step."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

from lrplot.errors import InputError
from lrplot.spec.arithmetic import number_text
from lrplot.spec.curve_spec import CurveSpec


def check_cyclic(spec: CurveSpec) -> None:
    """CyclicLR checks torch leaves out: the bounds' order, and gamma ** step overflowing."""
    if spec.scheduler.source != "torch" or spec.scheduler.class_name != "CyclicLR":
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
    if check is not None and spec.scheduler.source == "torch":
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
