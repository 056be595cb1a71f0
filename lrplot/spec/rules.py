"""Checks of a curve's options that torch leaves out or words badly, made before it runs.

Resume and row limits, SequentialLR's milestones, CyclicLR's bounds and exp_range overflow,
and values inside torch's ranges that make a class divide by zero within the run: each
refuses a run with a message in the user's own option names instead of letting torch fail
later (or, worse, silently draw nonsense).
"""

from __future__ import annotations

import itertools
import os

from lrplot.errors import InputError
from lrplot.schedulers.entry import AT_LEAST_ONE, Scheduler
from lrplot.spec import numerics
from lrplot.spec.arithmetic import number_text
from lrplot.spec.curve_spec import CurveSpec, Namer
from lrplot.spec.values import to_int

#: The most rows one curve may record unless LRPLOT_MAX_ROWS says otherwise.
DEFAULT_MAX_ROWS = 10_000_000


def check_milestones(milestones: object, children: int, where: str) -> None:
    assert isinstance(milestones, tuple)
    shown = ",".join(map(str, milestones))
    if len(milestones) != children - 1:
        raise InputError(
            where,
            shown,
            f"has {len(milestones)} milestones for {children} "
            f"schedules; SequentialLR needs one fewer milestone than schedules",
            f"give {children - 1} milestone{'s' if children != 2 else ''}, "
            f"or {len(milestones) + 1} --schedule",
        )
    if any(b <= a for a, b in itertools.pairwise(milestones)):
        raise InputError(where, shown, "must be strictly increasing", "sort them, e.g. 5,50")
    if milestones and milestones[0] <= 0:
        raise InputError(
            where, shown, "must be > 0 (torch would skip the first child)", "start at 1 or later"
        )


def check_run(spec: CurveSpec, namer: Namer) -> None:
    """Every check of the run settings against the scheduler, before it runs."""
    check_timm_noise(spec)
    check_rows(spec, namer)
    check_resume(spec, namer)
    check_fractional(spec, namer)
    numerics.check_cyclic(spec)
    numerics.check_zero_divisions(spec)


def check_timm_noise(spec: CurveSpec) -> None:
    """timm's normal noise draws until |noise| < noise_pct: for noise_pct <= 0, forever."""
    params = spec.params
    if spec.scheduler.source != "timm" or params.get("noise_range_t") is None:
        return
    pct = params.get("noise_pct")
    if params.get("noise_type", "normal") == "normal" and isinstance(pct, float) and pct <= 0:
        raise InputError(
            spec.name_of("noise_pct"),
            pct,
            "must be > 0: timm draws normal noise until it is below noise_pct, which never "
            "happens for a value <= 0",
            "use e.g. 0.67 (timm's default)",
        )


def check_fractional(spec: CurveSpec, namer: Namer) -> None:
    if spec.fractional_epochs and not spec.scheduler.fractional_epochs:
        raise InputError(
            namer("fractional_epochs"),
            "true",
            f"only applies to cosine-restarts: torch deprecates step(epoch) for "
            f"{spec.scheduler.class_name}",
            f"drop {namer('fractional_epochs')}",
        )


def notes(spec: CurveSpec, *, epochs_given: bool) -> tuple[str, ...]:
    """Every warning a built curve carries: its scheduler's own, then this module's."""
    return (
        spec.scheduler.notes
        + unit_notes(spec)
        + ignored_notes(spec)
        + uneven_notes(spec, epochs_given)
    )


def unit_notes(spec: CurveSpec) -> tuple[str, ...]:
    """Warnings for options that count scheduler steps, stepped per batch here, whose value
    reads as epochs (it fits in the run's epoch count): ``cosine --t-max 90 -n 100
    --steps-per-epoch 390`` draws 433 cosine cycles, not one."""
    notes = [note for child in spec.children for note in child.notes]
    spe = spec.steps_per_epoch
    if spe == 1 or spec.fractional_epochs:
        return tuple(notes)
    for option in spec.scheduler.options:
        counts = _step_counts(spec.params.get(option.name)) if option.counts_steps else []
        if counts and max(counts) <= spec.epochs:
            name, given = spec.name_of(option.name), ",".join(map(str, counts))
            epochs = ",".join(number_text(round(v / spe, 3)) for v in counts)
            notes.append(
                f"{name} {given} counts scheduler steps, which are batches here ({spe} per "
                f"epoch): {given} batches = {epochs} epochs; for {given} epochs give {name} "
                + ",".join(str(v * spe) for v in counts)
            )
    return tuple(notes)


