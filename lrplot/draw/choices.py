"""What the figure and the terminal preview decide from the curves alone: the y scale, the
title, the legend labels. numpy only, so the preview never imports matplotlib."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lrplot.curve import Curve
from lrplot.spec.style import FigureStyle

#: An automatic y axis turns logarithmic when more than this share of the lr values lies
#: below ``AUTO_LOG_FLOOR`` x the peak: a linear axis would flatten them onto the floor.
AUTO_LOG_SHARE = 0.5
AUTO_LOG_FLOOR = 0.01


def label(curve: Curve, count: int) -> str | None:
    """A curve's legend label among ``count`` curves (None: no legend entry of its own)."""
    if curve.label:
        return curve.label
    return curve.title if count > 1 else None


def decide_log(curves: Sequence[Curve], requested: bool | None) -> bool:
    """``--log-y``/``--linear-y`` if given; otherwise log when most values hug the floor."""
    if requested is not None:
        return requested
    columns = lr_columns(curves)
    size = sum(column.size for column in columns)
    if size == 0 or min(column.min() for column in columns) <= 0:
        return False
    floor = AUTO_LOG_FLOOR * max(column.max() for column in columns)
    squashed = sum(np.count_nonzero(column < floor) for column in columns)
    return bool(squashed > AUTO_LOG_SHARE * size)


def lr_columns(curves: Sequence[Curve]) -> list[np.ndarray]:
    """Every lr column of every curve."""
    # Looked at column by column: one array of every value would copy a long curve.
    return [curve.series[name] for curve in curves for name in curve.lr_columns()]


def default_title(curves: Sequence[Curve], style: FigureStyle) -> str:
    """The title when --title is not given: the torch call, then the run (two lines)."""
    first = curves[0]
    # A schedule counted in steps (transformers') says steps, not epochs of one step each.
    unit = "steps" if style.x_axis == "step" and first.steps_per_epoch == 1 else "epochs"
    if len(curves) > 1:
        return f"{len(curves)} schedules, {first.epochs} {unit}"
    lrs = ", ".join(f"{lr:g}" for lr in first.optimizer["lr"])
    per = f" x {first.steps_per_epoch} steps" if first.steps_per_epoch > 1 else ""
    resumed = ""
    if first.resume is not None:
        by = first.resume["by"].replace("-", "_")
        resumed = f", resumed at epoch {first.resume['epoch']} (by {by})"
    optimizer = first.optimizer["name"]
    return f"{first.title}\n{optimizer} lr={lrs}, {first.epochs} {unit}{per}{resumed}"


def decades(curves: Sequence[Curve]) -> int:
    """How many decades the lr spans (for the figure's log-scale note)."""
    columns = lr_columns(curves)
    high, low = max(c.max() for c in columns), min(c.min() for c in columns)
    return math.ceil(math.log10(high / low))
