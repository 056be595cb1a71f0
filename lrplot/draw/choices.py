"""What the figure and the terminal preview decide from the curves alone: the y scale, the
title, the legend labels. numpy only, so the preview never imports matplotlib."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lrplot.curve import Curve
from lrplot.draw.texts import literal

#: An automatic y axis turns logarithmic when the positive lr spans at least
#: ``AUTO_LOG_SPAN`` (two decades) and more than ``AUTO_LOG_SHARE`` of the values lie below
#: ``AUTO_LOG_FLOOR`` x the peak: a linear axis would flatten that part onto the floor (the
#: steps after a plateau cut). A cosine's short tail near zero leaves it linear.
AUTO_LOG_SPAN = 100.0
AUTO_LOG_SHARE = 0.25
AUTO_LOG_FLOOR = 0.1
#: A linear axis cannot show an lr whose peak is below this (matplotlib takes a range under
#: about 2e-287 for an empty one and draws -0.05..0.05): such a run is drawn on a log axis.
LINEAR_FLOOR = 1e-280
#: Nor one whose peak is above this: matplotlib's tick locator overflows computing its steps
#: (``arange: cannot compute length`` at 1e308). Such a run is drawn on a log axis too.
LINEAR_CEILING = 1e280


def linear_shows(peak: float) -> bool:
    """Whether a linear axis can draw an lr whose largest magnitude is ``peak``."""
    return not (0 < peak < LINEAR_FLOOR or peak > LINEAR_CEILING)


def label(curve: Curve, count: int) -> str | None:
    """A curve's legend label among ``count`` curves (None: no legend entry of its own)."""
    if curve.label:
        return curve.label
    return literal(curve.title) if count > 1 else None


def decide_log(curves: Sequence[Curve], requested: bool | None) -> bool:
    """``--log-y``/``--linear-y`` if given; otherwise the rule of AUTO_LOG_* above."""
    if requested is not None:
        return requested
    columns = lr_columns(curves)
    size = sum(column.size for column in columns)
    if size and not linear_shows(max(max(c.max(), -c.min()) for c in columns)):
        return True
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
    high = max(float(c.max()) for c in columns)
    low = min(float(np.min(c, where=c > 0, initial=np.inf)) for c in columns)
    # Apart, not high / low: 1e300 / 1e-300 overflows; an lr of 0 has no decade.
    return math.ceil(round(math.log10(high) - math.log10(low), 9))


def log_reason(curves: Sequence[Curve]) -> str:
    """Why an automatic y axis is logarithmic, for its label: the span (two decades or
    more), or an lr too small or too large for a linear axis at all (LINEAR_FLOOR/CEILING)."""
    columns = lr_columns(curves)
    peak = max(max(float(c.max()), -float(c.min())) for c in columns)
    if peak > LINEAR_CEILING:
        return f"log scale: over {LINEAR_CEILING:.0e}"
    if 0 < peak < LINEAR_FLOOR:
        return f"log scale: under {LINEAR_FLOOR:.0e}"
    count = decades(curves)
    return f"log scale: spans {count} decade{'' if count == 1 else 's'}"


def figure_notes(curves: Sequence[Curve], log_y: bool | None, panels: bool) -> list[str]:
    """Warnings about what the figure of ``curves`` cannot show, panel by panel."""
    groups = [[c] for c in curves] if panels and len(curves) > 1 else [list(curves)]
    return [note for group in groups for note in log_notes(group, decide_log(group, log_y))]


def log_notes(curves: Sequence[Curve], log: bool) -> list[str]:
    """What a log axis cannot show: rows whose lr is 0 or below (they fall off its bottom)."""
    if not log:
        return []
    notes = []
    for curve in curves:
        for name in curve.lr_columns():
            column = curve.series[name]
            low = column <= 0
            count = int(np.count_nonzero(low))
            if count and count < column.size:
                first = float(curve.epoch[int(low.argmax())])
                notes.append(
                    f"--log-y: {curve.label or curve.title}: {name} is 0 or below in {count} of "
                    f"{column.size} rows (first at epoch {first:g}); a log axis cannot show "
                    "them, so the line leaves the bottom there (--linear-y shows them)"
                )
    return notes
