"""How a figure should look, as plain data (no matplotlib import, so data outputs stay light)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureStyle:
    """How a figure looks; the defaults give the same bytes for the same data."""

    title: str | None = None
    log_y: bool | None = None  # None: switch to log when the lr spans more than 3 decades
    annotate: bool = False
    dpi: int = 100
    size: tuple[float, float] = (8.0, 4.5)
    momentum_panel: bool = True
