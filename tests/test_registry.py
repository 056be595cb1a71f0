"""The registry matches the installed torch classes, keyword for keyword."""

from __future__ import annotations

import importlib
import inspect

import pytest

from lrplot.errors import InputError
from lrplot.schedulers import registry
from lrplot.schedulers.entry import REQUIRED

NOT_OPTIONS = {"self", "optimizer", "last_epoch", "verbose"}


def _torch_class(entry: registry.Scheduler) -> type:
    module, _, name = entry.torch_class.rpartition(".")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


@pytest.mark.parametrize("entry", registry.SCHEDULERS, ids=lambda e: e.command)
def test_options_match_torch_signature(entry: registry.Scheduler) -> None:
    signature = inspect.signature(_torch_class(entry))
    torch_keywords = set(signature.parameters) - NOT_OPTIONS
    ours = {option.name for option in entry.options} | set(entry.shared_keywords)
    assert ours == torch_keywords, "a torch upgrade added, removed or renamed a keyword"


@pytest.mark.parametrize("entry", registry.SCHEDULERS, ids=lambda e: e.command)
def test_torch_defaults_are_recorded_truthfully(entry: registry.Scheduler) -> None:
    parameters = inspect.signature(_torch_class(entry)).parameters
    for option in entry.options:
        default = parameters[option.name].default
        if default is inspect.Parameter.empty:
            assert option.torch_default_value == REQUIRED, option.name
        elif option.kind == "expr":
            assert default is None and option.default is None, option.name
        else:
            assert option.torch_default_value == default, option.name


def test_design_table_defaults() -> None:
    """Spot checks of DESIGN.md section 3's demo defaults."""
    step = registry.lookup("step")
    assert (step.lr, step.option("step_size").default, step.option("gamma").default) == (  # type: ignore[union-attr]
        0.001,
        10,
        0.5,
    )
    assert registry.lookup("multistep").option("milestones").default == (30, 80)  # type: ignore[union-attr]
    assert registry.lookup("exponential").lr == 0.0001
    onecycle = registry.lookup("onecycle")
    assert (onecycle.epochs, onecycle.steps_per_epoch) == (10, 10)
    assert registry.lookup("plateau").momentum == 0.9
    assert registry.lookup("cyclic").option("mode").default == "exp_range"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("StepLR", "step"),
        ("steplr", "step"),
        ("STEPLR", "step"),
        ("ReduceLROnPlateau", "plateau"),
        ("cosineannealingwarmrestarts", "cosine-restarts"),
        ("Cosine-Restarts", "cosine-restarts"),
    ],
)
def test_torch_class_names_are_aliases(name: str, command: str) -> None:
    assert registry.lookup(name).command == command


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(InputError) as caught:
        registry.lookup("stpe")
    assert "did you mean step" in str(caught.value)


def test_flags_are_kebab_case() -> None:
    cosine = registry.lookup("cosine-restarts")
    assert [o.flag for o in cosine.options] == ["--t-0", "--t-mult", "--eta-min"]
    assert registry.lookup("onecycle").option("three_phase").flag == "--three-phase"  # type: ignore[union-attr]
