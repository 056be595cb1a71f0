"""Inputs torch accepts that lrplot once got wrong or could not express (issue 11), each held
to a loop written the way a training script uses torch: optimizer.step(), scheduler.step()."""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from torch.optim import lr_scheduler as sched

from lrplot import FigureStyle, build_spec, figure_for, simulate
from lrplot.errors import InputError


def _loop(
    build: Callable[[torch.optim.Optimizer], Any],
    rows: int,
    lrs: tuple[float, ...] = (0.001,),
    step: Callable[[Any, int], None] = lambda scheduler, k: scheduler.step(),
) -> list[list[float]]:
    """Each param group's lr before each scheduler step, in a training script's loop."""
    model = torch.nn.Linear(1, len(lrs))
    groups = [{"params": [p], "lr": lr} for p, lr in zip(model.parameters(), lrs, strict=False)]
    groups = [{"params": list(model.parameters()), "lr": lrs[0]}] if len(lrs) == 1 else groups
    optimizer = torch.optim.SGD(groups, lr=lrs[0])
    out: list[list[float]] = [[] for _ in lrs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nested composites step their children when built
        scheduler = build(optimizer)
        for k in range(rows):
            for column, group in zip(out, optimizer.param_groups, strict=True):
                column.append(group["lr"])
            optimizer.step()
            step(scheduler, k)
    return out


def _csv(text: str) -> dict[str, list[float]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {key: [float(row[key]) for row in rows] for key in rows[0]}


# ------------------------------------------------------------- --metrics: path or list


def test_a_list_of_2000_metric_values_is_read_as_values(lrplot) -> None:
    values = [1 / (1 + k) if k < 40 else 0.025 for k in range(2000)]
    run = lrplot("plateau", "--metrics", ",".join(map(repr, values)), "-o", "-", "--format", "csv")
    assert run.code == 0, run.err
    got = _csv(run.out)["lr"]

    def build(optimizer):
        return sched.ReduceLROnPlateau(optimizer, mode="min")

    assert len(got) == 2000
    expected = _loop(build, 2000, lrs=(0.01,), step=lambda scheduler, k: scheduler.step(values[k]))[
        0
    ]
    assert got == expected
    assert got[-1] < got[0]  # the plateau after epoch 40 did cut the lr


def test_a_metric_text_too_long_for_a_file_name_is_one_line(lrplot) -> None:
    run = lrplot("plateau", "--metrics", "loss-" * 1000, "-o", "x.csv")
    assert run.code == 2 and run.out == ""
    assert run.err.count("\n") == 1 and run.err.startswith("lrplot: error: --metrics")
    assert "too long for a file name" in run.err and "5000 characters" in run.err
    assert not Path("x.csv").exists()


def test_numbers_are_values_even_beside_a_file_of_that_name(lrplot, workdir: Path) -> None:
    (workdir / "0.5").write_text("0.9\n0.9\n")
    values = lrplot("plateau", "--metrics", "0.5", "-o", "-", "--format", "csv")
    as_file = lrplot("plateau", "--metrics", "./0.5", "-o", "-", "--format", "csv")
    assert _csv(values.out)["metric"] == [0.5]
    assert _csv(as_file.out)["metric"] == [0.9, 0.9]


# ------------------------------------------------------------- one lr_lambda per group

LAMBDAS = ("0.9 ** epoch", "max(0.1, 1 - epoch / 10)")


def _two_lambdas(epoch: int, index: int) -> float:
    return 0.9**epoch if index == 0 else max(0.1, 1 - epoch / 10)


@pytest.mark.parametrize("command", ["lambda", "multiplicative"])
def test_one_lambda_per_param_group(lrplot, command: str) -> None:
    run = lrplot(
        command, "--lr", "0.1", "--lr", "0.2", "--lr-lambda", LAMBDAS[0], "--lr-lambda",
        LAMBDAS[1], "-n", "12", "-o", "-", "--format", "csv",
    )  # fmt: skip
    assert run.code == 0, run.err
    cls = sched.LambdaLR if command == "lambda" else sched.MultiplicativeLR
    lambdas = [lambda e: _two_lambdas(e, 0), lambda e: _two_lambdas(e, 1)]
    expected = _loop(lambda o: cls(o, lr_lambda=lambdas), 12, lrs=(0.1, 0.2))
    got = _csv(run.out)
    assert [got["lr"], got["lr_1"]] == expected
    assert got["lr"] != got["lr_1"]


def test_one_lambda_serves_every_group() -> None:
    curve = simulate(build_spec("lambda", {"lr_lambda": LAMBDAS[0]}, lr=[0.1, 0.2], epochs=5))
    assert curve.series["lr_1"].tolist() == [2 * v for v in curve.series["lr"].tolist()]


def test_a_spec_and_a_manifest_take_a_list_of_lambdas(lrplot, workdir: Path) -> None:
    spec = build_spec(
        "lambda",
        {"lr_lambda": f"[{LAMBDAS[0]}, {LAMBDAS[1]}]"},
        lr=[0.1, 0.2],
        epochs=6,
    )
    expected = _loop(
        lambda o: sched.LambdaLR(o, [lambda e: _two_lambdas(e, 0), lambda e: _two_lambdas(e, 1)]),
        6,
        lrs=(0.1, 0.2),
    )
    curve = simulate(spec)
    assert [curve.series["lr"].tolist(), curve.series["lr_1"].tolist()] == expected
    assert curve.params["lr_lambda"] == list(LAMBDAS)
    (workdir / "m.toml").write_text(
        '[[figure]]\nname = "two"\nscheduler = "lambda"\nlr = [0.1, 0.2]\nepochs = 6\n'
        f"lr_lambda = {json.dumps(list(LAMBDAS))}\n"
    )
    run = lrplot("render", "m.toml", "-d", "out", "--format", "csv")
    assert run.code == 0, run.err
    got = _csv((workdir / "out" / "two.csv").read_text())
    assert [got["lr"], got["lr_1"]] == expected


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--lr-lambda", "1", "--lr-lambda", "1"], "gives 2 values for 1 param group"),
        (
            ["--lr", "1", "--lr", "2", *["--lr-lambda", "1"] * 3],
            "gives 3 values for 2 param groups",
        ),
    ],
)
def test_a_wrong_count_of_lambdas_is_refused(lrplot, args: list[str], fragment: str) -> None:
    run = lrplot("lambda", *args, "-o", "x.csv")
    assert run.code == 2 and fragment in run.err and run.err.count("\n") == 1
    assert run.err.startswith("lrplot: error: --lr-lambda '1 | 1")
    assert not Path("x.csv").exists()


