"""timm schedulers by import path, stepped as timm's own train.py steps them.

The oracle is timm driven by hand: ``step_update(num_updates)`` after every batch and
``step(epoch + 1, metric)`` at the end of every epoch, the lr read before each batch; and,
where timm documents one, the closed form.
"""

from __future__ import annotations

import csv
import io
import math

import pytest
import torch

from tests.timm_loader import load_timm_scheduler

timm_scheduler = load_timm_scheduler()


def _columns(text: str) -> dict[str, list[float]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {key: [float(row[key]) for row in rows] for key in rows[0]}


def _timm_loop(
    cls: type,
    *,
    epochs: int,
    per_epoch: int = 1,
    lrs: tuple[float, ...] = (0.001,),
    scales: tuple[float, ...] | None = None,
    metric: list[float] | None = None,
    **kwargs: object,
) -> list[list[float]]:
    """timm's training loop by hand: every group's lr before each batch."""
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    if scales:
        for group, scale in zip(groups, scales, strict=True):
            group["lr_scale"] = scale
    optimizer = torch.optim.SGD(groups, lr=lrs[0])
    scheduler = cls(optimizer, **kwargs)
    seen: list[list[float]] = [[] for _ in lrs]
    updates = 0
    for epoch in range(epochs):
        for batch in range(per_epoch):
            for g, group in enumerate(optimizer.param_groups):
                seen[g].append(group["lr"])
            updates += 1
            value = None if metric is None else metric[epoch * per_epoch + batch]
            scheduler.step_update(num_updates=updates, metric=value)
        scheduler.step(epoch + 1, value)
    return seen


CSV = ["-o", "-", "--format", "csv"]


def test_cosine_with_warmup_and_cycles_is_timms(lrplot) -> None:
    args = ["--t-initial", "10", "--warmup-t", "3", "--warmup-lr-init", "1e-4",
            "--cycle-limit", "3", "--cycle-decay", "0.5", "--cycle-mul", "2", "--lr-min", "1e-5",
            "--lr", "0.1", "-n", "60"]  # fmt: skip
    result = lrplot("timm.scheduler.CosineLRScheduler", *args, *CSV)
    assert result.code == 0, result.err
    expected = _timm_loop(
        timm_scheduler.CosineLRScheduler, epochs=60, lrs=(0.1,), t_initial=10, warmup_t=3,
        warmup_lr_init=1e-4, cycle_limit=3, cycle_decay=0.5, cycle_mul=2, lr_min=1e-5,
    )  # fmt: skip
    lrs = _columns(result.out)["lr"]
    assert lrs == expected[0]
    assert lrs[0] == 1e-4  # the warm-up starts at warmup_lr_init, as timm initialises it
    restarts = [e for e in range(1, 60) if lrs[e] > lrs[e - 1] + 1e-9 and e > 3]
    assert restarts == [10, 30]  # cycles of 10, then 20 (cycle_mul 2), then the limit


def test_cosine_without_warmup_is_the_closed_form(lrplot) -> None:
    result = lrplot("timm.scheduler.CosineLRScheduler", "--t-initial", "20", "--lr", "1",
                    "-n", "20", *CSV)  # fmt: skip
    expected = [0.5 * (1 + math.cos(math.pi * e / 20)) for e in range(20)]
    assert _columns(result.out)["lr"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_per_update_scheduling_counts_batches(lrplot) -> None:
    result = lrplot("timm.scheduler.CosineLRScheduler", "--t-initial", "12", "--warmup-t", "4",
                    "--no-t-in-epochs", "--steps-per-epoch", "4", "-n", "5", *CSV)  # fmt: skip
    assert result.code == 0, result.err
    expected = _timm_loop(
        timm_scheduler.CosineLRScheduler, epochs=5, per_epoch=4, t_initial=12, warmup_t=4,
        t_in_epochs=False,
    )  # fmt: skip
    columns = _columns(result.out)
    assert columns["lr"] == expected[0]
    assert len(set(columns["lr"][:4])) == 4  # it moves within the first epoch


def test_seeded_noise_is_timms(lrplot) -> None:
    args = ["--t-initial", "30", "--noise-range-t", "5,20", "--noise-seed", "7", "-n", "30"]
    noisy = _columns(lrplot("timm.scheduler.CosineLRScheduler", *args, *CSV).out)["lr"]
    expected = _timm_loop(
        timm_scheduler.CosineLRScheduler, epochs=30, t_initial=30, noise_range_t=[5, 20],
        noise_seed=7,
    )  # fmt: skip
    assert noisy == expected[0]
    plain = _timm_loop(timm_scheduler.CosineLRScheduler, epochs=30, t_initial=30)[0]
    # step(5) at the end of epoch 4 sets the lr of row 5: noise in rows 5 to 19, t in [5, 20)
    assert noisy[:5] == plain[:5] and noisy[20:] == plain[20:]
    assert all(a != b for a, b in zip(noisy[5:20], plain[5:20], strict=True))


def test_per_group_lr_scale(lrplot) -> None:
    result = lrplot("timm.scheduler.StepLRScheduler", "--decay-t", "3", "--decay-rate", "0.5",
                    "--lr", "0.1", "--lr", "0.2", "--lr-scale", "1,0.25", "-n", "9",
                    *CSV)  # fmt: skip
    assert result.code == 0, result.err
    expected = _timm_loop(
        timm_scheduler.StepLRScheduler, epochs=9, lrs=(0.1, 0.2), scales=(1, 0.25),
        decay_t=3, decay_rate=0.5,
    )  # fmt: skip
    columns = _columns(result.out)
    assert [columns["lr"], columns["lr_1"]] == expected
    assert columns["lr_1"][0] == pytest.approx(0.2 * 0.25)


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("TanhLRScheduler", ["--t-initial", "15"], {"t_initial": 15}),
        ("MultiStepLRScheduler", ["--decay-t", "4,9", "--decay-rate", "0.3"],
         {"decay_t": [4, 9], "decay_rate": 0.3}),
        ("PolyLRScheduler", ["--t-initial", "15", "--power", "2", "--warmup-t", "2"],
         {"t_initial": 15, "power": 2.0, "warmup_t": 2}),
        ("WSDLRScheduler", ["--t-initial", "15", "--decay-t", "5"],
         {"t_initial": 15, "decay_t": 5}),
    ],
)  # fmt: skip
def test_each_timm_scheduler_runs_as_timm_runs_it(lrplot, name, args, kwargs) -> None:
    result = lrplot(f"timm.scheduler.{name}", *args, "-n", "15", *CSV)
    assert result.code == 0, result.err
    expected = _timm_loop(getattr(timm_scheduler, name), epochs=15, **kwargs)
    lrs = _columns(result.out)["lr"]
    assert lrs == expected[0]
    assert len(set(lrs)) > 2


