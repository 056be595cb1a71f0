"""Compare regenerated figures with committed baselines: data first, then pixels.

Returns results; never prints or exits (the command line does that).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrplot.batch.names import RESERVED_NAMES
from lrplot.batch.pipeline import FigureSpec, Rendered, realise
from lrplot.regress.baseline import Broken, png_size, present, read_document, read_png

STATUSES = ("match", "data-diff", "image-diff", "missing", "extra")
#: Baseline files that are not figures (the contact sheet of ``render --contact-sheet``): the
#: names a manifest refuses for a figure, so none is both.
NOT_FIGURES = RESERVED_NAMES


@dataclass(frozen=True)
class Tolerance:
    """How close regenerated data and pixels must be to the baseline."""

    rtol: float = 1e-9
    atol: float = 0.0
    image_tol: float = 2.0
    data_only: bool = False


@dataclass(frozen=True)
class DataDiff:
    """The first differing row of one column, and how many rows differ."""

    column: str
    row: int
    x: float | None
    baseline: float | None
    obtained: float | None
    differing: int
    reason: str = ""

    def describe(self) -> str:
        """One line, e.g. ``lr at epoch 30: 0.0005 -> 0.00025 (rel 0.5), 70 rows differ``."""
        if self.reason:
            return f"{self.column}: {self.reason}"
        where = f"epoch {self.x:g}" if self.x is not None else f"row {self.row}"
        rel = _relative(self.baseline, self.obtained)
        rows = "1 row differs" if self.differing == 1 else f"{self.differing:,} rows differ"
        return (
            f"{self.column} at {where}: {self.baseline!r} -> {self.obtained!r} "
            f"(rel {rel:.3g}), {rows}"
        )


@dataclass
class FigureResult:
    """The outcome for one figure (or one extra baseline)."""

    name: str
    status: str
    data: DataDiff | None = None
    rms: float | None = None
    note: str = ""
    rendered: Rendered | None = field(default=None, repr=False)
    #: The baseline's JSON document, as read for the comparison (None if there was none).
    baseline_document: dict[str, Any] | None = field(default=None, repr=False)
    #: The baseline's PNG bytes, as read and checked for the comparison.
    baseline_png: bytes | None = field(default=None, repr=False)
    _png: bytes | None = field(default=None, repr=False)

    def png(self) -> bytes:
        """The regenerated PNG, drawn once however often the check, artefacts and update need it."""
        if self._png is None:
            assert self.rendered is not None
            self._png = self.rendered.encode("png")
        return self._png

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (for summary.json)."""
        return {
            "name": self.name,
            "status": self.status,
            "data": self.data.describe() if self.data else None,
            "rms": self.rms,
            "note": self.note,
        }


def _relative(a: float | None, b: float | None) -> float:
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return math.inf  # a non-finite value differs from everything, entirely
    return abs(b - a) / abs(a) if a else abs(b - a)


def columns_of(document: dict[str, Any]) -> dict[str, list[float]]:
    """Every numeric column of an lrplot JSON document, named as in its CSV."""
    if "runs" in document:  # a descent figure
        out: dict[str, list[float]] = {}
        for run in document["runs"]:
            out[f"lr={run['lr']!r}:x"] = run["x"]
            out[f"lr={run['lr']!r}:loss"] = run["loss"]
        return out
    if "curves" in document:
        out = {}
        for curve in document["curves"]:
            for name, column in curve["series"].items():
                out[f"{curve['label']}:{name}"] = column
        return out
    return dict(document["series"])


def compare_data(
    baseline: dict[str, Any], obtained: dict[str, Any], tol: Tolerance
) -> DataDiff | None:
    """The first difference between two documents' columns, or None when they agree."""
    old, new = columns_of(baseline), columns_of(obtained)
    if list(old) != list(new):
        missing = sorted(set(old) ^ set(new)) or list(old)
        return DataDiff(
            missing[0],
            0,
            None,
            None,
            None,
            0,
            f"columns differ: baseline {list(old)}, obtained {list(new)}",
        )
    x = new.get("epoch") or new.get("step")
    for name in old:
        a, b = old[name], new[name]
        if len(a) != len(b):
            return DataDiff(
                name,
                0,
                None,
                None,
                None,
                abs(len(a) - len(b)),
                f"{len(a)} rows in the baseline, {len(b)} obtained",
            )
        bad = [k for k in range(len(a)) if not _close(a[k], b[k], tol)]
        if bad:
            k = bad[0]
            return DataDiff(name, k, float(x[k]) if x else None, a[k], b[k], len(bad))
    return None


