"""Tick values and labels for a text chart: round steps, and numbers that read on their own."""

from __future__ import annotations

import math
from collections.abc import Sequence

#: A tick step is one of these x 10^k.
_NICE = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)


def nice_at_least(value: float) -> float:
    """The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 x 10^k that is at least ``value``."""
    scale = 10.0 ** math.floor(math.log10(value))
    return next(m * scale for m in (*_NICE, 10.0) if m * scale >= value * (1 - 1e-12))


def tick_texts(
    values: Sequence[float], *, within: float | None = None, relative: float | None = None
) -> list[str]:
    """Tick labels that read on their own (``0.05``, ``1e-04``, never an offset), with the
    fewest digits that keep neighbours apart and that stay ``within`` (or ``relative`` x the
    value) of the value they label."""
    nonzero = [abs(v) for v in values if v != 0]
    scientific = bool(nonzero) and (min(nonzero) < 1e-4 or max(nonzero) >= 1e5)
    texts: list[str] = []
    for digits in range(4 if scientific else 9):
        texts = [_number(v, digits, scientific) for v in values]
        close = all(
            abs(float(t) - v) <= (within or 0.0) + (relative or 0.0) * abs(v)
            for t, v in zip(texts, values, strict=True)
        ) or (within is None and relative is None)
        if close and len(set(texts)) == len(texts):
            break
    return texts


def _number(value: float, digits: int, scientific: bool) -> str:
    if value == 0:
        return "0"
    if scientific:
        mantissa, exponent = f"{value:.{digits}e}".split("e")
        return f"{_trim(mantissa)}e{exponent}"
    return _trim(f"{value:.{digits}f}")


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text
