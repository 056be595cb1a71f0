"""The matplotlib settings lrplot fixes whatever a user's matplotlibrc says.

A matplotlibrc is the user's style, and its fonts, colours and line widths apply. But a few
settings would change what lrplot promises: ``savefig.dpi`` and ``savefig.bbox`` the size in
pixels (``--size`` x ``--dpi``, 1280 x 720 by default), ``text.usetex`` whether a figure can
be drawn at all without LaTeX installed, and the SVG hash salt and PDF compression whether
the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FIXED: dict[RcKeyType, Any] = {
    "savefig.dpi": "figure",
    "savefig.bbox": None,
    "text.usetex": False,
    "svg.hashsalt": "lrplot",
    "pdf.compression": 6,
}

_P = ParamSpec("_P")
_R = TypeVar("_R")


def fixed(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run with FIXED over the user's settings (figures made and encoded so)."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        import matplotlib

        with matplotlib.rc_context(FIXED):
            return function(*args, **kwargs)

    return run


def remove_temporary_config() -> None:
    """Remove the cache folder matplotlib made in the temporary folder because its own was
    not writable (MPLCONFIGDIR or HOME unusable). matplotlib removes it at exit; the command
    line ends with os._exit, which skips that."""
    if "matplotlib" not in sys.modules:
        return
    import shutil
    import tempfile

    import matplotlib

    folder = matplotlib.get_configdir()
    inside = os.path.dirname(os.path.abspath(folder)) == os.path.abspath(tempfile.gettempdir())
    if inside and os.path.basename(folder).startswith("matplotlib-"):
        shutil.rmtree(folder, ignore_errors=True)
