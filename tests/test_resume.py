"""Resume at every epoch, by state_dict and by last_epoch, against a training script's own
checkpoint code; the warning, the figure's reference, JSON and ``lrplot resume``."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import pytest
import torch
from test_simulate import ORACLE_CASES

from lrplot import build_spec, simulate

EPOCHS = 30
RESUMABLE = sorted(ORACLE_CASES)  # every single scheduler, plateau included


def _synthetic(epoch: float) -> float:  # the documented synthetic loss, by hand
    return 0.3 + 0.7 * math.exp(-min(epoch, 30) / 8) + 0.003 * math.sin(epoch)


def _training_script(command: str, start: int, by: str) -> list[float]:
    """Train ``start`` epochs, save a checkpoint, rebuild, resume, train to EPOCHS."""
    cls, kwargs, lr, momentum, _ = ORACLE_CASES[command]
    if command == "onecycle":
        kwargs = {**kwargs, "epochs": EPOCHS, "steps_per_epoch": 1}

    def step(scheduler: Any, epoch: int) -> None:
        scheduler.step(_synthetic(float(epoch))) if command == "plateau" else scheduler.step()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = torch.nn.Linear(1, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        scheduler = cls(optimizer, **kwargs)
        for epoch in range(start):
            optimizer.step()
            step(scheduler, epoch)
        saved = (optimizer.state_dict(), scheduler.state_dict())
        model = torch.nn.Linear(1, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        if by == "state-dict":
            scheduler = cls(optimizer, **kwargs)
            optimizer.load_state_dict(saved[0])
            scheduler.load_state_dict(saved[1])
        else:
            optimizer.load_state_dict(saved[0])
            scheduler = cls(optimizer, **kwargs, last_epoch=start - 1)
        lrs = []
        for epoch in range(start, EPOCHS):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            step(scheduler, epoch)
    return lrs


@pytest.mark.parametrize("command", RESUMABLE)
def test_every_resume_epoch_by_both_methods_equals_the_training_script(command: str) -> None:
    methods = ["state-dict"] if command == "plateau" else ["state-dict", "last-epoch"]
    for by in methods:
        for start in range(1, EPOCHS):
            spec = build_spec(
                command, epochs=EPOCHS, steps_per_epoch=1, start_epoch=start, resume_by=by
            )
            got = simulate(spec).lr.tolist()
            assert got == _training_script(command, start, by), (by, start)


def test_step_by_state_dict_equals_the_uninterrupted_run(lrplot) -> None:
    run = lrplot("step", "--start-epoch", "20", "-n", "22", "-o", "-", "--format", "csv")
    assert run.err == ""
    assert run.out.splitlines()[1:] == ["20,20.0,0.00025", "21,21.0,0.00025"]


def test_step_by_last_epoch_shows_torchs_trap_and_warns_once(lrplot) -> None:
    args = ["step", "--start-epoch", "20", "--resume-by", "last-epoch", "-n", "22"]
    run = lrplot(*args, "-o", "-", "--format", "json")
    document = json.loads(run.out)
    assert document["series"]["lr"] == [0.000125, 0.000125]
    assert document["resume"] == {"epoch": 20, "by": "last-epoch", "diverges_at": 20.0}
    assert run.err == (
        "lrplot: warning: resumed at epoch 20 by last-epoch, the lr differs from the "
        "uninterrupted run from epoch 20: 0.000125 instead of 0.00025 (x0.5); rebuilding "
        "StepLR from last_epoch does not restore the state its checkpoint had; load "
        "scheduler.state_dict() too (lrplot --resume-by state-dict)\n"
    )
    quiet = lrplot(*args, "-q", "-o", "x.csv")
    assert quiet.err == "" and quiet.code == 0


@pytest.mark.parametrize("command", ["plateau", "sequential", "chained"])
def test_state_dict_resumes_what_last_epoch_cannot(command: str) -> None:
    fresh = simulate(build_spec(command, epochs=40))
    resumed = simulate(build_spec(command, epochs=40, start_epoch=25))
    assert resumed.lr.tolist() == fresh.lr[25:].tolist()
    assert resumed.resume == {"epoch": 25, "by": "state-dict", "diverges_at": None}
    assert resumed.reference is None


def test_a_nested_composite_and_a_per_batch_run_resume_too() -> None:
    child = "chained:schedulers=[(constant:factor=0.1,total_iters=2),exponential:gamma=0.9]"
    options = {"schedulers": [child, "cosine:T_max=5"], "milestones": "5"}
    fresh = simulate(build_spec("sequential", options, epochs=12, steps_per_epoch=3))
    batches = {"epochs": 12, "steps_per_epoch": 3}
    resumed = simulate(build_spec("sequential", options, **batches, start_epoch=2))
    assert resumed.lr.tolist() == fresh.lr[6:].tolist()


def test_the_figure_draws_the_uninterrupted_run_when_they_differ() -> None:
    from lrplot import FigureStyle, figure_for

    curve = simulate(build_spec("step", start_epoch=20, resume_by="last-epoch"))
    ax = figure_for([curve], FigureStyle()).axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "uninterrupted run" in labels and "resumed (by last_epoch)" in labels
    assert ax.get_xlim()[0] == 0.0
    assert "resumed at epoch 20 (by last_epoch)" in ax.get_title()
    same = simulate(build_spec("step", start_epoch=20))
    plain = figure_for([same], FigureStyle()).axes[0]
    assert "uninterrupted run" not in [line.get_label() for line in plain.get_lines()]


# torch 2.13's answer, as the issue states it (and README shows for step).
TORCH_ANSWERS = {
    "step": [10, 20, 30, 40, 50, 60, 70, 80, 90],
    "multistep": [30, 80],
    "constant": [5],
    "linear": [],
    "exponential": [],
    "cosine": [],
    "polynomial": [],
}


@pytest.mark.parametrize("command", sorted(TORCH_ANSWERS))
def test_resume_scan_gives_torchs_answer(lrplot, command: str) -> None:
    run = lrplot("resume", command, "--json")
    assert run.code == 0, run.err
    document = json.loads(run.out)
    assert document["diverging"] == {"state-dict": [], "last-epoch": TORCH_ANSWERS[command]}
    assert document["epochs"] == 100


def test_resume_scan_table_and_refused_methods(lrplot) -> None:
    table = lrplot("resume", "StepLR").out.splitlines()
    assert table[1].split()[:3] == ["method", "resume", "epoch"]
    assert table[2].split() == ["last-epoch", "10", "10", "0.5"]
    assert table[-1] == "state-dict: every resume epoch gives the uninterrupted run"
    plateau = lrplot("resume", "plateau", "-n", "20").out
    assert "last-epoch: not offered by torch for ReduceLROnPlateau" in plateau
    bad = lrplot("resume", "step", "--gamma", "x")
    assert bad.code == 2 and bad.err.count("\n") == 1
