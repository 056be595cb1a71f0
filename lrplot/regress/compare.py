"""Compare regenerated figures with committed baselines: data first, then pixels.

Returns results; never prints or exits (the command line does that).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrplot.batch.pipeline import FigureSpec, Rendered, realise
from lrplot.errors import InputError

STATUSES = ("match", "data-diff", "image-diff", "missing", "extra")
#: Baseline files that are not figures (the contact sheet of ``render --contact-sheet``).
NOT_FIGURES = frozenset({"index"})


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
        return (
            f"{self.column} at {where}: {self.baseline!r} -> {self.obtained!r} "
            f"(rel {rel:.3g}), {self.differing} rows differ"
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
    if a is None or b is None:
        return math.inf
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
    return abs(a - b) <= tol.atol + tol.rtol * abs(a)


def check_figure(figure: FigureSpec, baseline: Path, tol: Tolerance) -> FigureResult:
    """Regenerate ``figure`` and compare it with ``baseline/<name>.json`` and ``.png``."""
    rendered = realise(figure)
    result = FigureResult(figure.name, "match", rendered=rendered)
    json_path, png_path = baseline / f"{figure.name}.json", baseline / f"{figure.name}.png"
    if not json_path.is_file() or (not tol.data_only and not png_path.is_file()):
        result.status = "missing"
        result.note = f"no baseline {json_path.name if not json_path.is_file() else png_path.name}"
        return result
    old = result.baseline_document = _load_json(json_path)
    new = rendered.document()
    result.data = compare_data(old, new, tol)
    if old.get("torch_version") != new.get("torch_version"):
        result.note = f"torch {old.get('torch_version')} -> {new.get('torch_version')}"
    if result.data is not None:
        result.status = "data-diff"
        return result
    if not tol.data_only:
        from lrplot.regress.pixels import rms_difference

        result.rms = rms_difference(png_path.read_bytes(), result.png())
        if result.rms > tol.image_tol:
            result.status = "image-diff"
    return result


def _load_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(
            "--baseline",
            str(path),
            f"is not a readable lrplot JSON ({error})",
            "regenerate it with --update",
        ) from None
    if not isinstance(document, dict):
        raise InputError(
            "--baseline", str(path), "is not an lrplot JSON document", "regenerate it with --update"
        )
    return document


def extras(figures: Sequence[FigureSpec], baseline: Path) -> list[FigureResult]:
    """Baseline PNG/JSON files that belong to no figure of the manifest."""
    names = {figure.name for figure in figures} | NOT_FIGURES
    stems = sorted(
        {p.stem for p in baseline.iterdir() if p.suffix in (".json", ".png") and p.is_file()}
    )
    return [
        FigureResult(stem, "extra", note="baseline without a figure")
        for stem in stems
        if stem not in names
    ]
