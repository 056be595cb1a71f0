"""PyTorch's own lr_scheduler test targets as lrplot cases: data for test_torch_targets.py."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# Every fact below comes from PyTorch test/optim/test_lrscheduler.py (pytorch/pytorch at
# commit 01f9ef32eae5ef513002dd44902c23cbe6be3aae), named per case by its test method.

#: setUp's SGD: group 0 lr 0.05, group 1 lr tensor(0.5), momentum 0 (SGD's default).
TWO_GROUPS = (0.05, 0.5)
#: test_lr_scheduler_checkpoint*: one group of a fresh AdamW, whose default lr is 1e-3.
ADAMW = (0.001,)
ETA = 1e-10  # the eta_min of every cosine test

# torch's own defaults for keywords the tests leave out, spelt out so that a change of
# lrplot's defaults (which differ for StepLR, CyclicLR, OneCycleLR...) cannot change a case.
PLATEAU_DEFAULTS = {
    "mode": "min",
    "factor": 0.1,
    "patience": 10,
    "threshold": 1e-4,
    "threshold_mode": "rel",
    "cooldown": 0,
    "min_lr": 0.0,
    "eps": 1e-8,
}
CYCLIC_DEFAULTS = {
    "step_size_up": 2000,
    "mode": "triangular",
    "gamma": 1.0,
    "scale_mode": "cycle",
    "cycle_momentum": True,
    "base_momentum": 0.8,
    "max_momentum": 0.9,
}
ONECYCLE_DEFAULTS = {
    "pct_start": 0.3,
    "anneal_strategy": "cos",
    "cycle_momentum": True,
    "base_momentum": 0.85,
    "max_momentum": 0.95,
    "div_factor": 25.0,
    "final_div_factor": 1e4,
    "three_phase": False,
}

Rows = tuple[float, ...]


@dataclass(frozen=True)
class Case:
    """One PyTorch test as an lrplot curve and the lr (and momentum) it must record."""

    test: str  # the PyTorch test method
    command: str
    options: Mapping[str, object]
    lrs: tuple[float, ...]
    epochs: int
    expected: tuple[Rows, ...]  # per param group, one value per recorded row
    momenta: tuple[Rows, ...] = ()  # per param group, when the scheduler cycles momentum
    steps_per_epoch: int = 1
    fractional_epochs: bool = False  # step(k / steps_per_epoch), as torch documents
    start_epoch: int | None = None
    metrics: Rows | None = None
    rel: float = 1e-9
    abs: float = 0.0
    defect: str | None = None  # a known lrplot defect: the case is xfail(strict) until fixed
    optimizer: str | None = None  # lrplot's --optimizer for the test's optimizer; None: SGD
    #: The column ``momenta`` is checked against: torch cycles Adam's ``betas[0]`` (beta1).
    momentum_column: str = "momentum"
    #: The test's momentum target is None: the optimizer has none and nothing is recorded.
    no_momentum: bool = False


@dataclass(frozen=True)
class Refusal:
    """A PyTorch test that torch refuses with ValueError: lrplot must refuse it too."""

    test: str
    command: str
    options: Mapping[str, object]
    flag: str  # the option lrplot's InputError must name
    defect: str | None = None
    optimizer: str | None = None  # lrplot's --optimizer for the test's optimizer; None: SGD


# ------------------------------------------------------------------ closed-form helpers


def rows(values: Sequence[float], n: int) -> Rows:
    """The first ``n`` targets: PyTorch's lists often run past the epochs its test checks."""
    assert len(values) >= n, "a target list shorter than the rows it must cover"
    return tuple(float(v) for v in values[:n])


def times(values: Sequence[float], k: float) -> list[float]:
    """``[x * k for x in values]``: how the tests write group 1 from group 0."""
    return [x * k for x in values]


def groups(
    fn: Callable[[float, int], float], n: int, lrs: Sequence[float] = TWO_GROUPS
) -> tuple[Rows, ...]:
    """``fn(initial lr, step)`` for steps 0..n-1, one row tuple per param group."""
    return tuple(tuple(fn(lr, t) for t in range(n)) for lr in lrs)


def cosine(lr: float, t: int, t_max: int, eta_min: float = ETA) -> float:
    """CosineAnnealingLR's closed form, as test_cos_anneal_lr writes it."""
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2


