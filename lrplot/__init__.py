"""lrplot: see what a torch.optim.lr_scheduler will do before you train.

The public API is imported lazily, so ``import lrplot`` (and the command line's --help)
stays free of torch, numpy and matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Curve",
    "CurveSpec",
    "FigureStyle",
    "__version__",
    "build_spec",
    "figure_for",
    "simulate",
]

if TYPE_CHECKING:
    from lrplot.curve import Curve
    from lrplot.draw.figure import figure_for
    from lrplot.simulation.record import simulate
    from lrplot.spec.build import build_spec
    from lrplot.spec.curve_spec import CurveSpec
    from lrplot.spec.style import FigureStyle

_LAZY = {
    "Curve": "lrplot.curve",
    "CurveSpec": "lrplot.spec.curve_spec",
    "build_spec": "lrplot.spec.build",
    "FigureStyle": "lrplot.spec.style",
    "figure_for": "lrplot.draw.figure",
    "simulate": "lrplot.simulation.record",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        # Cached, so the next access is a plain attribute. (The subpackage is "simulation",
        # not "simulate": importing it can never bind a module over the public function.)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lrplot' has no attribute {name!r}")
