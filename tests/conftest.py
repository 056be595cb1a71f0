"""Shared fixtures: run the command line in-process inside a scratch folder."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lrplot.cli.app import main

# A user's module imported by a test must leave no __pycache__ in the folder the test
# watches for files lrplot should not have written.
sys.dont_write_bytecode = True

# `PYTHONPATH=. python scripts/check.py` is relative to the clone; a test's subprocess runs in
# a scratch folder, where "." would be that folder (and its stray torch.py). Pin it.
if os.environ.get("PYTHONPATH"):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        os.path.abspath(entry) if entry else entry
        for entry in os.environ["PYTHONPATH"].split(os.pathsep)
    )


#: What the runner's environment may say about its terminal, which would change what help,
#: progress bars and pytest print: a developer's 80-column xterm, not a CI runner's
#: (CI=1 keeps pytest's summary lines whole; TERM=dumb drops rich's cursor codes). Tests of
#: these variables set them themselves.
TERMINAL = {"COLUMNS": "80", "TERM": "xterm"}
UNSET = ("LINES", "NO_COLOR", "FORCE_COLOR", "CI", "BUILD_NUMBER", "GITHUB_ACTIONS")


@pytest.fixture(autouse=True)
def _developer_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in TERMINAL.items():
        monkeypatch.setenv(name, value)
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)


@dataclass
class Run:
    """What one command-line run printed and returned."""

    code: int
    out: str
    err: str

    @property
    def paths(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch current directory, so default outputs land somewhere disposable."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def lrplot(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., Run]:
    """Call ``lrplot ARGS...`` in-process and capture its output."""

    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsysbinary.readouterr()
        return Run(code, captured.out.decode(), captured.err.decode())

    return run


@pytest.fixture
def user_module(workdir: Path) -> Iterator[Callable[[str, str], str]]:
    """Write ``NAME.py`` into the scratch folder (the current folder, first on the import
    path as lrplot puts it); afterwards forget the module and lrplot's entry for it."""
    import sys

    from lrplot.schedulers import dotted

    names: list[str] = []
    path = list(sys.path)

    def write(name: str, source: str) -> str:
        (workdir / f"{name}.py").write_text(textwrap.dedent(source))
        names.append(name)
        return name

    yield write
    for name in names:
        sys.modules.pop(name, None)
    sys.path[:] = path
    dotted._imported_entry.cache_clear()
