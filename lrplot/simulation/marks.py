"""Where a schedule changes by a rule of its scheduler, as labelled marks for ``--annotate``."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from lrplot.curve import Mark
from lrplot.spec.curve_spec import CurveSpec

Rule = Callable[[Mapping[str, Any], int], Iterable[tuple[float, str]]]

#: A run keeps at most twice this many marks: a figure has about a thousand pixel columns, so
#: more could not be told apart (``step --step-size 1 -n 1000000`` has a million). Beyond it
#: every k-th mark is kept, k a power of two, and the curve says how many there were.
MAX_MARKS = 256


def marks_for(spec: CurveSpec, lr: Any, metric: Any = None) -> tuple[tuple[Mark, ...], int]:
    """Marks within the recorded steps of ``spec`` (``lr``/``metric`` are its columns), and
    how many the rules gave: more than were kept when the run had over ``2 * MAX_MARKS``."""
    if spec.scheduler.needs_metric:
        return _plateau_cuts(spec, lr, metric)
    start, end = spec.first_step, spec.first_step + spec.rows
    found, count = thinned(m for m in _rule_marks(spec, end) if start < m[0] < end)
    spe = spec.steps_per_epoch
    return tuple(Mark(step / spe, text) for step, text in sorted(set(found))), count


def thinned(found: Iterable[tuple[float, str]]) -> tuple[list[tuple[float, str]], int]:
    """Every mark while there are at most ``2 * MAX_MARKS``; past that every k-th (k doubles
    each time the kept list overflows), so memory stays bounded; and how many there were."""
    kept: list[tuple[float, str]] = []
    stride, count = 1, 0
    for mark in found:
        if count % stride == 0:
            kept.append(mark)
            if len(kept) > 2 * MAX_MARKS:
                kept, stride = kept[::2], stride * 2
        count += 1
    return kept, count


def _rule_marks(spec: CurveSpec, end: int) -> Iterator[tuple[float, str]]:
    if spec.children and spec.scheduler.command == "sequential":
        milestones = spec.params["milestones"]
        assert isinstance(milestones, tuple)
        return iter(
            [
                (m, f"\u2192 {child.scheduler.class_name}")
                for m, child in zip(milestones, spec.children[1:], strict=True)
            ]
        )
    if spec.children:
        return (m for child in spec.children for m in _rule_marks(child, end))
    rule = _RULES.get(spec.scheduler.command)
    return iter(rule(spec.torch_kwargs(), end)) if rule else iter(())


def _step(p: Mapping[str, Any], end: int) -> Iterable[tuple[float, str]]:
    size, text = p["step_size"], f"\u00d7{p['gamma']:g}"  # made once: a run may have 1M marks
    yield size, f"{text} every {size}"
    for step in range(2 * size, end, size):
        yield step, text


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
    # Only triangular reaches max_lr at every peak: triangular2 halves the amplitude each
    # cycle, exp_range scales it by gamma every step (its first peak can sit near base_lr).
    mode, custom = p.get("mode"), p.get("scale_fn") is not None
    full = not custom and (mode == "triangular" or (mode == "exp_range" and p.get("gamma") == 1))
    for cycle, step in enumerate(range(up, end, up + down)):
        at_max = full or (not custom and mode == "triangular2" and cycle == 0)
        yield step, "max_lr" if at_max else "cycle peak"


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


def _plateau_cuts(spec: CurveSpec, lr: Any, metric: Any) -> tuple[tuple[Mark, ...], int]:
    """ReduceLROnPlateau's cuts: rows whose lr fell, labelled with the metric it reacted to."""
    if metric is None:
        return (), 0
    rows = np.flatnonzero(lr[1:] < lr[:-1]) + 1
    found, count = thinned((int(k), "") for k in rows)
    marks = []
    for k, _ in found:
        reacted = float(metric[k - 1])
        marks.append(
            Mark(
                (spec.first_step + k) / spec.steps_per_epoch,
                f"cut, metric {reacted:.3g}" if math.isfinite(reacted) else "cut",
            )
        )
    return tuple(marks), count
