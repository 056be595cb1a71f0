"""render (manifests and --all), the contact sheet, and compare."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lrplot.schedulers.registry import SCHEDULERS

COMMANDS = [entry.command for entry in SCHEDULERS]


@pytest.fixture(scope="module")
def all_rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lrplot.cli.app import main

    folder = tmp_path_factory.mktemp("all")
    assert main(["render", "--all", "-d", str(folder), "--contact-sheet", "-q"]) == 0
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_render_all_writes_each_scheduler(all_rendered: Path, command: str) -> None:
    assert (all_rendered / f"{command}.png").read_bytes().startswith(b"\x89PNG")
    document = json.loads((all_rendered / f"{command}.json").read_text())
    assert document["command"] == ["lrplot", command]


def test_contact_sheet(all_rendered: Path) -> None:
    assert (all_rendered / "index.png").read_bytes().startswith(b"\x89PNG")
    index = (all_rendered / "index.md").read_text()
    for command in COMMANDS:
        assert f"![{command}]({command}.png)" in index and f"$ lrplot {command}\n" in index


def test_render_reports_progress_and_paths(lrplot, workdir: Path) -> None:
    result = lrplot(
        "render", "--all", "-d", "out", "--only", "step", "--only", "cosine", "--format", "csv,svg"
    )
    assert result.code == 0, result.err
    assert result.paths == ["out/step.csv", "out/step.svg", "out/cosine.csv", "out/cosine.svg"]
    assert result.err.splitlines()[:2] == ["[1/2] step", "[2/2] cosine"]
    assert "rendered 2 figures, 4 files" in result.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _render_two(progress) -> None:
    from lrplot.batch.render import render_command

    render_command(
        None, "out", every=True, formats="csv", only=["step", "cosine"], contact_sheet=False,
        progress=progress,
    )  # fmt: skip


def test_render_progress_on_a_terminal_is_a_rich_bar(workdir: Path) -> None:
    from rich.console import Console

    from lrplot.cli.progress import render_progress

    screen = _Terminal()
    with render_progress(Console(file=screen, force_terminal=True, width=80)) as show:
        _render_two(show)
    frames = screen.getvalue().split("\r")
    assert "\x1b[?25l" in frames[0]  # the bar hides the cursor while it draws ...
    assert "\x1b[?25h" in frames[-1]  # ... and gives it back at the end
    assert "━" in frames[-1] and "2/2" in frames[-1]
    assert [name for name in ("step", "cosine") if any(name in f for f in frames)] == [
        "step",
        "cosine",
    ]
    assert "[1/2]" not in screen.getvalue()


def test_render_on_a_terminal_draws_the_bar_on_stderr(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lrplot.cli.app import main

    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setenv("TERM", "xterm")
    code = main(["render", "--all", "--only", "step", "-d", "out", "--format", "csv"])
    assert code == 0
    assert "1/1" in screen.getvalue() and "[1/1] step" not in screen.getvalue()
    # The summary follows the finished bar (and the cursor it gives back).
    assert screen.getvalue().splitlines()[-1].startswith("\x1b[?25hrendered 1 figures, 1 files")


def test_the_bar_ends_when_the_render_fails(workdir: Path) -> None:
    from rich.console import Console

    from lrplot.cli.progress import render_progress

    screen = _Terminal()
    console = Console(file=screen, force_terminal=True, width=80)
    with pytest.raises(KeyboardInterrupt), render_progress(console) as show:
        show(1, 3, "first")
        raise KeyboardInterrupt  # Ctrl-C mid-render
    assert "1/3" in screen.getvalue() and screen.getvalue().endswith("\x1b[?25h")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["render", "-d", "out"], "MANIFEST: is missing"),
        (["render", "m.toml", "--all", "-d", "out"], "cannot be combined with --all"),
        (["render", "--all", "-d", "out", "--only", "stepp"], "--only 'stepp'"),
        (["render", "--all", "-d", "out", "--format", "png,gif"], "unknown format 'gif'"),
        (["render", "--all", "-d", "missing/out"], "does not exist"),
        (["render", "nope.toml", "-d", "out"], "'nope.toml': does not exist"),
    ],
)
def test_render_bad_input(lrplot, workdir: Path, args: list[str], fragment: str) -> None:
    result = lrplot(*args)
    assert result.code == 2, result.err
    assert fragment in result.err and len(result.err.splitlines()) == 1


def test_render_dir_that_is_a_file(lrplot, workdir: Path) -> None:
    (workdir / "out").write_text("x")
    result = lrplot("render", "--all", "-d", "out")
    assert result.code == 2 and "is a file" in result.err


def test_compare_overlays_with_column_groups(lrplot, workdir: Path) -> None:
    result = lrplot(
        "compare",
        "step:step_size=10,gamma=0.5",
        "exponential:gamma=0.9",
        "--label",
        "step",
        "--label",
        "exp",
        "-n",
        "30",
        "--lr",
        "0.1",
        "-o",
        "c.csv",
        "-o",
        "c.json",
        "-o",
        "c.png",
    )
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO((workdir / "c.csv").read_text())))
    assert list(rows[0]) == ["step", "epoch", "step:lr", "exp:lr"]
    assert len(rows) == 30
    for k, row in enumerate(rows):  # closed forms, computed independently
        assert float(row["step:lr"]) == pytest.approx(0.1 * 0.5 ** (k // 10), rel=1e-12)
        assert float(row["exp:lr"]) == pytest.approx(0.1 * 0.9**k, rel=1e-12)
    document = json.loads((workdir / "c.json").read_text())
    assert [c["label"] for c in document["curves"]] == ["step", "exp"]
    assert [c["scheduler"] for c in document["curves"]] == ["StepLR", "ExponentialLR"]


def test_compare_panels(lrplot, workdir: Path) -> None:
    result = lrplot(
        "compare",
        "cyclic:mode=triangular",
        "cyclic:mode=triangular2",
        "--layout",
        "panels",
        "-o",
        "p.png",
    )
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["compare", "stepp"], "is not a scheduler"),
        (["compare", "step:step_size=0"], "SPEC 'step:step_size=0': step_size"),
        (["compare", "step", "--label", "a", "--label", "b"], "--label 'b'"),
        (["compare", "step", "--layout", "grid"], "--layout 'grid'"),
        (["compare", "multistep:milestones=[1,2"], "unclosed bracket"),
    ],
)
def test_compare_bad_input(lrplot, args: list[str], fragment: str) -> None:
    result = lrplot(*args)
    assert result.code == 2, result.err
    assert fragment in result.err and len(result.err.splitlines()) == 1


def test_a_manifest_with_a_metrics_file_draws_the_same_figure_from_any_folder(
    lrplot, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The right axis names the metrics file; by its path it differed with the folder the
    # manifest was rendered from, and check reported a regression in another checkout.
    project = workdir / "project" / "sub"
    project.mkdir(parents=True)
    (project / "m.txt").write_text("\n".join(str(1 / (k + 1)) for k in range(30)))
    (project / "m.toml").write_text(
        '[[figure]]\nname = "p"\nscheduler = "plateau"\nmetrics = "m.txt"\nepochs = 30\n'
    )
    svgs = []
    for folder, manifest in [(workdir, "project/sub/m.toml"), (project, "m.toml")]:
        monkeypatch.chdir(folder)
        out = workdir / f"out{len(svgs)}"
        assert lrplot("render", manifest, "-d", str(out), "--format", "svg").code == 0
        svgs.append((out / "p.svg").read_text())
    assert svgs[0] == svgs[1]
    assert "metric from m.txt" in svgs[0]
