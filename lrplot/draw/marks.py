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
    thinned = curve.mark_count > len(curve.marks)
    if thinned:  # a few hundred of very many: one artist, and a word on the rest
        artists += _thinned_lines(ax, curve)
    for index, mark in enumerate(curve.marks):
        if not thinned:
            line = ax.axvline(mark.epoch, color="0.5", linewidth=0.9, linestyle=":", zorder=0)
            artists.append(line)
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


def _thinned_lines(ax: Axes, curve: Curve) -> list[object]:
    """The kept marks of a run with too many to tell apart, and how many it had."""
    lines = ax.vlines(
        [mark.epoch for mark in curve.marks], 0, 1, transform=ax.get_xaxis_transform(),
        colors="0.8", linewidth=0.6, zorder=0,
    )  # fmt: skip
    note = ax.text(
        0.99, 0.5, f"{len(curve.marks):,} of {curve.mark_count:,} marks drawn",
        transform=ax.transAxes, ha="right", va="center", fontsize=8, color="0.15",
        bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "alpha": 0.85,
              "edgecolor": "none"},
    )  # fmt: skip
    return [lines, note]


def draw_reference(ax: Axes, curve: Curve) -> list[object]:
    """A resumed run's uninterrupted lr, thin and dashed, and where the run resumed."""
    reference = curve.reference
    assert reference is not None and curve.resume is not None
    line = ax.plot(
        reference["epoch"], reference["lr"], color="0.35", linewidth=0.9, linestyle="--",
        drawstyle="steps-post", label="uninterrupted run", zorder=1,
    )  # fmt: skip
    return [*line, ax.axvline(curve.resume["epoch"], color="0.5", linewidth=0.8, linestyle=":")]
