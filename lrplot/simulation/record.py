"""Run the real torch scheduler on a fresh dummy optimizer (SGD by default), record each step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from lrplot.curve import Curve
from lrplot.errors import InputError
from lrplot.schedulers.entry import REQUIRED
from lrplot.simulation import resume
from lrplot.simulation.marks import marks_for
from lrplot.simulation.stepping import Recorder, guarded
from lrplot.spec.arithmetic import number_text
from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.expression import Expression


def simulate(spec: CurveSpec) -> Curve:
    """Record ``spec.rows`` rows of the scheduler ``spec`` describes."""
    with guarded(spec) as said:
        if spec.start_epoch:
            columns, resumed, reference, notes = _resumed(spec)
        else:
            recorder = Recorder.fresh(spec)
            recorder.record(spec.rows, last=True)
            columns, resumed, reference, notes = recorder.columns(), None, None, ()
    notes = (*notes, *said)
    require_finite(spec, columns)  # NaN/inf is an error naming its epoch, never a plot gap
    marks, mark_count = marks_for(spec, columns["lr"], columns.get("metric"))
    return Curve(
        marks=marks,
        mark_count=mark_count,
        command=spec.scheduler.command,
        scheduler=spec.scheduler.recorded_name,
        params=spec.json_params(),
        optimizer=spec.json_optimizer(),
        epochs=spec.epochs,
        steps_per_epoch=spec.steps_per_epoch,
        series=columns,
        torch_version=torch.__version__,
        label=spec.label,
        title=title_of(spec),
        resume=resumed,
        reference=reference,
        notes=notes,
        metric_source=spec.metric_source,
    )


def _resumed(
    spec: CurveSpec,
) -> tuple[dict[str, np.ndarray], dict[str, Any], dict[str, np.ndarray] | None, tuple[str, ...]]:
    """The tail resumed at --start-epoch, and how it compares with the uninterrupted run."""
    whole, checkpoints = resume.uninterrupted(spec, at=[spec.first_step])
    tail = resume.resumed(spec, checkpoints[spec.first_step], spec.resume_by)
    where = resume.divergence(whole, tail)
    record = {
        "epoch": spec.start_epoch,
        "by": spec.resume_by,
        "diverges_at": None if where is None else where.epoch,
    }
    if where is None:
        return tail, record, None, ()
    return tail, record, whole, (resume.note(spec, spec.resume_by, where),)


def title_of(spec: CurveSpec) -> str:
    """The torch call with the keywords that differ from torch's defaults."""
    shown = [title_of(child) for child in spec.children]
    params = spec.json_params()
    for option in spec.scheduler.options:
        if option.kind == "specs" or option.name not in params:
            continue  # a composite's children are shown above; an unfillable keeps its default
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
        f"choose values that keep it below 1e308 (lrplot {spec.scheduler.invocation} --help)",
    )


def _blame(spec: CurveSpec) -> tuple[str, str | None]:
    """The expression option most likely at fault (its name and text), else the class name."""
    for owner in (spec, *spec.children):
        for keyword, value in owner.params.items():
            if isinstance(value, Expression):
                return owner.name_of(keyword), value.source
    return spec.scheduler.class_name, None