# ------------------------------------------------------------- nested composites


def _chained(optimizer):
    return sched.ChainedScheduler(
        [
            sched.ConstantLR(optimizer, factor=0.1, total_iters=2),
            sched.ExponentialLR(optimizer, gamma=0.9),
        ]
    )


def test_a_chained_scheduler_inside_a_sequential_one() -> None:
    child = "chained:schedulers=[(constant:factor=0.1,total_iters=2),exponential:gamma=0.9]"
    spec = build_spec(
        "sequential",
        {"schedulers": [child, "cosine:T_max=5"], "milestones": "5"},
        lr=1.0,
        epochs=14,
    )

    def build(optimizer):
        inner = _chained(optimizer)
        return sched.SequentialLR(
            optimizer, [inner, sched.CosineAnnealingLR(optimizer, T_max=5)], milestones=[5]
        )

    curve = simulate(spec)
    assert curve.lr.tolist() == _loop(build, 14, lrs=(1.0,))[0]
    inner = curve.params["schedulers"][0]["params"]["schedulers"]
    assert [child["scheduler"] for child in inner] == ["ConstantLR", "ExponentialLR"]


def test_a_sequential_scheduler_inside_a_chained_one(lrplot) -> None:
    child = "sequential:schedulers=[linear:total_iters=3,(step:step_size=2,gamma=0.1)],milestones=3"
    run = lrplot(
        "chained", "--schedule", child, "--schedule", "exponential:gamma=0.95", "--lr", "1",
        "-n", "12", "-o", "-", "--format", "csv",
    )  # fmt: skip
    assert run.code == 0, run.err

    def build(optimizer):
        warm = sched.LinearLR(optimizer, total_iters=3)
        inner = sched.SequentialLR(
            optimizer, [warm, sched.StepLR(optimizer, step_size=2)], milestones=[3]
        )
        return sched.ChainedScheduler([inner, sched.ExponentialLR(optimizer, gamma=0.95)])

    assert _csv(run.out)["lr"] == _loop(build, 12, lrs=(1.0,))[0]


