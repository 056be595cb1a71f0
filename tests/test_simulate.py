"""Recorded series equal an independent training-style loop over the same torch classes."""

from __future__ import annotations

import functools
import importlib
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched
from torch.optim.swa_utils import SWALR

from lrplot.schedulers import registry
from lrplot.simulation.record import simulate
from lrplot.spec.build import build_spec

SYNTHETIC = registry.SYNTHETIC_METRIC


def _synthetic(epoch: float) -> float:
    # The documented synthetic loss, written out by hand (not through lrplot's evaluator).
    return 0.3 + 0.7 * math.exp(-min(epoch, 30) / 8) + 0.003 * math.sin(epoch)


# command -> (torch class, kwargs, lr, momentum, rows), written independently of the registry.
ORACLE_CASES: dict[str, tuple[Callable[..., Any], dict[str, Any], float, float, int]] = {
    "lambda": (sched.LambdaLR, {"lr_lambda": lambda e: 0.95**e}, 0.001, 0.0, 100),
    "multiplicative": (sched.MultiplicativeLR, {"lr_lambda": lambda e: 0.95**e}, 0.001, 0.0, 100),
    "step": (sched.StepLR, {"step_size": 10, "gamma": 0.5}, 0.001, 0.0, 100),
    "multistep": (sched.MultiStepLR, {"milestones": [30, 80], "gamma": 0.5}, 0.001, 0.0, 100),
    "exponential": (sched.ExponentialLR, {"gamma": 0.5}, 0.0001, 0.0, 100),
    "cosine": (sched.CosineAnnealingLR, {"T_max": 50, "eta_min": 0.0}, 0.001, 0.0, 100),
    "cosine-restarts": (
        sched.CosineAnnealingWarmRestarts,
        {"T_0": 10, "T_mult": 1, "eta_min": 1e-5},
        0.0001,
        0.0,
        100,
    ),
    "plateau": (sched.ReduceLROnPlateau, {"mode": "min"}, 0.01, 0.9, 100),
    "cyclic": (
        sched.CyclicLR,
        {"base_lr": 5e-5, "max_lr": 1e-4, "step_size_up": 5, "mode": "exp_range", "gamma": 0.5},
        0.001,
        0.9,
        100,
    ),
    "onecycle": (
        sched.OneCycleLR,
        {"max_lr": 0.1, "epochs": 10, "steps_per_epoch": 10, "anneal_strategy": "linear"},
        0.001,
        0.0,
        100,
    ),
    "constant": (sched.ConstantLR, {}, 0.05, 0.0, 100),
    "linear": (sched.LinearLR, {}, 0.05, 0.0, 100),
    "polynomial": (sched.PolynomialLR, {}, 0.05, 0.0, 100),
    "swa": (SWALR, {"swa_lr": 0.005}, 0.05, 0.0, 30),
}


