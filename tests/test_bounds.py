"""Every range lrplot puts on a number is torch's own.

For each numeric option of the registry: a bounded one runs at the edge torch accepts and
gives the numbers of a hand-written torch loop, and the first value past that edge is refused
with exit 2 and one line naming the option; an unbounded one runs at 0, -1 and 2 (values lrplot
used to refuse) with torch's numbers. The rules that refuse a value only when the run reaches
the step where torch divides by it are checked on both sides of that step.
"""

from __future__ import annotations

import importlib
import json
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import pytest
import torch

from lrplot.cli import main
from lrplot.schedulers import registry
from lrplot.schedulers.entry import Bound, Option, Scheduler

NUMERIC = ("int", "float", "floats", "ints")
#: Values tried on every option without a bound.
UNBOUNDED_VALUES = (0, -1, 2)
#: How far inside an open (exclusive) float edge the accepted value lies.
INSIDE = 1e-9

#: Other keywords an edge value needs to run at all, written by hand: without them torch
#: divides by zero (ConstantLR factor 0 at total_iters, PolynomialLR power < 0 at
#: total_iters) or lrplot's base_lr <= max_lr rule refuses the run.
CONTEXT: dict[tuple[str, str], dict[str, object]] = {
    ("constant", "factor"): {"total_iters": 0},
    ("polynomial", "power"): {"total_iters": 1000},
    ("cyclic", "max_lr"): {"base_lr": -2.0},
    ("cyclic", "base_lr"): {"max_lr": 3.0},
}
#: Run settings an edge needs: one OneCycleLR step needs a one-step run.
RUN_CONTEXT: dict[tuple[str, str], tuple[int, int]] = {("onecycle", "total_steps"): (1, 1)}


def _synthetic(epoch: float) -> float:
    # The documented synthetic loss, written out by hand (not through lrplot's evaluator).
    return 0.3 + 0.7 * math.exp(-min(epoch, 30) / 8) + 0.003 * math.sin(epoch)


@dataclass(frozen=True)
class Run:
    """One run: registry defaults, with ``values`` (torch keywords) on top."""

    entry: Scheduler
    values: dict[str, object] = field(default_factory=dict)
    epochs: int | None = None
    steps_per_epoch: int | None = None
    lr: float | None = None
    momentum: float | None = None

    @property
    def spe(self) -> int:
        return self.steps_per_epoch or self.entry.steps_per_epoch

    @property
    def rows(self) -> int:
        return (self.epochs or self.entry.epochs) * self.spe

    def argv(self) -> list[str]:
        args = [self.entry.command, "-n", str(self.epochs or self.entry.epochs)]
        args += ["--steps-per-epoch", str(self.spe)]
        for keyword, value in self.values.items():
            option = self.entry.option(keyword)
            assert option is not None, keyword
            args += [option.flag, _text(value)]
        if self.lr is not None:
            args += ["--lr", _text(self.lr)]
        if self.momentum is not None:
            args += ["--momentum", _text(self.momentum)]
        return [*args, "-o", "-", "--format", "json"]


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(_text, value))
    return repr(value) if isinstance(value, float) else str(value)


def _torch_class(entry: Scheduler) -> Any:
    module, _, name = entry.torch_class.rpartition(".")
    return getattr(importlib.import_module(module), name)


def oracle(run: Run) -> list[float]:
    """A plain torch loop: SGD on one zero parameter, lr read before each scheduler.step()."""
    entry = run.entry
    kwargs: dict[str, Any] = {o.name: o.default for o in entry.options}
    kwargs.update(run.values)
    kwargs = {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()}
    if entry.shared_keywords:
        kwargs |= {"epochs": run.epochs or entry.epochs, "steps_per_epoch": run.spe}
    lr = entry.lr if run.lr is None else run.lr
    momentum = entry.momentum if run.momentum is None else run.momentum
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr, momentum=momentum)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the step-order warning: nothing is trained here
        scheduler = _torch_class(entry)(optimizer, **kwargs)
        for k in range(run.rows):
            lrs.append(optimizer.param_groups[0]["lr"])
            if k < run.rows - 1:
                scheduler.step(_synthetic(k / run.spe)) if entry.needs_metric else scheduler.step()
    return lrs


