"""lrplot's curves against the targets of PyTorch's own test/optim/test_lrscheduler.py."""

from __future__ import annotations

import math

import pytest
from torch_targets import CASES, REFUSALS, RESUMED, Case, Refusal

from lrplot import build_spec, simulate
from lrplot.errors import InputError

# Every scheduler test of PyTorch's file that no lrplot curve can express, and why.
# Parametrised tests are named once for all their variants.
INEXPRESSIBLE: dict[str, str] = {
    # --- not about lr values
    "test_error_when_getlr_has_epoch": "defines its own LRScheduler subclass",
    "test_no_cyclic_references": "checks garbage collection, not values",
    "test_no_cyclic_references_in_step": "checks garbage collection, not values",
    "test_cycle_lr_removed_after_out_of_scope": "checks garbage collection, not values",
    "test_old_pattern_warning": "checks a warning, not values",
    "test_old_pattern_warning_with_arg": "checks a warning, not values",
    "test_old_pattern_warning_resuming": "checks a warning, not values",
    "test_old_pattern_warning_resuming_with_arg": "checks a warning, not values",
    "test_old_pattern_warning_with_overridden_optim_step": "checks a warning, not values",
    "test_new_pattern_no_warning": "checks that no warning is raised, not values",
    "test_new_pattern_no_warning_with_arg": "checks that no warning is raised, not values",
    "test_new_pattern_no_warning_with_overridden_optim_step": "checks a warning, not values",
    "test_sequentiallr_no_warnings": "checks that no warning is raised, not values",
    "test_reduce_lr_on_plateau_preserves_lr_type": "checks tensor lr types; lrplot's are floats",
    "test_chained_lr2_get_last_lr_before_step": "compares get_last_lr() of two objects",
    "test_multiplicative_lr_with_lr_lambda": (
        "checks torch's TypeError for a non-callable lr_lambda; lrplot makes every lr_lambda "
        "(even '0.95') a callable"
    ),
    "test_raise_error_when_last_epoch_is_greater_than_0_and_initial_lr_is_not_specified": (
        "needs a resume without initial_lr; lrplot's resume always provides it"
    ),
    "test_onecycle_lr_cannot_calculate_total_steps": (
        "needs OneCycleLR without total_steps or epochs; lrplot always passes epochs"
    ),
    "test_cosine_then_cyclic": (
        "switches schedulers by hand mid-run and asserts only an upper bound"
    ),
    # --- step(epoch), deprecated by torch
    "test_step_lr_is_constant_for_constant_epoch": "steps with an explicit epoch argument",
    "test_exponential_lr_is_constant_for_constant_epoch": "steps with an explicit epoch argument",
    "test_constantlr_is_constant_for_constant_epoch": "steps with an explicit epoch argument",
    "test_linear_linearlr_is_constant_for_constant_epoch": "steps with an explicit epoch argument",
    "test_polynomial_lr_is_constant_for_constant_epoch": "steps with an explicit epoch argument",
    "test_multi_step_lr_with_epoch": "steps with an explicit epoch argument",
    "test_constantlr_with_epoch": "steps with an explicit epoch argument",
    "test_linearlr_with_epoch": "steps with an explicit epoch argument",
    "test_CosineAnnealingWarmRestarts_lr3": "steps with explicit, out-of-order epochs",
    "test_CosineAnnealingWarmRestarts_T_cur_reset": "sets the T_cur attribute by hand",
    # --- ReduceLROnPlateau stepped next to another scheduler
    **{
        f"test_compound_reduce_lr_on_plateau{i}": (
            "steps ReduceLROnPlateau (with a metric) and another scheduler each epoch; "
            "ChainedScheduler steps children without a metric, so plateau cannot be a child"
        )
        for i in range(1, 6)
    },
    "test_add_param_group_does_not_break_reduce_lr_on_plateau": "adds a param group mid-run",
    "test_add_param_group_errors_reduce_lr_on_plateau": "adds a param group mid-run",
    # --- state_dict, pickling, tensor aliasing: API lrplot does not expose
    "test_cycle_lr_state_dict_picklable": "needs the state_dict API",
    "test_cycle_lr_scale_fn_restored_from_state_dict": "needs the state_dict API",
    "test_onecycle_lr_legacy_state_dict": "needs the state_dict API",
    "test_step_lr_state_dict": "needs the state_dict API",
    "test_multi_step_lr_state_dict": "needs the state_dict API",
    "test_exp_step_lr_state_dict": "needs the state_dict API",
    "test_cosine_lr_state_dict": "needs the state_dict API",
    "test_reduce_lr_on_plateau_state_dict": "needs the state_dict API",
    "test_lambda_lr_state_dict_fn": "needs the state_dict API",
    "test_lambda_lr_state_dict_obj": "needs the state_dict API",
    "test_CosineAnnealingWarmRestarts_lr_state_dict": "needs the state_dict API",
    "test_swa_lr_state_dict": "needs the state_dict API",
    "test_lr_scheduler_state_dict_load": "needs the state_dict API and torch.save/load",
    "test_constant_initial_lr": "mutates a tensor lr in place to check aliasing",
    "test_constant_initial_params_cyclelr": "mutates tensor arguments in place",
    "test_constant_initial_params_onecyclelr": "mutates tensor arguments in place",
    "test_constant_initial_params_swalr": "mutates tensor arguments in place",
    # --- SWALR after MultiplicativeLR
    **{
        name: (
            "steps MultiplicativeLR until swa_start, then SWALR, by hand; SequentialLR's "
            "milestone step leaves SWALR's lr unchanged, so every milestone is a step off"
        )
        for name in (
            "test_swalr_cosine_anneal_after_multiplicative",
            "test_swalr_linear_anneal_after_multiplicative",
        )
    },
    "test_swalr_hypers": "checks SWALR's argument errors; SWALR has no lrplot command",
}


