"""``lrplot check``: run the comparison, write its artefacts, update baselines on request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from lrplot.batch.manifest import load_manifest
from lrplot.errors import InputError
from lrplot.files.atomic import write_atomic
from lrplot.files.export import json_bytes
from lrplot.regress.baseline import png_size
from lrplot.regress.compare import (
    STATUSES,
    FigureResult,
    Tolerance,
    check_figure,
    columns_of,
    extras,
)
from lrplot.regress.places import baseline_folder, check_outputs

DEFAULT_RESULTS = "lrplot-check-results"


@dataclass
class CheckOutcome:
    """Results per figure, what was written where, and the exit status to use."""

    results: list[FigureResult]
    results_dir: Path
    updated: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many figures have each status."""
        counted = Counter(result.status for result in self.results)
        return {status: counted.get(status, 0) for status in STATUSES}

    @property
    def failed(self) -> bool:
        """Whether anything differs, is missing or extra (and was not updated)."""
        fixed = set(self.updated) | set(self.pruned)
        return any(r.status != "match" and r.name not in fixed for r in self.results)


def run_check(
    manifest: str,
    baseline: str,
    tol: Tolerance,
    *,
    results: str | None = None,
    junit: str | None = None,
    update: bool = False,
    prune: bool = False,
    only: Sequence[str] = (),
    allow_import: Sequence[str] = (),
) -> CheckOutcome:
    """Compare, write artefacts, and (with ``update``) rewrite the baselines that differ."""
    from lrplot.batch.render import select

    if prune and not update:
        raise InputError("--prune", None, "only works with --update", "add --update")
    out = Path(results or DEFAULT_RESULTS)
    base = baseline_folder(baseline, update)
    # Where check writes, checked before any work: never into the baseline folder.
    check_outputs(out, Path(junit) if junit else None, base, Path(manifest))
    figures = load_manifest(manifest, allow_import=allow_import)
    chosen = select(figures, only)
    found = [check_figure(figure, base, tol, update=update) for figure in chosen]
    # With --only, the other figures' baselines are not extras: they belong to the manifest.
    outcome = CheckOutcome(found + ([] if only else extras(figures, base)), out)
    _write_artefacts(outcome, base)
    if junit:
        write_atomic(Path(junit), junit_xml(outcome.results))
    if update:
        base.mkdir(exist_ok=True)  # the first run of --update fills a new folder
        _update(outcome, base, prune)
    return outcome


def _write_artefacts(outcome: CheckOutcome, baseline: Path) -> None:
    outcome.results_dir.mkdir(parents=True, exist_ok=True)
    for result in outcome.results:
        if result.status == "match":
            _remove_stale(outcome.results_dir, result.name)
        if result.status != "match" and result.rendered is not None:
            write_obtained(result, outcome.results_dir, baseline)
    summary = {
        "baseline": str(baseline),
        "counts": outcome.counts(),
        "figures": [result.summary() for result in outcome.results],
    }
    write_atomic(outcome.results_dir / "summary.json", json_bytes(summary))


def write_obtained(result: FigureResult, folder: Path, baseline: Path) -> list[Path]:
    """The figure as obtained now (PNG, JSON) and its diff picture, in ``folder``."""
    assert result.rendered is not None
    written = [folder / f"{result.name}.png", folder / f"{result.name}.json"]
    write_atomic(written[0], result.png())
    write_atomic(written[1], result.rendered.encode("json"))
    diff = _diff_png(result, baseline)
    if diff is not None:
        written.append(folder / f"{result.name}-diff.png")
        write_atomic(written[-1], diff)
    return written


def write_baseline(result: FigureResult, baseline: Path, *, image: bool = True) -> list[Path]:
    """Make the figure as obtained now the baseline: its JSON, and its PNG with ``image``."""
    assert result.rendered is not None
    written = [baseline / f"{result.name}.json"]
    write_atomic(written[0], result.rendered.encode("json"))
    if image:
        written.append(baseline / f"{result.name}.png")
        write_atomic(written[-1], result.png())
    return written


