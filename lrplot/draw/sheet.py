"""The contact sheet: a grid of already rendered PNGs, one titled cell per figure.

Up to SHEET_FIGURE_CELLS cells it is one matplotlib figure (the guide's own sheet, 13 cells).
Past that every cell is made on its own and the sheet is written as a PNG a row of cells at
a time, so its memory does not grow with the figure count: a figure per cell held at once
took 6.8 GB for 1,000 figures.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lrplot.draw.settings import fixed

#: Cells drawn as one figure; a sheet of more is drawn in tiles.
SHEET_FIGURE_CELLS = 24
#: A tile: 4 x 2.5 inches at dpi 100, as a cell of the one-figure sheet.
CELL = (400, 250)
TITLE_HEIGHT = 22
COLUMNS = 3


@fixed
def contact_sheet(images: Sequence[tuple[str, bytes]], columns: int = COLUMNS) -> Figure:
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


def sheet_png(images: Sequence[tuple[str, bytes]]) -> bytes | Iterator[bytes]:
    """The contact sheet's PNG: one figure's bytes for a few cells, else chunks, in tiles."""
    if len(images) <= SHEET_FIGURE_CELLS:
        from lrplot.draw.encoding import encode

        return encode(contact_sheet(images), "png")
    return _tiled(images, COLUMNS)


def _tiled(images: Sequence[tuple[str, bytes]], columns: int) -> Iterator[bytes]:
    """A PNG of the cells, ``columns`` a row, made and compressed one row of cells at a time."""
    width, height = CELL[0] * columns, CELL[1]
    rows = math.ceil(len(images) / columns)
    yield b"\x89PNG\r\n\x1a\n"
    yield _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height * rows, 8, 2, 0, 0, 0))
    packer = zlib.compressobj(6)
    for row in range(rows):
        strip = np.full((height, width, 3), 255, dtype=np.uint8)
        for column, (name, data) in enumerate(images[row * columns : (row + 1) * columns]):
            strip[:, column * CELL[0] : (column + 1) * CELL[0]] = _cell(name, data)
        lines = np.zeros((height, 1 + width * 3), dtype=np.uint8)  # filter byte 0: none
        lines[:, 1:] = strip.reshape(height, -1)
        packed = packer.compress(lines.tobytes())
        if packed:
            yield _chunk(b"IDAT", packed)
    yield _chunk(b"IDAT", packer.flush())
    yield _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _cell(name: str, data: bytes) -> Any:
    """One cell, RGB: the figure scaled to fit under its name, on white."""
    from PIL import Image, ImageDraw

    cell = Image.new("RGB", CELL, "white")
    with Image.open(io.BytesIO(data)) as png:
        picture = png.convert("RGB")
    picture.thumbnail((CELL[0] - 8, CELL[1] - TITLE_HEIGHT - 4), Image.Resampling.LANCZOS)
    cell.paste(picture, ((CELL[0] - picture.width) // 2, TITLE_HEIGHT))
    draw = ImageDraw.Draw(cell)
    font = _font()
    shown = name if len(name) <= 60 else name[:57] + "..."
    left, _, right, _ = draw.textbbox((0, 0), shown, font=font)
    draw.text(((CELL[0] - (right - left)) // 2, 4), shown, fill="black", font=font)
    return np.asarray(cell)


def _font() -> Any:
    """matplotlib's own DejaVu Sans at the one-figure sheet's 9 points (12.5 px at dpi 100)."""
    from matplotlib import font_manager
    from PIL import ImageFont

    return ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 12)