def oracle(command: str) -> tuple[list[float], list[float]]:
    """The textbook loop: optimizer.step() then scheduler.step(), reading param_groups."""
    cls, kwargs, lr, momentum, rows = ORACLE_CASES[command]
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    scheduler = cls(optimizer, **kwargs)
    lrs, moms = [], []
    for k in range(rows):
        lrs.append(optimizer.param_groups[0]["lr"])
        moms.append(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        if command == "plateau":
            scheduler.step(_synthetic(float(k)))
        else:
            scheduler.step()
    return lrs, moms


def test_oracle_cases_cover_the_registry() -> None:
    # Composites have their own oracles in test_composition.py.
    singles = {entry.command for entry in registry.SCHEDULERS if not entry.composite}
    assert set(ORACLE_CASES) == singles


@pytest.mark.parametrize("command", sorted(ORACLE_CASES))
def test_series_equals_oracle_loop_exactly(command: str) -> None:
    curve = simulate(build_spec(command))
    expected_lr, expected_momentum = oracle(command)
    assert curve.lr.tolist() == expected_lr
    if "momentum" in curve.series:
        assert curve.series["momentum"].tolist() == expected_momentum
    assert curve.rows == ORACLE_CASES[command][4]


def test_step_closed_form() -> None:
    curve = simulate(build_spec("step", {"step_size": "7", "gamma": "0.25"}, lr=0.2, epochs=40))
    expected = [0.2 * 0.25 ** (k // 7) for k in range(40)]
    np.testing.assert_allclose(curve.lr, expected, rtol=1e-15)


def test_multistep_closed_form() -> None:
    curve = simulate(build_spec("multistep", {"milestones": "30,80", "gamma": "0.5"}))
    expected = [0.001 * 0.5 ** sum(k >= m for m in (30, 80)) for k in range(100)]
    assert curve.lr.tolist() == expected  # powers of two: exact


def test_exponential_closed_form() -> None:
    curve = simulate(build_spec("exponential", {"gamma": "0.9"}, epochs=60))
    np.testing.assert_allclose(curve.lr, [0.0001 * 0.9**k for k in range(60)], rtol=1e-12)


def test_cosine_closed_form_falls_to_eta_min_and_climbs_back() -> None:
    curve = simulate(build_spec("cosine", {"T_max": "50", "eta_min": "1e-5"}))
    base, low = 0.001, 1e-5
    expected = [low + (base - low) * (1 + math.cos(math.pi * k / 50)) / 2 for k in range(100)]
    np.testing.assert_allclose(curve.lr, expected, rtol=1e-9)
    assert curve.lr[50] == pytest.approx(low) and curve.lr[99] > 0.99 * base


def test_onecycle_endpoints_and_peak() -> None:
    curve = simulate(build_spec("onecycle", {"max_lr": "0.1", "anneal_strategy": "linear"}))
    initial = 0.1 / 25
    assert curve.rows == 100
    assert curve.lr[0] == pytest.approx(initial, rel=1e-12)
    peak = round(0.3 * 100) - 1  # torch ends phase one at pct_start * total_steps - 1
    assert curve.lr[peak] == pytest.approx(0.1, rel=1e-12)
    assert curve.lr.max() == pytest.approx(0.1, rel=1e-12)
    assert curve.lr[-1] == pytest.approx(initial / 1e4, rel=1e-9)
    assert curve.series["momentum"][peak] == pytest.approx(0.85)


def test_epoch_column_is_step_over_steps_per_epoch() -> None:
    curve = simulate(build_spec("cosine", epochs=3, steps_per_epoch=4))
    assert curve.series["step"].tolist() == list(range(12))
    assert curve.epoch.tolist() == [k / 4 for k in range(12)]


def test_plateau_reacts_to_the_metric_one_row_later() -> None:
    # Improves for 3 epochs, then flat: with patience 2 the cut happens after metric 3+2+1.
    metric = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]
    curve = simulate(build_spec("plateau", {"patience": "2"}, metrics=metric))
    assert curve.rows == len(metric)  # --metrics sets the epochs
    # num_bad_epochs: 1 at k=3, 2 at k=4, 3 at k=5 > patience -> cut applies to row 6.
    assert curve.lr.tolist() == [0.01] * 6 + [0.001] * 2
    assert curve.series["metric"].tolist() == metric


def test_no_warning_and_no_dynamo_import() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate(build_spec("step"))


def test_fast_optimizer_gives_identical_series() -> None:
    module = importlib.import_module("lrplot.simulation.optimizer")
    stepping = importlib.import_module("lrplot.simulation.stepping")
    construct = importlib.import_module("lrplot.simulation.construct").construct

    for entry in registry.SCHEDULERS:
        spec = build_spec(entry.command)
        fast = module.fresh_optimizer(spec, fast=True)
        plain = module.fresh_optimizer(spec, fast=False)
        assert isinstance(fast, torch.optim.SGD)
        series = []
        for optimizer in (fast, plain):
            scheduler = construct(spec, optimizer)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                recorder = stepping.Recorder(spec, optimizer, scheduler)
                recorder.record(spec.rows, last=True)
                series.append(recorder.columns())
        for name in series[0]:
            assert series[0][name].tolist() == series[1][name].tolist(), (entry.command, name)
        # Checkpoints: the fast optimizer's state_dict and load_state_dict are torch's own.
        assert fast.state_dict() == plain.state_dict()
        fast.load_state_dict(plain.state_dict())
        assert fast.param_groups[0]["lr"] == plain.param_groups[0]["lr"]


def test_fast_path_is_taken_on_this_torch_and_falls_back_elsewhere() -> None:
    module = importlib.import_module("lrplot.simulation.optimizer")
    # On the pinned torch the shortcut is active (else the test above proves nothing) ...
    assert module.fast_class(torch.optim.SGD) is not torch.optim.SGD
    # ... and anything but torch's own _disable_dynamo wrapper gets the plain SGD.
    original = torch.optim.Optimizer.add_param_group.__wrapped__

    @functools.wraps(original)
    def other_wrapper(*args: Any, **kwargs: Any) -> None:
        return original(*args, **kwargs)

    def build(add_param_group: Any) -> type:
        return module._without_dynamo(torch.optim.SGD, add_param_group)

    assert build(original) is torch.optim.SGD
    assert build(other_wrapper) is torch.optim.SGD
    assert build(torch._disable_dynamo(other_wrapper)) is not torch.optim.SGD
    assert build(torch._disable_dynamo(len)) is torch.optim.SGD


def test_curves_share_no_state() -> None:
    first = simulate(build_spec("step"))
    second = simulate(build_spec("step"))
    assert first.lr.tolist() == second.lr.tolist()


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_a_cyclic_mark_says_max_lr_only_where_the_lr_is_max_lr(mode: str) -> None:
    curve = simulate(build_spec("cyclic", {"mode": mode}, epochs=30))
    max_lr = curve.params["max_lr"]
    max_lr = max_lr[0] if isinstance(max_lr, list) else max_lr
    for mark in curve.marks:
        lr = float(curve.series["lr"][int(mark.epoch)])
        assert (mark.text == "max_lr") == (lr == pytest.approx(max_lr, rel=1e-12)), (mark, lr)
