"""Draw curves with matplotlib's object API (Figure + Agg, never pyplot) into exact bytes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from lrplot.curve import Curve
from lrplot.draw import choices, marks
from lrplot.draw.axes import READABLE, curve_color, step_axis, wrapped
from lrplot.draw.envelope import envelope
from lrplot.draw.settings import fixed
from lrplot.draw.titles import default_title, metric_label
from lrplot.errors import InputError
from lrplot.spec.style import FigureStyle, panels_size

#: File metadata that would change the bytes from run to run, cleared per format.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: Lines with more points than this per pixel column of the figure are drawn as a min/max
#: envelope (see :func:`envelope`): a 1,000,000-step curve then costs a few thousand vertices
#: instead of two million. Figures of a few thousand points stay exactly as drawn before.
ENVELOPE_POINTS_PER_COLUMN = 8
#: matplotlib's own y margin on a log axis (a share of the decades shown), and the largest
#: power of ten it may reach: limits past 10^308 overflow.
LOG_MARGIN = 0.05
LOG_TOP = 308.0
#: The most legend entries drawn; an overlay of more curves gets a note instead.
MAX_LEGEND = 24
#: Past 10^±280 the figure sets its log limits and ticks itself (see _log_scale).
LOG_EDGE = 280.0


@fixed
def figure_for(curves: Sequence[Curve], style: FigureStyle) -> Figure:
    """One figure: the lr panel, a momentum panel when tracked, a metric axis for plateau.

    With ``style.panels`` and several curves, each curve gets its own lr panel instead.
    """
    panels = style.panels and len(curves) > 1
    size = panels_size(style, len(curves)) if panels else style.size
    figure = Figure(figsize=size, dpi=style.dpi, layout="constrained")
    FigureCanvasAgg(figure)
    if style.x_axis == "step":
        # Drawn as if each step were an epoch; the title still says the real run.
        title = style.title if style.title is not None else default_title(curves, style)
        curves, style = [_in_steps(c) for c in curves], replace(style, title=title)
    if panels:
        _draw_panels(figure, curves, style)
        return figure
    with_momentum = style.momentum_panel and any(c.momentum_columns() for c in curves)
    if with_momentum:
        lr_ax, mom_ax = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1.4))
        for index, curve in enumerate(curves):
            draw_momentum(mom_ax, curve, color=curve_color(index))
        mom_ax.set_xlabel(_x_label(style))
    else:
        lr_ax = figure.subplots()
        lr_ax.set_xlabel(_x_label(style))
    _draw_lr_panel(lr_ax, curves, style, colors=[curve_color(i) for i in range(len(curves))])
    return figure


def _x_label(style: FigureStyle) -> str:
    return "scheduler step" if style.x_axis == "step" else "epoch"


def _in_steps(curve: Curve) -> Curve:
    """The curve with scheduler steps where its epochs were (for ``--x-axis step``)."""
    spe = curve.steps_per_epoch
    series = {**curve.series, "epoch": curve.series["step"].astype(np.float64)}
    marks = tuple(replace(mark, epoch=mark.epoch * spe) for mark in curve.marks)
    return replace(curve, series=series, steps_per_epoch=1, marks=marks)


#: Panels shorter than this (in inches) label their y axis "lr": "learning rate" is longer.
PANEL_LABEL_INCHES = 1.6


def _draw_panels(figure: Figure, curves: Sequence[Curve], style: FigureStyle) -> None:
    """One lr panel per curve, sharing the x axis; the figure title goes on top."""
    axes = figure.subplots(len(curves), 1, sharex=True, squeeze=False).ravel()
    # A panel's y label runs along its height: a short panel gets "lr", and the log scale's
    # reason goes into its title (a long label ran into the next panel and off the figure).
    short = figure.get_size_inches()[1] / len(curves) < PANEL_LABEL_INCHES
    for index, (ax, curve) in enumerate(zip(axes, curves, strict=True)):
        _draw_lr_panel(
            ax, [curve], replace(style, title=choices.label(curve, 2)), colors=[curve_color(index)]
        )
        title = ax.get_title()
        if style.log_y is None and choices.decide_log([curve], None):
            title += f" ({choices.log_reason([curve])})"
        ax.set_ylabel("lr" if short else "learning rate")
        ax.set_title(wrapped(title, style.size[0] - 1, 9), fontsize=9)  # the axes, not the figure
    axes[-1].set_xlabel(_x_label(style))
    title = style.title if style.title is not None else default_title(curves, style)
    figure.suptitle(wrapped(title, style.size[0], 11), fontsize=11)


def _draw_lr_panel(
    ax: Axes, curves: Sequence[Curve], style: FigureStyle, colors: Sequence[Any]
) -> None:
    for curve, color in zip(curves, colors, strict=True):
        label = choices.label(curve, len(curves))
        if curve.reference is not None and label is None:
            label = f"resumed (by {str(curve.resume and curve.resume['by']).replace('-', '_')})"
        draw_lr(ax, curve, color=color, label=label)
    log = choices.decide_log(curves, style.log_y)
    peak = max(max(float(c.max()), -float(c.min())) for c in choices.lr_columns(curves))
    if log and max(column.max() for column in choices.lr_columns(curves)) <= 0:
        raise InputError("--log-y", None, "has no lr above 0 to draw", "use --linear-y")
    if not log and not choices.linear_shows(peak):
        small = peak < choices.LINEAR_FLOOR
        raise InputError(
            "--linear-y",
            None,
            f"the lr peaks at {peak:g}, too {'small' if small else 'large'} for a linear axis "
            f"to show (matplotlib's linear axis draws only {choices.LINEAR_FLOOR:g} to "
            f"{choices.LINEAR_CEILING:g})",
            "leave out --linear-y or use --log-y",
        )
    if log:
        _log_scale(ax, curves)
    for curve in curves:
        if curve.reference is not None:
            marks.draw_reference(ax, curve)
    for curve in curves:
        if "metric" in curve.series:
            draw_metric(ax, curve)
    _finish(ax, curves, style, log)
    if style.annotate:
        for curve in curves:
            marks.draw_marks(ax, curve)


def _log_scale(ax: Axes, curves: Sequence[Curve]) -> None:
    """A log y axis. Near float64's ends (an lr of 1e300, or one falling to subnormals) the
    limits are set here: matplotlib's 5% margins would overflow to inf past 1e308."""
    columns = choices.lr_columns(curves)
    columns += [c.reference["lr"] for c in curves if c.reference is not None]
    low = min(float(np.min(c, where=c > 0, initial=np.inf)) for c in columns)
    high = max(float(c.max()) for c in columns)
    bottom, top = math.log10(low), math.log10(high)
    margin = LOG_MARGIN * (top - bottom)
    if top + margin < LOG_EDGE and bottom - margin > -LOG_EDGE:
        ax.set_yscale("log")
        return
    floor = math.log10(np.finfo(np.float64).smallest_subnormal)
    margin = max(margin, 0.5)  # a constant lr gets a decade around it
    bottom, top = max(bottom - margin, floor), min(top + margin, LOG_TOP)
    # Limits set after the scale: on a linear axis matplotlib treats a range below 1e-287
    # as empty, and autoscaling on a log one would overflow.
    ax.set_autoscaley_on(False)
    ax.set_yscale("log")
    ax.set_ylim(10.0**bottom, 10.0**top)
    # matplotlib's LogLocator tries ticks two strides past the limits, which overflow to inf
    # there; these ticks stay inside them.
    stride = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if s * 8 >= top - bottom)
    decades = range(math.ceil(bottom), math.floor(top) + 1)
    ax.yaxis.set_major_locator(FixedLocator([10.0**k for k in decades if k % stride == 0]))
    ax.yaxis.set_minor_locator(NullLocator())


