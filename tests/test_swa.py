"""SWALR (`lrplot swa`): alone, per param group, resumed, and as the tail of sequential/chained.

Every expected series comes from a loop over torch's own classes written here by hand, or
from SWALR's closed form; none from lrplot's earlier output.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch.optim import lr_scheduler as sched
from torch.optim.swa_utils import SWALR

from lrplot import build_spec, simulate

Build = Callable[[torch.optim.Optimizer], Any]


def _optimizer(lrs: list[float]) -> torch.optim.SGD:
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0])


def hand_loop(build: Build, lrs: list[float], rows: int, group: int = 0) -> list[float]:
    """Read the lr before each scheduler.step(), as a training loop sees it."""
    optimizer = _optimizer(lrs)
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the step-order warning: nothing is trained here
        scheduler = build(optimizer)
        for k in range(rows):
            seen.append(optimizer.param_groups[group]["lr"])
            if k < rows - 1:
                scheduler.step()
    return seen


def closed_form(lr: float, swa_lr: float, anneal: int, strategy: str, k: int) -> float:
    """SWALR's schedule: from lr to swa_lr by alpha(min(1, k / anneal_epochs)), then swa_lr."""
    t = 1.0 if anneal == 0 else min(1.0, k / anneal)
    alpha = (1 - math.cos(math.pi * t)) / 2 if strategy == "cos" else t
    return swa_lr * alpha + lr * (1 - alpha)


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("anneal", [0, 1, 7, 10])
def test_swa_equals_a_hand_loop_and_the_closed_form(strategy: str, anneal: int) -> None:
    options = {"swa_lr": "0.005", "anneal_epochs": str(anneal), "anneal_strategy": strategy}
    curve = simulate(build_spec("swa", options))
    expected = hand_loop(
        lambda o: SWALR(o, swa_lr=0.005, anneal_epochs=anneal, anneal_strategy=strategy),
        [0.05],
        30,
    )
    assert curve.lr.tolist() == expected
    wanted = [closed_form(0.05, 0.005, anneal, strategy, k) for k in range(30)]
    assert curve.lr.tolist() == pytest.approx(wanted, rel=1e-12, abs=1e-17)
    assert curve.lr[anneal:].tolist() == [0.005] * (30 - anneal)  # then it holds swa_lr


def test_defaults_show_the_anneal_and_then_the_hold() -> None:
    curve = simulate(build_spec("swa"))
    assert curve.rows == 30 and curve.lr[0] == 0.05
    assert curve.lr[5] == pytest.approx((0.05 + 0.005) / 2, rel=1e-12)  # halfway in cos
    assert curve.lr[10:].tolist() == [0.005] * 20


def test_swa_lr_per_param_group() -> None:
    curve = simulate(build_spec("swa", {"swa_lr": "0.005,0.02"}, lr=["0.05", "0.1"]))
    for group, name in enumerate(("lr", "lr_1")):
        expected = hand_loop(lambda o: SWALR(o, swa_lr=[0.005, 0.02]), [0.05, 0.1], 30, group)
        assert curve.series[name].tolist() == expected
    assert curve.series["lr_1"][-1] == 0.02


def test_usual_swa_recipe_cosine_then_swalr_in_sequential() -> None:
    text = ["cosine:T_max=75", "swa:swa_lr=0.01"]
    curve = simulate(build_spec("sequential", {"schedulers": text, "milestones": "75"}))

    def recipe(optimizer: torch.optim.Optimizer) -> Any:
        cosine = sched.CosineAnnealingLR(optimizer, T_max=75)
        swa = SWALR(optimizer, swa_lr=0.01)
        return sched.SequentialLR(optimizer, [cosine, swa], milestones=[75])

    assert curve.lr.tolist() == hand_loop(recipe, [0.001], 100)
    assert curve.lr[-10:].tolist() == [0.01] * 10  # SWALR holds swa_lr after its anneal
    assert [child["scheduler"] for child in curve.params["schedulers"]] == [
        "CosineAnnealingLR",
        "SWALR",
    ]


def test_swalr_in_chained_multiplies_with_its_sibling() -> None:
    text = ["swa:swa_lr=0.01,anneal_strategy=linear", "exponential:gamma=0.9"]
    curve = simulate(build_spec("chained", {"schedulers": text}, epochs=40))

    def chain(optimizer: torch.optim.Optimizer) -> Any:
        swa = SWALR(optimizer, swa_lr=0.01, anneal_strategy="linear")
        exponential = sched.ExponentialLR(optimizer, gamma=0.9)
        return sched.ChainedScheduler([swa, exponential])

    assert curve.lr.tolist() == hand_loop(chain, [0.001], 40)


def _resumed_by_hand(start: int, rows: int) -> list[float]:
    """A checkpoint at ``start`` steps, then SWALR rebuilt with last_epoch, as lrplot does."""
    optimizer = _optimizer([0.05])
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = SWALR(optimizer, swa_lr=0.005)
        for _ in range(start):
            first.step()
        scheduler = SWALR(optimizer, swa_lr=0.005, last_epoch=start - 1)
        for k in range(rows):
            seen.append(optimizer.param_groups[0]["lr"])
            if k < rows - 1:
                scheduler.step()
    return seen


def test_resume_inside_the_anneal_anneals_again_as_torch_does() -> None:
    fresh = simulate(build_spec("swa"))
    resumed = simulate(build_spec("swa", start_epoch=5, resume_by="last-epoch"))
    assert resumed.lr.tolist() == _resumed_by_hand(5, 25)
    assert resumed.lr.tolist() != fresh.lr[5:].tolist()  # README "Resume" says why
    assert simulate(build_spec("swa", start_epoch=5)).lr.tolist() == fresh.lr[5:].tolist()
    after = simulate(build_spec("swa", start_epoch=12, resume_by="last-epoch"))
    assert after.lr.tolist() == _resumed_by_hand(12, 18)
    # After the anneal it "anneals" from swa_lr to swa_lr: the fresh tail, to rounding.
    assert after.lr.tolist() == pytest.approx(fresh.lr[12:].tolist(), rel=1e-15)


@pytest.mark.parametrize("name", ["swa", "SWALR", "swalr", "Swalr"])
def test_command_and_class_name_in_any_case(lrplot, name: str) -> None:
    result = lrplot(name, "-n", "12", "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["scheduler"] == "SWALR"
    assert document["params"] == {"swa_lr": 0.005, "anneal_epochs": 10, "anneal_strategy": "cos"}
    assert document["series"]["lr"] == hand_loop(lambda o: SWALR(o, swa_lr=0.005), [0.05], 12)


def test_list_shows_swa(lrplot) -> None:
    line = next(row for row in lrplot("list").out.splitlines() if row.startswith("swa "))
    assert "SWALR" in line and "swa_lr=0.005" in line
    entries = {e["command"]: e for e in json.loads(lrplot("list", "--json").out)}
    assert entries["swa"]["torch_class"] == "torch.optim.swa_utils.SWALR"
