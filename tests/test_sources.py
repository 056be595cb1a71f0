"""Schedulers by import path: the user's own LRScheduler subclasses and factories.

Every curve is checked against an independent value: a closed form of the user's schedule,
or the same class stepped by hand on a fresh torch SGD, as a training loop does.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lrplot.batch.manifest import load_manifest
from lrplot.errors import InputError

SCHED = '''
    """A user's schedules, as a training package would hold them."""
    import math

    import torch
    from torch.optim.lr_scheduler import LRScheduler, MultiStepLR, ReduceLROnPlateau


    class WarmupCosine(LRScheduler):
        """Linear warm-up to the base lr, then a cosine down to floor.

        A second paragraph that --help leaves out.

        Args:
            warmup: epochs of linear warm-up
            total: epochs of the whole schedule
            floor: the last lr
            hold: keep the peak for one epoch
        """

        def __init__(self, optimizer, warmup: int, total: int = 50, floor: float = 0.0,
                     hold: bool = False, last_epoch: int = -1):
            self.warmup, self.total, self.floor, self.hold = warmup, total, floor, hold
            super().__init__(optimizer, last_epoch)

        def get_lr(self):
            return [closed(self.last_epoch, b, self.warmup, self.total, self.floor, self.hold)
                    for b in self.base_lrs]


    def closed(e, base, warmup, total, floor, hold=False):
        if e < warmup:
            return base * (e + 1) / warmup
        start = warmup + 1 if hold else warmup  # hold: one more epoch at the peak
        if e < start:
            return base
        t = (e - start) / max(1, total - start)
        return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


    def multistep(optimizer, milestones: list[int], gamma: float = 0.1):
        """MultiStepLR built by a factory, as a config system would call it."""
        return MultiStepLR(optimizer, milestones=milestones, gamma=gamma)


    def patient(optimizer, patience: int = 2) -> ReduceLROnPlateau:
        return ReduceLROnPlateau(optimizer, patience=patience, factor=0.5)
