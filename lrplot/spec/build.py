"""Build a checked CurveSpec from raw values: the command line, SPEC strings and manifests.

Every way of asking for a curve (command line, SPEC string, manifest) ends in
:func:`build_spec`, so all three check the same things in the same words.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.entry import AT_LEAST_ONE, NON_NEGATIVE, REQUIRED, Bound, Scheduler
from lrplot.schedulers.registry import lookup
from lrplot.spec import optimizers, plateau, rules
from lrplot.spec.curve_spec import CurveSpec, Namer, flag_namer
from lrplot.spec.grammar import parse_spec
from lrplot.spec.values import coerce, per_group, split_list, to_bool, to_float, to_int

#: The run settings build_spec takes besides a scheduler's own options, by keyword: what the
#: command line's common options, a manifest's run keys and compare's shared options fill.
RUN_KEYS = (
    "lr",
    "epochs",
    "steps_per_epoch",
    "momentum",
    "optimizer",
    "start_epoch",
    "metrics",
    "metric_expr",
    "fractional_epochs",
    "resume_by",
)


def build_spec(
    command: str,
    options: Mapping[str, object] | None = None,
    *,
    lr: object = None,
    epochs: object = None,
    steps_per_epoch: object = None,
    momentum: object = None,
    optimizer: object = None,
    start_epoch: object = None,
    metrics: object = None,
    metric_expr: object = None,
    fractional_epochs: object = None,
    resume_by: object = None,
    label: str | None = None,
    namer: Namer | None = None,
    command_where: str = "scheduler",
) -> CurveSpec:
    """Check raw values (text or TOML values; ``None`` = default) and build a CurveSpec.

    ``namer`` says how errors name a keyword; by default, as its command-line flag.
    ``optimizer`` is ``NAME[:key=value,...]`` (see lrplot.spec.optimizers); SGD by default.
    """
    entry = lookup(command, where=command_where)
    namer = namer or _flags_of(entry)
    params, names = _scheduler_params(entry, options or {}, namer)
    chosen, run_momentum = optimizers.resolve(optimizer, momentum, entry.momentum, namer)
    names["optimizer"] = namer("optimizer")
    names["label"] = namer("label")
    lrs = _lrs(lr, entry, namer, optimizers.lr_bound(chosen))
    for option in entry.options:
        if option.kind in ("floats", "exprs") and not option.sequence:  # a list is one value
            per_group(params[option.name], len(lrs), names[option.name])
    spe = to_int(
        _or(steps_per_epoch, entry.steps_per_epoch), namer("steps_per_epoch"), AT_LEAST_ONE, 10
    )
    metric_values = plateau.given_metric(entry, metrics, metric_expr, namer)
    n_epochs = _epochs(entry, epochs, spe, params, metric_values, namer)
    spec = CurveSpec(
        scheduler=entry,
        params=params,
        lrs=lrs,
        momentum=run_momentum,
        epochs=n_epochs,
        steps_per_epoch=spe,
        start_epoch=to_int(_or(start_epoch, 0), namer("start_epoch"), NON_NEGATIVE, 10),
        fractional_epochs=to_bool(_or(fractional_epochs, False), namer("fractional_epochs")),
        resume_by=str(_or(resume_by, "state-dict")),
        label=label,
        names=names,
        optimizer=chosen,
    )
    rules.check_run(spec, namer)
    if entry.composite:
        spec = _with_children(spec, namer)
    spec = replace(spec, notes=rules.notes(spec, epochs_given=epochs is not None))
    return plateau.with_metric(spec, metric_values, metric_expr, namer, metrics)


def spec_namer(where: str, text: str) -> Namer:
    """Names a key inside a SPEC string: ``--schedule 'cosine:T_max=0': T_max``."""
    return lambda key: f"{where} '{text}': {key}"


def spec_from_string(text: str, *, where: str = "SPEC", **common: Any) -> CurveSpec:
    """Build a CurveSpec from ``NAME[:key=value,...]`` and the common settings."""
    parsed = parse_spec(text, where)
    namer = spec_namer(where, text)
    options = dict(parsed.options)
    if "lr" in options:  # a curve's own lr, over the shared one
        common = {**common, "lr": split_list(options.pop("lr"), namer("lr"))}
    if "fractional_epochs" in options:
        common = {**common, "fractional_epochs": options.pop("fractional_epochs")}
    return build_spec(
        parsed.name, options, namer=namer, command_where=f"{where} '{text}'", **common
    )


def _with_children(spec: CurveSpec, namer: Namer) -> CurveSpec:
    where = spec.name_of("schedulers")
    texts = spec.params["schedulers"]
    assert isinstance(texts, tuple)
    children = []
    for text in texts:
        child = spec_from_string(
            text,
            where=where,
            lr=list(spec.lrs),
            epochs=spec.epochs,
            steps_per_epoch=spec.steps_per_epoch,
            momentum=spec.momentum,
            optimizer=spec.optimizer,
            label=text,
        )
        if child.scheduler.source == "timm":
            raise InputError(
                where,
                text,
                f"{child.scheduler.class_name} cannot be a child: timm steps with step(epoch) "
                "and step_update(n), and SequentialLR and ChainedScheduler call step() only",
                "plot it on its own, or use a torch scheduler as the child",
            )
        if child.scheduler.needs_metric:
            raise InputError(
                where,
                text,
                f"{child.scheduler.class_name} cannot be a child: it needs a metric at every "
                "step, which SequentialLR and ChainedScheduler do not pass on",
                "use a scheduler stepped without arguments",
            )
        children.append(child)
    if "milestones" in spec.params:
        rules.check_milestones(spec.params["milestones"], len(children), spec.name_of("milestones"))
    return replace(spec, children=tuple(children))


def _flags_of(entry: Scheduler) -> Namer:
    def name(key: str) -> str:
        option = entry.option(key)
        return option.flag if option is not None else flag_namer(key)

    return name


def _or(value: object, default: object) -> object:
    return default if value is None else value


def _scheduler_params(
    entry: Scheduler, options: Mapping[str, object], namer: Namer
) -> tuple[dict[str, object], dict[str, str]]:
    given: dict[str, object] = {}
    names: dict[str, str] = {}
    for key, raw in options.items():
        option = entry.option(key)
        if option is None:
            known = [o.name for o in entry.options]
            close = difflib.get_close_matches(key.replace("-", "_"), known, n=2, cutoff=0.5)
            hint = f"did you mean {' or '.join(close)}? " if close else ""
            raise InputError(
                namer(key),
                raw,
                f"is not an option of {entry.class_name}",
                hint + f"options: {', '.join(known) or 'none'}",
            )
        if raw is not None:
            given[option.name] = raw
            names[option.name] = namer(key)
    params: dict[str, object] = {}
    for option in entry.options:
        where = names.setdefault(option.name, namer(option.name))
        raw = given.get(option.name, option.default)
        if raw == REQUIRED and option.kind == "unfillable":
            raise InputError(
                where,
                None,
                f"is required by {entry.class_name}, and text cannot fill it ({option.help})",
                f"wrap {entry.class_name} in a factory that takes the optimizer and fills it",
            )
        if raw == REQUIRED:
            raise InputError(
                where,
                None,
                f"is required by {entry.class_name} (it has no default)",
                f"give it (lrplot {entry.invocation} --help)",
            )
        if option.kind == "unfillable" and option.name not in given:
            continue  # the target's own default, which text could not have given
        params[option.name] = coerce(option, raw, where)
    return params, names


def _lrs(lr: object, entry: Scheduler, namer: Namer, bound: Bound) -> tuple[float, ...]:
    if lr is None:
        return (entry.lr,)
    items = list(lr) if isinstance(lr, (list, tuple)) else [lr]
    if not items:
        return (entry.lr,)
    return tuple(to_float(item, namer("lr"), bound, entry.lr) for item in items)


def _epochs(
    entry: Scheduler,
    epochs: object,
    spe: int,
    params: Mapping[str, object],
    metric: tuple[float, ...] | None,
    namer: Namer,
) -> int:
    if epochs is not None:
        return to_int(epochs, namer("epochs"), AT_LEAST_ONE, 100)
    # The run's length where the schedule names it: OneCycleLR's total_steps, the training
    # training steps of a transformers schedule (or of any target with that keyword).
    total = params.get("total_steps" if entry.source == "torch" else "num_training_steps")
    if isinstance(total, int):
        return max(1, total // spe)  # OneCycleLR: record the whole epochs of the cycle
    if metric is not None:
        if len(metric) % spe:
            raise InputError(
                namer("metrics"),
                f"{len(metric)} values",
                f"is not a whole number of epochs of {spe} steps",
                f"give {namer('epochs')} too",
            )
        return len(metric) // spe
    return entry.epochs
