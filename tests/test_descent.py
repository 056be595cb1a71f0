"""The descent figure: real SGD on a quadratic matches the closed form, and draws without pyplot."""

from __future__ import annotations

import ast
import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from lrplot.draw.descent import default_title, descent_figure
from lrplot.draw.encoding import encode
from lrplot.errors import InputError
from lrplot.simulation import descent as descent_module
from lrplot.simulation.descent import (
    DEFAULT_LRS,
    DEFAULT_START,
    DEFAULT_STEPS,
    Descent,
    descend,
    descent_csv,
    descent_document,
    label_of,
)
from lrplot.spec.style import FigureStyle


@pytest.fixture(scope="module")
def default() -> Descent:
    return descend()


def _closed_form(lr: float, steps: int, start: float, curvature: float) -> np.ndarray:
    # For loss c/2 x**2 the gradient is c x, so each SGD step multiplies x by (1 - lr c).
    return start * (1 - lr * curvature) ** np.arange(steps + 1, dtype=np.float64)


@pytest.mark.parametrize("lr", DEFAULT_LRS)
def test_default_runs_follow_the_closed_form(default: Descent, lr: float) -> None:
    (run,) = [run for run in default.runs if run.lr == lr]
    assert run.x.dtype == np.float64 and run.x.shape == (DEFAULT_STEPS + 1,)
    assert_allclose(run.x, _closed_form(lr, DEFAULT_STEPS, DEFAULT_START, 2.0), rtol=1e-12)


@pytest.mark.parametrize(
    ("lr", "steps", "start", "curvature"),
    [(0.01, 50, 4.0, 2.0), (0.5, 5, 4.0, 2.0), (0.75, 30, -2.5, 2.0), (0.2, 40, 1.5, 3.0)],
)
def test_other_runs_follow_the_closed_form(
    lr: float, steps: int, start: float, curvature: float
) -> None:
    (run,) = descend([lr], steps=steps, start=start, curvature=curvature).runs
    assert_allclose(run.x, _closed_form(lr, steps, start, curvature), rtol=1e-12)


def test_the_loss_is_half_the_curvature_times_x_squared() -> None:
    result = descend(DEFAULT_LRS, curvature=3.0, start=-1.5)
    for run in result.runs:
        assert_allclose(run.loss, 3.0 / 2 * run.x**2, rtol=1e-15)


def test_default_labels_and_the_too_large_run_grows(default: Descent) -> None:
    labels = [run.label for run in default.runs]
    assert [label.split(" (")[0] for label in labels] == ["too small", "good", "too large"]
    assert labels[2] == f"too large (lr={DEFAULT_LRS[2]:g})"
    large = default.runs[2].x
    assert np.all(np.diff(np.abs(large)) > 0)  # it grows ...
    assert np.all(large[:-1] * large[1:] < 0)  # ... overshooting the minimum every step
    assert np.all(np.isfinite(large))


@pytest.mark.parametrize(
    ("lr", "curvature", "kind"),
    [
        (0.05, 2.0, "too small"),
        (0.3, 2.0, "good"),
        (0.5, 2.0, "good"),
        (0.75, 2.0, "overshoots"),
        (1.0, 2.0, "too large"),  # r = -1: oscillates for ever
        (1.05, 2.0, "too large"),
        (0.05, 10.0, "good"),  # the rule is on lr x curvature, not on lr alone
    ],
)
def test_labels_follow_the_contraction_factor(lr: float, curvature: float, kind: str) -> None:
    assert label_of(lr, curvature) == f"{kind} (lr={lr:g})"


@pytest.mark.parametrize("lr", [0, -1, math.nan, math.inf, "abc"])
def test_bad_lrs_are_refused(lr: object) -> None:
    with pytest.raises(InputError, match=r"^--lr ") as caught:
        descend([lr])  # type: ignore[list-item]
    assert caught.value.where == "--lr"


@pytest.mark.parametrize("steps", [0, -3, 10_001, 2.5])
def test_bad_steps_are_refused(steps: object) -> None:
    with pytest.raises(InputError, match=r"^--steps "):
        descend(steps=steps)  # type: ignore[arg-type]


@pytest.mark.parametrize("start", [math.nan, math.inf, 1e7])
def test_bad_starts_are_refused(start: float) -> None:
    with pytest.raises(InputError, match=r"^--start "):
        descend(start=start)


@pytest.mark.parametrize(
    "lrs", [[0.01 * (i + 1) for i in range(11)], [], [0.1, 0.1]], ids=["11", "none", "twice"]
)
def test_too_many_too_few_or_repeated_lrs_are_refused(lrs: list[float]) -> None:
    with pytest.raises(InputError, match=r"^--lr"):
        descend(lrs)


def test_ten_lrs_are_allowed() -> None:
    assert len(descend([0.01 * (i + 1) for i in range(10)], steps=2).runs) == 10


def test_an_overflowing_lr_names_the_lr_and_the_step() -> None:
    with pytest.raises(InputError) as caught:
        descend([0.1, 1e200], steps=100)
    message = str(caught.value)
    assert message.startswith("--lr 1e+200: ")
    assert "overflows float64 at step 1" in message
    assert message.endswith("use a smaller --lr or fewer --steps")


def test_a_slowly_diverging_lr_overflows_at_a_late_step() -> None:
    # |x| grows 1.1-fold a step from 4: x**2 passes the float64 maximum near step 3700.
    with pytest.raises(InputError, match=r"--lr 1.05: .* at step 37\d\d;"):
        descend([1.05], steps=10_000)


