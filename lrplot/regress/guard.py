"""One schedule against its baseline, for a test suite: what the pytest plugin runs.

A target is anything lrplot can run: a Python object (a factory taking the optimizer, or a
scheduler class), called as ``target(optimizer, **keywords)``, or a name lrplot accepts (a
command, an import path, ``hf/NAME``) whose keywords are that command's options. The curve
is compared as ``lrplot check`` compares it: data first (rtol 1e-9), pixels on request.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrplot.batch.pipeline import FigureSpec
from lrplot.regress.artefacts import write_baseline, write_obtained
from lrplot.regress.compare import FigureResult, Tolerance, check_figure
from lrplot.schedulers import held
from lrplot.spec.build import build_spec


@dataclass(frozen=True)
class Run:
    """How the schedule is run: the settings of ``lr_regression.check`` besides the target."""

    epochs: int
    steps_per_epoch: int = 1
    lr: object = None
    optimizer: str | None = None
    metrics: object = None


@dataclass
class Verdict:
    """The outcome of one comparison: whether it failed, why, and the files written."""

    failed: bool
    message: str = ""
    written: list[Path] = field(default_factory=list)
    #: The run's notes: the target's own warnings and what lrplot says about the run.
    notes: tuple[str, ...] = ()


@contextlib.contextmanager
def figure_of(
    target: Any, keywords: Mapping[str, Any], run: Run, name: str
) -> Iterator[FigureSpec]:
    """The figure lrplot would draw of ``target`` run with ``run``'s settings; a Python
    object is held for the block, so the figure is made (:func:`judge`) within it."""
    if isinstance(target, str):  # a command's options, spelt as their Python names
        yield _figure(target, keywords, run, name)
        return
    with held.holding(target, dict(keywords)) as path:
        yield _figure(path, {}, run, name)


def _figure(command: str, options: Mapping[str, Any], run: Run, name: str) -> FigureSpec:
    spec = build_spec(
        command,
        options,
        lr=run.lr,
        epochs=run.epochs,
        steps_per_epoch=run.steps_per_epoch,
        optimizer=run.optimizer,
        metrics=run.metrics,
        namer=lambda key: key,
        command_where="target",
    )
    return FigureSpec(name, (spec,))


def judge(
    figure: FigureSpec,
    baseline: Path,
    results: Path,
    *,
    image: bool,
    update: bool,
    how_to_update: str,
    root: Path = Path("."),
) -> Verdict:
    """Compare ``figure`` with ``baseline/NAME.json`` (and ``.png`` with ``image``).

    A missing baseline fails and writes nothing; with ``update`` a missing or different
    baseline is rewritten and passes (``how_to_update`` says how). A difference writes the
    obtained files and the diff picture to ``results``. Messages show paths relative to
    ``root`` (pytest's rootdir).
    """
    tol = Tolerance(data_only=not image)
    result = check_figure(figure, baseline, tol, update=update)
    assert result.rendered is not None
    notes = tuple(note for curve in result.rendered.curves for note in curve.notes)
    json_path = baseline / f"{figure.name}.json"
    if result.status == "match":
        return Verdict(False, notes=notes)
    if update:
        baseline.mkdir(parents=True, exist_ok=True)
        return Verdict(False, written=write_baseline(result, baseline, image=image), notes=notes)
    if result.status == "missing":
        missing = json_path if not json_path.is_file() else json_path.with_suffix(".png")
        fix = f"run {how_to_update} to write it (nothing written)"
        return Verdict(True, f"no baseline {shown(missing, root)}; {fix}", notes=notes)
    results.mkdir(parents=True, exist_ok=True)
    written = write_obtained(result, results, baseline)
    return Verdict(
        True,
        f"{figure.name} differs from {shown(json_path, root)}: {_difference(result, tol)}; "
        f"obtained files and the diff picture are in {shown(results, root)}; if the change is "
        f"intended, run {how_to_update}",
        written,
        notes,
    )


def _difference(result: FigureResult, tol: Tolerance) -> str:
    """The data's first difference, or how the pixels differ (a size, or the RMS)."""
    if result.data is not None:
        return result.data.describe()
    if result.rms is None:  # another pixel size: no RMS to give
        return f"pixels differ from {result.name}.png, {result.note}"
    return f"pixels differ from {result.name}.png, RMS {result.rms:.2f} (> {tol.image_tol:g})"


def shown(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it lies inside, else as it is."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