def test_a_nested_spec_works_in_a_manifest(lrplot, workdir: Path) -> None:
    (workdir / "m.toml").write_text(
        '[[figure]]\nname = "nest"\nscheduler = "sequential"\nepochs = 14\nlr = 1.0\n'
        'schedule = ["chained:schedulers=[(constant:factor=0.1,total_iters=2),'
        'exponential:gamma=0.9]", "cosine:T_max=5"]\nmilestones = [5]\n'
    )
    run = lrplot("render", "m.toml", "-d", "out", "--format", "csv")
    assert run.code == 0, run.err

    def build(optimizer):
        cosine = sched.CosineAnnealingLR(optimizer, T_max=5)
        return sched.SequentialLR(optimizer, [_chained(optimizer), cosine], milestones=[5])

    assert _csv((workdir / "out" / "nest.csv").read_text())["lr"] == _loop(build, 14, (1.0,))[0]


def test_a_child_spec_must_be_whole() -> None:
    with pytest.raises(InputError, match="unclosed bracket"):
        build_spec("chained", {"schedulers": "[(constant:factor=0.1, exponential]"})


# ------------------------------------------------------------- --fractional-epochs


def test_fractional_epochs_follow_torchs_documented_loop(lrplot) -> None:
    run = lrplot(
        "cosine-restarts", "--fractional-epochs", "--steps-per-epoch", "4", "-n", "9",
        "--t-0", "2", "--t-mult", "2", "--eta-min", "0", "--lr", "1", "-o", "-", "--format", "csv",
    )  # fmt: skip
    assert run.code == 0, run.err
    # torch's docstring of CosineAnnealingWarmRestarts.step, for batch i of epoch e:
    # ... optimizer.step(); scheduler.step(epoch + i / iters)
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = sched.CosineAnnealingWarmRestarts(optimizer, T_0=2, T_mult=2, eta_min=0)
    expected = []
    for epoch in range(9):
        for i in range(4):
            expected.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step(epoch + i / 4)
    got = _csv(run.out)["lr"]
    assert got == expected
    # Restarts fall on whole epochs 2 and 6 (T_0 = 2 epochs, then 4), one batch late.
    assert [k for k in range(1, 36) if got[k] > got[k - 1]] == [9, 25]


@pytest.mark.parametrize(
    "args",
    [
        ["step", "--fractional-epochs"],
        ["compare", "step:fractional_epochs=true"],
        ["sequential", "--fractional-epochs"],
    ],
)
def test_fractional_epochs_elsewhere_are_refused(lrplot, args: list[str]) -> None:
    run = lrplot(*args, "-o", "x.png")
    assert run.code == 2 and run.err.count("\n") == 1
    assert "only applies to cosine-restarts: torch deprecates step(epoch)" in run.err
    assert not Path("x.png").exists()


# ------------------------------------------------------------- units with --steps-per-epoch