def test_the_document_round_trips_through_strict_json(default: Descent) -> None:
    document = descent_document(default)
    text = json.dumps(document, allow_nan=False)
    back = json.loads(text)
    assert back == document
    assert back["kind"] == "descent"
    assert (back["curvature"], back["start"], back["steps"]) == (2.0, 4.0, DEFAULT_STEPS)
    assert back["torch_version"] == torch.__version__
    assert [run["lr"] for run in back["runs"]] == list(DEFAULT_LRS)
    for run, original in zip(back["runs"], default.runs, strict=True):
        assert run["label"] == original.label
        assert np.array_equal(run["x"], original.x)
        assert np.array_equal(run["loss"], original.loss)


def test_the_csv_has_a_column_pair_per_lr_and_a_row_per_iterate(default: Descent) -> None:
    rows = list(csv.reader(io.StringIO(descent_csv(default).decode("utf-8"))))
    expected = ["step"] + [f"lr={lr!r}:{name}" for lr in DEFAULT_LRS for name in ("x", "loss")]
    assert rows[0] == expected
    assert len(rows) == 1 + DEFAULT_STEPS + 1
    assert [row[0] for row in rows[1:]] == [str(k) for k in range(DEFAULT_STEPS + 1)]
    # Shortest round-trip text: every value reads back bit-identical.
    table = np.array([[float(cell) for cell in row[1:]] for row in rows[1:]])
    for index, run in enumerate(default.runs):
        assert np.array_equal(table[:, 2 * index], run.x)
        assert np.array_equal(table[:, 2 * index + 1], run.loss)


def test_the_figure_has_the_surface_and_the_loss_panel(default: Descent) -> None:
    figure = descent_figure(default, FigureStyle())
    surface, losses = figure.axes
    assert len(surface.get_lines()) == len(default.runs) + 1  # each run, and the surface
    assert len(losses.get_lines()) == len(default.runs)
    assert losses.get_yscale() == "log"  # the default losses span about 17 decades
    assert figure.get_suptitle() == "Gradient descent on loss = x² with three learning rates"
    notes = [text.get_text() for text in surface.texts]
    assert notes == ["too large (lr=1.05):\noff the plot from step 6"]
    assert encode(figure, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_the_style_sets_the_title_scale_and_size(default: Descent) -> None:
    style = FigureStyle(title="LR effect", log_y=False, size=(6.0, 3.0), dpi=50)
    figure = descent_figure(default, style)
    assert figure.get_suptitle() == "LR effect"
    assert figure.axes[1].get_yscale() == "linear"
    assert tuple(figure.get_size_inches()) == (6.0, 3.0) and figure.dpi == 50


def test_the_default_title_follows_the_curvature_and_the_count() -> None:
    one = descend([0.3], curvature=1.0, steps=3)
    assert default_title(one) == "Gradient descent on loss = 0.5·x² with one learning rate"


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_figure_modules_never_import_pyplot() -> None:
    package = Path(descent_module.__file__).parent.parent
    for name in ("simulation/descent.py", "draw/descent.py"):
        imported = _imported_names(package / name)
        assert not {n for n in imported if "pyplot" in n or n.startswith("pylab")}
        assert name == "draw/descent.py" or not {n for n in imported if "matplotlib" in n}


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_a_png_descent_loads_neither_pyplot_nor_torch_dynamo() -> None:
    code = (
        "from lrplot.simulation.descent import descend\n"
        "from lrplot.draw.encoding import encode\n"
        "from lrplot.draw.descent import descent_figure\n"
        "from lrplot.spec.style import FigureStyle\n"
        "encode(descent_figure(descend(), FigureStyle()), 'png')"
    )
    loaded = _loaded_after(code)
    assert "matplotlib" in loaded and "torch" in loaded
    assert "matplotlib.pyplot" not in loaded
    assert "torch._dynamo" not in loaded


def test_the_fast_path_gives_the_same_bits_as_torch_plain_calls() -> None:
    lrs = (*DEFAULT_LRS, 0.01, 0.75)
    fast = descend(lrs, steps=40, start=-3.25, curvature=1.5)
    plain = descend(lrs, steps=40, start=-3.25, curvature=1.5, fast=False)
    for a, b in zip(fast.runs, plain.runs, strict=True):
        assert np.array_equal(a.x, b.x) and np.array_equal(a.loss, b.loss)


def _optimizer() -> torch.optim.SGD:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=0.1)


def test_the_fast_path_unwraps_only_the_wrappers_it_knows() -> None:
    optimizer = _optimizer()
    zero_grad, step = descent_module._calls(optimizer, fast=True)
    assert zero_grad != optimizer.zero_grad and step != optimizer.step

    def unknown(function: object) -> object:
        def wrapper() -> None: ...

        wrapper.__wrapped__ = function  # type: ignore[attr-defined]
        return wrapper

    assert descent_module._unwrapped(unknown(torch.optim.SGD.step), "step") is None


def test_the_fast_path_falls_back_when_a_step_hook_would_run() -> None:
    optimizer = _optimizer()
    optimizer.register_step_pre_hook(lambda *args: None)
    zero_grad, step = descent_module._calls(optimizer, fast=True)
    assert zero_grad == optimizer.zero_grad and step == optimizer.step
