"""The one-figure commands (a scheduler, compare, descent) as library calls: options -> files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from lrplot.batch.pipeline import FIGURE_FORMATS, DescentSpec, FigureSpec, realise, write
from lrplot.curve import Curve
from lrplot.errors import InputError
from lrplot.files.targets import Target, check_format, parse_targets
from lrplot.schedulers.entry import AT_LEAST_ONE, POSITIVE
from lrplot.schedulers.registry import lookup
from lrplot.spec.build import RUN_KEYS, build_spec, spec_from_string
from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.style import style_from
from lrplot.spec.values import to_float, to_int


@dataclass(frozen=True)
class PlotResult:
    """The curves a command drew and the paths it wrote."""

    curves: list[Curve]
    paths: list[str]
    notes: list[str] = field(default_factory=list)  # warnings for the user, one line each
    preview: str | None = None  # the text chart of --preview, for stdout

    def changes(self) -> list[str]:
        """Each lr change as ``epoch 10: lr 1.000e-03 -> 5.000e-04`` (what --verbose prints)."""
        from lrplot.simulation.changes import lr_changes

        return [line for curve in self.curves for line in lr_changes(curve)]


def _run_settings(common: Mapping[str, Any]) -> dict[str, Any]:
    return {key: common.get(key) for key in RUN_KEYS}


def _targets(common: Mapping[str, Any], stem: str) -> list[Target]:
    """The files to write: the -o targets, the default file without -o, none for --preview
    alone (whose chart takes standard output, so ``-o -`` cannot have it too)."""
    outputs, fmt = common.get("output") or [], common.get("fmt")
    if not common.get("preview"):
        return parse_targets(outputs, fmt, stem)
    if "-" in outputs:
        raise InputError(
            "--output",
            "-",
            "writes the data to standard output, where --preview prints its chart, and "
            "standard output holds one of the two",
            f"write the data to a file (-o {stem}.csv) or leave out --preview",
        )
    check_format(fmt)
    return parse_targets(outputs, fmt, stem) if outputs else []


def _figure(figure: FigureSpec, common: Mapping[str, Any], stem: str) -> PlotResult:
    targets = _targets(common, stem)
    rendered = realise(figure)
    notes = [note for spec in figure.curves for note in spec.notes]
    notes = list(dict.fromkeys(notes + [note for c in rendered.curves for note in c.notes]))
    if rendered.curves and any(t.fmt in FIGURE_FORMATS for t in targets):
        from lrplot.draw.choices import figure_notes

        style = rendered.spec.style
        notes += figure_notes(rendered.curves, style.log_y, style.panels)
    chart = None
    if common.get("preview"):
        from lrplot.draw.choices import figure_notes
        from lrplot.draw.preview import preview, terminal

        style = rendered.spec.style
        chart = preview(rendered.curves, style, terminal())
        # The chart overlays every curve on one axis (as a figure without panels), log or
        # not by all of them together; a note the figure made already is said once.
        notes = list(dict.fromkeys(notes + figure_notes(rendered.curves, style.log_y, False)))
    return PlotResult(rendered.curves, write(rendered, targets), notes, chart)


def plot_scheduler(
    command: str,
    options: Mapping[str, object],
    common: Mapping[str, Any],
    *,
    argv: Sequence[str] = (),
) -> PlotResult:
    """``lrplot COMMAND``: one curve from the registry entry ``command``."""
    style = style_from(common)
    stem = lookup(command).stem
    _targets(common, stem)  # fail before work
    spec = build_spec(command, options, **_run_settings(common))
    return _figure(FigureSpec(stem, (spec,), style, command=tuple(argv)), common, stem)


def compare(
    texts: Sequence[str],
    labels: Sequence[str],
    common: Mapping[str, Any],
    *,
    argv: Sequence[str] = (),
) -> PlotResult:
    """``lrplot compare SPEC SPEC ...``: several schedules overlaid (or paneled) in one figure."""
    if not texts:
        raise InputError("SPEC", None, "is missing", "give one or more, e.g. step cosine")
    if len(labels) > len(texts):
        raise InputError(
            "--label",
            labels[len(texts)],
            f"is one more than the {len(texts)} SPECs",
            "give at most one --label per SPEC",
        )
    from lrplot.draw.texts import check_texts

    check_texts((label, "--label") for label in labels)
    style = style_from(common)
    _targets(common, "compare")
    settings = _run_settings(common)
    first = spec_from_string(texts[0], where="SPEC", **settings)
    # One lr, epoch count and step rate for every curve, from the first SPEC's scheduler
    # unless given; a SPEC's own lr= still wins for that curve.
    settings["lr"] = settings["lr"] or [first.scheduler.lr]
    settings["epochs"] = settings["epochs"] or first.epochs
    settings["steps_per_epoch"] = settings["steps_per_epoch"] or first.steps_per_epoch
    specs = tuple(
        _labelled(spec_from_string(text, where="SPEC", label=text, **settings), labels, i)
        for i, text in enumerate(texts)
    )
    return _figure(FigureSpec("compare", specs, style, command=tuple(argv)), common, "compare")


def _labelled(spec: CurveSpec, labels: Sequence[str], index: int) -> CurveSpec:
    """The ``index``-th SPEC's curve with its --label, if one was given (named so in errors
    about it, such as the glyph check at drawing); else labelled by its SPEC text."""
    if index >= len(labels):
        return spec
    return replace(spec, label=labels[index], names={**spec.names, "label": "--label"})


def descent(common: Mapping[str, Any], *, argv: Sequence[str] = ()) -> PlotResult:
    """``lrplot descent``: the guide's opening figure, real SGD on a quadratic."""
    style = style_from(common)
    parse_targets(common.get("output") or [], common.get("fmt"), "descent")
    from lrplot.simulation import descent as defaults

    lrs = tuple(
        to_float(v, "--lr", POSITIVE, 0.3) for v in common.get("lr") or defaults.DEFAULT_LRS
    )
    steps = to_int(common.get("steps") or defaults.DEFAULT_STEPS, "--steps", AT_LEAST_ONE, 20)
    start = to_float(common.get("start") or defaults.DEFAULT_START, "--start", None, 4.0)
    figure = FigureSpec(
        "descent", style=style, descent=DescentSpec(lrs, steps, start), command=tuple(argv)
    )
    return _figure(figure, common, "descent")
