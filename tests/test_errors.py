"""Error paths outside the catalogue (test_bad_input.py): torch rewording, unwritable folders,
how a value is shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lrplot.errors import InputError


def test_torch_value_errors_are_reworded_with_the_typed_option(lrplot, workdir: Path) -> None:
    # CyclicLR with cycle_momentum needs base_momentum < max_momentum? torch only checks
    # lists' lengths; total_steps=0 style checks are ours. LinearLR's start_factor is torch's.
    result = lrplot("cosine-restarts", "--t-mult", "0")
    assert result.code == 2 and "--t-mult" in result.err


def test_unwritable_folder(lrplot, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who can write anywhere; so ask os.access to say no.
    (workdir / "locked").mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "lrplot.files.targets.os.access",
        lambda path, mode: False if str(path).endswith("locked") else real_access(path, mode),
    )
    result = lrplot("step", "-o", "locked/x.png")
    assert result.code == 2 and "cannot write to" in result.err
    assert list((workdir / "locked").iterdir()) == []


def test_a_failed_run_leaves_an_existing_file_untouched(lrplot, workdir: Path) -> None:
    (workdir / "keep.png").write_bytes(b"old")
    result = lrplot("lambda", "--lr-lambda", "1 / (epoch - 3)", "-o", "keep.png")
    assert result.code == 2
    assert (workdir / "keep.png").read_bytes() == b"old"


def test_a_nan_momentum_from_torch_names_its_epoch() -> None:
    import numpy as np

    from lrplot.errors import InputError
    from lrplot.simulation.record import require_finite
    from lrplot.spec.build import build_spec

    spec = build_spec("onecycle", epochs=2, steps_per_epoch=5)
    steps = np.arange(10)
    momentum = np.full(10, 0.9)
    momentum[7] = np.nan
    columns = {"step": steps, "epoch": steps / 5, "lr": np.full(10, 0.1), "momentum": momentum}
    with pytest.raises(InputError) as caught:
        require_finite(spec, columns)
    assert str(caught.value) == (
        "OneCycleLR: the momentum column becomes nan at epoch 1.4 (step 7); choose values "
        "that keep it below 1e308 (lrplot onecycle --help)"
    )
    columns["momentum"] = np.full(10, 0.9)
    require_finite(spec, columns)  # all finite: no error


def test_an_expression_error_says_where_torch_called_it() -> None:
    from lrplot.errors import InputError
    from lrplot.spec.expression import parse_expression

    expression = parse_expression("1 / (epoch - 3)").located(lambda k: f"epoch {k / 10}")
    with pytest.raises(InputError, match=r"divides by zero at epoch=3 \(epoch 0\.3\)"):
        expression(3)
    assert expression == parse_expression("1 / (epoch - 3)")  # the locator is not data


def test_the_row_limit_comes_from_the_environment(lrplot, workdir: Path, monkeypatch) -> None:
    monkeypatch.setenv("LRPLOT_MAX_ROWS", "50")
    result = lrplot("step", "-n", "51", "-o", "x.csv")
    assert result.code == 2
    assert "51 rows, more than the limit of 50" in result.err
    assert lrplot("step", "-n", "50", "-o", "x.csv").code == 0
    monkeypatch.setenv("LRPLOT_MAX_ROWS", "lots")  # refused, rather than silently ignored
    result = lrplot("step", "-n", "51", "-o", "x.csv")
    assert result.code == 2
    assert (
        result.err
        == "lrplot: error: LRPLOT_MAX_ROWS 'lots': is not a whole number; e.g. 20_000_000\n"
    )
    monkeypatch.setenv("LRPLOT_MAX_ROWS", "")  # empty: the default limit
    assert lrplot("step", "-n", "51", "-o", "x.csv").code == 0


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("$\\frac$", "'$\\frac$'"),  # one backslash, as typed (repr would show two)
        ("it's", '"it\'s"'),
        ("a\nb", "'a\\nb'"),  # one line
        ("a\x1b[31mb", "'a\\x1b[31mb'"),  # a terminal escape is shown, never sent
        ("x" * 200, "'" + "x" * 77 + "...'"),
        (0.5, "0.5"),
        ([1, "a\nb"], "[1, 'a\\nb']"),  # not text: as Python writes it
    ],
)
def test_a_value_is_shown_as_typed_on_one_line(value: object, shown: str) -> None:
    error = InputError("--title", value, "is wrong")
    assert str(error) == f"--title {shown}: is wrong"