def draw_lr(ax: Axes, curve: Curve, *, color: Any = "C0", label: str | None = None) -> list[object]:
    """Draw each param group's lr as a step line (the lr holds until the next step)."""
    artists: list[object] = []
    columns = curve.lr_columns()
    for index, name in enumerate(columns):
        text = label if len(columns) == 1 else f"{label + ' ' if label else ''}group {index}"
        style = "-" if index == 0 else (0, (4, 1.5 * index))
        x, y, line = _step_line(ax, curve, name)
        artists += ax.plot(x, y, **line, color=color, linestyle=style, linewidth=1.8, label=text)
    ax.set_ylabel("learning rate")
    return artists


def draw_momentum(ax: Axes, curve: Curve, *, color: Any = "C0") -> list[object]:
    """Draw the momentum the scheduler sets, sharing the lr panel's x axis.

    On Adam's family that is beta1 (torch cycles ``betas[0]``); the axis is labelled with
    what its curves show, ``momentum / beta1`` when a comparison has both.
    """
    artists: list[object] = []
    shown = [label for label in ax.get_ylabel().split(" / ") if label]
    for name in curve.momentum_columns():
        x, y, line = _step_line(ax, curve, name)
        artists += ax.plot(x, y, **line, color=color, linewidth=1.4)
        kind = name.split("_")[0]
        shown += [] if kind in shown else [kind]
    ax.set_ylabel(" / ".join(shown))
    ax.grid(True, alpha=0.3)
    return artists


