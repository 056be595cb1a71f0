"""The table of schedulers lrplot knows: one frozen entry per torch class, no torch import."""

from __future__ import annotations

import difflib

from lrplot.errors import InputError
from lrplot.schema import (
    AT_LEAST_ONE,
    NON_NEGATIVE,
    POSITIVE,
    REQUIRED,
    UNIT_HALF_OPEN,
    UNIT_OPEN,
    Bound,
    Option,
    Scheduler,
)

_MODULE = "torch.optim.lr_scheduler"

_LR_LAMBDA_HELP = (
    "factor of the initial lr as an expression of epoch, e.g. '0.95 ** epoch' or "
    "'lambda e: 0.1 ** (e // 30)'"
)
_MULT_LAMBDA_HELP = (
    "factor applied to the current lr at each step, as an expression of epoch, "
    "e.g. '0.95' or '0.95 ** epoch'"
)


def _step_family() -> tuple[Scheduler, ...]:
    """The schedulers that decay by a fixed rule of the step count."""
    return (
        Scheduler(
            "lambda",
            f"{_MODULE}.LambdaLR",
            "lr = initial lr x lr_lambda(epoch)",
            (
                Option(
                    "lr_lambda",
                    "expr",
                    "0.95 ** epoch",
                    _LR_LAMBDA_HELP,
                    torch_default=REQUIRED,
                ),
            ),
            example="lrplot lambda --lr-lambda '0.95 ** epoch'",
        ),
        Scheduler(
            "multiplicative",
            f"{_MODULE}.MultiplicativeLR",
            "lr = previous lr x lr_lambda(epoch), from the first step on",
            (
                Option(
                    "lr_lambda",
                    "expr",
                    "0.95 ** epoch",
                    _MULT_LAMBDA_HELP,
                    torch_default=REQUIRED,
                ),
            ),
            example="lrplot multiplicative --lr-lambda 0.95",
        ),
        Scheduler(
            "step",
            f"{_MODULE}.StepLR",
            "Multiply the lr by gamma every step_size epochs",
            (
                Option(
                    "step_size",
                    "int",
                    10,
                    "epochs between two decays",
                    AT_LEAST_ONE,
                    torch_default=REQUIRED,
                ),
                Option(
                    "gamma",
                    "float",
                    0.5,
                    "factor applied at each decay",
                    POSITIVE,
                    torch_default=0.1,
                ),
            ),
            example="lrplot step --step-size 10 --gamma 0.5",
        ),
        Scheduler(
            "multistep",
            f"{_MODULE}.MultiStepLR",
            "Multiply the lr by gamma at each milestone epoch",
            (
                Option(
                    "milestones",
                    "ints",
                    (30, 80),
                    "epochs at which to decay",
                    AT_LEAST_ONE,
                    torch_default=REQUIRED,
                ),
                Option(
                    "gamma",
                    "float",
                    0.5,
                    "factor applied at each milestone",
                    POSITIVE,
                    torch_default=0.1,
                ),
            ),
            example="lrplot multistep --milestones 30,80 --gamma 0.5",
        ),
        Scheduler(
            "exponential",
            f"{_MODULE}.ExponentialLR",
            "Multiply the lr by gamma every epoch",
            (
                Option(
                    "gamma",
                    "float",
                    0.5,
                    "factor applied every epoch",
                    POSITIVE,
                    torch_default=REQUIRED,
                ),
            ),
            lr=0.0001,
            example="lrplot exponential --gamma 0.9",
        ),
    )