def annealing_cos(start: float, end: float, pct: float) -> float:
    """test_onecycle_lr_cosine_annealing's helper."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def warm_restarts(lr: float, iters: int, t_mult: int, t_0: int = 10) -> list[float]:
    """test_CosineAnnealingWarmRestarts_lr1's loop: T_cur and T_i step by step."""
    t_i, t_cur, out = t_0, 0, [lr]
    for _ in range(1, iters):
        t_cur += 1
        if t_cur >= t_i:
            t_cur, t_i = t_cur - t_i, t_mult * t_i
        out.append(ETA + (lr - ETA) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
    return out


def warm_restarts_fractional(lr: float, t_mult: int, epochs: int = 30) -> Rows:
    """test_CosineAnnealingWarmRestarts_lr2's targets, the lr after step(0.0), step(0.1), ...

    T_cur steps by 0.1, rounded, as the test writes it. lrplot's --fractional-epochs steps
    with step(k / 10) after row k, so row k + 1 holds the k-th target (row 0, the initial lr,
    is the test's first target too)."""
    t_i, t_cur, out = 10, 0.0, [lr]
    for _ in range(1, epochs * 10):
        t_cur = round(t_cur + 0.1, 1)
        if t_cur >= t_i:
            t_cur, t_i = t_cur - t_i, t_mult * t_i
        out.append(ETA + (lr - ETA) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
    return (lr, *out[:-1])


def linear_ramp(start: float, end: float, iters: int, n: int) -> list[float]:
    """LinearLR's factor per step as the tests write it: start + i (end - start) / iters."""
    return [start + min(i, iters) * (end - start) / iters for i in range(n)]


def plateau(targets: Sequence[float], epochs: int, first: float = 0.5) -> Rows:
    """_test_reduce_lr_on_plateau checks target[e] after step(metric[e]): lrplot's row e+1.

    Row 0 is the lr the test sets on every group before the loop.
    """
    return (first, *rows(targets, epochs))


def fed(metrics: Sequence[float], epochs: int) -> Rows:
    """The metrics for ``epochs + 1`` rows: lrplot steps with metric k after row k, so the
    last row's value is recorded but never reaches the scheduler; it repeats the last one."""
    return (*rows(metrics, epochs), float(metrics[epochs - 1]))


# ------------------------------------------------------------------ PyTorch's target lists

STEP_3 = [0.05] * 3 + [0.005] * 3 + [0.0005] * 3 + [0.00005] * 3  # test_step_lr
MULTISTEP_259 = [0.05] * 2 + [0.005] * 3 + [0.0005] * 4 + [0.00005] * 3  # test_multi_step_lr
CONSTANT_HALF = [0.025] * 5 + [0.05] * 5  # test_constantlr
LINEAR_QUARTER = [x * 0.05 for x in linear_ramp(1 / 4, 3 / 5, 4, 4)] + [0.05 * 3 / 5] * 6
LINEAR_HALF = [x * 0.05 for x in linear_ramp(1 / 2, 1.0, 4, 4)] + [0.05] * 6  # test_linearlr
SEQUENTIAL_3 = [0.005] * 3 + [0.05, 0.04, 0.032] + [0.05, 0.05, 0.005, 0.005, 0.0005, 0.0005]
CYCLE_LR = [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3]  # test_cycle_lr_triangular_mode_one_lr
CYCLE_MOMENTUM = [5, 4, 3, 2, 1, 2, 3, 4, 5, 4, 3]
# test_cycle_lr_triangular2_mode_one_lr
CYCLE2_LR = [1, 2, 3, 4, 5, 4, 3, 2, 1, 1.5, 2.0, 2.5, 3.0, 2.5, 2.0, 1.5, 1]
CYCLE2_LR += [1.25, 1.50, 1.75, 2.00, 1.75]
CYCLE2_MOMENTUM = [5.0, 4.0, 3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 4.5, 4.0, 3.5, 3.0, 3.5]
CYCLE2_MOMENTUM += [4.0, 4.5, 5.0, 4.75, 4.5, 4.25, 4.0, 4.25]
EXP_RANGE_XS = [0, 0.25, 0.5, 0.75, 1, 0.75, 0.50, 0.25, 0, 0.25, 0.5, 0.75, 1]
# test_cycle_lr_triangular_mode_step_size_up_down
UP_DOWN_LR = [1.0, 2.0, 3.0, 4.0, 5.0, 13.0 / 3, 11.0 / 3, 9.0 / 3, 7.0 / 3, 5.0 / 3, 1.0]
UP_DOWN_MOMENTUM = [5.0, 4.0, 3.0, 2.0, 1.0, 5.0 / 3, 7.0 / 3, 3.0, 11.0 / 3, 13.0 / 3, 5.0]
# test_cycle_lr_triangular2_mode_step_size_up_down
UP2_DOWN6_LR = [1.0, 3.0, 5.0, 13.0 / 3, 11.0 / 3, 9.0 / 3, 7.0 / 3, 5.0 / 3, 1.0, 2.0, 3.0]
UP2_DOWN6_LR += [8.0 / 3, 7.0 / 3, 6.0 / 3, 5.0 / 3, 4.0 / 3, 1.0, 3.0 / 2, 2.0, 11.0 / 6]
UP2_DOWN6_LR += [10.0 / 6, 9.0 / 6, 8.0 / 6, 7.0 / 6]
UP2_DOWN6_MOMENTUM = [5.0, 3.0, 1.0, 5.0 / 3, 7.0 / 3, 3.0, 11.0 / 3, 13.0 / 3, 5.0, 4.0]
UP2_DOWN6_MOMENTUM += [3.0, 10.0 / 3, 11.0 / 3, 4.0, 13.0 / 3, 14.0 / 3, 5.0, 4.5, 4.0]
UP2_DOWN6_MOMENTUM += [25.0 / 6, 13.0 / 3, 4.5, 14.0 / 3, 29.0 / 6]
# test_cycle_lr_exp_range_mode_step_size_up_down
UP2_DOWN6_XS = [0.0, 0.5, 1.0, 5.0 / 6, 4.0 / 6, 3.0 / 6, 2.0 / 6, 1.0 / 6, 0.0, 0.5, 1.0]
UP2_DOWN6_XS += [5.0 / 6, 4.0 / 6]
ONECYCLE_COS_LR = [1, 13, 25, *(annealing_cos(25, 0.5, i / 7.0) for i in range(1, 7)), 0.5]
ONECYCLE_COS_MOMENTUM = [22, 11.5, 1, *(annealing_cos(1, 22, i / 7.0) for i in range(1, 7)), 22]
# test_reduce_lr_on_plateau*: lists shared by several tests
PLATEAU_CUTS_6_11_4 = [0.5] * 6 + [0.05] * (5 + 6) + [0.005] * 4
RISING_1_005 = [1.5 * (1.005**i) for i in range(20)]


def exp_range(start: float, towards: float, xs: Sequence[float]) -> list[float]:
    """test_cycle_lr_exp_range_mode*: start + x (towards - start) gamma**i, gamma 0.9.

    The lr goes from base_lr towards max_lr; the momentum from max towards base.
    """
    return [start + x * (towards - start) * 0.9**i for i, x in enumerate(xs)]


def cyclic(**options: object) -> dict[str, object]:
    return {**CYCLIC_DEFAULTS, **options}


def onecycle(**options: object) -> dict[str, object]:
    return {**ONECYCLE_DEFAULTS, **options}


def reduce_on_plateau(**options: object) -> dict[str, object]:
    return {**PLATEAU_DEFAULTS, **options}


def two(single: Sequence[float], n: int) -> tuple[Rows, Rows]:
    """Both groups as the test writes them: ``[single, [x * epochs for x in single]]``.

    Its epochs is 10, which is also group 1's lr over group 0's (0.5 / 0.05).
    """
    return rows(single, n), rows(times(single, 10), n)


def derived(single: Sequence[float], n: int) -> tuple[Rows, Rows]:
    """Group 0 as the test writes it, group 1 as 10 x group 0.

    These tests give one target list and check ``zip(param_groups, targets)``: group 0
    alone. Group 1 starts at 0.5 = 10 x 0.05 and every scheduler involved multiplies the lr
    by factors that do not depend on it, so its target is the "x 10" that
    test_get_last_lr_sequentiallr and most other tests write out.
    """
    return two(single, n)


CASES: tuple[Case, ...] = (
    # ---------------------------------------------------------------- single schedulers
    Case(
        "test_step_lr",
        "step",
        {"step_size": 3, "gamma": 0.1},
        TWO_GROUPS,
        10,
        two(STEP_3, 10),
    ),
    Case(
        "test_get_last_lr_step_lr",  # get_last_lr() before each step is the group's lr
        "step",
        {"step_size": 3, "gamma": 0.1},
        (0.1,),
        10,
        (rows([0.1] * 3 + [0.01] * 3 + [0.001] * 3 + [0.0001], 10),),
    ),
    Case(
        "test_get_last_lr_multi_step_lr",
        "multistep",
        {"milestones": [2, 5, 9], "gamma": 0.1},
        TWO_GROUPS,
        10,
        two(MULTISTEP_259, 10),
    ),
    Case(
        "test_multi_step_lr",
        "multistep",
        {"milestones": [2, 5, 9], "gamma": 0.1},
        TWO_GROUPS,
        10,
        two(MULTISTEP_259, 10),
    ),
    Case(
        "test_get_last_lr_constantlr",
        "constant",
        {"factor": 1.0 / 2, "total_iters": 5},
        TWO_GROUPS,
        10,
        two(CONSTANT_HALF, 10),
    ),
    Case(
        "test_constantlr",
        "constant",
        {"factor": 1.0 / 2, "total_iters": 5},
        TWO_GROUPS,
        10,
        two(CONSTANT_HALF, 10),
    ),
    Case(
        "test_get_last_lr_linearlr",
        "linear",
        {"start_factor": 1.0 / 4, "end_factor": 3.0 / 5, "total_iters": 4},
        TWO_GROUPS,
        10,
        two(LINEAR_QUARTER, 10),
    ),
    Case(
        "test_linearlr",
        "linear",
        {"start_factor": 1.0 / 2, "end_factor": 1.0, "total_iters": 4},
        TWO_GROUPS,
        10,
        two(LINEAR_HALF, 10),
    ),
    Case(
        "test_exp_lr",
        "exponential",
        {"gamma": 0.9},
        TWO_GROUPS,
        10,
        two([0.05 * (0.9**x) for x in range(10)], 10),
    ),
    Case(
        "test_poly_lr",
        "polynomial",
        {"power": 0.9, "total_iters": 5},
        TWO_GROUPS,
        10,
        two([(1.0 - x / 5) ** 0.9 * 0.05 for x in range(5)] + [0.0] * 5, 10),
    ),
    Case(
        # The test writes group 1 as 10 x group 0's closed form, off by up to 9 eta_min
        # (7e-8 relative at step 9); the same closed form with group 1's own lr is exact.
        "test_cos_anneal_lr",
        "cosine",
        {"T_max": 10, "eta_min": ETA},
        TWO_GROUPS,
        10,
        groups(lambda lr, t: cosine(lr, t, 10), 10),
    ),
    # ---------------------------------------------------------------- test_closed_form_*
    # These tests mean to compare each scheduler with its closed form (torch's
    # _get_closed_form_lr, reached through the deprecated step(epoch)), here written out.
    Case(
        "test_closed_form_step_lr",
        "step",
        {"step_size": 3, "gamma": 0.1},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: lr * 0.1 ** (t // 3), 20),
    ),
    Case(
        "test_closed_form_linearlr",
        "linear",
        {"start_factor": 1.0 / 3, "end_factor": 0.7, "total_iters": 4},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: lr * (1.0 / 3 + (0.7 - 1.0 / 3) * min(t, 4) / 4), 20),
    ),
    Case(
        "test_closed_form_constantlr",
        "constant",
        {"factor": 1.0 / 3, "total_iters": 4},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: lr * (1.0 / 3 if t < 4 else 1.0), 20),
    ),
    Case(
        "test_closed_form_multi_step_lr",
        "multistep",
        {"milestones": [2, 5, 9], "gamma": 0.1},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: lr * 0.1 ** bisect_right([2, 5, 9], t), 20),
    ),
    Case(
        "test_closed_form_exp_lr",
        "exponential",
        {"gamma": 0.9},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: lr * 0.9**t, 20),
    ),
    Case(
        "test_closed_form_poly_lr",  # PolynomialLR(power=0.9): torch's total_iters is 5
        "polynomial",
        {"power": 0.9, "total_iters": 5},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: lr * (1.0 - min(t, 5) / 5) ** 0.9, 20),
    ),
    Case(
        "test_closed_form_cos_anneal_lr",  # T_max 5 over 20 steps: the cosine's periodic tail
        "cosine",
        {"T_max": 5, "eta_min": ETA},
        TWO_GROUPS,
        20,
        groups(lambda lr, t: cosine(lr, t, 5), 20),
    ),
    # ---------------------------------------------------------------- ReduceLROnPlateau
    # Every plateau test sets both groups to 0.5 and checks group 0; ReduceLROnPlateau cuts
    # every group on the same decision, so group 1's target is the same list (with min_lr
    # 0 for both), except in test_reduce_lr_on_plateau8, which writes both. A test's N
    # epochs are N + 1 rows here: row 0 (the lr it sets), then one row per metric.
    Case(
        "test_reduce_lr_on_plateau1",
        "plateau",
        reduce_on_plateau(threshold_mode="abs", mode="min", threshold=0.01, patience=5, cooldown=5),
        (0.5, 0.5),
        11,
        (plateau([0.5] * 20, 10),) * 2,
        metrics=fed([10 - i * 0.0167 for i in range(20)], 10),
    ),
    Case(
        "test_reduce_lr_on_plateau2",
        "plateau",
        reduce_on_plateau(patience=5, cooldown=0, threshold_mode="abs", mode="min", threshold=0.1),
        (0.5, 0.5),
        23,
        (plateau([0.5] * 6 + [0.05] * 7 + [0.005] * 7 + [0.0005] * 2, 22),) * 2,
        metrics=fed([10 - i * 0.0165 for i in range(22)], 22),
    ),
    Case(
        "test_reduce_lr_on_plateau3",
        "plateau",
        reduce_on_plateau(mode="max", patience=5, cooldown=5, threshold_mode="abs"),
        (0.5, 0.5),
        23,
        (plateau([0.5] * (2 + 6) + [0.05] * (5 + 6) + [0.005] * 4, 22),) * 2,
        metrics=fed([-0.8] * 2 + [-0.234] * 20, 22),
    ),
    Case(
        "test_reduce_lr_on_plateau4",
        "plateau",
        reduce_on_plateau(mode="max", patience=3, threshold_mode="rel", threshold=0.1),
        (0.5, 0.5),
        21,
        (plateau([0.5] * 20, 20),) * 2,
        metrics=fed([1.5 * (1.025**i) for i in range(20)], 20),
    ),
    Case(
        "test_reduce_lr_on_plateau5",
        "plateau",
        reduce_on_plateau(mode="max", threshold_mode="rel", threshold=0.1, patience=5, cooldown=5),
        (0.5, 0.5),
        21,
        (plateau(PLATEAU_CUTS_6_11_4, 20),) * 2,
        metrics=fed(RISING_1_005, 20),
    ),
    Case(
        "test_reduce_lr_on_plateau6",
        "plateau",
        reduce_on_plateau(mode="min", threshold_mode="rel", threshold=0.1),
        (0.5, 0.5),
        21,
        (plateau([0.5] * 20, 20),) * 2,
        metrics=fed([1.5 * (0.85**i) for i in range(20)], 20),
    ),
    Case(
        "test_reduce_lr_on_plateau7",
        "plateau",
        reduce_on_plateau(mode="min", threshold_mode="rel", threshold=0.1, patience=5, cooldown=5),
        (0.5, 0.5),
        21,
        (plateau(PLATEAU_CUTS_6_11_4, 20),) * 2,
        metrics=fed([1] * 7 + [0.6] + [0.5] * 12, 20),
    ),
    Case(
        "test_reduce_lr_on_plateau8",
        "plateau",
        reduce_on_plateau(
            mode="max",
            threshold_mode="rel",
            min_lr=[0.4, 0.3],
            threshold=0.1,
            patience=5,
            cooldown=5,
        ),
        (0.5, 0.5),
        21,
        (plateau([0.5] * 6 + [0.4] * 14, 20), plateau([0.5] * 6 + [0.3] * 14, 20)),
        metrics=fed(RISING_1_005, 20),
    ),
    Case(
        # get_last_lr() before any step: row 0, so no metric reaches the scheduler.
        "test_reduce_lr_on_plateau_get_last_lr_before_step",
        "plateau",
        reduce_on_plateau(),
        (0.5, 0.5),
        1,
        ((0.5,), (0.5,)),
    ),
    # ---------------------------------------------------------------- SequentialLR
    Case(
        "test_sequentiallr1",
        "sequential",
        {"schedulers": ["exponential:gamma=0.8", "step:gamma=0.1,step_size=4"], "milestones": [3]},
        TWO_GROUPS,
        19,
        derived(
            [0.05, 0.04, 0.032]
            + [0.05] * 4
            + [0.05 * 0.1] * 4
            + [0.05 * 0.01] * 4
            + [0.05 * 0.001] * 4,
            19,
        ),
    ),
    Case(
        "test_sequentiallr2",
        "sequential",
        {
            "schedulers": ["constant:factor=0.1,total_iters=3", "exponential:gamma=0.9"],
            "milestones": [3],
        },
        TWO_GROUPS,
        13,
        derived([0.005] * 3 + [0.05 * 0.9**x for x in range(10)], 13),
    ),
    Case(
        "test_sequentiallr3",
        "sequential",
        {
            "schedulers": [
                "constant:factor=0.1,total_iters=3",
                "exponential:gamma=0.8",
                "step:gamma=0.1,step_size=2",
            ],
            "milestones": [3, 6],
        },
        TWO_GROUPS,
        12,
        derived(SEQUENTIAL_3, 12),
    ),
    Case(
        "test_get_last_lr_sequentiallr",  # the test writes group 1 as x 10 itself
        "sequential",
        {
            "schedulers": [
                "constant:factor=0.1,total_iters=3",
                "exponential:gamma=0.8",
                "step:gamma=0.1,step_size=2",
            ],
            "milestones": [3, 6],
        },
        TWO_GROUPS,
        12,
        two(SEQUENTIAL_3, 12),
    ),
    Case(
        # Building two ConstantLRs (torch's default total_iters 5) and the SequentialLR must
        # leave SGD(lr=0.1)'s lr as it was: row 0.
        "test_sequentiallr4",
        "sequential",
        {
            "schedulers": ["constant:factor=1,total_iters=5", "constant:factor=0.1,total_iters=5"],
            "milestones": [10],
        },
        (0.1,),
        1,
        ((0.1,),),
    ),
    Case(
        "test_sequentiallr5",
        "sequential",
        {
            "schedulers": [
                # A composite child: its children in [...], each in parentheses when it
                # has commas of its own (README, "Composing schedulers").
                "chained:schedulers=[(linear:start_factor=0.1,total_iters=5),"
                "(constant:factor=0.1,total_iters=5)]",
                "constant:factor=0.5,total_iters=5",
            ],
            "milestones": [5],
        },
        TWO_GROUPS,
        10,
        derived([0.0005, 0.0014, 0.0023, 0.0032, 0.0041] + [0.025] * 5, 10),
    ),
    Case(
        # SGD(net.parameters(), lr=tensor(2.0)): one group; LinearLR's positional
        # (start_factor, end_factor) are (0.1, 0.8) then (0.8, 0.1).
        "test_sequentiallr_does_not_alias_lr_and_initial_lr",
        "sequential",
        {
            "schedulers": [
                "linear:start_factor=0.1,end_factor=0.8,total_iters=4",
                "linear:start_factor=0.8,end_factor=0.1,total_iters=4",
            ],
            "milestones": [4],
        },
        (2.0,),
        8,
        ((0.2, 0.55, 0.9, 1.25, 1.6, 1.25, 0.9, 0.55),),
    ),
    Case(
        # The test steps nothing until swa_start = 5, then SWALR(anneal_epochs=1, swa_lr=0.01).
        # SequentialLR's milestone step leaves SWALR's lr as it is, so an identity first
        # child with milestone 5 gives that curve (checked against a torch loop).
        "test_swalr_no_anneal",
        "sequential",
        {
            "schedulers": [
                "constant:factor=1,total_iters=5",
                "swalr:swa_lr=0.01,anneal_epochs=1,anneal_strategy=cos",
            ],
            "milestones": [5],
        },
        TWO_GROUPS,
        10,
        tuple(tuple([lr] * (5 + 1) + [0.01] * (10 - 5 - 1)) for lr in TWO_GROUPS),
    ),
    # ---------------------------------------------------------------- ChainedScheduler
    Case(
        "test_chained_lr1",
        "chained",
        {"schedulers": ["step:gamma=0.1,step_size=3"]},
        TWO_GROUPS,
        10,
        derived(STEP_3, 10),
    ),
    Case(
        "test_chained_lr2",
        "chained",
        {"schedulers": ["linear:start_factor=0.4,end_factor=1.0,total_iters=3"]},
        TWO_GROUPS,
        10,
        derived([0.02, 0.03, 0.04] + [0.05] * 9, 10),
    ),
    Case(
        "test_chained_lr3",
        "chained",
        {
            "schedulers": [
                "linear:start_factor=0.4,end_factor=1.0,total_iters=3",
                "multistep:milestones=[4,8,10],gamma=0.1",
            ]
        },
        TWO_GROUPS,
        10,
        derived([0.02, 0.03, 0.04, 0.05] + [0.005] * 4 + [0.0005] * 3 + [0.00005] * 3, 10),
    ),
    Case(
        "test_chained_lr4",
        "chained",
        {
            "schedulers": [
                "exponential:gamma=0.9",
                "constant:factor=0.2,total_iters=4",
                "step:gamma=0.1,step_size=3",
            ]
        },
        TWO_GROUPS,
        9,
        derived(
            [0.05 * 0.2 * 0.9**x for x in range(3)]
            + [0.05 * 0.2 * 0.9**3 * 0.1]
            + [0.05 * 0.9**x * 0.1 for x in range(4, 6)]
            + [0.05 * 0.9**x * 0.01 for x in range(6, 9)],
            9,
        ),
    ),
    Case(
        "test_chained_lr5",  # ConstantLR(factor=0.1): torch's default total_iters is 5
        "chained",
        {
            "schedulers": [
                "polynomial:power=0.9,total_iters=5",
                "constant:factor=0.1,total_iters=5",
            ]
        },
        TWO_GROUPS,
        10,
        groups(lambda lr, t: 0.1 * (lr * (1.0 - t / 5) ** 0.9 if t < 5 else 0.0), 10),
    ),
    # ---------------------------------------------------------------- test_compound_*
    # The tests step a list of schedulers in order each epoch: ChainedScheduler.step() does
    # exactly that, so each is a chained curve with the children in the test's order.
    Case(
        "test_compound_step_and_multistep_lr",
        "chained",
        {"schedulers": ["step:gamma=0.1,step_size=3", "multistep:gamma=0.1,milestones=[2,5,9]"]},
        TWO_GROUPS,
        10,
        derived([0.05] * 2 + [0.005] * 1 + [5e-4] * 2 + [5e-5] + [5e-6] * 3 + [5e-8], 10),
    ),
    Case(
        "test_compound_step_and_exp_lr",
        "chained",
        {"schedulers": ["step:gamma=0.1,step_size=3", "exponential:gamma=0.9"]},
        TWO_GROUPS,
        10,
        two(
            [0.05 * (0.9**x) for x in range(3)]
            + [0.005 * (0.9**x) for x in range(3, 6)]
            + [0.0005 * (0.9**x) for x in range(6, 9)]
            + [0.00005 * (0.9**x) for x in range(9, 12)],
            10,
        ),
    ),
    Case(
        "test_compound_exp_and_multistep_lr",
        "chained",
        {"schedulers": ["multistep:gamma=0.1,milestones=[2,5,9]", "exponential:gamma=0.9"]},
        TWO_GROUPS,
        10,
        two(
            [0.05 * (0.9**x) for x in range(2)]
            + [0.005 * (0.9**x) for x in range(2, 5)]
            + [0.0005 * (0.9**x) for x in range(5, 9)]
            + [0.00005 * (0.9**x) for x in range(9, 11)],
            10,
        ),
    ),
    Case(
        "test_compound_exp_and_linearlr",
        "chained",
        {
            "schedulers": [
                "linear:start_factor=0.4,end_factor=0.9,total_iters=4",
                "exponential:gamma=0.9",
            ]
        },
        TWO_GROUPS,
        10,
        two([0.05 * (0.9**x) * f for x, f in enumerate(linear_ramp(0.4, 0.9, 4, 11))], 10),
    ),
    Case(
        "test_compound_step_and_constantlr",
        "chained",
        {"schedulers": ["step:gamma=0.1,step_size=3", "constant:factor=0.4,total_iters=4"]},
        TWO_GROUPS,
        10,
        two([0.05 * 0.4] * 3 + [0.005 * 0.4] + [0.005] * 2 + [0.0005] * 3 + [0.00005] * 3, 10),
    ),
    Case(
        "test_compound_linearlr_and_multistep_lr",
        "chained",
        {
            "schedulers": [
                "multistep:gamma=0.1,milestones=[2,5,9]",
                "linear:start_factor=0.4,end_factor=1.0,total_iters=4",
            ]
        },
        TWO_GROUPS,
        10,
        two(
            [x * f for x, f in zip(MULTISTEP_259[:11], linear_ramp(0.4, 1, 4, 11), strict=True)],
            10,
        ),
    ),
    # The cosine compounds: the tests write cosine's closed form times the other factor (for
    # group 1 as 10 x group 0; here with group 1's own lr). Torch's chainable cosine
    # rescales (lr - eta_min) each step, so once another scheduler has cut the lr by M,
    # eta_min enters with weight 1 instead of M: a plain torch loop differs from the closed
    # form by eta_min (1 - M) (1 - ratio) per step, less than eta_min = 1e-10 in all
    # (the tests' atol=1e-5 hides it). Where that exceeds rel 1e-9, the case carries the
    # measured maximum rounded up to one digit as abs (lrplot equals the torch loop exactly).
    Case(
        "test_compound_cosanneal_and_step_lr",
        "chained",
        {"schedulers": ["cosine:T_max=10,eta_min=1e-10", "step:gamma=0.1,step_size=3"]},
        TWO_GROUPS,
        10,
        groups(lambda lr, t: cosine(lr, t, 10) * 0.1 ** (t // 3), 10),
        # measured 7.3e-11
        abs=8e-11,
    ),
    Case(
        "test_compound_cosanneal_and_multistep_lr",
        "chained",
        {
            "schedulers": [
                "cosine:T_max=10,eta_min=1e-10",
                "multistep:gamma=0.1,milestones=[2,5,9]",
            ]
        },
        TWO_GROUPS,
        10,
        groups(lambda lr, t: cosine(lr, t, 10) * 0.1 ** bisect_right([2, 5, 9], t), 10),
        # measured 8.1e-11
        abs=9e-11,
    ),
    Case(
        "test_compound_cosanneal_and_linearlr",
        "chained",
        {
            "schedulers": [
                "linear:start_factor=0.4,end_factor=1.0,total_iters=4",
                "cosine:T_max=10,eta_min=1e-10",
            ]
        },
        TWO_GROUPS,
        10,
        groups(lambda lr, t: cosine(lr, t, 10) * linear_ramp(0.4, 1, 4, 10)[t], 10),
    ),
    Case(
        "test_compound_cosanneal_and_exp_lr",
        "chained",
        {"schedulers": ["cosine:T_max=10,eta_min=1e-10", "exponential:gamma=0.1"]},
        TWO_GROUPS,
        10,
        groups(lambda lr, t: cosine(lr, t, 10) * 0.1**t, 10),
        # measured 7.6e-12: rows 8 and 9 (targets 4.8e-11 and 1.2e-12) are checked only to it
        abs=8e-12,
    ),
    # ---------------------------------------------------------------- CyclicLR
    # CyclicLR sets the lr to base_lr (and the momentum to max_momentum) when it is built,
    # so the groups' 0.05/0.5 never show; SGD's momentum is 0 as in setUp.
    Case(
        "test_cycle_lr_triangular_mode_one_lr",
        "cyclic",
        cyclic(base_lr=1, max_lr=5, step_size_up=4, base_momentum=1, max_momentum=5),
        TWO_GROUPS,
        11,
        (rows(CYCLE_LR, 11),) * 2,
        momenta=(rows(CYCLE_MOMENTUM, 11),) * 2,
    ),
    Case(
        # The test's momentum target is SGD's unchanged 0; lrplot records momentum only
        # when the scheduler cycles it, so the lr is what this case checks.
        "test_cycle_lr_triangular_mode_one_lr_no_momentum",
        "cyclic",
        cyclic(base_lr=1, max_lr=5, step_size_up=4, cycle_momentum=False),
        TWO_GROUPS,
        11,
        (rows(CYCLE_LR, 11),) * 2,
    ),
    Case(
        "test_cycle_lr_triangular2_mode_one_lr",
        "cyclic",
        cyclic(
            base_lr=1,
            max_lr=5,
            step_size_up=4,
            base_momentum=1,
            max_momentum=5,
            mode="triangular2",
        ),
        TWO_GROUPS,
        22,
        (rows(CYCLE2_LR, 22),) * 2,
        momenta=(rows(CYCLE2_MOMENTUM, 22),) * 2,
    ),
    Case(
        "test_cycle_lr_exp_range_mode_one_lr",
        "cyclic",
        cyclic(
            base_lr=1,
            max_lr=5,
            step_size_up=4,
            base_momentum=1,
            max_momentum=5,
            mode="exp_range",
            gamma=0.9,
        ),
        TWO_GROUPS,
        13,
        (rows(exp_range(1, 5, EXP_RANGE_XS), 13),) * 2,
        momenta=(rows(exp_range(5, 1, EXP_RANGE_XS), 13),) * 2,
    ),
    Case(
        "test_cycle_lr_triangular_mode",
        "cyclic",
        cyclic(
            base_lr=[1, 2], max_lr=[5, 6], step_size_up=4, base_momentum=[1, 2], max_momentum=[5, 6]
        ),
        TWO_GROUPS,
        11,
        (rows(CYCLE_LR, 11), rows([x + 1 for x in CYCLE_LR], 11)),
        momenta=(rows(CYCLE_MOMENTUM, 11), rows([x + 1 for x in CYCLE_MOMENTUM], 11)),
    ),
    Case(
        "test_cycle_lr_triangular2_mode",
        "cyclic",
        cyclic(
            base_lr=[1, 3],
            max_lr=[5, 7],
            step_size_up=4,
            base_momentum=[1, 3],
            max_momentum=[5, 7],
            mode="triangular2",
        ),
        TWO_GROUPS,
        22,
        (rows(CYCLE2_LR, 22), rows([x + 2 for x in CYCLE2_LR], 22)),
        momenta=(rows(CYCLE2_MOMENTUM, 22), rows([x + 2 for x in CYCLE2_MOMENTUM], 22)),
    ),
    Case(
        "test_cycle_lr_exp_range_mode",
        "cyclic",
        cyclic(
            base_lr=[1, 5],
            max_lr=[5, 12],
            step_size_up=4,
            base_momentum=[1, 5],
            max_momentum=[5, 12],
            mode="exp_range",
            gamma=0.9,
        ),
        TWO_GROUPS,
        13,
        (rows(exp_range(1, 5, EXP_RANGE_XS), 13), rows(exp_range(5, 12, EXP_RANGE_XS), 13)),
        momenta=(
            # max - x (max - base) gamma**i, written as exp_range from max towards base
            rows(exp_range(5, 1, EXP_RANGE_XS), 13),
            rows(exp_range(12, 5, EXP_RANGE_XS), 13),
        ),
    ),
    Case(
        "test_cycle_lr_triangular_mode_step_size_up_down",
        "cyclic",
        cyclic(
            base_lr=1, max_lr=5, step_size_up=4, step_size_down=6, base_momentum=1, max_momentum=5
        ),
        TWO_GROUPS,
        11,
        (rows(UP_DOWN_LR, 11),) * 2,
        momenta=(rows(UP_DOWN_MOMENTUM, 11),) * 2,
    ),
    Case(
        "test_cycle_lr_triangular2_mode_step_size_up_down",
        "cyclic",
        cyclic(
            base_lr=[1, 3],
            max_lr=[5, 7],
            step_size_up=2,
            step_size_down=6,
            base_momentum=[1, 3],
            max_momentum=[5, 7],
            mode="triangular2",
        ),
        TWO_GROUPS,
        24,
        (rows(UP2_DOWN6_LR, 24), rows([x + 2 for x in UP2_DOWN6_LR], 24)),
        momenta=(rows(UP2_DOWN6_MOMENTUM, 24), rows([x + 2 for x in UP2_DOWN6_MOMENTUM], 24)),
    ),
    Case(
        "test_cycle_lr_exp_range_mode_step_size_up_down",
        "cyclic",
        cyclic(
            base_lr=1,
            max_lr=5,
            step_size_up=2,
            step_size_down=6,
            base_momentum=1,
            max_momentum=5,
            mode="exp_range",
            gamma=0.9,
        ),
        TWO_GROUPS,
        13,
        (rows(exp_range(1, 5, UP2_DOWN6_XS), 13),) * 2,
        momenta=(rows(exp_range(5, 1, UP2_DOWN6_XS), 13),) * 2,
    ),
    # ---------------------------------------------------------------- other optimizers
    # test_cycle_lr_with_momentumless_optimizer: Adam with groups lr 0.05 and 0.5, CyclicLR
    # without cycle_momentum. Its momentum target is [None] * 11: Adam has no momentum key.
    Case(
        "test_cycle_lr_with_momentumless_optimizer",
        "cyclic",
        cyclic(base_lr=1, max_lr=5, step_size_up=4, cycle_momentum=False),
        TWO_GROUPS,
        11,
        (rows(CYCLE_LR, 11),) * 2,
        optimizer="adam",
        no_momentum=True,
    ),
    # test_cycle_lr_cycle_momentum_with_beta1_optimizer only builds CyclicLR(base_lr=1,
    # max_lr=5, cycle_momentum=True) on Adam(net.parameters()) (one group, Adam's lr 1e-3) and
    # asserts no value. The rows here are CyclicLR's triangular closed form for what it builds
    # (torch's defaults: step_size_up 2000, momentum 0.8..0.9): lr 1 + 4 t / 2000, beta1
    # 0.9 - 0.1 t / 2000, the momentum falling as the lr rises.
    Case(
        "test_cycle_lr_cycle_momentum_with_beta1_optimizer",
        "cyclic",
        cyclic(base_lr=1, max_lr=5),
        (0.001,),
        5,
        (tuple(1 + 4 * t / 2000 for t in range(5)),),
        momenta=(tuple(0.9 - 0.1 * t / 2000 for t in range(5)),),
        optimizer="adam",
        momentum_column="beta1",
    ),
    # test_cycle_lr_with_adam: OneCycleLR on Adam (groups lr 0.05, 0.5), _test_cycle_lr with
    # use_beta1=True: the momentum target is checked against betas[0].
    Case(
        "test_cycle_lr_with_adam",
        "onecycle",
        onecycle(
            max_lr=25,
            final_div_factor=2,
            base_momentum=1,
            max_momentum=22,
            total_steps=10,
            anneal_strategy="linear",
        ),
        TWO_GROUPS,
        10,
        (rows([1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5], 10),) * 2,
        momenta=(rows([22, 11.5, 1, 4, 7, 10, 13, 16, 19, 22], 10),) * 2,
        optimizer="adam",
        momentum_column="beta1",
    ),
    # ---------------------------------------------------------------- OneCycleLR
    # total_steps=10 stepped once per row; OneCycleLR sets lr max_lr / div_factor = 1.
    Case(
        "test_onecycle_lr_linear_annealing",
        "onecycle",
        onecycle(
            max_lr=25,
            final_div_factor=2,
            base_momentum=1,
            max_momentum=22,
            total_steps=10,
            anneal_strategy="linear",
        ),
        TWO_GROUPS,
        10,
        (rows([1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5], 10),) * 2,
        momenta=(rows([22, 11.5, 1, 4, 7, 10, 13, 16, 19, 22], 10),) * 2,
    ),
    Case(
        "test_onecycle_lr_linear_annealing_three_phases",
        "onecycle",
        onecycle(
            max_lr=25,
            div_factor=25,
            base_momentum=1,
            max_momentum=22,
            total_steps=10,
            anneal_strategy="linear",
            pct_start=0.4,
            final_div_factor=4,
            three_phase=True,
        ),
        TWO_GROUPS,
        10,
        (rows([1, 9, 17, 25, 17, 9, 1, 0.75, 0.5, 0.25], 10),) * 2,
        momenta=(rows([22, 15, 8, 1, 8, 15, 22, 22, 22, 22], 10),) * 2,
    ),
    Case(
        "test_onecycle_lr_cosine_annealing",
        "onecycle",
        onecycle(max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10),
        TWO_GROUPS,
        10,
        (rows(ONECYCLE_COS_LR, 10),) * 2,
        momenta=(rows(ONECYCLE_COS_MOMENTUM, 10),) * 2,
    ),
    # ---------------------------------------------------------------- LambdaLR, MultiplicativeLR
    Case(
        "test_lambda_lr",
        "lambda",
        {"lr_lambda": ["0.9 ** epoch", "0.8 ** epoch"]},
        (0.05, 0.4),
        10,
        (tuple(0.05 * 0.9**x for x in range(10)), tuple(0.4 * 0.8**x for x in range(10))),
    ),
    Case(
        "test_multiplicative_lr",
        "multiplicative",
        {"lr_lambda": ["0.9", "0.8"]},
        (0.05, 0.4),
        10,
        (tuple(0.05 * 0.9**x for x in range(10)), tuple(0.4 * 0.8**x for x in range(10))),
    ),
    # ---------------------------------------------------------------- warm restarts
    *(
        Case(
            f"test_CosineAnnealingWarmRestarts_lr1_T_mult_{t_mult}",
            "cosine-restarts",
            {"T_0": 10, "T_mult": t_mult, "eta_min": ETA},
            TWO_GROUPS,
            100,
            tuple(tuple(warm_restarts(lr, 100, t_mult)) for lr in TWO_GROUPS),
        )
        for t_mult in (1, 2, 4)
    ),
    *(
        Case(
            f"test_CosineAnnealingWarmRestarts_lr2_T_mult_{t_mult}",
            "cosine-restarts",
            {"T_0": 10, "T_mult": t_mult, "eta_min": ETA},
            TWO_GROUPS,
            30,
            tuple(warm_restarts_fractional(lr, t_mult) for lr in TWO_GROUPS),
            steps_per_epoch=10,
            fractional_epochs=True,
        )
        for t_mult in (1, 2, 4)
    ),
    # ---------------------------------------------------------------- resume
    Case(
        # CosineAnnealingLR(last_epoch=0) after one step of the same scheduler must give
        # the lr of that step: the closed form at step 1.
        "test_cos_anneal_lr_continue",
        "cosine",
        {"T_max": 5, "eta_min": 0.1},
        TWO_GROUPS,
        2,
        tuple((cosine(lr, 1, 5, 0.1),) for lr in TWO_GROUPS),
        start_epoch=1,
    ),
)


# test_lr_scheduler_checkpoint[_on_plateau]: one step on AdamW (lr 1e-3), then the class is
# rebuilt with last_epoch=0 on a copy of the optimizer and must show the lr of that step:
# lrplot's start_epoch=1 on --optimizer adamw. Each expected value is the class's closed form
# at step 1 with the keywords the test passes (and torch's defaults for the others).
def _checkpoint(
    index: int, command: str, options: Mapping[str, object], lr: float, defect: str | None = None
) -> Case:
    return Case(
        f"test_lr_scheduler_checkpoint_LRClass{index}",
        command,
        options,
        ADAMW,
        2,
        ((lr,),),
        start_epoch=1,
        defect=defect,
        optimizer="adamw",
    )


RESUMED: tuple[Case, ...] = (
    _checkpoint(0, "exponential", {"gamma": 0.999}, 0.001 * 0.999),
    _checkpoint(1, "lambda", {"lr_lambda": "epoch // 30"}, 0.001 * (1 // 30)),
    _checkpoint(2, "multiplicative", {"lr_lambda": "0.95"}, 0.001 * 0.95),
    _checkpoint(3, "step", {"step_size": 30, "gamma": 0.1}, 0.001),
    _checkpoint(4, "multistep", {"milestones": [30, 80], "gamma": 0.1}, 0.001),
    _checkpoint(5, "constant", {"factor": 1.0 / 3, "total_iters": 5}, 0.001 / 3),
    _checkpoint(
        6,
        "linear",
        {"start_factor": 1.0 / 3, "end_factor": 1.0, "total_iters": 5},
        0.001 * (1.0 / 3 + (1.0 - 1.0 / 3) / 5),
    ),
    _checkpoint(7, "polynomial", {"total_iters": 5, "power": 1.0}, 0.001 * (1 - 1 / 5)),
    _checkpoint(8, "cosine", {"T_max": 10, "eta_min": 0.0}, cosine(0.001, 1, 10, 0.0)),
    _checkpoint(
        9,
        "cosine-restarts",
        {"T_0": 20, "T_mult": 1, "eta_min": 0.0},
        cosine(0.001, 1, 20, 0.0),
    ),
    # triangular, step 1 of 2000 up: base_lr + (max_lr - base_lr) / 2000
    _checkpoint(10, "cyclic", cyclic(base_lr=0.01, max_lr=0.1), 0.01 + (0.1 - 0.01) / 2000),
    # cos from max_lr / 25 to max_lr over float(0.3 * 10) - 1 = 2 steps: halfway at step 1
    _checkpoint(
        11,
        "onecycle",
        onecycle(max_lr=0.01, total_steps=10),
        annealing_cos(0.01 / 25, 0.01, 1 / 2),
    ),
    # SWALR(swa_lr=0.01): anneal_epochs 10, cos; test_swalr_cosine_anneal_after_multiplicative's
    # anneal_coef(0) = (1 + cos(pi / 10)) / 2 weighs the previous lr against swa_lr.
    _checkpoint(
        12,
        "swalr",
        {"swa_lr": 0.01},
        0.001 * (1 + math.cos(math.pi / 10)) / 2 + 0.01 * (1 - (1 + math.cos(math.pi / 10)) / 2),
    ),
    Case(
        # ReduceLROnPlateau(mode='min') after step(1) keeps 1e-3; its rebuilt copy must too.
        "test_lr_scheduler_checkpoint_on_plateau",
        "plateau",
        reduce_on_plateau(mode="min"),
        ADAMW,
        2,
        ((0.001,),),
        start_epoch=1,
        # The run's metric from epoch 0: the one the test steps with, then an unused one.
        metrics=(1.0, 1.0),
        optimizer="adamw",
    ),
)

REFUSALS: tuple[Refusal, ...] = (
    Refusal(
        "test_linearlr_start_factor_limits1",
        "linear",
        {"start_factor": 0.0, "total_iters": 4},
        "--start-factor",
    ),
    Refusal(
        "test_linearlr_start_factor_limits2",
        "linear",
        {"start_factor": 1.1, "total_iters": 4},
        "--start-factor",
    ),
    Refusal(
        "test_cycle_lr_invalid_mode",
        "cyclic",
        {"base_lr": 0, "max_lr": 0, "mode": "CATS"},
        "--mode",
    ),
    Refusal(
        "test_onecycle_lr_invalid_anneal_strategy",
        "onecycle",
        {"max_lr": 1e-3, "total_steps": 10, "anneal_strategy": "CATS"},
        "--anneal-strategy",
    ),
    # test_cycle_lr_cycle_momentum_fail_with_momentumless_optimizer: CyclicLR(base_lr=1,
    # max_lr=5, cycle_momentum=True) on Rprop, which has neither momentum nor betas.
    Refusal(
        "test_cycle_lr_cycle_momentum_fail_with_momentumless_optimizer",
        "cyclic",
        cyclic(base_lr=1, max_lr=5),
        "--optimizer 'rprop'",
        optimizer="rprop",
    ),
    Refusal(
        "test_onecycle_lr_invalid_pct_start",
        "onecycle",
        {"max_lr": 1e-3, "total_steps": 10, "pct_start": 1.1},
        "--pct-start",
    ),
)
