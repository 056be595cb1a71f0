"""Bad input: exit 2, one line on stderr naming the option and value, and no file written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# (arguments, fragments the one-line message must contain)
CASES: list[tuple[list[str], list[str]]] = [
    (["stpe"], ["stpe", "did you mean step"]),
    (["StepLRR"], ["StepLRR", "StepLR"]),
    (["step", "--step-size", "0"], ["--step-size", "'0'", ">= 1"]),
    (["step", "--step-size", "ten"], ["--step-size", "'ten'", "whole number"]),
    (["step", "--step-size", "2.5"], ["--step-size", "'2.5'"]),
    (["step", "--gamma", "0"], ["--gamma", "'0'", "> 0"]),
    (["step", "--gamma", "-1"], ["--gamma", "'-1'", "> 0"]),
    (["step", "--gamma", "abc"], ["--gamma", "'abc'", "not a number"]),
    (["step", "--gamma", "nan"], ["--gamma", "'nan'", "finite"]),
    (["step", "--gamma", "inf"], ["--gamma", "'inf'", "finite"]),
    (["step", "--epochs", "-5"], ["--epochs", "-5", ">= 1"]),
    (["step", "--epochs", "0"], ["--epochs", ">= 1"]),
    (["step", "--epochs", "many"], ["--epochs", "'many'", "whole number"]),
    (["step", "--lr", "0"], ["--lr", "> 0"]),
    (["step", "--lr", "nan"], ["--lr", "finite"]),
    (["step", "--steps-per-epoch", "0"], ["--steps-per-epoch", ">= 1"]),
    (["step", "--momentum", "1.5"], ["--momentum", "1.5"]),
    (["step", "--gama", "0.5"], ["--gama", "--gamma"]),
    (["cosine", "--t-max", "0"], ["--t-max", "'0'", ">= 1"]),
    (["multistep", "--milestones", "30,,80"], ["--milestones", "30,,80", "list"]),
    (["multistep", "--milestones", "[30,80"], ["--milestones", "unbalanced"]),
    (["multistep", "--milestones", "a,b"], ["--milestones", "'a'"]),
    (["cyclic", "--mode", "sawtooth"], ["--mode", "sawtooth", "triangular"]),
    (["onecycle", "--pct-start", "1.5"], ["--pct-start", "1.5"]),
    (["onecycle", "--total-steps", "50", "-n", "10"], ["--total-steps", "smaller than the 100"]),
    (["lambda", "--lr-lambda", "__import__('os')"], ["--lr-lambda", "__import__"]),
    (["lambda", "--lr-lambda", "().__class__"], ["--lr-lambda"]),
    (["lambda", "--lr-lambda", "9**9**9"], ["--lr-lambda", "9**9**9"]),
    (["lambda", "--lr-lambda", "0.95 **"], ["--lr-lambda", "0.95 **"]),
    (["lambda", "--lr-lambda", "1 / (epoch - 3)"], ["--lr-lambda", "epoch=3"]),
    (["plateau", "--metrics", "missing.csv"], ["--metrics", "missing.csv"]),
    (["plateau", "--metrics", "1,2,x"], ["--metrics", "1,2,x"]),
    (["plateau", "--metrics", "1,2,3", "--epochs", "10"], ["--metrics", "shorter than the 10"]),
    (["plateau", "--metrics", "1,nan,3"], ["--metrics", "finite"]),
    (["plateau", "--metrics", "1,2", "--metric-expr", "epoch"], ["--metric-expr", "conflicts"]),
    (["step", "--metrics", "1,2"], ["No such option: --metrics", "lrplot step --help"]),
    (["step", "-o", "x.gif"], ["--output", "x.gif", "unknown suffix"]),
    (["step", "-o", "noext"], ["--output", "noext", "no suffix"]),
    (["step", "-o", "missing-dir/x.png"], ["--output", "missing-dir/x.png", "does not exist"]),
    (["step", "-o", "-"], ["--output", "'-'", "--format csv"]),
    (["step", "-o", "-", "--format", "png"], ["--output", "--format csv"]),
    (["step", "--format", "gif"], ["--format", "gif"]),
    (["step", "--size", "big"], ["--size", "big", "WIDTHxHEIGHT"]),
    (["step", "--dpi", "1"], ["--dpi", "'1'", "[10, 1200]"]),
    (["cyclic", "--base-lr", "0.1,0.2"], ["--base-lr", "2 values", "1 param groups"]),
]


@pytest.mark.parametrize(("args", "fragments"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_exits_2_with_one_clear_line(lrplot, workdir: Path, args, fragments) -> None:
    result = lrplot(*args)
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("lrplot: error: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in result.err
    assert result.out == ""
    assert [p.name for p in workdir.iterdir() if p.name != "missing.csv"] == []


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
        "lrplot.outputs.os.access",
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
