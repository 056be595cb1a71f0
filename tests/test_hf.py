"""``lrplot hf NAME``: transformers' schedules, against transformers' own expected values,
closed forms of their documented formulas, and the schedule called directly."""

from __future__ import annotations

import csv
import io
import json
import math
import sys

import pytest
import torch
import transformers

from lrplot.schedulers import hf

COMMON = ["--num-warmup-steps", "2", "--num-training-steps", "10", "--lr", "10"]
CSV = ["-o", "-", "--format", "csv"]

#: transformers' tests/optimization/test_optimization.py, ScheduleInitTest.test_schedulers:
#: 10 steps, lr 10, warm-up 2 and 10 training steps unless the case says otherwise; its own
#: tolerance is 1e-2.
HF_TARGETS = {
    "constant": ([], [10.0] * 10),
    "constant_with_warmup": (
        ["--num-warmup-steps", "4"],
        [0.0, 2.5, 5.0, 7.5, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0],
    ),
    "linear": (COMMON, [0.0, 5.0, 10.0, 8.75, 7.5, 6.25, 5.0, 3.75, 2.5, 1.25]),
    "cosine": (COMMON, [0.0, 5.0, 10.0, 9.61, 8.53, 6.91, 5.0, 3.08, 1.46, 0.38]),
    "cosine_with_restarts": (
        [*COMMON, "--num-cycles", "2"],
        [0.0, 5.0, 10.0, 8.53, 5.0, 1.46, 10.0, 8.53, 5.0, 1.46],
    ),
    "polynomial": (
        [*COMMON, "--power", "2.0", "--lr-end", "1e-7"],
        [0.0, 5.0, 10.0, 7.656, 5.625, 3.906, 2.5, 1.406, 0.625, 0.156],
    ),
}


