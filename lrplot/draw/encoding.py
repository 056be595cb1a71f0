"""A drawn Figure as PNG, SVG or PDF bytes: the same inputs give the same bytes.

No timestamps or software metadata, a fixed SVG hash salt; a layout that matplotlib could not
apply (a figure too small for its title and labels) is bad input, not a warning.
"""

from __future__ import annotations

import io
import warnings

from matplotlib.figure import Figure

from lrplot.draw.settings import fixed
from lrplot.errors import InputError

_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


@fixed
def encode(figure: Figure, fmt: str) -> bytes:
    """The figure as PNG, SVG or PDF bytes with no timestamps or software metadata."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        figure.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    if any("constrained_layout not applied" in str(w.message) for w in said):
        width, height = figure.get_size_inches()
        raise InputError(
            "--size",
            f"{width:g}x{height:g}",
            "leaves no room for the plot beside the title and labels (the layout collapsed)",
            "enlarge --size, or shorten --title",
        )
    for warning in said:  # anything else matplotlib says: as it would have said it
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return buffer.getvalue()
