"""Axis dressing every lr figure shares: titles that wrap, tick labels that read on their
own, the scheduler-step axis above the epochs when stepping per batch, the curves' colours."""

from __future__ import annotations

import textwrap
from itertools import pairwise
from typing import Any

from matplotlib.axes import Axes
from matplotlib.cbook import is_math_text
from matplotlib.ticker import Formatter, MaxNLocator

from lrplot.spec.style import FigureStyle


def wrapped(title: str, width_inches: float, fontsize: float) -> str:
    """The title wrapped to the figure's width, line by line, so no part is ever clipped.

    A character of DejaVu Sans averages about 0.6 em; breaks go at spaces (after commas).
    A line of wider characters than that (``WWW``, CJK with a font that has it) is wrapped
    again by its measured width; a line with mathtext is left as wrapped (a break inside
    $...$ would split the formula), a lone $ is not mathtext.
    """
    width = max(10, int(width_inches * 72 / (fontsize * 0.6)) - 2)
    # Points: a title is centred over the axes, which sit right of the figure's centre.
    limit = width_inches * 72 * 0.9
    lines: list[str] = []
    for line in title.split("\n"):
        text = textwrap.fill(line, width, break_on_hyphens=False)
        if not is_math_text(line) and any(_points(p, fontsize) > limit for p in text.split("\n")):
            text = "\n".join(_measured_lines(line, limit, fontsize))
        lines.append(text)
    return "\n".join(lines)


def _points(text: str, fontsize: float) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=fontsize), ismath=False
    )
    return float(width)


def _measured_lines(line: str, limit: float, fontsize: float) -> list[str]:
    """``line`` broken greedily at spaces, or inside a word wider than ``limit`` points."""
    lines = [""]
    for word in line.split():
        joined = f"{lines[-1]} {word}" if lines[-1] else word
        if _points(joined, fontsize) <= limit:
            lines[-1] = joined
            continue
        lines.append("")
        for character in word:
            if lines[-1] and _points(lines[-1] + character, fontsize) > limit:
                lines.append("")
            lines[-1] += character
    return [line for line in lines if line]


class _Readable(Formatter):
    """Tick labels that read on their own, all in one style: 0.0005 / 0.001 on ordinary
    scales, 5e-05 / 1e-04 for small or huge ones; never an offset or a 1e-5 above the axis."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.format_ticks([x])[0]

    def format_ticks(self, values: Any) -> list[str]:
        values = [float(v) for v in values]
        top = max((abs(v) for v in values), default=0.0)
        scientific = top != 0 and (top < 1e-3 or top >= 1e5)
        # Each label must read as its tick's value, not merely differ from its neighbours:
        # with one digit, ticks at 0.25 and 0.75 would read 0.2 and 0.8.
        tolerance = 1e-6 * (_step(values) or top or 1.0)
        for digits in range(0, 16):  # a tiny span (1e-3 to 1.0000001e-3) needs ten or more
            shown = [_tick(v, digits, scientific) for v in values]
            exact = all(abs(float(t) - v) <= tolerance for t, v in zip(shown, values, strict=True))
            if exact and len(set(shown)) == len(set(values)):
                return shown
        return [repr(v) for v in values]


def _step(values: list[float]) -> float:
    """The smallest gap between neighbouring ticks (0 for fewer than two)."""
    ordered = sorted(set(values))
    return min((b - a for a, b in pairwise(ordered)), default=0.0)


def _tick(value: float, digits: int, scientific: bool) -> str:
    if value == 0:
        return "0"
    if scientific:
        return f"{value:.{digits}e}"
    return f"{value:.{digits}f}" if digits else f"{value:.0f}"


READABLE = _Readable()


def curve_color(index: int) -> Any:
    """The colour of the ``index``-th curve: the colour cycle's (matplotlib's ten, C0-C9, or
    a matplotlibrc's), then, as "C10" would be C0 again, tab20's light shades and tab20b's
    twenty, so 24 curves never share one."""
    import matplotlib
    from matplotlib import colormaps

    cycle = len(matplotlib.rcParams["axes.prop_cycle"].by_key().get("color", ()))
    if index < cycle:
        return f"C{index}"
    extra = [colormaps["tab20"](2 * k + 1) for k in range(10)]
    extra += [colormaps["tab20b"](k) for k in range(20)]
    return extra[(index - cycle) % len(extra)]


def step_axis(ax: Axes, spe: int, style: FigureStyle, *, same: bool = True) -> None:
    """Stepping per batch, a second x axis in scheduler steps above the epoch axis (on the
    top panel only, and only when every curve has the same steps per epoch)."""
    if spe == 1 or style.x_axis == "step" or not same:
        return
    subplot = ax.get_subplotspec()
    if subplot is not None and not subplot.is_first_row():
        return

    def to_steps(epochs: Any) -> Any:
        return epochs * spe

    def to_epochs(steps: Any) -> Any:
        return steps / spe

    top = ax.secondary_xaxis("top", functions=(to_steps, to_epochs))
    top.set_xlabel("scheduler step", fontsize=9)
    top.tick_params(labelsize=8)
    top.xaxis.set_major_locator(MaxNLocator(integer=True))
