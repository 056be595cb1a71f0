"""The command line as a user runs it: every scheduler, every format, stdout and defaults."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from lrplot.schedulers import registry

COMMANDS = [entry.command for entry in registry.SCHEDULERS]
FORMATS = ["png", "svg", "pdf", "csv", "json"]
MAGIC = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_writes_every_format(lrplot, workdir: Path, command: str, fmt: str) -> None:
    result = lrplot(command, "-o", f"out.{fmt}")
    assert result.code == 0, result.err
    assert result.paths == [f"out.{fmt}"]
    data = (workdir / f"out.{fmt}").read_bytes()
    if fmt in MAGIC:
        assert data.startswith(MAGIC[fmt])
    elif fmt == "csv":
        assert data.decode().splitlines()[0].startswith("step,epoch,lr")
    else:
        document = json.loads(data)
        assert document["scheduler"] == registry.lookup(command).class_name
    assert not [p for p in workdir.iterdir() if p.name.startswith(".")], "temporary file left"


def test_default_output_is_command_png(lrplot, workdir: Path) -> None:
    result = lrplot("step", "--step-size", "10", "--gamma", "0.5")
    assert result.code == 0
    assert result.paths == ["step.png"]
    assert (workdir / "step.png").read_bytes().startswith(b"\x89PNG")


def test_torch_class_name_runs_the_command(lrplot, workdir: Path) -> None:
    result = lrplot("StepLR", "-o", "s.csv")
    assert result.code == 0 and (workdir / "s.csv").exists()


def test_csv_round_trips_floats_bit_identical(lrplot, workdir: Path) -> None:
    lrplot("cosine", "-o", "c.csv", "-o", "c.json")
    rows = list(csv.DictReader(io.StringIO((workdir / "c.csv").read_text())))
    document = json.loads((workdir / "c.json").read_text())
    assert [float(r["lr"]) for r in rows] == document["series"]["lr"]
    assert len(rows) == document["epochs"] * document["steps_per_epoch"] == 100


def test_json_document_fields(lrplot, workdir: Path) -> None:
    lrplot("lambda", "--lr-lambda", "lambda e: 0.1 ** (e // 30)", "-o", "l.json")
    document = json.loads((workdir / "l.json").read_text())
    assert document["schema"] == 1
    assert set(document) >= {
        "lrplot_version",
        "torch_version",
        "command",
        "scheduler",
        "params",
        "optimizer",
        "epochs",
        "steps_per_epoch",
        "series",
    }
    assert document["params"] == {"lr_lambda": "lambda e: 0.1 ** (e // 30)"}
    assert (
        document["command"][1:3] == ["lambda", "--lr-lambda"] or document["command"][0] == "lrplot"
    )
    assert document["optimizer"] == {"name": "SGD", "lr": [0.001], "momentum": 0.0}
    assert document["series"]["lr"][30] == pytest.approx(0.0001)


def test_momentum_column_only_when_the_scheduler_changes_it(lrplot, workdir: Path) -> None:
    lrplot("onecycle", "-o", "a.csv")
    lrplot("onecycle", "--no-cycle-momentum", "-o", "b.csv")
    lrplot("step", "-o", "c.csv")
    assert (workdir / "a.csv").read_text().splitlines()[0] == "step,epoch,lr,momentum"
    assert (workdir / "b.csv").read_text().splitlines()[0] == "step,epoch,lr"
    assert (workdir / "c.csv").read_text().splitlines()[0] == "step,epoch,lr"


def test_plateau_writes_its_metric(lrplot, workdir: Path) -> None:
    lrplot("plateau", "-o", "p.csv")
    header = (workdir / "p.csv").read_text().splitlines()[0]
    assert header == "step,epoch,lr,metric"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_stdout_output(lrplot, workdir: Path, fmt: str) -> None:
    result = lrplot("step", "-n", "3", "-o", "-", "--format", fmt)
    assert result.code == 0
    if fmt == "csv":
        assert result.out == "step,epoch,lr\n0,0.0,0.001\n1,1.0,0.001\n2,2.0,0.001\n"
    else:
        assert json.loads(result.out)["series"]["step"] == [0, 1, 2]
    assert list(workdir.iterdir()) == []


def test_several_outputs_in_one_run(lrplot, workdir: Path) -> None:
    result = lrplot("step", "-o", "a.png", "-o", "a.csv", "-o", "a.json")
    assert result.paths == ["a.png", "a.csv", "a.json"]


def test_format_gives_the_default_file_name(lrplot, workdir: Path) -> None:
    result = lrplot("exponential", "--format", "csv")
    assert result.paths == ["exponential.csv"]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_are_byte_identical_across_runs(lrplot, workdir: Path, fmt: str) -> None:
    lrplot("onecycle", "-o", f"a.{fmt}")
    lrplot("onecycle", "-o", f"b.{fmt}")
    assert (workdir / f"a.{fmt}").read_bytes() == (workdir / f"b.{fmt}").read_bytes()


def test_no_software_metadata_in_figures(lrplot, workdir: Path) -> None:
    lrplot("step", "-o", "a.png", "-o", "a.svg", "-o", "a.pdf")
    for name in ("a.png", "a.svg", "a.pdf"):
        data = (workdir / name).read_bytes()
        assert b"Matplotlib version" not in data and b"CreationDate" not in data, name


def test_list_shows_every_scheduler(lrplot) -> None:
    result = lrplot("list")
    assert result.code == 0
    for entry in registry.SCHEDULERS:
        assert entry.command in result.out and entry.class_name in result.out


def test_list_json(lrplot) -> None:
    entries = json.loads(lrplot("list", "--json").out)
    assert [e["command"] for e in entries] == COMMANDS
    step = next(e for e in entries if e["command"] == "step")
    assert {o["flag"]: o["default"] for o in step["options"]} == {"--step-size": 10, "--gamma": 0.5}


def _app_commands() -> list[str]:
    import typer

    from lrplot.cli.app import app

    group = typer.main.get_command(app)
    return list(group.list_commands(typer.Context(group)))


@pytest.mark.parametrize("command", _app_commands())
def test_help_has_an_example_line(lrplot, command: str) -> None:
    result = lrplot(command, "--help")
    assert result.code == 0
    assert "Example:" in result.out and f"lrplot {command}" in result.out


@pytest.mark.parametrize("command", _app_commands())
def test_every_command_is_in_the_readme_table(command: str) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("## Commands", 1)[1].split("\n### ", 1)[0]
    assert f"| `{command}" in table


def test_verbose_prints_each_change(lrplot) -> None:
    result = lrplot("step", "-n", "25", "-o", "s.csv", "--verbose")
    assert result.err.splitlines() == [
        "epoch 10: lr 1.000e-03 -> 5.000e-04",
        "epoch 20: lr 5.000e-04 -> 2.500e-04",
    ]


def test_metrics_file_sets_the_epochs(lrplot, workdir: Path) -> None:
    (workdir / "loss.txt").write_text("1.0\n0.9\n0.9\n0.9\n0.9\n")
    result = lrplot("plateau", "--metrics", "loss.txt", "--patience", "1", "-o", "p.json")
    assert result.code == 0, result.err
    document = json.loads((workdir / "p.json").read_text())
    assert document["epochs"] == 5
    assert document["series"]["lr"] == [0.01, 0.01, 0.01, 0.01, 0.001]


def test_special_files_are_written_in_place_not_replaced(lrplot, workdir: Path) -> None:
    # A named pipe stands in for /dev/stdout or /dev/null: renaming a temporary file over it
    # would replace it with a regular file.
    pipe = workdir / "pipe.csv"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = lrplot("step", "-n", "2", "-o", str(pipe))
    reader.join(timeout=30)
    assert result.code == 0
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received == [b"step,epoch,lr\n0,0.0,0.001\n1,1.0,0.001\n"]


def test_top_level_help_lists_every_command(lrplot) -> None:
    result = lrplot("--help")
    assert result.code == 0
    for command in [*COMMANDS, "list", "compare", "descent", "render"]:
        assert f"  {command} " in result.out, command


def test_descent_command_writes_its_figure_and_data(lrplot, workdir: Path) -> None:
    result = lrplot(
        "descent",
        "--lr",
        "0.1",
        "--lr",
        "1.1",
        "--steps",
        "5",
        "-o",
        "d.png",
        "-o",
        "d.json",
        "-o",
        "d.csv",
    )
    assert result.code == 0, result.err
    document = json.loads((workdir / "d.json").read_text())
    assert document["kind"] == "descent" and document["command"][0] == "lrplot"
    x = document["runs"][1]["x"]
    assert x == pytest.approx([4.0 * (1 - 1.1 * 2) ** k for k in range(6)], rel=1e-12)
    assert (workdir / "d.csv").read_text().splitlines()[0].startswith("step,")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["descent", "--lr", "0"], "--lr '0'"),
        (["descent", "--steps", "0"], "--steps '0'"),
        (["descent", "--lr", "1e200", "--steps", "50"], "overflows"),
    ],
)
def test_descent_bad_input(lrplot, workdir: Path, args: list[str], fragment: str) -> None:
    result = lrplot(*args, "-o", "d.png")
    assert result.code == 2 and fragment in result.err, result.err
    assert not (workdir / "d.png").exists()


def test_verbose_never_prints_a_change_as_two_equal_numbers(lrplot) -> None:
    # CyclicLR's exp_range lr moves by 1e-20 at epoch 2: four digits read 5.500e-05 twice.
    result = lrplot("cyclic", "-n", "12", "-o", "c.csv", "-v")
    assert result.code == 0
    changes = [line.split(": lr ")[1].split(" -> ") for line in result.err.splitlines()]
    assert len(changes) >= 10
    assert all(before != after and float(before) != float(after) for before, after in changes)


def test_a_one_epoch_run_says_epoch() -> None:
    from lrplot.draw.titles import default_title
    from lrplot.simulation.record import simulate
    from lrplot.spec.build import build_spec
    from lrplot.spec.style import FigureStyle

    one = simulate(build_spec("step", {}, epochs=1))
    assert default_title([one], FigureStyle()).endswith(", 1 epoch")
