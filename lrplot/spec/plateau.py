"""The metric a ReduceLROnPlateau curve reacts to: given values, an expression, or synthetic."""

from __future__ import annotations

import math
from dataclasses import replace

from lrplot.errors import InputError
from lrplot.schedulers.entry import Scheduler
from lrplot.schedulers.registry import SYNTHETIC_METRIC
from lrplot.spec.curve_spec import CurveSpec, Namer
from lrplot.spec.metrics import metric_from_expression, read_metrics, source_text


def given_metric(
    entry: Scheduler, metrics: object, metric_expr: object, namer: Namer
) -> tuple[float, ...] | None:
    """The metric values --metrics gives (None without), refusing metric options elsewhere."""
    if not entry.needs_metric:
        for name, value in (("metrics", metrics), ("metric_expr", metric_expr)):
            if value is not None:
                raise InputError(
                    namer(name),
                    value,
                    f"only applies to plateau, not {entry.invocation}",
                    _not_plateau_fix(entry, namer(name)),
                )
        return None
    if metrics is not None and metric_expr is not None:
        raise InputError(
            namer("metric_expr"),
            metric_expr,
            f"conflicts with {namer('metrics')}",
            "give one of the two",
        )
    return None if metrics is None else read_metrics(metrics, namer("metrics"))


def _not_plateau_fix(entry: Scheduler, option: str) -> str:
    """Drop the metric; but lrplot only guesses a factory's kind (kinds.needs_metric), so
    first the way to make a plateau factory read as one."""
    if entry.source != "factory":
        return f"drop {option}"
    return (
        f"if {entry.class_name} returns a ReduceLROnPlateau, annotate its return type "
        "(-> ReduceLROnPlateau) or, unannotated, put 'plateau' in its name (lrplot judges a "
        "factory by these); else drop it"
    )


def with_metric(
    spec: CurveSpec,
    values: tuple[float, ...] | None,
    metric_expr: object,
    namer: Namer,
    given: object = None,
) -> CurveSpec:
    """``spec`` with its metric: the given values, an expression, or the synthetic loss."""
    if not spec.scheduler.needs_metric:
        return spec
    if values is not None:
        # The metric of the whole run from epoch 0: a resumed run reads it from there on.
        if len(values) < spec.total_rows:
            raise InputError(
                namer("metrics"),
                f"{len(values)} values",
                f"is shorter than the {spec.total_rows} steps of the run",
                f"give at least {spec.total_rows} values or lower {namer('epochs')}",
            )
        return replace(
            spec, metric=values[: spec.total_rows], metric_source=f"metrics: {source_text(given)}"
        )
    text = SYNTHETIC_METRIC if metric_expr is None else str(metric_expr)
    metric = metric_from_expression(
        text, spec.total_rows, spec.steps_per_epoch, namer("metric_expr")
    )
    if not all(math.isfinite(v) for v in metric):  # pragma: no cover - expr refuses them
        raise InputError(namer("metric_expr"), text, "gives NaN or inf", "guard the expression")
    source = "synthetic: " + text if metric_expr is None else "expression: " + text
    return replace(spec, metric=metric, metric_source=source)