def lrplot_lrs(run: Run, capsys: pytest.CaptureFixture[str]) -> list[float]:
    code = main(run.argv())
    captured = capsys.readouterr()
    assert code == 0, captured.err
    series: list[float] = json.loads(captured.out)["series"]["lr"]
    return series


def assert_refused(argv: list[str], names: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 2, captured.err
    assert len(lines) == 1 and lines[0].startswith("lrplot: error: "), captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


# ---------------------------------------------------------------- edges from the registry


def _step(option: Option) -> float:
    return 1 if option.kind in ("int", "ints") else INSIDE


def _below(option: Option, edge: float) -> float:
    return edge - 1 if option.kind in ("int", "ints") else math.nextafter(edge, -math.inf)


def _above(option: Option, edge: float) -> float:
    return edge + 1 if option.kind in ("int", "ints") else math.nextafter(edge, math.inf)


def _edges(option: Option, bound: Bound) -> tuple[list[float], list[float]]:
    """(values just inside the range, the first values outside it)."""
    inside: list[float] = []
    outside: list[float] = []
    if bound.low is not None:
        if bound.low_inclusive:
            inside.append(bound.low)
            outside.append(_below(option, bound.low))
        else:
            inside.append(bound.low + _step(option))
            outside.append(bound.low)
    if bound.high is not None:
        if bound.high_inclusive:
            inside.append(bound.high)
            outside.append(_above(option, bound.high))
        else:
            inside.append(bound.high - _step(option))
            outside.append(bound.high)
    for value in bound.excluded:
        inside += [value - _step(option), value + _step(option)]
        outside.append(value)
    return inside, outside


def _typed(option: Option, value: float) -> object:
    typed = int(value) if option.kind in ("int", "ints") else float(value)
    return (typed,) if option.kind == "ints" else typed  # a list of one


def _cases(accepted: bool) -> list[Any]:
    cases = []
    for entry in registry.SCHEDULERS:
        if entry.composite:
            continue  # their options are SPECs and SequentialLR milestones (test_composition)
        for option in entry.options:
            if option.kind not in NUMERIC:
                continue
            if option.bound is None:
                values = list(UNBOUNDED_VALUES) if accepted else []
            else:
                values = _edges(option, option.bound)[0 if accepted else 1]
            for value in values:
                typed = _typed(option, value)
                name = f"{entry.command}{option.flag}={_text(typed)}"
                cases.append(pytest.param(entry, option, typed, id=name))
    return cases


def _run_at(entry: Scheduler, option: Option, value: object) -> Run:
    key = (entry.command, option.name)
    epochs, spe = RUN_CONTEXT.get(key, (None, None))
    values = {**CONTEXT.get(key, {}), option.name: value}
    return Run(entry, values, epochs=epochs, steps_per_epoch=spe)


@pytest.mark.parametrize(("entry", "option", "value"), _cases(accepted=True))
def test_accepted_edge_gives_torchs_numbers(entry, option, value, capsys) -> None:
    run = _run_at(entry, option, value)
    assert lrplot_lrs(run, capsys) == oracle(run)


@pytest.mark.parametrize(("entry", "option", "value"), _cases(accepted=False))
def test_first_value_past_the_edge_is_refused(entry, option, value, capsys) -> None:
    run = _run_at(entry, option, value)
    # torch itself refuses it or divides by zero: a bound stricter than torch's fails here.
    with pytest.raises((ValueError, ZeroDivisionError)):
        oracle(run)
    line = assert_refused(run.argv(), [option.flag], capsys)
    assert _text(value) in line


def test_every_bound_is_tested() -> None:
    # A bound on a kind the edges above cannot reach would go untested.
    for entry in registry.SCHEDULERS:
        for option in entry.options:
            assert option.bound is None or option.kind in NUMERIC, (entry.command, option.name)


def test_the_issue_case_cyclic_base_lr_0(capsys) -> None:
    run = Run(registry.lookup("cyclic"), {"base_lr": 0.0})
    lrs = lrplot_lrs(run, capsys)
    assert lrs == oracle(run) and lrs[0] == 0.0 and max(lrs) > 0


# ---------------------------------------------------------------- SGD's own ranges


@pytest.mark.parametrize("value", [0.0, 2.5])
def test_lr_at_and_above_sgds_floor(value: float, capsys) -> None:
    run = Run(registry.lookup("step"), lr=value)
    assert lrplot_lrs(run, capsys) == oracle(run)


@pytest.mark.parametrize("value", [0.0, 1.0, 1.5])
def test_momentum_at_and_above_sgds_floor(value: float, capsys) -> None:
    run = Run(registry.lookup("plateau"), momentum=value)
    assert lrplot_lrs(run, capsys) == oracle(run)
    assert main([*run.argv()[:-4], "-o", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["optimizer"]["momentum"] == value


@pytest.mark.parametrize("flag", ["--lr", "--momentum"])
def test_negative_lr_or_momentum_is_refused_as_sgd_does(flag: str, capsys) -> None:
    with pytest.raises(ValueError):
        torch.optim.SGD([torch.zeros(1)], **{flag.lstrip("-"): -5e-324})
    line = assert_refused(["step", flag, "-5e-324", "-o", "x.csv"], [flag, "-5e-324"], capsys)
    assert "SGD" in line


# ---------------------------------------------------------------- where torch divides by zero


def _entry(command: str) -> Scheduler:
    return registry.lookup(command)


@pytest.mark.parametrize(
    ("command", "values", "accepted_epochs", "flag"),
    [
        # ConstantLR divides by factor at step total_iters: the 5-row run stops at step 4.
        ("constant", {"factor": 0.0, "total_iters": 5}, 5, "--factor"),
        # PolynomialLR raises 0 to the power at step total_iters.
        ("polynomial", {"power": -1.0, "total_iters": 5}, 5, "--power"),
    ],
)
def test_refused_only_when_the_run_reaches_the_division(
    command: str, values: dict[str, object], accepted_epochs: int, flag: str, capsys
) -> None:
    short = Run(_entry(command), values, epochs=accepted_epochs)
    assert lrplot_lrs(short, capsys) == oracle(short)
    longer = Run(_entry(command), values, epochs=accepted_epochs + 1)
    with pytest.raises(ZeroDivisionError):
        oracle(longer)  # torch itself fails one row later
    assert_refused(longer.argv(), [flag, "step 5 (epoch 5)"], capsys)


def test_cyclic_cycle_of_length_zero(capsys) -> None:
    cyclic = _entry("cyclic")
    with pytest.raises(ZeroDivisionError):
        oracle(Run(cyclic, {"step_size_up": 5, "step_size_down": -5}))
    refused = Run(cyclic, {"step_size_up": 5, "step_size_down": -5})
    assert_refused(refused.argv(), ["--step-size-down -5", "--step-size-up 5"], capsys)
    for down in (-4, 0):  # a sawtooth (0 steps down) is fine for torch
        run = Run(cyclic, {"step_size_up": 5, "step_size_down": down})
        assert lrplot_lrs(run, capsys) == oracle(run)


def test_onecycle_warm_up_of_length_zero(capsys) -> None:
    onecycle = _entry("onecycle")
    refused = Run(onecycle, {"pct_start": 0.01})  # x 100 steps = 1: phase one ends at step 0
    with pytest.raises(ZeroDivisionError):
        oracle(refused)
    assert_refused(refused.argv(), ["--pct-start 0.01", "step 0"], capsys)
    for values in ({"pct_start": 0.011}, {"pct_start": 0.01, "total_steps": 200}):
        run = Run(onecycle, values)
        assert lrplot_lrs(run, capsys) == oracle(run)


def test_negative_cyclic_gamma_overflow_names_gamma(capsys) -> None:
    line = assert_refused(["cyclic", "--gamma", "-1e10", "-o", "x.csv"], ["--gamma"], capsys)
    assert "overflow at step 31" in line
    run = Run(_entry("cyclic"), {"gamma": -1.5})  # |gamma| ** 99 stays finite
    assert lrplot_lrs(run, capsys) == oracle(run)


def test_a_child_spec_is_refused_with_its_own_key(capsys) -> None:
    argv = ["chained", "--schedule", "constant:factor=0,total_iters=20"]
    argv += ["--schedule", "exponential:gamma=0.9", "-o", "x.csv"]
    assert_refused(argv, ["--schedule 'constant:factor=0,total_iters=20': factor"], capsys)