def _cosine_family() -> tuple[Scheduler, ...]:
    """Cosine annealing, with and without warm restarts."""
    return (
        Scheduler(
            "cosine",
            f"{_MODULE}.CosineAnnealingLR",
            "Cosine from the initial lr down to eta_min over T_max epochs, then back up",
            (
                Option(
                    "T_max",
                    "int",
                    50,
                    "epochs of half a cosine period",
                    AT_LEAST_ONE,
                    torch_default=REQUIRED,
                ),
                Option("eta_min", "float", 0.0, "lowest lr", NON_NEGATIVE),
            ),
            example="lrplot cosine --t-max 50",
        ),
        Scheduler(
            "cosine-restarts",
            f"{_MODULE}.CosineAnnealingWarmRestarts",
            "Cosine annealing that restarts at the initial lr every T_i epochs",
            (
                Option(
                    "T_0",
                    "int",
                    10,
                    "epochs before the first restart",
                    AT_LEAST_ONE,
                    torch_default=REQUIRED,
                ),
                Option(
                    "T_mult",
                    "int",
                    1,
                    "factor that stretches each period",
                    AT_LEAST_ONE,
                ),
                Option(
                    "eta_min",
                    "float",
                    1e-5,
                    "lowest lr",
                    NON_NEGATIVE,
                    torch_default=0.0,
                ),
            ),
            lr=0.0001,
            example="lrplot cosine-restarts --t-0 10 --t-mult 2",
        ),
    )


def _cyclic_family() -> tuple[Scheduler, ...]:
    """The schedulers that cycle the lr (and momentum) between two bounds."""
    return (
        Scheduler(
            "cyclic",
            f"{_MODULE}.CyclicLR",
            "Cycle the lr between base_lr and max_lr (and momentum the other way)",
            (
                Option(
                    "base_lr",
                    "floats",
                    5e-5,
                    "lower lr bound (one per group)",
                    POSITIVE,
                    torch_default=REQUIRED,
                ),
                Option(
                    "max_lr",
                    "floats",
                    1e-4,
                    "upper lr bound (one per group)",
                    POSITIVE,
                    torch_default=REQUIRED,
                ),
                Option(
                    "step_size_up",
                    "int",
                    5,
                    "steps from base_lr up to max_lr",
                    AT_LEAST_ONE,
                    torch_default=2000,
                ),
                Option(
                    "step_size_down",
                    "int",
                    None,
                    "steps back down (default: step_size_up)",
                    AT_LEAST_ONE,
                    optional=True,
                ),
                Option(
                    "mode",
                    "choice",
                    "exp_range",
                    "amplitude policy",
                    choices=("triangular", "triangular2", "exp_range"),
                    torch_default="triangular",
                ),
                Option(
                    "gamma",
                    "float",
                    0.5,
                    "amplitude decay per step in exp_range",
                    POSITIVE,
                    torch_default=1.0,
                ),
                Option(
                    "scale_fn",
                    "expr",
                    None,
                    "custom amplitude as an expression of x (overrides mode)",
                    optional=True,
                    variable="x",
                ),
                Option(
                    "scale_mode",
                    "choice",
                    "cycle",
                    "what x of scale_fn counts",
                    choices=("cycle", "iterations"),
                ),
                Option("cycle_momentum", "bool", True, "cycle momentum inversely to the lr"),
                Option("base_momentum", "floats", 0.8, "lower momentum bound", NON_NEGATIVE),
                Option("max_momentum", "floats", 0.9, "upper momentum bound", NON_NEGATIVE),
            ),
            momentum=0.9,
            momentum_switch="cycle_momentum",
            example="lrplot cyclic --mode triangular2 --step-size-up 5",
        ),
        Scheduler(
            "onecycle",
            f"{_MODULE}.OneCycleLR",
            "One warm-up to max_lr then annealing far below the start (1cycle policy)",
            (
                Option(
                    "max_lr",
                    "floats",
                    0.1,
                    "peak lr (one per group)",
                    POSITIVE,
                    torch_default=REQUIRED,
                ),
                Option(
                    "total_steps",
                    "int",
                    None,
                    "steps in the cycle (default: epochs x steps-per-epoch)",
                    AT_LEAST_ONE,
                    optional=True,
                ),
                Option(
                    "pct_start",
                    "float",
                    0.3,
                    "fraction of the cycle spent rising",
                    UNIT_OPEN,
                ),
                Option(
                    "anneal_strategy",
                    "choice",
                    "linear",
                    "shape of each phase",
                    choices=("cos", "linear"),
                    torch_default="cos",
                ),
                Option("cycle_momentum", "bool", True, "cycle momentum inversely to the lr"),
                Option(
                    "base_momentum",
                    "floats",
                    0.85,
                    "lower momentum bound",
                    NON_NEGATIVE,
                ),
                Option("max_momentum", "floats", 0.95, "upper momentum bound", NON_NEGATIVE),
                Option(
                    "div_factor",
                    "float",
                    25.0,
                    "initial lr = max_lr / div_factor",
                    POSITIVE,
                ),
                Option(
                    "final_div_factor",
                    "float",
                    1e4,
                    "final lr = initial lr / final_div_factor",
                    POSITIVE,
                ),
                Option(
                    "three_phase",
                    "bool",
                    False,
                    "add a third phase that anneals further",
                ),
            ),
            epochs=10,
            steps_per_epoch=10,
            shared_keywords=("epochs", "steps_per_epoch"),
            momentum_switch="cycle_momentum",
            example="lrplot onecycle --max-lr 0.1 --epochs 10 --steps-per-epoch 10",
        ),
    )


