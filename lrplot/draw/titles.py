"""What a figure says about its run in words: the default title and subtitle, and the name
of plateau's metric axis."""

from __future__ import annotations

from collections.abc import Sequence

from lrplot.curve import Curve
from lrplot.draw.texts import literal
from lrplot.spec.style import FigureStyle


def default_title(curves: Sequence[Curve], style: FigureStyle) -> str:
    first = curves[0]
    # A schedule counted in steps (transformers') says steps, not epochs of one step each.
    unit = "steps" if style.x_axis == "step" and first.steps_per_epoch == 1 else "epochs"
    unit = unit.removesuffix("s") if first.epochs == 1 else unit  # "1 epoch"
    if len(curves) > 1:
        return f"{len(curves)} schedules, {first.epochs} {unit}"
    set_by = lr_set_by(first)
    lrs = f", {set_by}" if set_by else " lr=" + ", ".join(f"{lr:g}" for lr in first.optimizer["lr"])
    per = f" x {first.steps_per_epoch} steps" if first.steps_per_epoch > 1 else ""
    resumed = ""
    if first.resume is not None:
        by = first.resume["by"].replace("-", "_")
        resumed = f", resumed at epoch {first.resume['epoch']} (by {by})"
    optimizer = first.optimizer["name"]
    return f"{literal(first.title)}\n{optimizer}{lrs}, {first.epochs} {unit}{per}{resumed}"


def lr_set_by(curve: Curve) -> str | None:
    """The lr the scheduler sets on its own, where the optimizer's --lr is overwritten:
    OneCycleLR starts at max_lr / div_factor, CyclicLR at base_lr."""
    params = curve.params
    if curve.scheduler == "OneCycleLR":
        start = _first(params["max_lr"]) / float(params["div_factor"])
        return f"lr set by OneCycleLR: max_lr/div_factor = {start:g}"
    if curve.scheduler == "CyclicLR":
        return f"lr set by CyclicLR: base_lr = {_first(params['base_lr']):g}"
    return None


def _first(value: object) -> float:
    return float(value[0] if isinstance(value, list) else value)  # type: ignore[arg-type]


def metric_label(curve: Curve) -> str:
    """Plateau's right axis: where the metric came from, and the mode when it is max."""
    source = curve.metric_source or ""
    kind, _, text = literal(source).partition(": ")
    if kind == "synthetic":
        name = "synthetic validation loss"
    elif kind == "expression":
        name = f"metric: {text if len(text) <= 40 else text[:37] + '...'}"
    elif kind == "metrics" and text:
        name = f"metric from {text if len(text) <= 40 else '...' + text[-37:]}"
    else:
        name = "metric"
    return f"{name} (mode max)" if curve.params.get("mode") == "max" else name