def _remove_stale(folder: Path, name: str) -> None:
    """Drop a previous run's artefacts of a figure that matches now, so none mislead."""
    for stale in (f"{name}.png", f"{name}.json", f"{name}-diff.png"):
        (folder / stale).unlink(missing_ok=True)


def _diff_png(result: FigureResult, baseline: Path) -> bytes | None:
    """A picture of the difference a person understands at a glance."""
    import numpy as np

    from lrplot.draw.encoding import encode
    from lrplot.regress.pixels import data_diff_figure, image_diff_figure

    assert result.rendered is not None
    if result.status == "image-diff":
        assert result.baseline_png is not None
        how = f"RMS {result.rms:.2f}" if result.rms is not None else result.note
        path = baseline / f"{result.name}.png"
        figure = image_diff_figure(
            result.baseline_png,
            result.png(),
            f"{result.name}: pixels differ, {how}",
            png_size(result.baseline_png, path),
        )
        return encode(figure, "png")
    if result.status != "data-diff" or result.data is None or result.data.reason:
        return None
    assert result.baseline_document is not None  # a data-diff was compared with it
    old = columns_of(result.baseline_document)
    new = columns_of(result.rendered.document())
    column = result.data.column
    x = np.asarray(new.get("epoch") or new.get("step") or range(len(new[column])), dtype=float)
    figure = data_diff_figure(
        x,
        np.asarray(old[column], dtype=float),
        np.asarray(new[column], dtype=float),
        column,
        result.data.x,
        f"{result.name}: {result.data.describe()}",
    )
    return encode(figure, "png")


def _update(outcome: CheckOutcome, baseline: Path, prune: bool) -> None:
    for result in outcome.results:
        if result.status in ("data-diff", "image-diff", "missing") and result.rendered:
            write_baseline(result, baseline)
            outcome.updated.append(result.name)
        elif result.status == "extra" and prune:
            for suffix in (".json", ".png"):
                (baseline / f"{result.name}{suffix}").unlink(missing_ok=True)
            outcome.pruned.append(result.name)


def junit_xml(results: Sequence[FigureResult]) -> bytes:
    """JUnit XML: one test case per figure, failures for anything but a match."""
    failures = sum(result.status != "match" for result in results)
    suite = ElementTree.Element(
        "testsuite",
        name="lrplot check",
        tests=str(len(results)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for result in results:
        case = ElementTree.SubElement(suite, "testcase", classname="lrplot.check", name=result.name)
        if result.status != "match":
            detail = result.data.describe() if result.data else result.note
            if result.rms is not None:
                detail = f"{detail} RMS {result.rms:.3f}".strip()
            failure = ElementTree.SubElement(
                case,
                "failure",
                type=result.status,
                message=f"{result.status}: {detail}".strip(": "),
            )
            failure.text = detail
    text: bytes = ElementTree.tostring(suite, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def table_rows(outcome: CheckOutcome) -> list[tuple[str, str, str, str]]:
    """(figure, status, data delta, RMS) for each result, for the printed table."""
    rows = []
    for result in outcome.results:
        status = result.status + (" (updated)" if result.name in outcome.updated else "")
        status += " (pruned)" if result.name in outcome.pruned else ""
        delta = result.data.describe() if result.data else result.note
        rms = "" if result.rms is None else f"{result.rms:.3f}"
        rows.append((result.name, status, delta, rms))
    return rows


def table_text(outcome: CheckOutcome) -> str:
    """The per-figure table as aligned plain text (for logs and pipes)."""
    rows = [("figure", "status", "data", "RMS"), *table_rows(outcome)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ).rstrip()


def summary_line(outcome: CheckOutcome) -> str:
    """The closing line: counts per status, what was updated, where the artefacts are."""
    counts = ", ".join(f"{n} {status}" for status, n in outcome.counts().items() if n)
    total = len(outcome.results)
    line = f"checked {total} figure{'' if total == 1 else 's'}: {counts or 'none'}"
    if outcome.updated:
        line += f"; updated {', '.join(outcome.updated)}"
    if outcome.pruned:
        line += f"; pruned {', '.join(outcome.pruned)}"
    return line + f"; results in {outcome.results_dir}"