def test_plateau_steps_on_the_metric_and_passes_on_timms_warning(lrplot) -> None:
    metric = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8]
    result = lrplot("timm.scheduler.PlateauLRScheduler", "--patience-t", "1", "--mode", "min",
                    "--metrics", ",".join(map(str, metric)), "--lr", "1", *CSV)  # fmt: skip
    assert result.code == 0, result.err
    with pytest.warns(Warning):  # timm deprecates it; lrplot says so on one line
        expected = _timm_loop(
            timm_scheduler.PlateauLRScheduler, epochs=10, lrs=(1.0,), metric=metric,
            patience_t=1, mode="min",
        )  # fmt: skip
    lrs = _columns(result.out)["lr"]
    assert lrs == expected[0] and min(lrs) < 1
    assert "lrplot: warning: timm.scheduler.PlateauLRScheduler: " in result.err


@pytest.mark.parametrize("start", [4, 10, 13])  # mid-cycle, at the restart, after it
def test_resume_continues_timms_run(lrplot, start: int) -> None:
    args = ["timm.scheduler.CosineLRScheduler", "--t-initial", "10", "--warmup-t", "2",
            "--cycle-limit", "2", "-n", "20"]  # fmt: skip
    whole = _columns(lrplot(*args, *CSV).out)["lr"]
    tail = lrplot(*args, "--start-epoch", str(start), *CSV)
    assert tail.code == 0, tail.err
    assert _columns(tail.out)["lr"] == whole[start:]
    refused = lrplot(*args, "--start-epoch", str(start), "--resume-by", "last-epoch")
    assert refused.code == 2 and "takes no last_epoch" in refused.err


def test_help_lists_timms_keywords(lrplot) -> None:
    text = " ".join(lrplot("timm.scheduler.CosineLRScheduler", "--help").out.split())
    assert "--t-initial INT" in text and "[required]" in text
    assert "--t-in-epochs / --no-t-in-epochs" in text
    assert "--lr-scale" in text and "--initialize" not in text


def test_resume_scan_shows_what_timm_warns_of(lrplot) -> None:
    # timm's own deprecation note: PlateauLRScheduler does not save its plateau state in
    # checkpoints, "so a resumed run restarts the plateau logic". The scan must see that.
    result = lrplot("resume", "timm.scheduler.PlateauLRScheduler", "--patience-t", "2",
                    "--mode", "min", "-n", "60", "--json")  # fmt: skip
    assert result.code == 0, result.err
    import json

    diverging = json.loads(result.out)["diverging"]
    assert diverging["state-dict"] and "last-epoch" not in diverging
    assert result.err.startswith("lrplot: warning: timm.scheduler.PlateauLRScheduler: ")
    assert result.err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["timm.scheduler.CosineLRScheduler", "--t-initial", "10", "--noise-range-t", "3",
          "--noise-pct", "0"], ["--noise-pct 0.0", "never happens"]),
        (["sequential", "--schedule", "timm.scheduler.CosineLRScheduler:t_initial=5",
          "--schedule", "exponential", "--milestones", "3"], ["cannot be a child", "step()"]),
        (["chained", "--schedule", "timm.scheduler.CosineLRScheduler:t_initial=5",
          "--schedule", "exponential"], ["cannot be a child"]),
        (["timm.scheduler.CosineLRScheduler", "--t-initial", "0"],
         ["AssertionError (an assert in its code failed)"]),
        (["timm.scheduler.StepLRScheduler", "--decay-t", "2", "--lr", "1", "--lr", "2",
          "--lr-scale", "1,2,3"], ["--lr-scale", "3 values for 2 param groups"]),
    ],
)  # fmt: skip
def test_timm_bad_input_is_one_line(lrplot, workdir, argv, fragments) -> None:
    result = lrplot(*argv, "-o", "x.csv")
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and result.err.startswith("lrplot: error: ")
    assert all(fragment in result.err for fragment in fragments), result.err
    assert not (workdir / "x.csv").exists()
