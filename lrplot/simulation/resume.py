"""Resume a run at an epoch, by state_dict or by last_epoch, and compare it with the run that
was never interrupted.

``state-dict`` is what a correct training script does: build a fresh optimizer and scheduler,
load both state_dicts of the checkpoint. ``last-epoch`` is torch's constructor path: load the
optimizer's state, rebuild the scheduler with ``last_epoch``. The second one is a well-known
trap (StepLR rebuilt at a step boundary applies gamma twice); lrplot shows where.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from lrplot.simulation.construct import construct
from lrplot.simulation.optimizer import fresh_optimizer
from lrplot.simulation.stepping import Checkpoint, Recorder, guarded
from lrplot.spec.arithmetic import number_text
from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.rules import RESUME_METHODS as METHODS
from lrplot.spec.rules import resume_refusal

#: Values closer than this (relative) are the same lr: float noise is not a divergence.
RTOL = 1e-9


@dataclass(frozen=True)
class Divergence:
    """Where a resumed tail first leaves the uninterrupted run, and by how much at most."""

    row: int  # a row of the uninterrupted run
    epoch: float
    column: str
    resumed: float
    uninterrupted: float
    largest: float  # the largest relative error over the tail


def uninterrupted(
    spec: CurveSpec, at: Sequence[int] = ()
) -> tuple[dict[str, np.ndarray], dict[int, Checkpoint]]:
    """The whole run from step 0, and a checkpoint after each scheduler step count in ``at``."""
    whole = replace(spec, start_epoch=0)
    recorder = Recorder.fresh(whole)
    checkpoints: dict[int, Checkpoint] = {}
    done = 0
    for step in sorted(set(at)):
        recorder.record(step - done)
        checkpoints[step] = recorder.checkpoint()
        done = step
    recorder.record(whole.rows - done, last=True)
    return recorder.columns(), checkpoints


def resumed(spec: CurveSpec, checkpoint: Checkpoint, by: str) -> dict[str, np.ndarray]:
    """The run from ``checkpoint`` to the end, resumed ``by`` state-dict or last-epoch."""
    optimizer = fresh_optimizer(spec)
    if by == "state-dict":
        scheduler = construct(spec, optimizer)
        optimizer.load_state_dict(checkpoint.optimizer)
        scheduler.load_state_dict(checkpoint.scheduler)
    else:
        optimizer.load_state_dict(checkpoint.optimizer)
        scheduler = construct(spec, optimizer, last_epoch=checkpoint.step - 1)
    recorder = Recorder(spec, optimizer, scheduler, step=checkpoint.step)
    total = spec.epochs * spec.steps_per_epoch
    recorder.record(total - checkpoint.step, last=True)
    return recorder.columns()


def divergence(whole: dict[str, np.ndarray], tail: dict[str, np.ndarray]) -> Divergence | None:
    """The first row where ``tail`` differs from ``whole`` (lr or momentum), else None."""
    start = int(tail["step"][0])
    found: Divergence | None = None
    largest = 0.0
    for name, values in tail.items():
        if name in ("step", "epoch", "metric"):
            continue
        reference = whole[name][start : start + len(values)]
        error = np.abs(values - reference) / np.maximum(np.abs(reference), np.finfo(float).tiny)
        bad = np.flatnonzero(error > RTOL)
        if not bad.size:
            continue
        largest = max(largest, float(error.max()))
        row = start + int(bad[0])
        if found is None or row < found.row:
            at = int(bad[0])
            epoch = float(whole["epoch"][row])
            found = Divergence(row, epoch, name, float(values[at]), float(reference[at]), 0.0)
    return None if found is None else replace(found, largest=largest)


def note(spec: CurveSpec, by: str, where: Divergence) -> str:
    """The one warning line of a resumed run that differs from the uninterrupted one."""
    ratio = where.resumed / where.uninterrupted if where.uninterrupted else math.inf
    cause = (
        f"rebuilding {spec.scheduler.class_name} from last_epoch does not restore the state "
        "its checkpoint had"
        if by == "last-epoch"
        else f"{spec.scheduler.class_name}'s state_dict does not hold all of its state"
    )
    fix = (
        "load scheduler.state_dict() too (lrplot --resume-by state-dict)"
        if by == "last-epoch"
        else "check what else the scheduler keeps"
    )
    return (
        f"resumed at epoch {spec.start_epoch} by {by}, the {where.column} differs from the "
        f"uninterrupted run from epoch {number_text(where.epoch)}: {where.resumed:.6g} instead "
        f"of {where.uninterrupted:.6g} (x{ratio:.4g}); {cause}; {fix}"
    )


def scan(
    spec: CurveSpec, notes: list[str] | None = None
) -> dict[str, list[tuple[int, Divergence]]]:
    """Every resume epoch 1 .. epochs-1, by each method torch offers for the scheduler:
    the epochs whose tail differs from the uninterrupted run, and where.

    One uninterrupted run keeps a checkpoint at every epoch; each tail starts from one.
    The scheduler's own warnings are added to ``notes``.
    """
    spe = spec.steps_per_epoch
    points = range(1, spec.epochs)
    with guarded(spec) as said:
        found = _scan(spec, points, spe)
    if notes is not None:
        notes.extend(said)
    return found


def _scan(spec: CurveSpec, points: range, spe: int) -> dict[str, list[tuple[int, Divergence]]]:
    whole, checkpoints = uninterrupted(spec, at=[k * spe for k in points])
    found: dict[str, list[tuple[int, Divergence]]] = {}
    for by in METHODS:
        if resume_refusal(spec.scheduler, by) is not None:
            continue
        found[by] = []
        for k in points:
            where = divergence(whole, resumed(spec, checkpoints[k * spe], by))
            if where is not None:
                found[by].append((k, where))
    return found
