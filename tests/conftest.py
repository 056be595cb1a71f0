"""Shared fixtures: run the command line in-process inside a scratch folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lrplot.cli.app import main


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
