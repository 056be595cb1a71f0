"""What each command does, as library calls: turn checked options into curves and files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lrplot.curve import Curve
from lrplot.errors import InputError
from lrplot.outputs import parse_targets
from lrplot.pipeline import plot
from lrplot.schema import Bound
from lrplot.spec import build_spec
from lrplot.style import FigureStyle
from lrplot.values import to_float, to_int


@dataclass(frozen=True)
class PlotResult:
    """The curves a command drew and the paths it wrote."""

    curves: list[Curve]
    paths: list[str]

    def changes(self) -> list[str]:
        """Each lr change as ``epoch 10: lr 1.000e-03 -> 5.000e-04`` (what --verbose prints)."""
        from lrplot.changes import lr_changes

        return [line for curve in self.curves for line in lr_changes(curve)]


def parse_size(text: str, where: str = "--size") -> tuple[float, float]:
    """``8x4.5`` -> (8.0, 4.5) inches."""
    parts = text.lower().split("x")
    if len(parts) != 2:
        raise InputError(where, text, "is not WIDTHxHEIGHT", "e.g. --size 8x4.5 (inches)")
    width, height = (to_float(p, where, None, "8x4.5") for p in parts)
    if not (0.5 <= width <= 100 and 0.5 <= height <= 100):
        raise InputError(
            where, text, "must be between 0.5 and 100 inches per side", "e.g. --size 8x4.5"
        )
    return width, height


def figure_style(common: Mapping[str, Any]) -> FigureStyle:
    """The FigureStyle of the shared figure options."""
    dpi = to_int(common.get("dpi", 100), "--dpi", Bound(10, 1200), 150)
    return FigureStyle(
        title=common.get("title"),
        log_y=common.get("log_y"),
        annotate=bool(common.get("annotate", False)),
        dpi=dpi,
        size=parse_size(str(common.get("size", "8x4.5"))),
        momentum_panel=bool(common.get("momentum_panel", True)),
    )


def plot_scheduler(
    command: str,
    options: Mapping[str, object],
    common: Mapping[str, Any],
    *,
    argv: Sequence[str] | None = None,
) -> PlotResult:
    """``lrplot COMMAND``: one curve from the registry entry ``command``."""
    style = figure_style(common)
    targets = parse_targets(common.get("output") or [], common.get("fmt"), command)
    spec = build_spec(
        command,
        options,
        lr=common.get("lr"),
        epochs=common.get("epochs"),
        steps_per_epoch=common.get("steps_per_epoch"),
        momentum=common.get("momentum"),
        start_epoch=common.get("start_epoch"),
        metrics=common.get("metrics"),
        metric_expr=common.get("metric_expr"),
    )
    curves, paths = plot([spec], targets, style, argv)
    return PlotResult(curves, paths)
