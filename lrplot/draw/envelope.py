"""The points of a long line that a figure's pixel columns can show: a min/max envelope.

Pure numpy, so it is testable without matplotlib; lrplot.draw.figure decides when to use it.
"""

from __future__ import annotations

import math

import numpy as np

#: Envelope bins per pixel column: finer than the axes' own columns, which are narrower.
ENVELOPE_BINS_PER_COLUMN = 2


def envelope(x: np.ndarray, y: np.ndarray, *, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """The points of a line that ``columns`` pixel columns can show: a min/max envelope.

    The line is cut into ``ENVELOPE_BINS_PER_COLUMN`` bins per column, and each bin keeps
    its first, lowest, highest and last point at their own x, so each extreme lands in its
    own pixel column and every column spans what the full line spans there.
    """
    count = len(y)
    size = math.ceil(count / (ENVELOPE_BINS_PER_COLUMN * columns))
    whole = count // size
    blocks = y[: whole * size].reshape(whole, size)  # a view: nothing is copied
    starts = np.arange(whole) * size
    kept = [
        starts,
        starts + size - 1,
        starts + blocks.argmin(axis=1),
        starts + blocks.argmax(axis=1),
    ]
    tail = whole * size
    if tail < count:  # the last, shorter bin
        rest = y[tail:]
        kept.append(np.array([tail, count - 1, tail + rest.argmin(), tail + rest.argmax()]))
    keep = np.unique(np.concatenate(kept))
    return x[keep], y[keep]
