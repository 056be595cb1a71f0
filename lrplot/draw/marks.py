"""What --annotate and a resumed run add to an lr panel: marks, and the uninterrupted run."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes

from lrplot.curve import Curve

MAX_MARK_LABELS = 24


def draw_marks(ax: Axes, curve: Curve) -> list[object]:
    """Light vertical lines at the curve's marks, with short labels clear of the curve.

    A label goes at the top of the panel where the curve just after the mark is low, and at
    the bottom where it is high, so it never sits on the line.
    """
    artists: list[object] = []
    every = max(1, math.ceil(len(curve.marks) / MAX_MARK_LABELS))
    to_axes = ax.transAxes.inverted()
    for index, mark in enumerate(curve.marks):
        artists.append(ax.axvline(mark.epoch, color="0.5", linewidth=0.9, linestyle=":", zorder=0))
        if index % every:
            continue
        after = int(np.searchsorted(curve.epoch, mark.epoch, side="left"))
        y = float(curve.lr[min(after, curve.rows - 1)])
        height = to_axes.transform(ax.transData.transform((mark.epoch, y)))[1]
        top = height < 0.55
        artists.append(
            ax.annotate(
                mark.text,
                xy=(mark.epoch, 0.98 if top else 0.02),
                xycoords=("data", "axes fraction"),
                xytext=(3, 0),
                textcoords="offset points",
                rotation=90,
                fontsize=9,
                color="0.15",
                ha="left",
                va="top" if top else "bottom",
                # A light box keeps a label legible over grid lines and the other marks.
                bbox={
                    "boxstyle": "square,pad=0.15",
                    "facecolor": "white",
                    "alpha": 0.75,
                    "edgecolor": "none",
                },
            )
        )
    return artists


def draw_reference(ax: Axes, curve: Curve) -> list[object]:
    """A resumed run's uninterrupted lr, thin and dashed, and where the run resumed."""
    reference = curve.reference
    assert reference is not None and curve.resume is not None
    line = ax.plot(
        reference["epoch"], reference["lr"], color="0.35", linewidth=0.9, linestyle="--",
        drawstyle="steps-post", label="uninterrupted run", zorder=1,
    )  # fmt: skip
    return [*line, ax.axvline(curve.resume["epoch"], color="0.5", linewidth=0.8, linestyle=":")]