def _lrs(text: str) -> list[float]:
    return [float(row["lr"]) for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize("name", sorted(HF_TARGETS))
def test_transformers_own_expected_values(lrplot, name: str) -> None:
    args, expected = HF_TARGETS[name]
    if "--lr" not in args:
        args = [*args, "--lr", "10"]
    result = lrplot("hf", name, *args, "-n", "10", "-o", "-", "--format", "csv")
    assert result.code == 0, result.err
    assert _lrs(result.out) == pytest.approx(expected, abs=1e-2)


#: Options for every SchedulerType, and a metric for the two stepped on one.
EVERY = {
    "linear": COMMON,
    "cosine": [*COMMON, "--num-cycles", "1.5"],
    "cosine_with_restarts": [*COMMON, "--num-cycles", "3"],
    "polynomial": [*COMMON, "--power", "3", "--lr-end", "0.5"],
    "constant": ["--lr", "10", "-n", "10"],
    "constant_with_warmup": ["--num-warmup-steps", "3", "--lr", "10", "-n", "10"],
    "inverse_sqrt": ["--num-warmup-steps", "3", "--timescale", "5", "--lr", "10", "-n", "12"],
    "reduce_lr_on_plateau": ["--patience", "1", "--metrics", "5,4,4,4,4,3,3,3", "--lr", "10"],
    "cosine_with_min_lr": [*COMMON, "--min-lr-rate", "0.1"],
    "cosine_warmup_with_min_lr": [*COMMON, "--min-lr", "1", "--warmup-lr-rate", "0.2"],
    "warmup_stable_decay": [*COMMON, "--num-decay-steps", "4", "--min-lr-ratio", "0.1"],
    "greedy": ["--patience", "1", "--max-lr", "20", "--metrics", "5,4,4,4,4,3,3,3", "--lr", "10"],
}
KEYWORDS = {
    "cosine": {"num_cycles": 1.5},
    "cosine_with_restarts": {"num_cycles": 3},
    "polynomial": {"power": 3.0, "lr_end": 0.5},
    "inverse_sqrt": {"timescale": 5},
    "reduce_lr_on_plateau": {"patience": 1},
    "cosine_with_min_lr": {"min_lr_rate": 0.1},
    "cosine_warmup_with_min_lr": {"min_lr": 1.0, "warmup_lr_rate": 0.2},
    "warmup_stable_decay": {"num_decay_steps": 4, "min_lr_ratio": 0.1},
    "greedy": {"patience": 1, "max_lr": 20.0},
}


def test_every_scheduler_type_is_offered() -> None:
    assert set(EVERY) == set(hf.NAMES)
    installed = {kind.value for kind in transformers.SchedulerType}
    assert set(hf.NAMES) <= installed
    assert tuple(k.value for k in transformers.SchedulerType if k.value in hf.NAMES) == hf.NAMES


def _direct(name: str, rows: int, metric: list[float] | None) -> list[float]:
    """transformers.get_scheduler called by hand on a fresh SGD, as a Trainer does."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=10)
    args = EVERY[name]
    counts = {
        key: int(args[args.index(flag) + 1]) if flag in args else None
        for key, flag in (
            ("num_warmup_steps", "--num-warmup-steps"),
            ("num_training_steps", "--num-training-steps"),
        )
    }
    scheduler = transformers.get_scheduler(
        name, optimizer, **counts, scheduler_specific_kwargs=dict(KEYWORDS.get(name, {}))
    )
    lrs = []
    for k in range(rows):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step() if metric is None else scheduler.step(metric[k])
    return lrs


@pytest.mark.parametrize("name", hf.NAMES)
def test_every_name_equals_the_schedule_called_directly(lrplot, name: str) -> None:
    result = lrplot("hf", name, *EVERY[name], "-o", "-", "--format", "csv")
    assert result.code == 0, result.err
    lrs = _lrs(result.out)
    metric = [5.0, 4, 4, 4, 4, 3, 3, 3] if name in hf.METRIC_NAMES else None
    assert lrs == _direct(name, len(lrs), metric)  # the same code: bit for bit
    assert len(set(lrs)) > 1 or name == "constant"  # every case moves the lr


def _inverse_sqrt(step: int, warmup: int, timescale: int) -> float:
    # transformers' documented formula: linear warm-up, then 1 / sqrt((step + shift) / t)
    if step < warmup:
        return step / warmup
    return 1 / math.sqrt((step + timescale - warmup) / timescale)


def _cosine_min(step: int, warmup: int, total: int, rate: float) -> float:
    if step < warmup:
        return step / warmup
    progress = (step - warmup) / (total - warmup)
    return rate + (1 - rate) * 0.5 * (1 + math.cos(math.pi * 2 * 0.5 * progress))


def test_closed_forms_of_the_schedules_hf_does_not_test(lrplot) -> None:
    inverse = _lrs(lrplot("hf", "inverse_sqrt", *EVERY["inverse_sqrt"], "-o", "-",
                          "--format", "csv").out)  # fmt: skip
    assert inverse == pytest.approx([10 * _inverse_sqrt(k, 3, 5) for k in range(12)], rel=1e-12)
    minimum = _lrs(lrplot("hf", "cosine_with_min_lr", *EVERY["cosine_with_min_lr"], "-o", "-",
                          "--format", "csv").out)  # fmt: skip
    assert minimum == pytest.approx([10 * _cosine_min(k, 2, 10, 0.1) for k in range(10)])
    wsd = _lrs(lrplot("hf", "warmup_stable_decay", *EVERY["warmup_stable_decay"], "-o", "-",
                      "--format", "csv").out)  # fmt: skip
    assert wsd == pytest.approx([10 * _wsd(k, 2, 4, 4, 0.1) for k in range(10)], rel=1e-12)


def _wsd(step: int, warmup: int, stable: int, decay: int, ratio: float) -> float:
    # transformers' get_wsd_schedule as its docstring describes it: linear warm-up from
    # min_lr_ratio, a stable phase at the peak, a cosine decay back to min_lr_ratio.
    if step < warmup:
        return ratio + (1 - ratio) * step / warmup
    if step < warmup + stable:
        return 1.0
    progress = (step - warmup - stable) / decay
    return ratio + (1 - ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def test_rows_default_to_the_training_steps_on_a_step_axis(lrplot, workdir) -> None:
    result = lrplot("hf", "linear", "--num-warmup-steps", "5", "--num-training-steps", "40",
                    "-o", "a.json", "-o", "a.png")  # fmt: skip
    assert result.code == 0, result.err
    document = json.loads((workdir / "a.json").read_text())
    assert len(document["series"]["lr"]) == 40
    assert document["scheduler"] == "transformers.optimization.get_linear_schedule_with_warmup"
    assert document["params"] == {"num_warmup_steps": 5, "num_training_steps": 40}
    from lrplot.batch.pipeline import FigureSpec, realise
    from lrplot.spec.build import build_spec

    spec = build_spec("hf/linear", {"num_warmup_steps": 5, "num_training_steps": 40})
    assert realise(FigureSpec("a", (spec,))).spec.style.x_axis == "step"


def test_help_names_the_options_and_the_quirks(lrplot) -> None:
    polynomial = " ".join(lrplot("hf", "polynomial", "--help").out.split())
    assert "--num-warmup-steps" in polynomial and "--lr-end" in polynomial
    assert "optimizer.defaults['lr']" in polynomial
    cosine = " ".join(lrplot("hf", "cosine", "--help").out.split())
    assert "--num-cycles FLOAT" in cosine and "whole cosine waves" in cosine
    restarts = " ".join(lrplot("hf", "cosine_with_restarts", "--help").out.split())
    assert "three decays, two hard restarts" in restarts


def test_what_help_says_of_num_cycles_is_what_transformers_does(lrplot) -> None:
    base = ["--num-warmup-steps", "0", "--num-training-steps", "8", "--lr", "1"]
    wave = _lrs(lrplot("hf", "cosine", *base, "--num-cycles", "1", *CSV).out)
    assert wave[4] == pytest.approx(0, abs=1e-12) and wave[7] > 0.8  # down to 0, back up
    base[3] = "9"
    decays = _lrs(lrplot("hf", "cosine_with_restarts", *base, "--num-cycles", "3", *CSV).out)
    restarts = [k for k in range(1, 9) if decays[k] > decays[k - 1]]
    assert restarts == [3, 6]  # three decays, two restarts
    listing = lrplot("hf", "--help").out
    assert all(name in listing for name in hf.NAMES)


def test_a_count_get_scheduler_does_not_pass_is_warned(lrplot) -> None:
    result = lrplot("hf", "constant", "--num-warmup-steps", "5", "-n", "10", "-o", "-",
                    "--format", "csv")  # fmt: skip
    assert result.code == 0
    assert _lrs(result.out) == [0.001] * 10
    assert "--num-warmup-steps" in result.err and "does not pass" in result.err


def test_without_transformers_it_says_how_to_install(lrplot, monkeypatch) -> None:
    hf.entry_for.cache_clear()
    monkeypatch.setitem(sys.modules, "transformers", None)
    monkeypatch.setitem(sys.modules, "transformers.optimization", None)
    try:
        result = lrplot("hf", "cosine", "--num-warmup-steps", "1", "--num-training-steps", "5")
    finally:
        hf.entry_for.cache_clear()
    assert result.code == 2
    assert result.err.strip().endswith("pip install 'lrplot[hf]' (or pip install transformers)")
    assert result.err.count("\n") == 1


def test_a_manifest_names_hf_schedules_as_data(lrplot, workdir) -> None:
    # hf/NAME comes from transformers' fixed table: no --allow-import needed (an import path
    # into transformers would need one, as any package outside torch does).
    (workdir / "m.toml").write_text(
        '[[figure]]\nname = "c"\nscheduler = "hf/cosine"\nnum-warmup-steps = 2\n'
        "num-training-steps = 10\nlr = 10\n"
    )
    result = lrplot("render", "m.toml", "-d", "out", "-q")
    assert result.code == 0, result.err
    document = json.loads((workdir / "out" / "c.json").read_text())
    assert document["series"]["lr"] == pytest.approx(HF_TARGETS["cosine"][1], abs=1e-2)
    assert document["command"][:3] == ["lrplot", "hf", "cosine"]
    (workdir / "p.toml").write_text(
        '[[figure]]\nname = "p"\nscheduler = "transformers.get_constant_schedule"\n'
    )
    refused = lrplot("render", "p.toml", "-d", "out2", "-q")
    assert refused.code == 2 and "--allow-import transformers" in refused.err


def test_training_steps_that_are_not_whole_epochs_are_warned_and_seen_with_epochs(lrplot):
    base = ["hf", "cosine", "--num-warmup-steps", "2", "--num-training-steps", "20",
            "--steps-per-epoch", "7", "--lr", "1", *CSV]  # fmt: skip
    cut = lrplot(*base)
    assert cut.code == 0 and len(_lrs(cut.out)) == 14  # whole epochs: 2 x 7 of the 20 steps
    assert cut.err == (
        "lrplot: warning: --num-training-steps 20 is not a whole number of epochs of 7 steps: "
        "2 epochs (14 steps) are recorded, the last 6 are not; give --epochs 3 to see them\n"
    )
    whole = lrplot(*base, "--epochs", "3")
    assert whole.err == ""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = transformers.get_cosine_schedule_with_warmup(optimizer, 2, 20)
    direct = []
    for _ in range(21):
        direct.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert _lrs(whole.out) == direct  # the whole schedule and its end at 0, as transformers
    assert direct[20] == 0.0


def test_help_says_where_the_epochs_default_comes_from(lrplot) -> None:
    text = "".join(lrplot("hf", "linear", "--help").out.split())  # wrapped anywhere
    assert "[default:--num-training-steps/--steps-per-epoch,inwholeepochs,whengiven" in text
    onecycle = "".join(lrplot("onecycle", "--help").out.split())
    assert "[default:--total-steps/--steps-per-epoch" in onecycle
