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
                lines.append(
                    f"epoch {epochs[k]:g}{group}: lr {values[k - 1]:.3e} -> {values[k]:.3e}"
                )
    return lines
