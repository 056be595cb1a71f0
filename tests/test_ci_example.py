"""examples/ci/lrplot-check.yml works: each job's ``run:`` steps, in order, on a scratch project.

No GitHub is needed: ``actions/checkout`` is the scratch folder itself (a project with a
manifest, a training package and tests), ``actions/setup-python`` a fresh venv whose ``bin``
comes first on PATH, and the repository variable LRPLOT_SOURCE points at this repository by
git URL (``git+file://``), as a user's points at theirs. Every step runs as GitHub runs it
(``bash -e -o pipefail``); the baselines are made with the installed lrplot, as a user makes
them before committing. Then a changed schedule must fail the check step.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "ci" / "lrplot-check.yml"

MANIFEST = """
[[figure]]
name = "resnet-warmup"
scheduler = "sequential"
schedule = ["linear:start_factor=0.1,total_iters=5", "cosine:T_max=85"]
milestones = [5]
epochs = 90
lr = 0.1
"""
FACTORY = """
from torch.optim.lr_scheduler import StepLR


def make_scheduler(optimizer):
    return StepLR(optimizer, step_size=10, gamma={gamma})
"""
TEST = """
from train.schedules import make_scheduler


def test_schedule(lr_regression):
    lr_regression.check(make_scheduler, epochs=50)
"""


def _jobs() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text())
    return dict(document["jobs"])


def _runs(job: dict[str, Any]) -> list[str]:
    """The job's ``run:`` scripts in order (``uses:`` steps are what the scratch set-up does)."""
    return [step["run"] for step in job["steps"] if "run" in step]


def _environment(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    document = yaml.safe_load(WORKFLOW.read_text())
    for name, value in document.get("env", {}).items():  # ${{ vars.X }}: the variable's value
        given = {"LRPLOT_SOURCE": f"git+file://{ROOT}"}
        env[name] = given[name] if re.fullmatch(r"\$\{\{\s*vars\.\w+\s*\}\}", value) else value
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _step(script: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _project(folder: Path, gamma: float) -> None:
    (folder / "schedules").mkdir(parents=True, exist_ok=True)
    (folder / "schedules" / "figures.toml").write_text(MANIFEST)
    (folder / "train").mkdir(exist_ok=True)
    (folder / "train" / "__init__.py").write_text("")
    (folder / "train" / "schedules.py").write_text(FACTORY.format(gamma=gamma))
    (folder / "tests").mkdir(exist_ok=True)
    (folder / "tests" / "test_schedule.py").write_text(TEST)


def _set_up(folder: Path, job: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """A fresh Python (setup-python), then the job's install step."""
    python = job["steps"][1]["with"]["python-version"]
    assert sys.version_info[:2] == tuple(int(p) for p in python.split(".")), python
    venv = folder / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = _environment(venv)
    install, *rest = _runs(job)
    done = _step(install, folder, env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return rest, env


def _ok(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_the_workflow_names_two_jobs_that_install_from_lrplot_source() -> None:
    jobs = _jobs()
    assert sorted(jobs) == ["manifest", "pytest"]
    for job in jobs.values():
        install = _runs(job)[0]
        assert '"$LRPLOT_SOURCE"' in install and '"torch==2.13.0"' in install
        assert "lrplot==" not in install  # nothing is published under that name


def test_without_lrplot_source_the_install_step_says_what_to_set(tmp_path: Path) -> None:
    env = {**_environment(tmp_path), "LRPLOT_SOURCE": ""}
    done = _step(_runs(_jobs()["manifest"])[0], tmp_path, env)
    assert done.returncode == 1
    assert "set the repository variable LRPLOT_SOURCE" in done.stdout


@pytest.mark.slow
def test_the_manifest_job_passes_then_fails_on_a_changed_schedule(tmp_path: Path) -> None:
    _project(tmp_path, 0.5)
    (check,), env = _set_up(tmp_path, _jobs()["manifest"])
    _ok(_step("lrplot check schedules/figures.toml --baseline schedules/baselines --update",
              tmp_path, env))  # fmt: skip
    _ok(_step(check, tmp_path, env))
    assert (tmp_path / "lrplot-check-results" / "junit.xml").is_file()

    toml = tmp_path / "schedules" / "figures.toml"
    toml.write_text(MANIFEST.replace("T_max=85", "T_max=80"))
    failed = _step(check, tmp_path, env)
    assert failed.returncode == 1, failed.stderr
    assert "resnet-warmup  data-diff  lr at epoch 6:" in failed.stderr
    uploaded = tmp_path / "lrplot-check-results"  # the upload step's path, if: failure()
    assert (uploaded / "resnet-warmup-diff.png").is_file()
    assert 'failures="1"' in (uploaded / "junit.xml").read_text()


@pytest.mark.slow
def test_the_pytest_job_passes_then_fails_on_a_changed_gamma(tmp_path: Path) -> None:
    _project(tmp_path, 0.5)
    (tests,), env = _set_up(tmp_path, _jobs()["pytest"])
    first = _step(tests, tmp_path, env)
    assert first.returncode == 1 and "run pytest --lrplot-update" in first.stdout
    assert not (tmp_path / "tests" / "test_schedule").exists()
    _ok(_step("python -m pytest tests --lrplot-update", tmp_path, env))
    _ok(_step(tests, tmp_path, env))

    (tmp_path / "train" / "schedules.py").write_text(textwrap.dedent(FACTORY.format(gamma=0.1)))
    failed = _step(tests, tmp_path, env)
    assert failed.returncode == 1
    assert "lr at epoch 10: 0.0005 -> 0.0001" in failed.stdout
    uploaded = tmp_path / "lrplot-check-results" / "tests" / "test_schedule"
    assert (uploaded / "test_schedule-diff.png").is_file()