def test_an_option_that_reads_as_epochs_is_warned_once(lrplot) -> None:
    run = lrplot("cosine", "--t-max", "90", "--steps-per-epoch", "390", "-n", "100", "-o", "c.csv")
    assert run.code == 0 and run.out == "c.csv\n"
    assert run.err == (
        "lrplot: warning: --t-max 90 counts scheduler steps, which are batches here (390 per "
        "epoch): 90 batches = 0.231 epochs; for 90 epochs give --t-max 35100\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["cosine", "--t-max", "39000", "--steps-per-epoch", "390", "-n", "100"],
        ["cosine", "--t-max", "90", "-n", "100"],
        ["cosine-restarts", "--fractional-epochs", "--t-0", "10", "--steps-per-epoch", "10"],
        ["step", "-q", "--steps-per-epoch", "10"],
    ],
)
def test_no_warning_when_the_value_spans_the_run(lrplot, args: list[str]) -> None:
    run = lrplot(*args, "-o", "c.csv")
    assert run.code == 0 and run.err == ""


def test_every_list_value_and_every_child_is_looked_at(lrplot) -> None:
    run = lrplot("multistep", "--steps-per-epoch", "10", "-o", "m.csv")
    assert "--milestones 30,80 counts scheduler steps" in run.err
    assert "give --milestones 300,800" in run.err
    spec = build_spec("sequential", steps_per_epoch=10)
    assert len(spec.notes) == 3  # linear's total_iters, cosine's T_max, the milestone
    assert all("batches here (10 per epoch)" in note for note in spec.notes)


def test_step_count_options_say_their_unit_in_help(lrplot) -> None:
    run = lrplot("cosine", "--help")
    assert "(scheduler steps: epochs, or batches with" in " ".join(run.out.split())


# ------------------------------------------------------------- --x-axis


def test_the_x_axis_can_count_scheduler_steps(lrplot) -> None:
    curve = simulate(build_spec("step", steps_per_epoch=10, epochs=5))
    by_step = figure_for([curve], FigureStyle(x_axis="step")).axes[0]
    by_epoch = figure_for([curve], FigureStyle()).axes[0]
    assert by_step.get_xlabel() == "scheduler step" and by_epoch.get_xlabel() == "epoch"
    assert by_step.get_xlim() == (0.0, 50.0) and by_epoch.get_xlim() == (0.0, 5.0)
    assert by_step.get_title() == by_epoch.get_title()
    run = lrplot("step", "--x-axis", "batch", "-o", "x.png")
    assert run.code == 2 and "--x-axis 'batch': must be epoch or step" in run.err


# ------------------------------------------------------------- compare's shared lr


def test_compare_shares_the_first_specs_lr(lrplot) -> None:
    run = lrplot("compare", "cosine", "constant", "-n", "3", "-o", "-", "--format", "csv")
    got = _csv(run.out)
    assert got["cosine:lr"][0] == 0.001
    assert math.isclose(got["constant:lr"][0], 0.001 / 3, rel_tol=1e-15)  # factor 1/3


def test_a_spec_sets_its_own_lr(lrplot) -> None:
    run = lrplot("compare", "cosine", "constant:lr=0.05", "-n", "2", "-o", "-", "--format", "csv")
    assert _csv(run.out)["constant:lr=0.05:lr"] == [0.05 / 3] * 2


def test_manifest_curves_share_the_first_curves_lr(lrplot, workdir: Path) -> None:
    (workdir / "m.toml").write_text(
        '[[figure]]\nname = "c"\nepochs = 2\ncurves = [{ scheduler = "cosine" }, '
        '{ scheduler = "constant" }, { scheduler = "linear", lr = 0.3 }]\n'
    )
    assert lrplot("render", "m.toml", "-d", "out", "--format", "csv").code == 0
    got = _csv((workdir / "out" / "c.csv").read_text())
    assert got["cosine:lr"][0] == 0.001
    assert got["constant:lr"][0] == 0.001 / 3
    assert got["linear:lr"][0] == 0.3 / 3
