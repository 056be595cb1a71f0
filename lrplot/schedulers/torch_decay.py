"""Registry entries of the schedulers that decay by a rule of the step count, and plateau."""

from __future__ import annotations

from lrplot.schedulers.entry import (
    AT_LEAST_ONE,
    REQUIRED,
    TORCH_MODULE,
    Bound,
    Option,
    Scheduler,
    non_zero,
)

_LR_LAMBDA_HELP = (
    "factor of the initial lr as an expression of epoch, e.g. '0.95 ** epoch' or "
    "'lambda e: 0.1 ** (e // 30)'; torch passes the scheduler step count (the batch with "
    "--steps-per-epoch); repeat, one per --lr, for a lambda per param group"
)
_MULT_LAMBDA_HELP = (
    "factor applied to the current lr at each step, as an expression of epoch, "
    "e.g. '0.95' or '0.95 ** epoch'; torch passes the scheduler step count (the batch with "
    "--steps-per-epoch); repeat, one per --lr, for a lambda per param group"
)


#: The schedulers that decay by a fixed rule of the step count.
STEP_FAMILY: tuple[Scheduler, ...] = (
    Scheduler(
        "lambda",
        f"{TORCH_MODULE}.LambdaLR",
        "lr = initial lr x lr_lambda(epoch)",
        (
            Option(
                "lr_lambda",
                "exprs",
                "0.95 ** epoch",
                _LR_LAMBDA_HELP,
                torch_default=REQUIRED,
            ),
        ),
        example="lrplot lambda --lr-lambda '0.95 ** epoch'",
    ),
    Scheduler(
        "multiplicative",
        f"{TORCH_MODULE}.MultiplicativeLR",
        "lr = previous lr x lr_lambda(epoch), from the first step on",
        (
            Option(
                "lr_lambda",
                "exprs",
                "0.95 ** epoch",
                _MULT_LAMBDA_HELP,
                torch_default=REQUIRED,
            ),
        ),
        example="lrplot multiplicative --lr-lambda 0.95",
    ),
    Scheduler(
        "step",
        f"{TORCH_MODULE}.StepLR",
        "Multiply the lr by gamma every step_size epochs",
        (
            Option(
                "step_size",
                "int",
                10,
                "steps between two decays",
                non_zero("StepLR takes the epoch modulo step_size"),
                torch_default=REQUIRED,
                counts_steps=True,
            ),
            Option(
                "gamma",
                "float",
                0.5,
                "factor applied at each decay",
                torch_default=0.1,
            ),
        ),
        example="lrplot step --step-size 10 --gamma 0.5",
    ),
    Scheduler(
        "multistep",
        f"{TORCH_MODULE}.MultiStepLR",
        "Multiply the lr by gamma at each milestone epoch",
        (
            Option(
                "milestones",
                "ints",
                (30, 80),
                "steps at which to decay",
                torch_default=REQUIRED,
                counts_steps=True,
            ),
            Option(
                "gamma",
                "float",
                0.5,
                "factor applied at each milestone",
                torch_default=0.1,
            ),
        ),
        example="lrplot multistep --milestones 30,80 --gamma 0.5",
    ),
    Scheduler(
        "exponential",
        f"{TORCH_MODULE}.ExponentialLR",
        "Multiply the lr by gamma every epoch",
        (
            Option(
                "gamma",
                "float",
                0.5,
                "factor applied at every scheduler step",
                torch_default=REQUIRED,
            ),
        ),
        lr=0.0001,
        example="lrplot exponential --gamma 0.9",
    ),
)

#: Cosine annealing, with and without warm restarts.
COSINE_FAMILY: tuple[Scheduler, ...] = (
    Scheduler(
        "cosine",
        f"{TORCH_MODULE}.CosineAnnealingLR",
        "Cosine from the initial lr down to eta_min over T_max epochs, then back up",
        (
            Option(
                "T_max",
                "int",
                50,
                "steps of half a cosine period",
                non_zero("CosineAnnealingLR divides by T_max"),
                torch_default=REQUIRED,
                counts_steps=True,
            ),
            Option("eta_min", "float", 0.0, "lowest lr"),
        ),
        example="lrplot cosine --t-max 50",
    ),
    Scheduler(
        "cosine-restarts",
        f"{TORCH_MODULE}.CosineAnnealingWarmRestarts",
        "Cosine annealing that restarts at the initial lr every T_i steps",
        (
            Option(
                "T_0",
                "int",
                10,
                "length of the first period",
                AT_LEAST_ONE,
                torch_default=REQUIRED,
                counts_steps=True,
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
                torch_default=0.0,
            ),
        ),
        lr=0.0001,
        fractional_epochs=True,
        example="lrplot cosine-restarts --t-0 10 --t-mult 2",
    ),
)

#: ReduceLROnPlateau: the one scheduler driven by a metric.
PLATEAU: Scheduler = Scheduler(
    "plateau",
    f"{TORCH_MODULE}.ReduceLROnPlateau",
    "Cut the lr by factor when the metric stops improving for patience steps",
    (
        Option(
            "mode",
            "choice",
            "min",
            "whether the metric should fall or rise",
            choices=("min", "max"),
        ),
        Option(
            "factor",
            "float",
            0.1,
            "lr multiplier at each cut",
            Bound(high=1, high_inclusive=False),
        ),
        Option("patience", "int", 10, "steps without improvement before a cut", counts_steps=True),
        Option("threshold", "float", 1e-4, "smallest change that counts"),
        Option(
            "threshold_mode",
            "choice",
            "rel",
            "threshold relative or absolute",
            choices=("rel", "abs"),
        ),
        Option("cooldown", "int", 0, "steps to wait after a cut", counts_steps=True),
        Option("min_lr", "floats", 0.0, "lowest lr (one per group)"),
        Option("eps", "float", 1e-8, "smallest lr change that is applied"),
    ),
    lr=0.01,
    momentum=0.9,
    needs_metric=True,
    example="lrplot plateau --metrics val_loss.csv --patience 5",
)