'''


def _csv(text: str) -> dict[str, list[float]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {key: [float(row[key]) for row in rows] for key in rows[0]}


def _oracle(cls: type, epochs: int, lr: float, **kwargs: object) -> list[float]:
    """The class stepped by hand on a fresh SGD: the lr before each step."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = cls(optimizer, **kwargs)
    lrs = []
    for _ in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def test_a_subclass_plots_its_closed_form(lrplot, user_module) -> None:
    name = user_module("sched_a", SCHED)
    result = lrplot(f"{name}.WarmupCosine", "--warmup", "5", "--floor", "1e-4", "-n", "60",
                    "--lr", "0.1", "-o", "-", "--format", "csv")  # fmt: skip
    assert result.code == 0, result.err
    lrs = _csv(result.out)["lr"]
    expected = [_closed(e, 0.1, 5, 50, 1e-4) for e in range(60)]
    assert lrs == pytest.approx(expected, rel=1e-12)
    assert len(lrs) == 60


def _closed(e: int, base: float, warmup: int, total: int, floor: float) -> float:
    if e < warmup:
        return base * (e + 1) / warmup
    t = (e - warmup) / max(1, total - warmup)
    return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


def test_help_comes_from_the_signature_and_docstring(lrplot, user_module) -> None:
    name = user_module("sched_help", SCHED)
    result = lrplot(f"{name}.WarmupCosine", "--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "Linear warm-up to the base lr, then a cosine down to floor." in text
    assert "second paragraph" not in text
    assert "--warmup INT epochs of linear warm-up [required]" in text
    assert "--total INT epochs of the whole schedule [default: 50]" in text
    assert "--floor FLOAT the last lr [default: 0.0]" in text
    assert "--hold / --no-hold" in text
    assert "--last-epoch" not in text and "--verbose" in text  # lrplot's own --verbose only


def test_a_bool_parameter_is_a_flag_pair(lrplot, user_module) -> None:
    name = user_module("sched_flag", SCHED)
    args = [f"{name}.WarmupCosine", "--warmup", "3", "-n", "6", "-o", "-", "--format", "csv"]
    held = _csv(lrplot(*args, "--hold").out)["lr"]
    plain = _csv(lrplot(*args, "--no-hold").out)["lr"]
    assert held[4] == 0.001 and plain[4] < 0.001
    assert held[:4] == plain[:4]


def test_entry_point_spelling_and_a_factory_with_a_list(lrplot, user_module) -> None:
    name = user_module("sched_b", SCHED)
    result = lrplot(f"{name}:multistep", "--milestones", "3,7", "--gamma", "0.5", "-n", "10",
                    "--lr", "1", "-o", "-", "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    document = json.loads(result.out)
    # MultiStepLR's closed form: lr * gamma ** (number of milestones passed)
    assert document["series"]["lr"] == [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
    assert document["scheduler"] == f"{name}.multistep"
    assert document["params"] == {"milestones": [3, 7], "gamma": 0.5}


def test_a_torch_path_is_its_curated_entry_with_the_demo_defaults(lrplot) -> None:
    by_path = lrplot("torch.optim.lr_scheduler.StepLR", "-o", "-", "--format", "csv")
    assert by_path.code == 0, by_path.err
    # step's demo defaults (DESIGN.md): lr 0.001, step_size 10, gamma 0.5, 100 epochs
    expected = [0.001 * 0.5 ** (e // 10) for e in range(100)]
    assert _csv(by_path.out)["lr"] == pytest.approx(expected, rel=1e-12)


def test_a_factory_returning_plateau_steps_on_the_metric(lrplot, user_module) -> None:
    name = user_module("sched_c", SCHED)
    metric = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8]
    result = lrplot(f"{name}.patient", "--metrics", ",".join(map(str, metric)), "--lr", "1",
                    "-o", "-", "--format", "csv")  # fmt: skip
    assert result.code == 0, result.err
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=2, factor=0.5)
    expected = []
    for value in metric:
        expected.append(optimizer.param_groups[0]["lr"])
        plateau.step(value)
    assert _csv(result.out)["lr"] == expected
    assert 0.5 in expected  # the oracle does cut: the test can tell


@pytest.mark.parametrize("start", [3, 5, 7])  # inside the warm-up, at its end, in the cosine
def test_resume_of_a_user_class_matches_the_uninterrupted_run(lrplot, user_module, start) -> None:
    name = user_module(f"sched_r{start}", SCHED)
    common = [f"{name}.WarmupCosine", "--warmup", "5", "--total", "12", "-n", "12"]
    whole = _csv(lrplot(*common, "-o", "-", "--format", "csv").out)["lr"]
    for by in ("state-dict", "last-epoch"):
        tail = lrplot(*common, "--start-epoch", str(start), "--resume-by", by,
                      "-o", "-", "--format", "csv")  # fmt: skip
        assert tail.code == 0, tail.err
        assert _csv(tail.out)["lr"] == whole[start:]
        assert "warning" not in tail.err


def test_per_batch_stepping_counts_batches(lrplot, user_module) -> None:
    name = user_module("sched_d", SCHED)
    result = lrplot(f"{name}.WarmupCosine", "--warmup", "4", "--total", "12", "-n", "3",
                    "--steps-per-epoch", "4", "-o", "-", "--format", "csv")  # fmt: skip
    columns = _csv(result.out)
    mod = sys.modules[name]
    assert columns["lr"] == _oracle(mod.WarmupCosine, 12, 0.001, warmup=4, total=12)
    assert columns["epoch"][5] == 1.25


def test_compare_and_a_composite_take_import_paths(lrplot, user_module) -> None:
    name = user_module("sched_e", SCHED)
    result = lrplot("compare", f"{name}.WarmupCosine:warmup=2,total=10", "step:step_size=3",
                    "-n", "10", "-o", "-", "--format", "csv")  # fmt: skip
    assert result.code == 0, result.err
    header = result.out.splitlines()[0]
    assert f"{name}.WarmupCosine" in header
    sequential = lrplot("sequential", "--schedule", f"{name}.WarmupCosine:warmup=3,total=3",
                        "--schedule", "exponential:gamma=0.5", "--milestones", "3", "-n", "6",
                        "--lr", "1", "-o", "-", "--format", "csv")  # fmt: skip
    assert sequential.code == 0, sequential.err
    lrs = _csv(sequential.out)["lr"]
    assert lrs[:3] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert lrs[3:] == pytest.approx([1.0, 0.5, 0.25])  # ExponentialLR from its own start


MANIFEST = """
[[figure]]
name = "mine"
scheduler = "{name}.WarmupCosine"
warmup = 5
epochs = 20

[[figure]]
name = "pair"
curves = [{{ spec = "{name}.multistep:milestones=[5]" }}, {{ spec = "step" }}]
"""


def test_a_manifest_imports_only_what_allow_import_names(lrplot, user_module, workdir) -> None:
    name = user_module("sched_m", SCHED)
    (workdir / "m.toml").write_text(MANIFEST.format(name=name))
    refused = lrplot("render", "m.toml", "-d", "out", "-q")
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "figure 'mine'" in refused.err and f"--allow-import {name}" in refused.err
    assert name not in sys.modules  # refused before anything was imported
    assert not (workdir / "out").exists()
    done = lrplot("render", "m.toml", "-d", "out", "-q", "--allow-import", name)
    assert done.code == 0, done.err
    series = json.loads((workdir / "out" / "mine.json").read_text())["series"]["lr"]
    assert series == pytest.approx([_closed(e, 0.001, 5, 50, 0.0) for e in range(20)])
    checked = lrplot("check", "m.toml", "--baseline", "out", "--allow-import", name)
    assert checked.code == 0, checked.err
    assert lrplot("check", "m.toml", "--baseline", "out").code == 2


def test_a_manifest_spec_string_is_gated_too(user_module, workdir) -> None:
    name = user_module("sched_g", SCHED)
    (workdir / "g.toml").write_text(
        f'[[figure]]\nname = "g"\ncurves = [{{ spec = "step" }}, {{ spec = "{name}.multistep'
        ':milestones=[2]" }]\n'
    )
    with pytest.raises(InputError, match=r"figure 'g': curves\[1\]\.spec"):
        load_manifest(workdir / "g.toml")
    assert len(load_manifest(workdir / "g.toml", allow_import=[name])) == 1


def _console(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script run in ``folder``, as a user runs it; it must succeed."""
    script = Path(sys.executable).with_name("lrplot")
    done = subprocess.run(
        [str(script), *args], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def test_the_console_script_finds_modules_in_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "here_sched.py").write_text(
        "from torch.optim.lr_scheduler import ExponentialLR\n"
        "def halve(optimizer):\n    return ExponentialLR(optimizer, 0.5)\n"
    )
    done = _console(
        tmp_path, "here_sched.halve", "-n", "3", "--lr", "1", "-o", "-", "--format", "csv"
    )
    assert _csv(done.stdout)["lr"] == [1.0, 0.5, 0.25]


ODD = '''
    import warnings

    from torch.optim.lr_scheduler import LRScheduler, OneCycleLR

    warnings.warn("this module is old")


    class Odd(LRScheduler):
        """No text can give fn; its default halves the lr every step."""

        def __init__(self, optimizer, fn=lambda e: 0.5 ** e, steps: list[float] = [1.5, 2.5],
                     last_epoch=-1):
            self.fn, self.steps = fn, steps
            super().__init__(optimizer, last_epoch)

        def get_lr(self):
            print("get_lr was here")
            warnings.warn(f"step {self.last_epoch}")
            return [b * self.fn(self.last_epoch) for b in self.base_lrs]


    class MyOneCycle(OneCycleLR):
        pass
