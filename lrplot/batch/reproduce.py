"""Write the command line that reproduces a figure (for JSON ``command`` and ``index.md``)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.expression import Expression
from lrplot.spec.style import FigureStyle


def _text(value: object) -> str:
    if isinstance(value, Expression):
        return value.source
    if isinstance(value, (tuple, list)):
        return ",".join(_text(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def scheduler_flags(spec: CurveSpec) -> list[str]:
    """Flags for the keywords of ``spec`` that differ from lrplot's defaults."""
    flags: list[str] = []
    for option in spec.scheduler.options:
        if option.name not in spec.params:  # a target's default text could not give
            continue
        value = spec.params[option.name]
        if option.kind == "specs":
            value = tuple(child.label or child.scheduler.command for child in spec.children)
            if value == option.default:
                continue
            for text in value:
                flags += [option.flag, text]
            continue
        if value == option.default or (option.kind == "expr" and _text(value) == option.default):
            continue
        if option.kind == "bool":
            flags.append(option.flag if value else f"--no-{option.flag[2:]}")
        elif option.kind == "exprs":
            values = value if isinstance(value, tuple) else (value,)
            if tuple(_text(v) for v in values) != (option.default,):
                for one in values:
                    flags += [option.flag, _text(one)]
        else:
            flags += [option.flag, _text(value)]
    return flags


def common_flags(spec: CurveSpec) -> list[str]:
    """Flags for the run settings of ``spec`` that differ from its scheduler's defaults."""
    entry = spec.scheduler
    flags: list[str] = []
    if spec.lrs != (entry.lr,):
        for lr in spec.lrs:
            flags += ["--lr", repr(lr)]
    optimizer = spec.optimizer
    if not optimizer.is_default:
        flags += ["--optimizer", optimizer.command_text()]
    pairs = (
        ("--epochs", spec.epochs, entry.epochs),
        ("--steps-per-epoch", spec.steps_per_epoch, entry.steps_per_epoch),
        ("--momentum", spec.momentum, optimizer.default_momentum(entry.momentum)),
        ("--start-epoch", spec.start_epoch, 0),
    )
    if spec.fractional_epochs:
        flags.append("--fractional-epochs")
    if spec.start_epoch and spec.resume_by != "state-dict":
        flags += ["--resume-by", spec.resume_by]
    for flag, value, default in pairs:
        if value != default:
            flags += [flag, _text(value)]
    if spec.metric_source and spec.metric_source.startswith("metrics"):
        flags += ["--metrics", ",".join(repr(v) for v in spec.metric or ())]
    elif spec.metric_source and spec.metric_source.startswith("expression: "):
        flags += ["--metric-expr", spec.metric_source.removeprefix("expression: ")]
    return flags


def style_flags(style: FigureStyle) -> list[str]:
    """Flags for a FigureStyle's non-default settings."""
    default = FigureStyle()
    flags: list[str] = []
    if style.title is not None:
        flags += ["--title", style.title]
    if style.log_y is not None:
        flags.append("--log-y" if style.log_y else "--linear-y")
    if style.annotate:
        flags.append("--annotate")
    if style.dpi != default.dpi:
        flags += ["--dpi", str(style.dpi)]
    if style.size != default.size:
        flags += ["--size", f"{style.size[0]:g}x{style.size[1]:g}"]
    if not style.momentum_panel:
        flags.append("--no-momentum")
    if style.panels:
        flags += ["--layout", "panels"]
    if style.x_axis not in (None, "epoch"):
        flags += ["--x-axis", style.x_axis]
    return flags


def spec_string(spec: CurveSpec) -> str:
    """``NAME:key=value,...`` for one curve (its non-default keywords)."""
    parts = []
    flags = scheduler_flags(spec)
    for index in range(0, len(flags), 2):
        option = spec.scheduler.option(flags[index])
        name = option.name if option else flags[index].lstrip("-")
        value = flags[index + 1] if index + 1 < len(flags) else ""
        parts.append(
            f"{name}=[{value}]"
            if option and option.kind in ("ints", "floats") and "," in value
            else f"{name}={value}"
        )
    return spec.scheduler.command + (":" + ",".join(parts) if parts else "")


def curve_command(curves: Sequence[CurveSpec], style: FigureStyle) -> tuple[str, ...]:
    """``lrplot NAME ...`` for one curve, ``lrplot compare SPEC ...`` for several.

    Empty when the curves differ in run settings (lr, epochs ...), which compare shares.
    """
    if len(curves) == 1:
        spec = curves[0]
        return (
            "lrplot",
            *spec.scheduler.invocation.split(" "),
            *scheduler_flags(spec),
            *common_flags(spec),
            *style_flags(style),
        )
    if any(common_flags(c) != common_flags(curves[0]) for c in curves):
        return ()  # per-curve run settings: no single compare command reproduces it
    argv = ["lrplot", "compare", *(spec_string(c) for c in curves)]
    for curve in curves:
        argv += ["--label", curve.label or curve.scheduler.command]
    return (*argv, *common_flags(curves[0]), *style_flags(style))


def descent_command(
    lrs: Sequence[float], steps: int, start: float, style: FigureStyle
) -> tuple[str, ...]:
    """``lrplot descent ...`` for a descent figure."""
    argv = ["lrplot", "descent"]
    for lr in lrs:
        argv += ["--lr", repr(lr)]
    return (*argv, "--steps", str(steps), "--start", repr(start), *style_flags(style))


def shell(argv: Sequence[str]) -> str:
    """The command quoted for a POSIX shell."""
    return " ".join(shlex.quote(part) for part in argv)
