"""Pixel comparison and diff pictures for ``lrplot check`` (the matplotlib part of regress)."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imread


def decode(png: bytes) -> np.ndarray:
    """A PNG as an RGB array of 0-255 floats (alpha dropped, as pytest-mpl compares)."""
    image = imread(io.BytesIO(png), format="png")
    return np.asarray(image[..., :3], dtype=np.float64) * 255.0


def rms_difference(baseline: bytes, obtained: bytes) -> float:
    """Root mean square of the per-channel difference; inf when the sizes differ."""
    a, b = decode(baseline), decode(obtained)
    if a.shape != b.shape:
        return float("inf")
    return float(np.sqrt(np.mean((a - b) ** 2)))


def data_diff_figure(
    x: np.ndarray,
    baseline: np.ndarray,
    obtained: np.ndarray,
    column: str,
    first_x: float | None,
    title: str,
) -> Figure:
    """Baseline and obtained curves overlaid, the residual below, the first difference marked."""
    figure = Figure(figsize=(8, 5.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    top.plot(x, baseline, color="0.6", linewidth=4, label="baseline", drawstyle="steps-post")
    top.plot(x, obtained, color="C3", linewidth=1.4, label="obtained", drawstyle="steps-post")
    top.set_ylabel(column)
    top.legend(loc="best", fontsize=8)
    top.set_title(title, fontsize=10)
    bottom.plot(x, obtained - baseline, color="C3", linewidth=1.2, drawstyle="steps-post")
    bottom.axhline(0, color="0.6", linewidth=0.8)
    bottom.set_ylabel("obtained - baseline")
    bottom.set_xlabel("epoch")
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
        if first_x is not None:
            ax.axvline(first_x, color="C1", linestyle="--", linewidth=1)
    if first_x is not None:
        top.annotate(
            f"first difference: epoch {first_x:g}",
            xy=(first_x, 0.97),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color="C1",
        )
    return figure


#: A baseline of another size is shown beside the obtained PNG only up to this many pixels:
#: its header may claim any size, and decoding costs 32 bytes a pixel.
MAX_SHOWN_PIXELS = 25_000_000


def image_diff_figure(
    baseline: bytes, obtained: bytes, title: str, baseline_size: tuple[int, int] = (0, 0)
) -> Figure:
    """Baseline, obtained and their absolute difference side by side.

    Of another size, the two are shown side by side with no difference panel (a baseline
    larger than MAX_SHOWN_PIXELS is named, not drawn).
    """
    b = decode(obtained)
    width, height = baseline_size
    a = decode(baseline) if width * height <= MAX_SHOWN_PIXELS else None
    figure = Figure(figsize=(12, 3.6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, 3)
    panels = [(b, f"obtained {b.shape[1]}x{b.shape[0]}")]
    if a is None:
        axes[0].text(0.5, 0.5, f"baseline {width}x{height}: too large to show", ha="center")
    else:
        panels.insert(0, (a, f"baseline {a.shape[1]}x{a.shape[0]}"))
    if a is not None and a.shape == b.shape:
        panels.append((np.abs(a - b).max(axis=2), "|difference| (max over channels)"))
    for ax, (image, label) in zip(axes[1:] if a is None else axes, panels, strict=False):
        cmap = "magma" if image.ndim == 2 else None
        ax.imshow(image / (255.0 if image.ndim == 3 else max(float(image.max()), 1.0)), cmap=cmap)
        ax.set_title(label, fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    figure.suptitle(title, fontsize=10)
    return figure
