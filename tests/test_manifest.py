"""Manifests: accepted and rejected fields, and the same figures as the command line."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lrplot.batch.manifest import all_schedulers, load_manifest
from lrplot.errors import InputError
from lrplot.schedulers.registry import SCHEDULERS

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "examples" / "document" / "figures.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text(text)
    return path


def test_guide_manifest_has_the_13_figures() -> None:
    names = [figure.name for figure in load_manifest(GUIDE)]
    assert names == [
        "learning-rate-effect",
        "lambdalr",
        "multiplicativelr",
        "steplr-illustration",
        "steplr",
        "multisteplr-illustration",
        "multisteplr",
        "exponentiallr",
        "cosineannealinglr",
        "reducelronplateau",
        "cycliclr-modes",
        "onecyclelr",
        "cosineannealingwarmrestarts",
    ]


def test_accepts_kebab_and_snake_case_and_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[defaults]
epochs = 30
dpi = 80

[[figure]]
name = "a"
scheduler = "StepLR"
step-size = 5
gamma = 0.25

[[figure]]
name = "b"
scheduler = "step"
step_size = 5
epochs = 12
log-y = true
""",
    )
    a, b = load_manifest(path)
    assert a.curves[0].params["step_size"] == 5 and a.curves[0].epochs == 30
    assert a.style.dpi == 80 and b.curves[0].epochs == 12 and b.style.log_y is True
    assert a.command == (
        "lrplot",
        "step",
        "--step-size",
        "5",
        "--gamma",
        "0.25",
        "--epochs",
        "30",
        "--dpi",
        "80",
    )


