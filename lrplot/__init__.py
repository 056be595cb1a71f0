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
    from lrplot.render import figure_for
    from lrplot.simulate import simulate
    from lrplot.spec import CurveSpec, build_spec
    from lrplot.style import FigureStyle

_LAZY = {
    "Curve": "lrplot.curve",
    "CurveSpec": "lrplot.spec",
    "build_spec": "lrplot.spec",
    "FigureStyle": "lrplot.style",
    "figure_for": "lrplot.render",
    "simulate": "lrplot.simulate",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        # Importing lrplot.simulate binds the *module* to lrplot.simulate; the public name
        # is the function, so bind it over the module attribute.
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lrplot' has no attribute {name!r}")
