"""Registry entries of the cyclic, warm-up and composite schedulers."""

from __future__ import annotations

from lrplot.schedulers.entry import (
    AT_LEAST_ONE,
    REQUIRED,
    TORCH_MODULE,
    UNIT,
    UNIT_HALF_OPEN,
    Option,
    Scheduler,
    non_zero,
)

#: The schedulers that cycle the lr (and momentum) between two bounds.
CYCLIC_FAMILY: tuple[Scheduler, ...] = (
    Scheduler(
        "cyclic",
        f"{TORCH_MODULE}.CyclicLR",
        "Cycle the lr between base_lr and max_lr (and momentum the other way)",
        (
            Option(
                "base_lr",
                "floats",
                5e-5,
                "lower lr bound (one per group)",
                torch_default=REQUIRED,
            ),
            Option(
                "max_lr",
                "floats",
                1e-4,
                "upper lr bound (one per group)",
                torch_default=REQUIRED,
            ),
            Option(
                "step_size_up",
                "int",
                5,
                "steps from base_lr up to max_lr",
                non_zero("CyclicLR divides by it"),
                torch_default=2000,
                counts_steps=True,
            ),
            Option(
                "step_size_down",
                "int",
                None,
                "steps back down (default: step_size_up)",
                optional=True,
                counts_steps=True,
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
            Option("base_momentum", "floats", 0.8, "lower momentum bound"),
            Option("max_momentum", "floats", 0.9, "upper momentum bound"),
        ),
        momentum=0.9,
        momentum_switch="cycle_momentum",
        example="lrplot cyclic --mode triangular2 --step-size-up 5",
    ),
    Scheduler(
        "onecycle",
        f"{TORCH_MODULE}.OneCycleLR",
        "One warm-up to max_lr then annealing far below the start (1cycle policy)",
        (
            Option(
                "max_lr",
                "floats",
                0.1,
                "peak lr (one per group)",
                torch_default=REQUIRED,
            ),
            Option(
                "total_steps",
                "int",
                None,
                "steps in the cycle (default: epochs x steps-per-epoch)",
                AT_LEAST_ONE,
                optional=True,
                counts_steps=True,
            ),
            Option(
                "pct_start",
                "float",
                0.3,
                "fraction of the cycle spent rising",
                UNIT,
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
            Option("base_momentum", "floats", 0.85, "lower momentum bound"),
            Option("max_momentum", "floats", 0.95, "upper momentum bound"),
            Option(
                "div_factor",
                "float",
                25.0,
                "initial lr = max_lr / div_factor",
                non_zero("OneCycleLR divides max_lr by it"),
            ),
            Option(
                "final_div_factor",
                "float",
                1e4,
                "final lr = initial lr / final_div_factor",
                non_zero("OneCycleLR divides by it"),
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

#: Short schedules usually used as warm-ups or tails.
WARMUP_FAMILY: tuple[Scheduler, ...] = (
    Scheduler(
        "constant",
        f"{TORCH_MODULE}.ConstantLR",
        "lr x factor until total_iters, then the initial lr",
        (
            Option(
                "factor",
                "float",
                1 / 3,
                "factor before total_iters",
                UNIT,
            ),
            Option("total_iters", "int", 5, "steps with the reduced lr", counts_steps=True),
        ),
        lr=0.05,
        example="lrplot constant --factor 0.5 --total-iters 20",
    ),
    Scheduler(
        "linear",
        f"{TORCH_MODULE}.LinearLR",
        "lr x a factor going linearly from start_factor to end_factor",
        (
            Option(
                "start_factor",
                "float",
                1 / 3,
                "factor at the start",
                UNIT_HALF_OPEN,
            ),
            Option("end_factor", "float", 1.0, "factor after total_iters", UNIT),
            Option("total_iters", "int", 5, "steps of the ramp", counts_steps=True),
        ),
        lr=0.05,
        example="lrplot linear --start-factor 0.1 --total-iters 10",
    ),
    Scheduler(
        "polynomial",
        f"{TORCH_MODULE}.PolynomialLR",
        "lr x (1 - t / total_iters) ** power, then 0",
        (
            Option("total_iters", "int", 5, "steps until the lr reaches 0", counts_steps=True),
            Option("power", "float", 1.0, "power of the polynomial"),
        ),
        lr=0.05,
        example="lrplot polynomial --total-iters 50 --power 2",
    ),
)

_SPEC_HELP = "a child scheduler as NAME[:key=value,...]; repeat, in order"

#: Schedulers made of other schedulers, given as SPEC strings.
COMPOSITES: tuple[Scheduler, ...] = (
    Scheduler(
        "sequential",
        f"{TORCH_MODULE}.SequentialLR",
        "Run child schedulers one after another, switching at the milestones",
        (
            Option(
                "schedulers",
                "specs",
                ("linear:start_factor=0.1,total_iters=5", "cosine:T_max=95"),
                _SPEC_HELP,
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
                counts_steps=True,
            ),
        ),
        composite=True,
        example="lrplot sequential --schedule 'linear:start_factor=0.1,total_iters=5' "
        "--schedule 'cosine:T_max=95' --milestones 5",
    ),
    Scheduler(
        "chained",
        f"{TORCH_MODULE}.ChainedScheduler",
        "Step every child scheduler at each step, so their factors multiply",
        (
            Option(
                "schedulers",
                "specs",
                ("constant:factor=0.1,total_iters=20", "exponential:gamma=0.9"),
                _SPEC_HELP,
                torch_default=REQUIRED,
                cli_flag="--schedule",
            ),
        ),
        composite=True,
        example="lrplot chained --schedule 'constant:factor=0.1,total_iters=20' "
        "--schedule 'exponential:gamma=0.9'",
    ),
)