def uneven_notes(spec: CurveSpec, epochs_given: bool) -> tuple[str, ...]:
    """A warning when the run's length comes from the schedule's own step count (OneCycleLR's
    total_steps, a transformers schedule's num_training_steps) and is not a whole number of
    epochs: only the whole epochs are recorded, so the last steps would vanish unsaid."""
    keyword = "total_steps" if spec.scheduler.source == "torch" else "num_training_steps"
    total, spe = spec.params.get(keyword), spec.steps_per_epoch
    if epochs_given or not isinstance(total, int) or total % spe == 0 or total < spe:
        return ()
    shown = spec.epochs * spe
    more = (
        f"make {spec.name_of(keyword)} a multiple of {spe} (OneCycleLR cannot step past it)"
        if keyword == "total_steps"
        else f"give {spec.name_of('epochs')} {spec.epochs + 1} to see them"
    )
    return (
        f"{spec.name_of(keyword)} {total} is not a whole number of epochs of {spe} steps: "
        f"{spec.epochs} epochs ({shown} steps) are recorded, "
        + ("the last step is not" if total - shown == 1 else f"the last {total - shown} are not")
        + f"; {more}",
    )


def ignored_notes(spec: CurveSpec) -> tuple[str, ...]:
    """Warnings for options given that the scheduler does not take (hf constant's counts)."""
    notes = []
    for name in spec.scheduler.ignored_keywords:
        value = spec.params.get(name)
        if value is not None:
            use = "it only sets the rows recorded" if name == "num_training_steps" else "no effect"
            notes.append(
                f"{spec.name_of(name)} {value}: get_scheduler does not pass it to "
                f"{spec.scheduler.invocation} ({use})"
            )
    return tuple(notes)


def _step_counts(value: object) -> list[int]:
    """An option's step counts (one, or a list like milestones); [] when unset."""
    values = value if isinstance(value, tuple) else (value,)
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v > 0]


#: How a run resumes at --start-epoch: load both state_dicts, or rebuild from last_epoch.
RESUME_METHODS = ("state-dict", "last-epoch")


def resume_refusal(entry: Scheduler, by: str) -> str | None:
    """Why torch cannot resume ``entry`` by this method (None: it can)."""
    if by == "last-epoch" and (entry.needs_metric or entry.composite):
        return f"torch rebuilds {entry.class_name} from a state_dict only, not from last_epoch"
    if by == "last-epoch" and not entry.takes_last_epoch:
        owner = "transformers.get_scheduler" if entry.source == "hf" else entry.class_name
        return f"{owner} takes no last_epoch to rebuild from"
    return None


def check_resume(spec: CurveSpec, namer: Namer) -> None:
    if spec.resume_by not in RESUME_METHODS:
        raise InputError(
            namer("resume_by"),
            spec.resume_by,
            "must be state-dict or last-epoch",
            "e.g. state-dict",
        )
    if spec.start_epoch == 0:
        return
    why = resume_refusal(spec.scheduler, spec.resume_by)
    if why is not None:
        raise InputError(
            namer("resume_by"),
            spec.resume_by,
            f"is not possible for {spec.scheduler.invocation}: {why}",
            f"use {namer('resume_by')} state-dict",
        )
    if spec.start_epoch >= spec.epochs:
        raise InputError(
            namer("start_epoch"),
            spec.start_epoch,
            f"must be below {namer('epochs')} ({spec.epochs})",
            "record at least one epoch",
        )


def max_rows() -> int:
    """The row limit: LRPLOT_MAX_ROWS from the environment, else 10,000,000."""
    text = os.environ.get("LRPLOT_MAX_ROWS", "").strip()
    if not text:
        return DEFAULT_MAX_ROWS
    # A limit someone set but lrplot ignored would be a silent surprise; refuse it instead.
    return to_int(text, "LRPLOT_MAX_ROWS", AT_LEAST_ONE, f"{DEFAULT_MAX_ROWS * 2:_}")


def check_rows(spec: CurveSpec, namer: Namer) -> None:
    limit = max_rows()
    if spec.rows > limit:
        raise InputError(
            namer("epochs"),
            spec.epochs,
            f"x {namer('steps_per_epoch')} {spec.steps_per_epoch} = {spec.rows:,} "
            f"rows, more than the limit of {limit:,}",
            "lower them, or raise the limit with LRPLOT_MAX_ROWS",
        )
    total = spec.params.get("total_steps") if spec.scheduler.source == "torch" else None
    if isinstance(total, int) and total < spec.rows:
        raise InputError(
            namer("total_steps"),
            total,
            f"is smaller than the {spec.rows} steps to record "
            f"({spec.epochs} epochs x {spec.steps_per_epoch} steps)",
            f"raise it to at least {spec.rows} or lower {namer('epochs')}",
        )
