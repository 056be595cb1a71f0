"""The one path every plot takes: spec -> simulate -> encode -> atomic files."""

from __future__ import annotations

from collections.abc import Sequence

from lrplot.curve import Curve
from lrplot.outputs import FORMATS, Target, write_all
from lrplot.spec import CurveSpec
from lrplot.style import FigureStyle


def plot(
    specs: Sequence[CurveSpec],
    targets: Sequence[Target],
    style: FigureStyle,
    command: Sequence[str] | None = None,
) -> tuple[list[Curve], list[str]]:
    """Simulate each spec, write every target, and return the curves and written paths."""
    from lrplot.simulate import simulate

    curves = [simulate(spec) for spec in specs]
    return curves, write_curves(curves, targets, style, command)


def write_curves(
    curves: Sequence[Curve],
    targets: Sequence[Target],
    style: FigureStyle,
    command: Sequence[str] | None = None,
) -> list[str]:
    """Write ``curves`` to ``targets``; figures are drawn once and encoded per format."""
    figure_cache: list[object] = []

    def encode(fmt: str) -> bytes:
        assert fmt in FORMATS
        if fmt in ("csv", "json"):
            from lrplot import export

            if fmt == "csv":
                return export.csv_bytes(curves)
            return export.json_bytes(export.json_document(curves, command))
        from lrplot import render

        if not figure_cache:
            figure_cache.append(render.figure_for(curves, style))
        return render.encode(figure_cache[0], fmt)  # type: ignore[arg-type]

    return write_all(targets, encode)
