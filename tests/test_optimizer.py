"""--optimizer: every torch.optim class, its keywords, momentum or beta1, against torch itself."""

from __future__ import annotations

import inspect
import json
import math
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import torch

from lrplot import build_spec, simulate
from lrplot.batch.reproduce import curve_command
from lrplot.curve import Curve
from lrplot.draw.figure import figure_for
from lrplot.errors import InputError
from lrplot.schedulers.optimizers import REFUSED, find_optimizer, optimizer_names
from lrplot.simulation import optimizer as module
from lrplot.spec.style import FigureStyle

#: Every optimizer class torch.optim exports, found here independently of lrplot's catalogue.
TORCH_CLASSES = {
    name: cls
    for name, cls in inspect.getmembers(torch.optim, inspect.isclass)
    if issubclass(cls, torch.optim.Optimizer) and cls is not torch.optim.Optimizer
}
OFFERED = sorted(name for name in TORCH_CLASSES if name not in REFUSED)
WITH_MOMENTUM = [n for n in OFFERED if "momentum" in inspect.signature(TORCH_CLASSES[n]).parameters]
WITH_BETAS = [n for n in OFFERED if "betas" in inspect.signature(TORCH_CLASSES[n]).parameters]


def _run(command: str, **settings: object) -> Curve:
    return simulate(build_spec(command, **settings))  # type: ignore[arg-type]


# --- the catalogue --------------------------------------------------------------------


def test_every_torch_optimizer_is_offered_or_refused_with_a_reason() -> None:
    assert {"SGD", "Adam", "AdamW", "RMSprop", "Rprop", "LBFGS", "SparseAdam"} <= set(TORCH_CLASSES)
    assert optimizer_names() == sorted((n.lower() for n in OFFERED), key=str.lower)
    for name in REFUSED:
        entry = find_optimizer(name.upper())
        assert entry is not None and entry.refused and not entry.options


@pytest.mark.parametrize("name", OFFERED)
def test_keys_are_the_class_keywords(name: str) -> None:
    entry = find_optimizer(name.swapcase())  # any case
    assert entry is not None and entry.name == name
    keywords = list(inspect.signature(TORCH_CLASSES[name]).parameters)[1:]  # after params
    assert [option.name for option in entry.options] == keywords


@pytest.mark.parametrize("name", OFFERED)
def test_torch_refuses_a_negative_lr(name: str) -> None:
    # Why lrplot refuses --lr -1 for every class, saying torch.optim.NAME refuses it.
    params = [torch.zeros(1, 1, requires_grad=True)]
    with pytest.raises(ValueError):
        TORCH_CLASSES[name](params, lr=-1.0)
    with pytest.raises(InputError, match=f"torch.optim.{name} refuses a negative lr"):
        build_spec("step", lr="-1", optimizer=name)


@pytest.mark.parametrize("name", WITH_MOMENTUM)
def test_torch_refuses_a_negative_momentum(name: str) -> None:
    with pytest.raises(ValueError):
        TORCH_CLASSES[name]([torch.zeros(1, 1, requires_grad=True)], momentum=-0.5)
    with pytest.raises(InputError, match=f"torch.optim.{name} refuses a negative momentum"):
        build_spec("step", momentum="-0.5", optimizer=name)


# --- building: fresh, dynamo-free, the keywords reach torch ---------------------------


@pytest.mark.parametrize("name", OFFERED)
def test_fast_class_matches_the_plain_one(name: str) -> None:
    cls = TORCH_CLASSES[name]
    assert module.fast_class(cls) is not cls  # the shortcut is active on this torch
    spec = build_spec("onecycle", lr=["0.1", "0.2"], optimizer=name.lower())
    fast, plain = (module.fresh_optimizer(spec, fast=f) for f in (True, False))
    assert isinstance(fast, cls) and type(fast).__name__ == name
    assert fast.defaults == plain.defaults
    assert fast.state_dict() == plain.state_dict()
    fast.load_state_dict(plain.state_dict())
    assert [g["lr"] for g in fast.param_groups] == [0.1, 0.2]


def test_given_keywords_reach_torch_and_the_json() -> None:
    text = "adamw:betas=[0.9,0.99],weight_decay=0.01,amsgrad=true"
    spec = build_spec("step", optimizer=text)
    optimizer = module.fresh_optimizer(spec)
    assert type(optimizer).__mro__[1] is torch.optim.AdamW
    group = optimizer.param_groups[0]
    assert (group["betas"], group["weight_decay"], group["amsgrad"]) == ((0.9, 0.99), 0.01, True)
    assert group["eps"] == 1e-8  # torch's default for what was not given
    record = simulate(spec).optimizer
    want = {"name": "AdamW", "lr": [0.001], "betas": [0.9, 0.99], "weight_decay": 0.01}
    assert record == want | {"amsgrad": True}