#: Labels beyond this many are left off (the lines stay), so labels never pile up.
def held(curve: Curve, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The column with its last value held for one more step, so the last step has width."""
    x = np.append(curve.epoch, _held_end(curve))
    y = curve.series[name]
    return x, np.append(y, y[-1])


def _held_end(curve: Curve) -> float:
    """Where the held last step ends, in epochs."""
    return float(curve.epoch[-1] + 1 / curve.steps_per_epoch)


def _step_line(ax: Axes, curve: Curve, name: str) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Points and line keywords of a column drawn in steps: every step, or fewer if long.

    A long line first loses the points that repeat the previous value (in steps that
    changes nothing drawn). If it is still long, its envelope's points are joined straight,
    not in steps: matplotlib's path simplification draws the full line's sub-pixel steps
    as straight strokes too, while steps between half-pixel bins would look ragged. Either
    way the shorter line is not snapped to the pixel grid, as matplotlib never snaps a
    line of over 1024 vertices, so it keeps the full line's anti-aliased look. Only small
    index arrays are made here: a 1,000,000-step column is never copied.
    """
    y = curve.series[name]
    if not _is_long(ax, len(y) + 1):  # + 1: the held end
        x, y = held(curve, name)
        return x, y, {"drawstyle": "steps-post"}
    changed = y[1:] != y[:-1]
    if not _is_long(ax, int(np.count_nonzero(changed)) + 2):
        keep = np.flatnonzero(np.concatenate(([True], changed)))  # each run's first point
        x, y, line = curve.epoch[keep], y[keep], {"drawstyle": "steps-post", "snap": False}
    else:
        x, y = envelope(curve.epoch, y, columns=_pixel_columns(ax))
        line = {"drawstyle": "default", "snap": False}
    return np.append(x, _held_end(curve)), np.append(y, y[-1]), line


def _is_long(ax: Axes, count: int) -> bool:
    """Whether a line of ``count`` points is drawn shortened (never a gallery figure)."""
    return count > ENVELOPE_POINTS_PER_COLUMN * _pixel_columns(ax)


def _pixel_columns(ax: Axes) -> int:
    """The figure's width in pixels: an upper bound on the columns any of its axes spans."""
    return max(1, math.ceil(ax.figure.bbox.width))


def draw_metric(ax: Axes, curve: Curve) -> list[object]:
    """Draw plateau's metric on its own right-hand axis."""
    twin = ax.twinx()
    x, y = curve.epoch, curve.series["metric"]
    if _is_long(ax, len(y)):
        x, y = envelope(x, y, columns=_pixel_columns(ax))
    artists = twin.plot(
        x,
        y,
        color="0.45",
        linestyle="--",
        linewidth=1.2,
        label="metric",
    )
    twin.set_ylabel(metric_label(curve), color="0.35")
    twin.tick_params(axis="y", colors="0.35")
    return list(artists)


def _finish(ax: Axes, curves: Sequence[Curve], style: FigureStyle, log: bool) -> None:
    title = style.title if style.title is not None else default_title(curves, style)
    ax.set_title(wrapped(title, style.size[0], 11), fontsize=11)
    if not log:
        ax.yaxis.set_major_formatter(READABLE)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs (or steps)
    ax.ticklabel_format(axis="x", style="plain", useOffset=False)  # 1000000, never 1e6 aside
    step_axis(
        ax,
        curves[0].steps_per_epoch,
        style,
        same=all(c.steps_per_epoch == curves[0].steps_per_epoch for c in curves),
    )
    ax.grid(True, alpha=0.3)
    starts = [float(c.epoch[0]) for c in curves]
    starts += [float(c.reference["epoch"][0]) for c in curves if c.reference is not None]
    ax.set_xlim(min(starts), max(_held_end(c) for c in curves))
    if log and style.log_y is None:  # said beside the axis, where no mark label can sit
        ax.set_ylabel(f"learning rate ({choices.log_reason(curves)})")
    handles, _ = ax.get_legend_handles_labels()
    labelled = [h for h in handles if not str(h.get_label()).startswith("_")]
    if len(labelled) > MAX_LEGEND:  # a legend this long would crowd out the axes
        ax.text(
            0.99, 0.98, f"{len(labelled)} curves: no legend past {MAX_LEGEND}",
            transform=ax.transAxes, ha="right", va="top", fontsize=8, color="0.15",
        )  # fmt: skip
    elif len(labelled) > 1 or (labelled and len(curves) > 1):
        ax.legend(loc="best", fontsize=8)
