"""What the figure and the terminal preview decide from the curves alone: the y scale, the
title, the legend labels. numpy only, so the preview never imports matplotlib."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lrplot.curve import Curve

#: An automatic y axis turns logarithmic when the positive lr spans at least
#: ``AUTO_LOG_SPAN`` (two decades) and more than ``AUTO_LOG_SHARE`` of the values lie below
#: ``AUTO_LOG_FLOOR`` x the peak: a linear axis would flatten that part onto the floor (the
#: steps after a plateau cut). A cosine's short tail near zero leaves it linear.
AUTO_LOG_SPAN = 100.0
AUTO_LOG_SHARE = 0.25
AUTO_LOG_FLOOR = 0.1


def label(curve: Curve, count: int) -> str | None:
    """A curve's legend label among ``count`` curves (None: no legend entry of its own)."""
    if curve.label:
        return curve.label
    return curve.title if count > 1 else None


def decide_log(curves: Sequence[Curve], requested: bool | None) -> bool:
    """``--log-y``/``--linear-y`` if given; otherwise the rule of AUTO_LOG_* above."""
    if requested is not None:
        return requested
    columns = lr_columns(curves)
    size = sum(column.size for column in columns)
    if size == 0 or min(column.min() for column in columns) <= 0:
        return False
    peak = max(column.max() for column in columns)
    if peak < AUTO_LOG_SPAN * min(column.min() for column in columns):
        return False
    # Strictly below: after one cut by 0.1 the lr sits at the floor, and is plain to see.
    floor = AUTO_LOG_FLOOR * peak * (1 - 1e-9)
    squashed = sum(np.count_nonzero(column < floor) for column in columns)
    return bool(squashed > AUTO_LOG_SHARE * size)


def lr_columns(curves: Sequence[Curve]) -> list[np.ndarray]:
    """Every lr column of every curve."""
    # Looked at column by column: one array of every value would copy a long curve.
    return [curve.series[name] for curve in curves for name in curve.lr_columns()]


def decades(curves: Sequence[Curve]) -> int:
    """How many decades the lr spans (for the figure's log-scale note)."""
    columns = lr_columns(curves)
    high, low = max(c.max() for c in columns), min(c.min() for c in columns)
    return math.ceil(math.log10(high / low))
