"""Where a schedule changes by a rule of its scheduler, as labelled marks for ``--annotate``."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lrplot.curve import Mark
from lrplot.spec.curve_spec import CurveSpec

Rule = Callable[[Mapping[str, Any], int], Iterable[tuple[float, str]]]


def marks_for(spec: CurveSpec, lr: Any, metric: Any = None) -> tuple[Mark, ...]:
    """Marks within the recorded steps of ``spec``; ``lr``/``metric`` are its columns."""
    if spec.scheduler.needs_metric:
        return _plateau_cuts(spec, lr, metric)
    end = spec.first_step + spec.rows
    found = sorted(set(_rule_marks(spec, end)))
    spe = spec.steps_per_epoch
    return tuple(Mark(step / spe, text) for step, text in found if spec.first_step < step < end)


def _rule_marks(spec: CurveSpec, end: int) -> list[tuple[float, str]]:
    if spec.children and spec.scheduler.command == "sequential":
        milestones = spec.params["milestones"]
        assert isinstance(milestones, tuple)
        return [
            (m, f"\u2192 {child.scheduler.class_name}")
            for m, child in zip(milestones, spec.children[1:], strict=True)
        ]
    if spec.children:
        return [m for child in spec.children for m in _rule_marks(child, end)]
    rule = _RULES.get(spec.scheduler.command)
    return list(rule(spec.torch_kwargs(), end)) if rule else []


def _step(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    size, gamma = p["step_size"], p["gamma"]
    for step in range(size, end, size):
        yield step, f"\u00d7{gamma:g}" + (f" every {size}" if step == size else "")


def _multistep(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    milestones = p["milestones"]
    for milestone in sorted(set(milestones)):
        times = milestones.count(milestone)
        yield milestone, f"\u00d7{p['gamma']:g}" + (f"^{times}" if times > 1 else "")


def _cosine(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    period = p["T_max"]
    for index, step in enumerate(range(period, end, period)):
        yield step, ("eta_min" if index % 2 == 0 else "back at initial lr")


def _restarts(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    step, period = p["T_0"], p["T_0"]
    while step < end:
        yield step, "restart"
        period *= p["T_mult"]
        step += period


def _onecycle(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    total = p.get("total_steps") or p["epochs"] * p["steps_per_epoch"]
    rise = float(p["pct_start"] * total) - 1  # where torch ends phase one
    yield rise, "max_lr"
    if p["three_phase"]:
        yield 2 * rise, "back at initial lr"


def _cyclic(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    up = p["step_size_up"]
    down = p["step_size_down"] or up
    for step in range(up, end, up + down):
        yield step, "max_lr"


def _total_iters(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    yield p["total_iters"], "total_iters"


_RULES: dict[str, Rule] = {
    "step": _step,
    "multistep": _multistep,
    "cosine": _cosine,
    "cosine-restarts": _restarts,
    "onecycle": _onecycle,
    "cyclic": _cyclic,
    "constant": _total_iters,
    "linear": _total_iters,
    "polynomial": _total_iters,
}


def _plateau_cuts(spec: CurveSpec, lr: Any, metric: Any) -> tuple[Mark, ...]:
    """ReduceLROnPlateau's cuts: rows whose lr fell, labelled with the metric it reacted to."""
    values = lr.tolist()
    marks = []
    for k in range(1, len(values)):
        if values[k] < values[k - 1] and metric is not None:
            reacted = float(metric[k - 1])
            marks.append(
                Mark(
                    (spec.first_step + k) / spec.steps_per_epoch,
                    f"cut, metric {reacted:.3g}" if math.isfinite(reacted) else "cut",
                )
            )
    return tuple(marks)