def _warmup_family() -> tuple[Scheduler, ...]:
    """Short schedules usually used as warm-ups or tails."""
    return (
        Scheduler(
            "constant",
            f"{_MODULE}.ConstantLR",
            "lr x factor until total_iters, then the initial lr",
            (
                Option(
                    "factor",
                    "float",
                    1 / 3,
                    "factor before total_iters",
                    UNIT_HALF_OPEN,
                ),
                Option("total_iters", "int", 5, "steps with the reduced lr", NON_NEGATIVE),
            ),
            lr=0.05,
            example="lrplot constant --factor 0.5 --total-iters 20",
        ),
        Scheduler(
            "linear",
            f"{_MODULE}.LinearLR",
            "lr x a factor going linearly from start_factor to end_factor",
            (
                Option(
                    "start_factor",
                    "float",
                    1 / 3,
                    "factor at the start",
                    UNIT_HALF_OPEN,
                ),
                Option("end_factor", "float", 1.0, "factor after total_iters", Bound(0, 1)),
                Option("total_iters", "int", 5, "steps of the ramp", NON_NEGATIVE),
            ),
            lr=0.05,
            example="lrplot linear --start-factor 0.1 --total-iters 10",
        ),
        Scheduler(
            "polynomial",
            f"{_MODULE}.PolynomialLR",
            "lr x (1 - t / total_iters) ** power, then 0",
            (
                Option(
                    "total_iters",
                    "int",
                    5,
                    "steps until the lr reaches 0",
                    NON_NEGATIVE,
                ),
                Option("power", "float", 1.0, "power of the polynomial", NON_NEGATIVE),
            ),
            lr=0.05,
            example="lrplot polynomial --total-iters 50 --power 2",
        ),
    )


#: The synthetic validation loss plateau uses when given no metric (documented in README).
SYNTHETIC_METRIC = "0.3 + 0.7 * exp(-min(epoch, 30) / 8) + 0.003 * sin(epoch)"


def _plateau() -> Scheduler:
    """ReduceLROnPlateau: the one scheduler driven by a metric."""
    return Scheduler(
        "plateau",
        f"{_MODULE}.ReduceLROnPlateau",
        "Cut the lr by factor when the metric stops improving for patience epochs",
        (
            Option(
                "mode",
                "choice",
                "min",
                "whether the metric should fall or rise",
                choices=("min", "max"),
            ),
            Option("factor", "float", 0.1, "lr multiplier at each cut", UNIT_OPEN),
            Option(
                "patience",
                "int",
                10,
                "epochs without improvement before a cut",
                NON_NEGATIVE,
            ),
            Option("threshold", "float", 1e-4, "smallest change that counts", NON_NEGATIVE),
            Option(
                "threshold_mode",
                "choice",
                "rel",
                "threshold relative or absolute",
                choices=("rel", "abs"),
            ),
            Option("cooldown", "int", 0, "epochs to wait after a cut", NON_NEGATIVE),
            Option("min_lr", "floats", 0.0, "lowest lr (one per group)", NON_NEGATIVE),
            Option("eps", "float", 1e-8, "smallest lr change that is applied", NON_NEGATIVE),
        ),
        lr=0.01,
        momentum=0.9,
        needs_metric=True,
        example="lrplot plateau --metrics val_loss.csv --patience 5",
    )


