"""The command line's conventions: --version, shell completion, a misspelt option's hint."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main

from lrplot import __version__
from lrplot.cli.app import app
from lrplot.cli.usage import closest_option, option_names
from lrplot.schedulers import hf

ROOT = Path(__file__).resolve().parent.parent


def test_version_names_lrplot_torch_and_matplotlib(lrplot) -> None:
    result = lrplot("--version")
    assert result.code == 0, result.err
    torch, matplotlib = (importlib.metadata.version(d) for d in ("torch", "matplotlib"))
    assert result.out == f"lrplot {__version__} (torch {torch}, matplotlib {matplotlib})\n"
    assert result.err == ""


def test_the_version_is_the_projects() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    found = re.search(r'^version = "(.*)"$', pyproject, flags=re.M)
    assert found and found[1] == __version__


def test_version_says_when_a_library_is_missing(lrplot, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.metadata.version

    def version(distribution: str) -> str:
        if distribution == "matplotlib":
            raise importlib.metadata.PackageNotFoundError(distribution)
        return real(distribution)

    monkeypatch.setattr(importlib.metadata, "version", version)
    result = lrplot("--version")
    assert result.code == 0
    assert result.out.endswith(", matplotlib not installed)\n")


# --- Shell completion, as the shell asks for it: the installed command, three variables ---

SCRIPT = Path(sys.executable).with_name("lrplot")


def _run_script(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed console script on this tree's code (first on PYTHONPATH)."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [str(SCRIPT), *args],
        env={**os.environ, "PYTHONPATH": path, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def complete(line: str, cwd: Path) -> list[str]:
    """What bash is offered for the last word of ``line`` (a trailing space: a new word)."""
    words = line.split()
    current = len(words) if line.endswith(" ") else len(words) - 1
    done = _run_script(
        cwd=cwd, _LRPLOT_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(current)
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout.split()


def _group() -> Any:
    return typer.main.get_command(app)


def _long_options(name: str) -> list[str]:
    """The --options of a command, as its --help lists them."""
    group = _group()
    command = group.get_command(typer.Context(group), name)
    params = command.get_params(typer.Context(command))  # its own, then --help
    flags = [f for p in params if not p.hidden for f in [*p.opts, *p.secondary_opts]]
    return [f for f in flags if f.startswith("--")]


@pytest.mark.slow
def test_completion_offers_every_command_and_finishes_a_prefix(tmp_path: Path) -> None:
    group = _group()
    assert complete("lrplot ", tmp_path) == group.list_commands(typer.Context(group))
    assert complete("lrplot cos", tmp_path) == ["cosine", "cosine-restarts"]
    assert complete("lrplot resume mul", tmp_path) == ["multiplicative", "multistep"]


@pytest.mark.slow
def test_completion_offers_a_commands_own_options(tmp_path: Path) -> None:
    offered = complete("lrplot step --", tmp_path)
    assert offered == _long_options("step")
    assert {"--step-size", "--gamma", "--optimizer", "--output", "--help"} <= set(offered)
    assert complete("lrplot step --ga", tmp_path) == ["--gamma"]
    assert complete("lrplot StepLR --ga", tmp_path) == ["--gamma"]  # the class name's alias
    assert complete("lrplot compare step --la", tmp_path) == ["--label", "--layout"]


@pytest.mark.slow
def test_words_that_are_no_command_complete_to_nothing_and_quietly(tmp_path: Path) -> None:
    # Outside completion each of these is a one-line error; a Tab press must not print it.
    for line in ("lrplot stpe --ga", "lrplot hf nope --num", "lrplot nosuch_pkg.Sched --ga"):
        assert complete(line, tmp_path) == [], line


def test_completing_an_hf_name_does_not_import_transformers(tmp_path: Path) -> None:
    # Building each name's command would import transformers (seconds) for one Tab press.
    probe = (
        "import contextlib, io, os, sys\n"
        "from lrplot.cli.app import main\n"
        "os.environ.update(_LRPLOT_COMPLETE='complete_bash', COMP_WORDS='lrplot hf co',"
        " COMP_CWORD='2')\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    assert main([]) == 0\n"
        "print(out.getvalue().split(), 'transformers' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    names = [n for n in hf.NAMES if n.startswith("co")]
    assert done.stdout == f"{names} False\n"


@pytest.mark.slow
def test_show_and_install_completion(tmp_path: Path) -> None:
    # Typer's own options; with detection off they take the shell's name (no guessing here),
    # and HOME is the scratch folder, so installing touches nothing of the user's.
    fixed = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1", "HOME": str(tmp_path)}
    shown = _run_script("--show-completion", "bash", cwd=tmp_path, **fixed)
    assert shown.returncode == 0, shown.stderr
    assert "_LRPLOT_COMPLETE=complete_bash" in shown.stdout
    installed = _run_script("--install-completion", "bash", cwd=tmp_path, **fixed)
    assert installed.returncode == 0, installed.stderr
    script = tmp_path / ".bash_completions" / "lrplot.sh"
    assert script.read_text().strip() == shown.stdout.strip()
    assert str(script) in (tmp_path / ".bashrc").read_text()


# --- A misspelt option: the one it most likely meant -------------------------------------

STEP_OPTIONS = ["--step-size", "--gamma", "--lr", "--momentum", "--momentum-panel", "--dpi"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("--mom", "--momentum"),  # what starts with it, the shortest first ...
        ("--momentum-p", "--momentum-panel"),
        ("--gama", "--gamma"),  # ... else the closest spelling
        ("--stepsize", "--step-size"),
        ("--dpu", "--dpi"),
        ("--metrics", None),  # nothing alike: no guess
        ("--xyz", None),
        ("-g", None),  # a short option is not guessed at
    ],
)
def test_closest_option(typed: str, meant: str | None) -> None:
    assert closest_option(typed, STEP_OPTIONS) == meant


def test_a_prefix_beats_a_closer_spelling() -> None:
    # '--optim' is nearer to '--dpi' than most options, but it starts '--optimizer'.
    assert closest_option("--optim", ["--dpi", "--optimizer", "--output"]) == "--optimizer"


def test_option_names_are_the_commands_own_and_visible() -> None:
    group = typer.main.get_command(app)
    ctx = typer.Context(group.get_command(typer.Context(group), "compare"))
    names = option_names(ctx)
    assert {"--label", "--layout", "--epochs", "--help"} <= set(names)
    assert "--step-size" not in names and all(n.startswith("--") for n in names)
