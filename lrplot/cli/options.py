"""Typer option declarations for the command line, built as signature parameters.

Commands are assembled from these lists (see ``make_command``), so the options every
scheduler command shares are declared once. Numbers are declared as text and converted by
lrplot.spec.values, so the command line, SPEC strings and manifests share one converter and
one wording of errors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from lrplot.cli.declare import FLAG as _FLAG
from lrplot.cli.declare import TEXT as _TEXT
from lrplot.cli.declare import TEXTS as _TEXTS
from lrplot.cli.declare import opt
from lrplot.cli.outputs import output_parameters
from lrplot.schedulers import registry
from lrplot.schedulers.entry import METAVARS, REQUIRED, Option, Scheduler


def _epochs_default(entry: Scheduler | None, default: str) -> str:
    """--epochs' default, which a schedule's own step count sets when it is given
    (lrplot.spec.build: OneCycleLR's total_steps, a transformers num_training_steps)."""
    if entry is None:
        return default
    keyword = "total_steps" if entry.source == "torch" else "num_training_steps"
    flags = {option.name: option.flag for option in entry.options}
    if keyword not in flags:
        return default
    return (
        f"[default: {flags[keyword]} / --steps-per-epoch, in whole epochs, when given; "
        f"else {entry.epochs}]"
    )


def run_parameters(entry: Scheduler | None, *, resume: bool = True) -> list[inspect.Parameter]:
    """--lr, --epochs, --steps-per-epoch, --momentum, --optimizer (and --start-epoch).

    Defaults are shown from ``entry``; without one (compare) they come from the first SPEC.
    """

    def shown(value: float) -> str:
        return f"[default: {value:g}]" if entry else "[default: the first SPEC's]"

    lr, epochs, spe = (entry.lr, entry.epochs, entry.steps_per_epoch) if entry else (0, 0, 0)
    sgd_momentum = f"{entry.momentum:g}" if entry else "each scheduler's"
    params = [
        opt(
            "lr",
            _TEXTS,
            "--lr",
            metavar="FLOAT",
            help="initial lr; repeat for several param groups " + shown(lr),
        ),
        opt(
            "epochs",
            _TEXT,
            "--epochs",
            "-n",
            metavar="INT",
            help="epochs to record " + _epochs_default(entry, shown(epochs)),
        ),
        opt(
            "steps_per_epoch",
            _TEXT,
            "--steps-per-epoch",
            metavar="INT",
            help="scheduler steps per epoch: stepped per batch, so options that count "
            "scheduler steps count batches " + shown(spe),
        ),
        opt(
            "momentum",
            _TEXT,
            "--momentum",
            metavar="FLOAT",
            help="the optimizer's momentum (SGD, RMSprop; Adam's beta1 is --optimizer "
            f"adam:betas=[...]) [default: {sgd_momentum} on SGD, the optimizer's own on others]",
        ),
        opt(
            "optimizer",
            _TEXT,
            "--optimizer",
            metavar="NAME[:key=value,...]",
            help="the torch.optim optimizer to run on, with its keywords, e.g. "
            "adam:betas=[0.9,0.99],weight_decay=0.01 [default: sgd]",
        ),
    ]
    return params + _resume_parameters(entry, resume=resume)


def _resume_parameters(entry: Scheduler | None, *, resume: bool) -> list[inspect.Parameter]:
    """How the scheduler is stepped and where the run resumes."""
    params = []
    if entry is not None:
        # Shown where torch supports it; elsewhere hidden, so that it is refused with the
        # reason (torch deprecates step(epoch)) rather than as an unknown option.
        params.append(
            opt(
                "fractional_epochs",
                bool,
                "--fractional-epochs",
                default=False,
                hidden=not entry.fractional_epochs,
                help="step(epoch + i / steps-per-epoch) after batch i, as torch documents for "
                "warm restarts: T_0 counts epochs while the lr changes every batch",
            )
        )
    if resume:
        params.append(
            opt(
                "start_epoch",
                _TEXT,
                "--start-epoch",
                metavar="INT",
                help="resume at this epoch, as a training script does from a "
                "checkpoint, and record from there; a difference from the uninterrupted "
                "run is warned about and drawn",
            )
        )
        params.append(
            opt(
                "resume_by",
                _TEXT,
                "--resume-by",
                metavar="state-dict|last-epoch",
                help="state-dict: load the optimizer's and the scheduler's state_dicts, as a "
                "correct training script does; last-epoch: rebuild the scheduler with "
                "last_epoch, torch's constructor path [default: state-dict]",
            )
        )
    return params


def keyword_parameter(option: Option) -> inspect.Parameter:
    """A scheduler keyword as an option; its value stays text for lrplot.spec.values."""
    default = option.default
    shown = ",".join(map(str, default)) if isinstance(default, tuple) else default
    units = (
        " (scheduler steps: epochs, or batches with --steps-per-epoch)"
        if option.counts_steps
        else ""
    )
    text = f"{option.help}{units} " + (
        "[required]" if default == REQUIRED else f"[default: {shown}]"
    )
    if option.kind == "unfillable":  # listed, and refused with its reason when given
        return opt(option.name, _TEXT, option.flag, metavar="-", help=option.help)
    if option.kind == "bool":
        return opt(option.name, _FLAG, f"{option.flag}/--no-{option.flag[2:]}", help=text)
    metavar = "|".join(option.choices) if option.choices else METAVARS[option.kind]
    kind = _TEXTS if option.kind in ("specs", "exprs") else _TEXT
    return opt(option.name, kind, option.flag, metavar=metavar, help=text)


def metric_parameters(entry: Scheduler) -> list[inspect.Parameter]:
    """ReduceLROnPlateau's metric inputs, for a plateau schedule; hidden on a factory judged
    not to be one (a guess, lrplot.schedulers.kinds), so that ``--metrics`` there is refused
    by lrplot.spec.plateau saying how to make it one, not by Click as an unknown option."""
    if not entry.needs_metric and entry.source != "factory":
        return []
    hidden = not entry.needs_metric
    return [
        opt(
            "metrics",
            _TEXT,
            "--metrics",
            metavar="PATH|V1,V2,...",
            help="the metric plateau watches: a file (one value per line, a CSV column as "
            "PATH[:COLUMN], a JSON list) or numbers; its length sets --epochs when that is "
            "not given",
            hidden=hidden,
        ),
        opt(
            "metric_expr",
            _TEXT,
            "--metric-expr",
            metavar="EXPR",
            help="the metric as an expression of epoch [default: the synthetic loss "
            f"{registry.SYNTHETIC_METRIC}]",
            hidden=hidden,
        ),
    ]


def scheduler_parameters(entry: Scheduler) -> list[inspect.Parameter]:
    """Every option of one scheduler command: its keywords, then the shared options."""
    params = [keyword_parameter(option) for option in entry.options]
    params += metric_parameters(entry)
    params += run_parameters(entry)
    return params + output_parameters(entry.stem)


def make_command(
    name: str, parameters: list[inspect.Parameter], body: Callable[..., int], doc: str
) -> Callable[..., int]:
    """A Typer callback with ``parameters`` as its signature that calls ``body(**values)``."""

    def command(**values: Any) -> int:
        return body(**values)

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__doc__ = doc
    command.__name__ = name.replace("-", "_")
    return command