def test_curves_spec_and_scheduler_forms(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[[figure]]
name = "both"
epochs = 20
curves = [
  { spec = "multistep:milestones=[5,10],gamma=0.5", label = "ms" },
  { scheduler = "cosine", t-max = 20 },
]
""",
    )
    (figure,) = load_manifest(path)
    assert [c.label for c in figure.curves] == ["ms", None]
    assert figure.curves[0].params["milestones"] == (5, 10)
    assert all(c.epochs == 20 for c in figure.curves)


def test_metrics_path_is_relative_to_the_manifest(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "loss.txt").write_text("1\n0.5\n0.5\n0.5\n")
    path = _write(tmp_path, '[[figure]]\nname = "p"\nscheduler = "plateau"\nmetrics = "loss.txt"\n')
    monkeypatch.chdir(ROOT)
    (figure,) = load_manifest(path)
    assert figure.curves[0].metric == (1.0, 0.5, 0.5, 0.5)


REJECT = [
    (
        "[[figure]]\nname = 'a'\nscheduler = 'step'\ngama = 0.5\n",
        ["figure 'a'", "field 'gama'", "did you mean gamma"],
    ),
    (
        "[[figure]]\nname = 'a'\nscheduler = 'step'\nstep_size = 0\n",
        ["figure 'a'", "field 'step_size'", "must not be 0"],
    ),
    (
        "[[figure]]\nname = 'a'\nscheduler = 'step'\ngamma = 'half'\n",
        ["field 'gamma'", "'half'", "not a number"],
    ),
    ("[[figure]]\nname = 'a'\nscheduler = 'stepp'\n", ["field 'scheduler'", "stepp", "step"]),
    ("[[figure]]\nname = 'a'\n", ["field 'scheduler'", "missing"]),
    (
        "[[figure]]\nname = 'a'\nscheduler = 'step'\n"
        "[[figure]]\nname = 'a'\nscheduler = 'cosine'\n",
        ["figure 'a'", "field 'name'", "earlier figure"],
    ),
    ("[[figure]]\nname = '../evil'\nscheduler = 'step'\n", ["field 'name'", "../evil"]),
    ("[[figure]]\nscheduler = 'step'\n", ["figure #1", "field 'name'"]),
    ("[[figure]]\nname = 'a'\nscheduler = 'step'\nepochs = -1\n", ["field 'epochs'", ">= 1"]),
    ("[[figure]]\nname = 'a'\nscheduler = 'step'\nepochs = 'ten'\n", ["field 'epochs'", "'ten'"]),
    ("[[figure]]\nname = 'a'\nscheduler = 'step'\nlayout = 'grid'\n", ["field 'layout'", "grid"]),
    ("[[figure]]\nname = 'a'\nscheduler = 'step'\nsize = 'huge'\n", ["field 'size'", "huge"]),
    ("[[figure]]\nname = 'a'\nkind = 'pie'\n", ["field 'kind'", "pie"]),
    ("[[figure]]\nname = 'a'\nkind = 'descent'\nlr = [0.1, -1]\n", ["field 'lr'", "-1"]),
    ("[[figure]]\nname = 'a'\nkind = 'descent'\ngamma = 1\n", ["field 'gamma'", "not a field"]),
    ("[[figure]]\nname = 'a'\ncurves = []\n", ["field 'curves'", "non-empty"]),
    (
        "[[figure]]\nname = 'a'\ncurves = [{ spec = 'step:step_size=0' }]\n",
        ["curves[0].spec", "'step:step_size=0'", "step_size"],
    ),
    (
        "[[figure]]\nname = 'a'\ncurves = [{ spec = 'step', gamma = 0.5 }]\n",
        ["curves[0].gamma", "cannot be given with spec"],
    ),
    (
        "[[figure]]\nname = 'a'\ngamma = 0.5\ncurves = [{ spec = 'step' }]\n",
        ["field 'gamma'", "belongs inside curves"],
    ),
    (  # not a scheduler option either: said so, with the fields a figure takes
        "[[figure]]\nname = 'a'\nfigure2 = 1\ncurves = [{ spec = 'step' }]\n",
        ["field 'figure2'", "is not a field of a figure with curves", "log-y, lr"],
    ),
    (
        "[[figure]]\nname = 'a'\nscheduler = 'sequential'\nmilestones = [5, 3]\n"
        "schedule = ['linear', 'cosine', 'step']\n",
        ["field 'milestones'", "increasing"],
    ),
    (
        "[defaults]\ngamma = 0.5\n[[figure]]\nname = 'a'\nscheduler = 'step'\n",
        ["[defaults]", "field 'gamma'"],
    ),
    ("[figures]\n", ["table 'figures'", "[[figure]]"]),
    ("", ["has no [[figure]] tables"]),
    ("[[figure]\nname = 'a'\n", ["is not valid TOML", "line 1"]),
    ("[[figure]]\nname = 'a'\nname = 'b'\n", ["is not valid TOML"]),
]


@pytest.mark.parametrize(
    ("text", "fragments"), REJECT, ids=[f"reject{i}" for i in range(len(REJECT))]
)
def test_rejects_with_file_figure_and_field(tmp_path: Path, text: str, fragments) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_manifest(tmp_path / "nope.toml")


def test_all_schedulers_covers_the_registry() -> None:
    assert [f.name for f in all_schedulers()] == [e.command for e in SCHEDULERS]


@pytest.mark.parametrize(
    "figure", [f for f in load_manifest(GUIDE) if f.curves], ids=lambda f: f.name
)
def test_manifest_figure_equals_its_command_line(lrplot, workdir: Path, figure) -> None:
    """The command recorded for a manifest figure gives identical series from the CLI."""
    result = lrplot("render", str(GUIDE), "-d", "out", "--only", figure.name, "-q")
    assert result.code == 0, result.err
    from_manifest = json.loads((workdir / "out" / f"{figure.name}.json").read_text())
    argv = [*figure.command[1:], "-o", "cli.json"]
    assert lrplot(*argv).code == 0, shlex.join(argv)
    from_cli = json.loads((workdir / "cli.json").read_text())
    assert from_manifest["command"] == list(figure.command)
    assert _series(from_cli) == _series(from_manifest)


def _series(document: dict) -> list[dict]:
    return [c["series"] for c in document.get("curves", [document])]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="on 3.10 every manifest test uses tomli")
def test_python_3_10_reads_manifests_with_tomli(tmp_path: Path) -> None:
    # No tomllib (as on 3.10): manifest.py falls back to tomli, here a counting stand-in
    # made from tomllib's own functions, and its TOML errors still read as lrplot's.
    bad = _write(tmp_path, "[[figure]\nname = 1")
    probe = textwrap.dedent(
        f"""
        import sys, tomllib, types
        calls = []
        tomli = types.ModuleType("tomli")
        tomli.TOMLDecodeError = tomllib.TOMLDecodeError
        tomli.loads = lambda text: calls.append(text) or tomllib.loads(text)
        sys.modules["tomllib"], sys.modules["tomli"] = None, tomli
        from lrplot.batch.manifest import load_manifest
        from lrplot.errors import InputError
        names = [f.name for f in load_manifest({str(GUIDE)!r})]
        try:
            load_manifest({str(bad)!r})
        except InputError as error:
            print(error)
        print(len(calls), names[0])
        """
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    error, count = run.stdout.splitlines()
    assert "is not valid TOML" in error
    assert count == "2 learning-rate-effect"