def test_plain_sgd_keeps_its_json_record() -> None:
    assert _run("cyclic").optimizer == {"name": "SGD", "lr": [0.001], "momentum": 0.9}
    assert _run("step", optimizer="SGD").optimizer == {"name": "SGD", "lr": [0.001], "momentum": 0}
    nesterov = _run("step", optimizer="sgd:nesterov=true,momentum=0.5").optimizer
    assert nesterov == {"name": "SGD", "lr": [0.001], "momentum": 0.5, "nesterov": True}


def test_no_dynamo_on_adam_adamw_rmsprop() -> None:
    # Building, stepping, checkpointing and resuming on three classes, in a fresh process.
    code = (
        "import sys\n"
        "from lrplot import build_spec, simulate\n"
        "for name in ('adam', 'adamw', 'rmsprop'):\n"
        "    simulate(build_spec('onecycle', optimizer=name))\n"
        "    simulate(build_spec('step', optimizer=name, start_epoch=5))\n"
        "    simulate(build_spec('cosine', optimizer=name, start_epoch=5, resume_by='last-epoch'))"
        "\n"
        "assert 'torch' in sys.modules\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_catalogue_is_torch_free_until_asked() -> None:
    code = (
        "import sys\nimport lrplot.spec.optimizers, lrplot.schedulers.optimizers\n"
        "print('torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# --- what is recorded: lr and beta1 against a loop written with torch ------------------


def test_adam_cyclic_matches_a_torch_loop_row_by_row() -> None:
    # The oracle: torch.optim.Adam + CyclicLR built here, stepped as a training loop steps.
    options = {"base_lr": "0.001,0.002", "max_lr": "0.01,0.02", "step_size_up": "7"}
    options |= {"mode": "exp_range", "gamma": "0.97", "base_momentum": "0.8"}
    curve = _run(
        "cyclic",
        options=options,
        lr=["0.1", "0.2"],
        epochs=6,
        steps_per_epoch=5,
        optimizer="adam:betas=[0.95,0.98]",
    )
    model = torch.nn.Linear(1, 1)
    adam = torch.optim.Adam(
        [{"params": [model.weight]}, {"params": [model.bias], "lr": 0.2}],
        lr=0.1,
        betas=(0.95, 0.98),
    )
    cyclic = torch.optim.lr_scheduler.CyclicLR(
        adam,
        [0.001, 0.002],
        [0.01, 0.02],
        step_size_up=7,
        mode="exp_range",
        gamma=0.97,
        base_momentum=0.8,
        max_momentum=0.9,
    )
    rows = []
    for _ in range(30):
        rows.append([v for g in adam.param_groups for v in (g["lr"], g["betas"][0])])
        model(torch.ones(1)).sum().backward()
        adam.step()
        cyclic.step()
    series = curve.series
    assert list(series) == ["step", "epoch", "lr", "lr_1", "beta1", "beta1_1"]
    got = zip(series["lr"], series["beta1"], series["lr_1"], series["beta1_1"], strict=True)
    for k, (want, values) in enumerate(zip(rows, got, strict=True)):
        for w, v in zip(want, values, strict=True):
            assert math.isclose(v, w, rel_tol=1e-12), (k, want, values)
    assert len(set(series["beta1"].tolist())) > 5  # it cycles: the check is not vacuous


def test_beta1_after_a_resume_is_the_uninterrupted_one() -> None:
    whole = _run("onecycle", optimizer="adam")
    tail = _run("onecycle", optimizer="adam", start_epoch=4)
    assert tail.resume is not None and tail.resume["diverges_at"] is None
    assert tail.series["beta1"].tolist() == whole.series["beta1"].tolist()[40:]


def test_momentum_goes_where_the_class_keeps_it() -> None:
    # --momentum sets RMSprop's keyword; the registry's demo 0.9 is SGD's, RMSprop has 0.
    assert (
        module.fresh_optimizer(
            build_spec("step", optimizer="rmsprop", momentum="0.7")
        ).param_groups[0]["momentum"]
        == 0.7
    )
    assert _run("plateau", optimizer="rmsprop").optimizer["momentum"] == 0.0
    assert _run("plateau").optimizer["momentum"] == 0.9
    assert _run("step", optimizer="muon").optimizer["momentum"] == 0.95  # Muon's own default
    assert "momentum" not in _run("cyclic", optimizer="adam").optimizer
    # A cycling scheduler records the momentum of RMSprop, beta1 of Adam's family.
    assert "momentum" in _run("onecycle", optimizer="rmsprop").series
    for name in WITH_BETAS:
        assert "beta1" in _run("onecycle", optimizer=name, epochs=2).series, name


def test_a_composite_child_gets_the_parents_optimizer() -> None:
    spec = build_spec("chained", optimizer="adam:betas=[0.8,0.9]")
    assert {child.optimizer.name for child in spec.children} == {"Adam"}
    assert all(child.momentum is None for child in spec.children)


# --- figures, command lines, manifests --------------------------------------------------


def test_subtitle_and_momentum_panel_name_what_was_run() -> None:
    figure = figure_for([_run("onecycle", optimizer="adamw")], FigureStyle())
    lr_ax, mom_ax = figure.axes
    # OneCycleLR sets the lr itself: max_lr / div_factor = 0.1 / 25
    assert (
        lr_ax.get_title()
        .splitlines()[1]
        .startswith("AdamW, lr set by OneCycleLR: max_lr/div_factor = 0.004")
    )
    assert mom_ax.get_ylabel() == "beta1"
    both = figure_for([_run("onecycle"), _run("onecycle", optimizer="adam")], FigureStyle())
    assert both.axes[1].get_ylabel() == "momentum / beta1"


def test_the_reproducing_command_carries_the_optimizer(lrplot, workdir: Path) -> None:
    spec = build_spec("cyclic", optimizer="RMSprop:centered=true", momentum="0.5")
    argv = curve_command([spec], FigureStyle())
    assert argv == ("lrplot", "cyclic", "--optimizer", "rmsprop:centered=true", "--momentum", "0.5")
    assert lrplot(*argv[1:], "-o", "r.json").code == 0
    document = json.loads((workdir / "r.json").read_text())
    assert document["optimizer"] == simulate(spec).optimizer
    adam = curve_command([build_spec("step", optimizer="adam:betas=[0.9,0.99]")], FigureStyle())
    assert adam == ("lrplot", "step", "--optimizer", "adam:betas=[0.9,0.99]")


def test_help_explains_the_option(lrplot) -> None:
    lines = lrplot("step", "--help").out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("--optimizer"))
    assert "NAME[:key=value,...]" in lines[at] and "torch.optim optimizer" in lines[at + 1]


def test_compare_shares_the_optimizer(lrplot, workdir: Path) -> None:
    result = lrplot("compare", "onecycle", "cyclic", "--optimizer", "nadam", "-o", "c.json")
    assert result.code == 0, result.err
    curves = json.loads((workdir / "c.json").read_text())["curves"]
    assert [c["optimizer"]["name"] for c in curves] == ["NAdam", "NAdam"]
    assert all("beta1" in c["series"] for c in curves)


def test_manifest_figure_and_curve_keys(lrplot, workdir: Path) -> None:
    (workdir / "m.toml").write_text(
        '[defaults]\noptimizer = "adamw"\n\n'
        '[[figure]]\nname = "one"\nscheduler = "onecycle"\n'
        'optimizer = "adam:betas=[0.95,0.999]"\n\n'
        '[[figure]]\nname = "two"\ncurves = [{ spec = "cyclic" },'
        ' { scheduler = "onecycle", optimizer = "sgd", momentum = 0.5 }]\n'
    )
    assert lrplot("render", "m.toml", "-d", "out", "--format", "json", "-q").code == 0
    one = json.loads((workdir / "out" / "one.json").read_text())
    assert one["optimizer"] == {"name": "Adam", "lr": [0.001], "betas": [0.95, 0.999]}
    assert one["command"] == ["lrplot", "onecycle", "--optimizer", "adam:betas=[0.95,0.999]"]
    two = json.loads((workdir / "out" / "two.json").read_text())["curves"]
    assert [c["optimizer"] for c in two] == [
        {"name": "AdamW", "lr": [0.001]},
        {"name": "SGD", "lr": [0.001], "momentum": 0.5},
    ]


def test_resume_scan_takes_the_optimizer(lrplot) -> None:
    result = lrplot("resume", "step", "--optimizer", "adam", "-n", "25", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["diverging"] == {"state-dict": [], "last-epoch": [10, 20]}


def test_no_warning_reaches_the_user_on_any_class() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in OFFERED:
            _run("sequential", optimizer=name, epochs=8)
