"""Import budget: the command line's start-up path stays free of torch, numpy and matplotlib."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "numpy", "matplotlib")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    modules = set(result.stdout.split())
    return {name for name in HEAVY if name in modules} | (
        {"torch._dynamo"} if "torch._dynamo" in modules else set()
    )


def test_importing_the_cli_loads_nothing_heavy() -> None:
    assert _loaded_after("import lrplot.cli") == set()


def test_help_and_list_load_nothing_heavy() -> None:
    code = (
        "import contextlib, io\n"
        "from lrplot.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
        "    assert main(['step', '--help']) == 0\n"
        "    assert main(['list']) == 0\n"
        "    assert main(['--version']) == 0\n"
    )
    assert _loaded_after(code) == set()


def test_csv_output_never_imports_matplotlib(tmp_path) -> None:
    code = f"from lrplot.cli import main\nassert main(['step', '-o', r'{tmp_path / 'x.csv'}']) == 0"
    assert _loaded_after(code) == {"torch", "numpy"}


def test_a_png_run_does_not_import_torch_dynamo(tmp_path) -> None:
    target = tmp_path / "x.png"
    code = f"from lrplot.cli import main\nassert main(['onecycle', '-o', r'{target}']) == 0"
    loaded = _loaded_after(code)
    assert "torch._dynamo" not in loaded and "matplotlib" in loaded


def test_no_scheduler_imports_torch_dynamo() -> None:
    # Building the dummy optimizer and stepping any scheduler (composites, plateau, resumed
    # runs) stays clear of torch._dynamo's one-second import.
    code = (
        "from lrplot.schedulers import registry\n"
        "from lrplot.simulation.record import simulate\n"
        "from lrplot.spec.build import build_spec\n"
        "for entry in registry.SCHEDULERS:\n"
        "    simulate(build_spec(entry.command))\n"
        "simulate(build_spec('step', start_epoch=5))\n"
    )
    assert "torch._dynamo" not in _loaded_after(code)


def test_preview_never_imports_matplotlib(tmp_path) -> None:
    code = (
        "import contextlib, io, os\n"
        f"os.chdir(r'{tmp_path}')\n"
        "from lrplot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    assert main(['compare', 'step', 'onecycle', '--preview']) == 0\n"
        "assert '⠤1⠤ step' in out.getvalue() and os.listdir() == []\n"
    )
    assert _loaded_after(code) == {"torch", "numpy"}
