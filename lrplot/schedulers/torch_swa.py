"""Registry entry of SWALR, the one torch scheduler outside ``torch.optim.lr_scheduler``."""

from __future__ import annotations

from lrplot.schedulers.entry import NON_NEGATIVE, REQUIRED, Option, Scheduler

#: Stochastic Weight Averaging's tail: anneal from the optimizer's lr to swa_lr, then hold it.
SWA: Scheduler = Scheduler(
    "swa",
    "torch.optim.swa_utils.SWALR",
    "Anneal from the current lr to swa_lr over anneal_epochs steps, then hold swa_lr",
    (
        Option(
            "swa_lr",
            "floats",
            0.005,
            "the lr to anneal to and hold (one per group)",
            torch_default=REQUIRED,
        ),
        Option(
            "anneal_epochs",
            "int",
            10,
            "steps of the anneal (0: swa_lr from the start)",
            NON_NEGATIVE,
            counts_steps=True,
        ),
        Option(
            "anneal_strategy",
            "choice",
            "cos",
            "shape of the anneal",
            choices=("cos", "linear"),
        ),
    ),
    lr=0.05,
    epochs=30,
    example="lrplot swa --swa-lr 0.005 --anneal-epochs 10 --anneal-strategy linear",
)