def _param(case: Case | Refusal) -> object:
    # Each known defect fails one way today: lrplot refuses the curve (InputError), or, for a
    # refusal, names another option. Any other failure of a marked case is a new bug.
    raises = InputError if isinstance(case, Case) else AssertionError
    mark = pytest.mark.xfail(strict=True, raises=raises, reason=case.defect)
    return pytest.param(case, id=case.test, marks=[mark] if case.defect else [])


def _series(case: Case) -> dict[str, object]:
    spec = build_spec(
        case.command,
        case.options,
        lr=list(case.lrs),
        epochs=case.epochs,
        steps_per_epoch=case.steps_per_epoch,
        fractional_epochs=case.fractional_epochs,
        # setUp's SGD has SGD's default momentum, 0; Adam and AdamW have none to give.
        momentum=0.0 if case.optimizer is None else None,
        optimizer=case.optimizer,
        start_epoch=case.start_epoch,
        metrics=None if case.metrics is None else list(case.metrics),
    )
    return simulate(spec).series


def _column(key: str, group: int) -> str:
    return key if group == 0 else f"{key}_{group}"


def _assert_rows(series: dict[str, object], key: str, expected: tuple, case: Case) -> None:
    for group, target in enumerate(expected):
        got = [float(v) for v in series[_column(key, group)]]
        assert len(got) == len(target), f"{key} group {group}: {len(got)} rows"
        bad = [
            (row, want, value)
            for row, (want, value) in enumerate(zip(target, got, strict=True))
            if not math.isclose(value, want, rel_tol=case.rel, abs_tol=case.abs)
        ]
        assert not bad, f"{key} group {group} (row, target, lrplot): {bad}"


@pytest.mark.parametrize("case", [_param(c) for c in CASES + RESUMED])
def test_matches_pytorch_targets(case: Case) -> None:
    series = _series(case)
    groups = sum(1 for name in series if name == "lr" or name.startswith("lr_"))
    assert groups == len(case.lrs) == len(case.expected)
    _assert_rows(series, "lr", case.expected, case)
    if case.momenta:
        _assert_rows(series, case.momentum_column, case.momenta, case)
    if case.no_momentum:
        assert not [name for name in series if name.startswith(("momentum", "beta1"))]


@pytest.mark.parametrize("case", [_param(r) for r in REFUSALS])
def test_refuses_what_torch_refuses(case: Refusal) -> None:
    with pytest.raises(InputError) as caught:
        simulate(build_spec(case.command, case.options, lr=[0.05, 0.5], optimizer=case.optimizer))
    assert case.flag in str(caught.value)


def test_every_pytorch_test_is_accounted_for_once() -> None:
    names = [c.test for c in CASES + RESUMED + REFUSALS]
    assert len(names) == len(set(names))
    assert not set(names) & set(INEXPRESSIBLE)
    assert all(reason.strip() for reason in INEXPRESSIBLE.values())
