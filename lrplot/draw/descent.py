"""Draw a descent (SGD on a quadratic, several lrs) as a matplotlib Figure, without pyplot."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lrplot.draw.settings import fixed
from lrplot.simulation.descent import Descent
from lrplot.spec.style import FigureStyle

#: The surface panel shows at most this many times |start| either side of the minimum, so a
#: diverging run does not shrink the others to a dot; its later iterates leave the axes.
VIEW_CAP = 1.6
#: The loss panel turns logarithmic when the positive losses span more than this many decades.
LOG_DECADES = 3
_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@fixed
def descent_figure(descent: Descent, style: FigureStyle) -> Figure:
    """Left: the loss surface with each run's iterates on it. Right: loss per step."""
    figure = Figure(figsize=style.size, dpi=style.dpi, layout="constrained")
    FigureCanvasAgg(figure)
    surface_ax, loss_ax = figure.subplots(1, 2)
    draw_surface(surface_ax, descent)
    draw_losses(loss_ax, descent, log=style.log_y)
    title = style.title if style.title is not None else default_title(descent)
    if title:
        figure.suptitle(title, fontsize=11)
    handles, labels = surface_ax.get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=min(len(labels), 4),
        fontsize=9,
        frameon=False,
    )
    return figure


def draw_surface(ax: Axes, descent: Descent) -> list[object]:
    """The loss curve in grey, each run's iterates as markers joined in order on it."""
    half = view_half_width(descent)
    xs = np.linspace(-half, half, 401)
    top = float(descent.loss_of(np.array([half]))[0])
    artists: list[object] = []
    artists += ax.plot(xs, descent.loss_of(xs), color="0.65", linewidth=2.2, zorder=1)
    for index, run in enumerate(descent.runs):
        artists += ax.plot(
            run.x,
            run.loss,
            color=f"C{index}",
            marker="o",
            markersize=4,
            linewidth=0.9,
            alpha=0.9,
            label=run.label,
            zorder=2 + index,
        )
    artists += _exit_notes(ax, descent, half, top)
    ax.set_xlim(-half, half)
    ax.set_ylim(-0.03 * top, 1.04 * top)
    ax.set_xlabel("x (the parameter)")
    ax.set_ylabel("loss")
    ax.set_title("iterates on the loss surface", fontsize=10)
    ax.grid(True, alpha=0.3)
    return artists


def view_half_width(descent: Descent) -> float:
    """Half the surface panel's x range: every iterate, up to ``VIEW_CAP`` x |start|."""
    reach = max(float(np.max(np.abs(run.x))) for run in descent.runs)
    cap = VIEW_CAP * abs(descent.start)
    half = min(reach, cap) if cap > 0 else reach
    return 1.08 * half if half > 0 else 1.0


def _exit_notes(ax: Axes, descent: Descent, half: float, top: float) -> list[object]:
    """Say at which step each run leaves the view.

    The notes stack in the lower corner away from the start: the corners lie outside the
    bowl, and runs that do not overshoot stay on the start's side, so nothing is drawn there.
    """
    side = -1.0 if descent.start >= 0 else 1.0
    notes: list[object] = []
    for index, run in enumerate(descent.runs):
        outside = np.flatnonzero(np.abs(run.x) > half)
        if outside.size == 0:
            continue
        note = ax.annotate(
            f"{run.label}:\noff the plot from step {int(outside[0])}",
            xy=(side * 0.97 * half, (0.04 + 0.12 * len(notes)) * top),
            ha="right" if side > 0 else "left",
            va="bottom",
            fontsize=8,
            color=f"C{index}",
        )
        notes.append(note)
    return notes


def draw_losses(ax: Axes, descent: Descent, *, log: bool | None = None) -> list[object]:
    """Loss against step for each run; ``log=None`` decides the y scale by the data."""
    steps = np.arange(descent.steps + 1)
    artists: list[object] = []
    for index, run in enumerate(descent.runs):
        artists += ax.plot(
            steps, run.loss, color=f"C{index}", marker="o", markersize=3, linewidth=1.2
        )
    automatic = log is None
    if automatic:
        log = spans_decades(descent) > LOG_DECADES
    if log:
        ax.set_yscale("log")
    ax.set_ylabel("loss (log scale)" if log and automatic else "loss")
    ax.set_xlabel("step")
    ax.set_xlim(0, descent.steps)
    ax.set_title("loss per step", fontsize=10)
    ax.grid(True, alpha=0.3)
    return artists


def spans_decades(descent: Descent) -> float:
    """How many decades the positive losses span (0 when there are none)."""
    losses = np.concatenate([run.loss for run in descent.runs])
    positive = losses[losses > 0]
    if positive.size == 0:
        return 0.0
    return math.log10(float(positive.max()) / float(positive.min()))


def default_title(descent: Descent) -> str:
    """E.g. "Gradient descent on loss = x² with three learning rates"."""
    half = descent.curvature / 2
    surface = "x²" if half == 1 else f"{half:g}·x²"
    count = len(descent.runs)
    words = _COUNTS[count] if count < len(_COUNTS) else str(count)
    noun = "learning rate" if count == 1 else "learning rates"
    return f"Gradient descent on loss = {surface} with {words} {noun}"