def _close(a: float | None, b: float | None, tol: Tolerance) -> bool:
    if a is None or b is None:
        return a is b
    # lrplot never writes NaN or Infinity (its JSON is strict), so a non-finite value is
    # never one it made: it differs from everything, NaN from NaN too. Without this test a
    # NaN baseline would pass (every comparison with NaN is False) and inf - inf is NaN.
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= tol.atol + tol.rtol * abs(a)


def check_figure(
    figure: FigureSpec, baseline: Path, tol: Tolerance, *, update: bool = False
) -> FigureResult:
    """Regenerate ``figure`` and compare it with ``baseline/<name>.json`` and ``.png``.

    A baseline file lrplot cannot use is an InputError naming it; with ``update`` a broken
    regular file counts as missing instead, so that --update rewrites it.
    """
    rendered = realise(figure)
    result = FigureResult(figure.name, "match", rendered=rendered)
    try:
        _compare(result, baseline, tol)
    except Broken as broken:
        if not update:
            raise
        result.status, result.data, result.rms = "missing", None, None
        result.baseline_document = result.baseline_png = None
        result.note = f"unusable baseline {Path(str(broken.value)).name}: {broken.problem}"
    return result


def _compare(result: FigureResult, baseline: Path, tol: Tolerance) -> None:
    json_path, png_path = baseline / f"{result.name}.json", baseline / f"{result.name}.png"
    if not present(json_path):
        result.status, result.note = "missing", f"no baseline {json_path.name}"
        return
    # A missing PNG must not hide a data difference: the data is compared all the same.
    no_png = not tol.data_only and not present(png_path)
    # Both files are read and checked before comparing, so a broken one is always reported.
    old = result.baseline_document = read_document(json_path)
    size = (0, 0)
    if not tol.data_only and not no_png:
        result.baseline_png, size = read_png(png_path)
    assert result.rendered is not None
    new = result.rendered.document()
    result.data = compare_data(old, new, tol)
    if old.get("torch_version") != new.get("torch_version"):
        result.note = f"torch {old.get('torch_version')} -> {new.get('torch_version')}"
    if result.data is not None:
        result.status = "data-diff"
    elif no_png:
        result.status, result.note = "missing", f"no baseline {png_path.name}"
    elif not tol.data_only:
        _compare_pixels(result, png_path, size, tol)


def _compare_pixels(
    result: FigureResult, path: Path, size: tuple[int, int], tol: Tolerance
) -> None:
    from lrplot.regress.pixels import rms_difference

    assert result.baseline_png is not None
    obtained = png_size(result.png(), path)
    if size != obtained:  # another --size or dpi: nothing to subtract, and no crash
        result.status = "image-diff"
        shown = f"size {size[0]}x{size[1]} -> {obtained[0]}x{obtained[1]} px"
        result.note = f"{result.note}; {shown}" if result.note else shown
        return
    try:
        result.rms = rms_difference(result.baseline_png, result.png())
    except (OSError, SyntaxError, ValueError, zlib.error):
        raise Broken(path, "is a PNG whose pixels cannot be decoded") from None
    if result.rms > tol.image_tol:
        result.status = "image-diff"


def extras(figures: Sequence[FigureSpec], baseline: Path) -> list[FigureResult]:
    """Baseline PNG/JSON files that belong to no figure of the manifest."""
    names = {figure.name for figure in figures} | NOT_FIGURES
    if not baseline.is_dir():  # --update's first run: the folder is made at the end
        return []
    stems = sorted(
        {p.stem for p in baseline.iterdir() if p.suffix in (".json", ".png") and p.is_file()}
    )
    return [
        FigureResult(stem, "extra", note="baseline without a figure")
        for stem in stems
        if stem not in names
    ]
