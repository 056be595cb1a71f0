"""P5a: time lrplot.simulate against a bare OneCycleLR loop in one process; write JSON timings."""

from __future__ import annotations

import argparse
import gc
import json
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

import lrplot

#: Rows of the short run whose time is the fixed setup (imports done, objects built).
SETUP_EPOCHS, SETUP_STEPS_PER_EPOCH = 1, 10

Side = Callable[[int, int], float]


def time_lrplot(epochs: int, steps_per_epoch: int) -> float:
    """Seconds for ``simulate(build_spec("onecycle", ...))``, lrplot's library path."""
    start = time.perf_counter()
    spec = lrplot.build_spec("onecycle", epochs=epochs, steps_per_epoch=steps_per_epoch)
    lrplot.simulate(spec)
    return time.perf_counter() - start


def time_bare(epochs: int, steps_per_epoch: int) -> float:
    """Seconds for the loop a user would write: read the lr, then step, rows - 1 times."""
    start = time.perf_counter()
    rows = epochs * steps_per_epoch
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=0.1,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        anneal_strategy="linear",
    )
    lrs = np.empty(rows)
    for k in range(rows - 1):
        lrs[k] = optimizer.param_groups[0]["lr"]
        scheduler.step()
    lrs[rows - 1] = optimizer.param_groups[0]["lr"]
    return time.perf_counter() - start


def measure(repeats: int, epochs: int, steps_per_epoch: int) -> dict[str, dict[str, list[float]]]:
    """Interleaved full and setup-sized runs of both sides, after one warm-up of each."""
    sides: dict[str, Side] = {"lrplot": time_lrplot, "bare": time_bare}
    sizes = {"full": (epochs, steps_per_epoch), "setup": (SETUP_EPOCHS, SETUP_STEPS_PER_EPOCH)}
    times: dict[str, dict[str, list[float]]] = {n: {s: [] for s in sizes} for n in sides}
    for side in sides.values():
        side(SETUP_EPOCHS, SETUP_STEPS_PER_EPOCH)  # imports (torch._dynamo for plain SGD)
    for repeat in range(repeats):
        order = list(sides) if repeat % 2 == 0 else list(reversed(sides))
        for name in order:
            for size, args in sizes.items():
                gc.collect()
                times[name][size].append(sides[name](*args))
    return times


def main() -> None:
    """Parse the arguments, measure, write the JSON file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--steps-per-epoch", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args()
    # The bare loop never calls optimizer.step(); torch's one-time order warning is noise here.
    warnings.filterwarnings("ignore", category=UserWarning)
    times = measure(args.repeats, args.epochs, args.steps_per_epoch)
    result = {
        "rows": args.epochs * args.steps_per_epoch,
        "setup_rows": SETUP_EPOCHS * SETUP_STEPS_PER_EPOCH,
        "times": times,
    }
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
