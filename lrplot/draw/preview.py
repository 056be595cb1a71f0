"""The terminal preview (``--preview``): the lr as a braille text chart drawn by plotille, sized
to the terminal. Curves in, text out: no matplotlib, and a long line is shortened first."""

from __future__ import annotations

import math
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import plotille

from lrplot.curve import Curve
from lrplot.draw import choices
from lrplot.draw.envelope import envelope
from lrplot.draw.ticks import nice_at_least, tick_texts
from lrplot.draw.titles import default_title
from lrplot.errors import InputError
from lrplot.spec.style import FigureStyle

#: The width when the terminal's is unknown, and the narrowest chart drawn.
DEFAULT_COLUMNS = 80
MIN_COLUMNS = 40
#: Rows of plot when the terminal's height is unknown; the bounds when it is known.
DEFAULT_ROWS = 20
MIN_ROWS, MAX_ROWS = 5, 40
#: plotille's frame: 13 characters of y labels left of the plot; "|-> (" + ")" after it.
_LEFT, _ARROW = 13, 6
#: plotille puts an x tick every 10 characters.
_TICKS_EVERY = 10
#: A line with more points than this per dot column is drawn as its min/max envelope.
_POINTS_PER_DOT = 8
#: Line colours in order: the figure's C0, C1, C2 ... as near as the 8 ANSI colours go.
COLOURS = ("blue", "yellow", "green", "red", "magenta", "cyan")
#: With several lines, each carries its digit every ``_MARK_EVERY`` characters or so.
MARKERS = "123456789abcdefghijklmnopqrstuvwxyz"
_MARK_EVERY = 12


@dataclass(frozen=True)
class Terminal:
    """Where the chart goes: its width, its height (None: unknown), whether it takes colour."""

    columns: int = DEFAULT_COLUMNS
    lines: int | None = None
    colour: bool = False