def _composites() -> tuple[Scheduler, ...]:
    """Schedulers made of other schedulers, given as SPEC strings."""
    spec_help = "a child scheduler as NAME[:key=value,...]; repeat, in order"
    return (
        Scheduler(
            "sequential",
            f"{_MODULE}.SequentialLR",
            "Run child schedulers one after another, switching at the milestones",
            (
                Option(
                    "schedulers",
                    "specs",
                    ("linear:start_factor=0.1,total_iters=5", "cosine:T_max=95"),
                    spec_help,
                    torch_default=REQUIRED,
                    cli_flag="--schedule",
                ),
                Option(
                    "milestones",
                    "ints",
                    (5,),
                    "steps at which the next child takes over "
                    "(one fewer than the children, increasing, > 0)",
                    torch_default=REQUIRED,
                ),
            ),
            composite=True,
            example="lrplot sequential --schedule 'linear:start_factor=0.1,total_iters=5' "
            "--schedule 'cosine:T_max=95' --milestones 5",
        ),
        Scheduler(
            "chained",
            f"{_MODULE}.ChainedScheduler",
            "Step every child scheduler at each step, so their factors multiply",
            (
                Option(
                    "schedulers",
                    "specs",
                    ("constant:factor=0.1,total_iters=20", "exponential:gamma=0.9"),
                    spec_help,
                    torch_default=REQUIRED,
                    cli_flag="--schedule",
                ),
            ),
            composite=True,
            example="lrplot chained --schedule 'constant:factor=0.1,total_iters=20' "
            "--schedule 'exponential:gamma=0.9'",
        ),
    )


SCHEDULERS: tuple[Scheduler, ...] = (
    *_step_family(),
    *_cosine_family(),
    _plateau(),
    *_cyclic_family(),
    *_warmup_family(),
    *_composites(),
)


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _index() -> dict[str, Scheduler]:
    table: dict[str, Scheduler] = {}
    for entry in SCHEDULERS:
        for key in (entry.command, entry.class_name, *entry.aliases):
            table[_normalise(key)] = entry
    return table


_BY_NAME = _index()


def find(name: str) -> Scheduler | None:
    """The entry for a command name or torch class name, in any case; ``None`` if unknown."""
    return _BY_NAME.get(_normalise(name))


def lookup(name: str, *, where: str = "scheduler") -> Scheduler:
    """Like :func:`find`, but an unknown name raises an error that suggests the closest."""
    entry = find(name)
    if entry is None:
        raise InputError(where, name, "is not a scheduler lrplot knows", suggest(name))
    return entry


def suggest(name: str, *, extra: list[str] | None = None) -> str:
    """A 'did you mean' hint for an unknown scheduler (or, with ``extra``, command) name."""
    spellings = {e.command.lower(): e.command for e in SCHEDULERS}
    spellings |= {e.class_name.lower(): e.command for e in SCHEDULERS}
    spellings |= {n.lower(): n for n in extra or []}
    close = difflib.get_close_matches(name.lower(), list(spellings), n=4, cutoff=0.6)
    commands = list(dict.fromkeys(spellings[c] for c in close))[:3]
    hint = f"did you mean {' or '.join(commands)}? " if commands else ""
    return hint + "'lrplot list' shows every scheduler"
