"""Describe where a recorded lr changes (what ``--verbose`` prints)."""

from __future__ import annotations

from lrplot.curve import Curve


def lr_changes(curve: Curve) -> list[str]:
    """One line per row whose lr differs from the row before, for every param group."""
    lines = []
    epochs = curve.epoch.tolist()
    for name in curve.lr_columns():
        values = curve.series[name].tolist()
        group = "" if name == "lr" else f" (group {name.split('_')[1]})"
        for k in range(1, len(values)):
            if values[k] != values[k - 1]:
                lines.append(f"epoch {epochs[k]:g}{group}: lr {_change(values[k - 1], values[k])}")
    return lines


def _change(before: float, after: float) -> str:
    """``1.000e-03 -> 5.000e-04``; in full where four digits would read the same
    (``5.5e-05 -> 5.500000000000001e-05``: a change that is one, however small)."""
    shown = f"{before:.3e}", f"{after:.3e}"
    return " -> ".join(shown if shown[0] != shown[1] else (repr(before), repr(after)))
