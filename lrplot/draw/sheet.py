"""The contact sheet: a grid of already rendered PNGs, one titled cell per figure."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def contact_sheet(images: Sequence[tuple[str, bytes]], columns: int = 3) -> Figure:
    """A grid of already rendered PNGs, each titled with its figure name."""
    from matplotlib.image import imread

    rows = max(1, math.ceil(len(images) / columns))
    figure = Figure(figsize=(4.0 * columns, 2.5 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, (name, data) in zip(axes, images, strict=False):
        ax.imshow(imread(io.BytesIO(data), format="png"))
        ax.set_title(name, fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    return figure