'''


def test_odd_parameters_keep_their_defaults_and_the_streams_stay_clean(lrplot, user_module):
    name = user_module("sched_odd", ODD)
    result = lrplot(f"{name}.Odd", "-n", "30", "--lr", "1", "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)  # stdout is only the JSON: the prints went to stderr
    assert document["series"]["lr"] == [0.5**e for e in range(30)]
    assert document["params"] == {"steps": [1.5, 2.5]}  # a list, whole, for one param group
    err = result.err.splitlines()
    assert err.count("get_lr was here") == 30  # construction steps once, then 29 steps
    warned = [line for line in err if line.startswith("lrplot: warning:")]
    assert warned[0] == f"lrplot: warning: {name}.Odd: this module is old"
    assert len(warned) == 11  # the import's, then at most 10 distinct from its steps
    shown = " ".join(lrplot(f"{name}.Odd", "--help").out.split())
    assert "--fn" in shown and "its default is used" in shown


def test_a_subclass_that_cycles_momentum_records_it(lrplot, user_module) -> None:
    name = user_module("sched_mom", ODD)
    result = lrplot(f"{name}.MyOneCycle", "--max-lr", "0.1", "--total-steps", "20", "-n",
                    "20", "--momentum", "0.9", "-o", "-", "--format", "csv")  # fmt: skip
    assert result.code == 0, result.err
    columns = _csv(result.out)
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=20)
    expected = []
    for _ in range(20):
        expected.append(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        scheduler.step()
    assert columns["momentum"] == expected


def test_stray_modules_in_the_folder_shadow_nothing_lrplot_needs(tmp_path: Path) -> None:
    (tmp_path / "sched.py").write_text(  # a standard-library name, but the user's file
        "from torch.optim.lr_scheduler import ExponentialLR\n"
        "class Halve(ExponentialLR):\n"
        "    def __init__(self, optimizer, last_epoch=-1):\n"
        "        super().__init__(optimizer, 0.5, last_epoch)\n"
    )
    (tmp_path / "torch.py").write_text("raise ImportError('the stray torch.py')\n")
    (tmp_path / "matplotlib.py").write_text("raise ImportError('the stray matplotlib.py')\n")
    _console(tmp_path, "sched.Halve", "-n", "3", "--lr", "1", "-o", "a.png", "-o", "a.csv")
    assert _csv((tmp_path / "a.csv").read_text())["lr"] == [1.0, 0.5, 0.25]
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