def terminal(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Terminal:
    """The terminal ``stream`` (default stdout) shows: COLUMNS and LINES when set, else its
    own size when it is a terminal, else 80 columns. Colour only on a terminal without
    NO_COLOR."""
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    tty = _is_terminal(stream)
    columns, lines = _size(environ.get("COLUMNS")), _size(environ.get("LINES"))
    if tty and (columns is None or lines is None):
        size = shutil.get_terminal_size((0, 0))
        columns = columns or _size(str(size.columns))
        lines = lines or _size(str(size.lines))
    return Terminal(
        columns=columns or DEFAULT_COLUMNS,
        lines=lines,
        colour=tty and not environ.get("NO_COLOR"),
    )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def _size(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() and int(text) > 0 else None


@dataclass(frozen=True)
class _Line:
    """One lr column to draw, in the chart's x unit; ``end`` is where its last step ends."""

    label: str | None
    x: np.ndarray
    y: np.ndarray
    end: float


def preview(curves: Sequence[Curve], style: FigureStyle, where: Terminal) -> str:
    """The chart: a one-line title, every lr column (one colour each, and a legend when there
    are several), the epoch (or step) axis, and a line naming what is recorded but not drawn.
    """
    lines = _lines(curves, in_steps=style.x_axis == "step")
    log = choices.decide_log(curves, style.log_y)
    columns = max(MIN_COLUMNS, where.columns)
    unshown = _not_drawn(curves)
    axes = _axes(lines, log, columns - _LEFT - _ARROW - len(_x_label(style)))
    rows = _rows(where.lines, len(lines), bool(unshown))
    figure = _figure(axes, rows, _x_label(style), where.colour)
    for index, line in enumerate(lines):
        for x, y in _points(line, axes, rows):
            figure.plot(x, y, lc=COLOURS[index % len(COLOURS)])
    if len(lines) > 1:  # a digit now and then on each line tells them apart without colour
        for index, line in enumerate(lines):
            x, y = _marks(line, axes, rows, index, len(lines))
            figure.scatter(
                x, y, lc=COLOURS[index % len(COLOURS)], marker=MARKERS[index % len(MARKERS)]
            )
    parts = [_cut(_title(curves, style), columns), figure.show()]
    if len(lines) > 1:
        parts += ["", *_legend(lines, where.colour, columns)]
    if unshown:
        parts.append(_cut(f"(lr only: {', '.join(unshown)} not drawn)", columns))
    return "\n".join(parts)


def _title(curves: Sequence[Curve], style: FigureStyle) -> str:
    """--title on one line, or the curve's own title (the torch call; compare: the count)."""
    if style.title is not None:
        return "; ".join(style.title.splitlines())
    return default_title(curves, style).splitlines()[0]


def _legend(lines: Sequence[_Line], colour: bool, columns: int) -> list[str]:
    """One line per lr column: its colour and its digit, then its label."""
    entries = []
    for index, line in enumerate(lines):
        swatch = plotille.color(
            f"⠤{MARKERS[index % len(MARKERS)]}⠤",
            fg=COLOURS[index % len(COLOURS)],
            no_color=not colour,
        )
        entries.append(f"{swatch} {_cut(line.label or f'line {index + 1}', columns - 4)}")
    return entries


def _x_label(style: FigureStyle) -> str:
    return "step" if style.x_axis == "step" else "epoch"


def _lines(curves: Sequence[Curve], *, in_steps: bool) -> list[_Line]:
    """Every lr column of every curve, x in scheduler steps or in epochs."""
    lines = []
    for curve in curves:
        x = curve.series["step"].astype(np.float64) if in_steps else curve.epoch
        end = float(x[-1]) + (1.0 if in_steps else 1 / curve.steps_per_epoch)
        names = curve.lr_columns()
        base = choices.label(curve, len(curves))
        for index, name in enumerate(names):
            label = base if len(names) == 1 else f"{base + ' ' if base else ''}group {index}"
            lines.append(_Line(label, x, curve.series[name], end))
    return lines


def _not_drawn(curves: Sequence[Curve]) -> list[str]:
    """The recorded columns the preview leaves out: momentum (or beta1), plateau's metric."""
    kinds: list[str] = []
    for curve in curves:
        names = [n.split("_")[0] for n in curve.momentum_columns()]
        names += ["metric"] if "metric" in curve.series else []
        kinds += [name for name in names if name not in kinds]
    return kinds


def _rows(lines: int | None, count: int, note: bool) -> int:
    """Rows of plot: what the terminal's height leaves after the frame and the prompt."""
    if lines is None:
        return DEFAULT_ROWS
    frame = 1 + 2 + 2 + (1 + count if count > 1 else 0) + int(note) + 1
    return max(MIN_ROWS, min(MAX_ROWS, lines - frame))


@dataclass(frozen=True)
class _Axes:
    """The chart's limits: x from ``x0`` in ``width`` characters of ``x_step`` per tick;
    y from ``low`` to ``high`` (log10 of the lr on a log axis)."""

    x0: float
    x_step: float
    width: int
    low: float
    high: float
    log: bool

    @property
    def x_max(self) -> float:
        return self.x0 + self.width * self.x_step / _TICKS_EVERY


def _axes(lines: Sequence[_Line], log: bool, room: int) -> _Axes:
    """Round x ticks in at most ``room`` characters; y from 0 (linear) or the lowest lr (log)
    to the highest."""
    x0 = min(float(line.x[0]) for line in lines)
    span = max(line.end for line in lines) - x0
    x_step = nice_at_least(span * _TICKS_EVERY / room)
    width = max(1, math.ceil(span * _TICKS_EVERY / x_step - 1e-9))
    if not log:
        low = min(0.0, *(float(line.y.min()) for line in lines))
        high = max(float(line.y.max()) for line in lines)
        high = high if high > low else low + (abs(low) or 1.0)
        return _Axes(x0, x_step, width, low, high, False)
    positive = [line.y[line.y > 0] for line in lines]
    positive = [values for values in positive if values.size]
    if not positive:
        raise InputError("--log-y", None, "has no lr above 0 to draw", "use --linear-y")
    low = math.log10(min(float(values.min()) for values in positive))
    high = math.log10(max(float(v.max()) for v in positive))
    if high - low < 1e-12:  # a constant lr: half a decade either side
        low, high = low - 0.5, high + 0.5
    return _Axes(x0, x_step, width, low, high, True)


def _figure(axes: _Axes, rows: int, x_label: str, colour: bool) -> Any:
    """A plotille Figure with these axes and their tick labels, nothing drawn yet."""
    figure = plotille.Figure()
    figure.width, figure.height = axes.width, rows
    figure.set_x_limits(min_=axes.x0, max_=axes.x_max)
    figure.set_y_limits(min_=axes.low, max_=axes.high)
    figure.color_mode, figure.with_colors, figure.origin = "names", colour, False
    figure.linesep, figure.x_label = "\n", x_label
    figure.y_label = "lr, log" if axes.log else "lr"
    x_values = [axes.x0 + i * axes.x_step for i in range(axes.width // _TICKS_EVERY + 1)]
    x_ticks = tick_texts(x_values, within=axes.x_step * 1e-6)
    figure.x_ticks_fkt = _ticks_at(axes.x0, axes.x_step, x_ticks)
    row = (axes.high - axes.low) / rows
    y_values = [axes.low + i * row for i in range(rows + 1)]
    # Each label stays near the value it stands for: within a tenth of a row, or 5% on a
    # log axis, whose rows span decades.
    if axes.log:
        y_ticks = tick_texts([10**v for v in y_values], relative=0.05)
    else:
        y_ticks = tick_texts(y_values, within=row / 10)
    figure.y_ticks_fkt = _ticks_at(axes.low, row, y_ticks)
    return figure


def _ticks_at(start: float, step: float, texts: Sequence[str]) -> Callable[[Any, Any], str]:
    """plotille's tick callback: the text of the tick at ``value`` (``start + i x step``)."""

    def tick(value: Any, _next: Any) -> str:
        return texts[max(0, min(len(texts) - 1, round((float(value) - start) / step)))]

    return tick


def _points(line: _Line, axes: _Axes, rows: int) -> list[tuple[list[float], list[float]]]:
    """The pieces plotille joins: the line in steps when it has few changes, else its min/max
    envelope per dot column (plotille never sees a million points); all inside the canvas."""
    columns = 2 * axes.width  # braille: 2 x 4 dots a character
    x, y = line.x, line.y
    runs = np.flatnonzero(y[1:] != y[:-1]) + 1
    if runs.size + 2 <= _POINTS_PER_DOT * columns:  # each run's first point, held to the next
        starts = np.concatenate(([0], runs))
        px = np.empty(2 * starts.size)
        px[0::2], px[1::2] = x[starts], np.append(x[starts[1:]], line.end)
        py = np.repeat(y[starts], 2)
    else:
        ex, ey = envelope(x, y, columns=columns)
        px, py = np.append(ex, line.end), np.append(ey, ey[-1])
    # A point on the top or right edge would fall one dot outside the canvas: keep it in.
    dx, dy = (axes.x_max - axes.x0) / columns, (axes.high - axes.low) / (4 * rows)
    px = np.clip(px, axes.x0, axes.x_max - dx)
    pieces = _above_zero(px, py, axes.low) if axes.log else [(px, py)]
    return [(x.tolist(), np.clip(y, axes.low, axes.high - dy).tolist()) for x, y in pieces]


def _above_zero(px: np.ndarray, py: np.ndarray, bottom: float) -> list[tuple[Any, Any]]:
    """The line on a log axis (log10 of the lr) in pieces. Held at the floor, an lr of 0 would
    read as the lowest lr shown: as the figure's line leaves the bottom, this one drops to the
    bottom edge where the lr reaches 0 or below, is left out there, and climbs back after."""
    above = py > 0
    y = np.where(above, np.log10(np.where(above, py, 1.0)), bottom)
    cuts = np.flatnonzero(~above[:-1] & ~above[1:]) + 1  # no stroke from one 0 to the next
    pieces = zip(np.split(px, cuts), np.split(y, cuts), np.split(above, cuts), strict=True)
    return [(x, v) for x, v, shown in pieces if shown.any()]


def _marks(
    line: _Line, axes: _Axes, rows: int, index: int, count: int
) -> tuple[list[float], list[float]]:
    """Where a line's digit goes: the middle of every few characters, staggered per line, at
    the lr the line has there."""
    every = max(_MARK_EVERY, 4 * count)
    step = axes.x_step / _TICKS_EVERY  # one character
    at = np.arange(2 + 4 * index % every, axes.width, every) * step + axes.x0 + step / 2
    at = at[(at >= line.x[0]) & (at < line.end)]
    y = line.y[np.searchsorted(line.x, at, side="right") - 1]
    if axes.log:  # none where the lr is 0 or below: the line is not drawn there
        at, y = at[y > 0], np.log10(y[y > 0])
    dy = (axes.high - axes.low) / (4 * rows)
    return at.tolist(), np.clip(y, axes.low, axes.high - dy).tolist()


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with ``...`` where it was cut."""
    return text if len(text) <= width else text[: max(0, width - 3)] + "..."
