"""The README's transcripts are true: every ``$ lrplot ...`` in a console block is run.

Output lines must match what the README shows, in order; a ``...`` line stands for any number
of lines, and timings like ``(2.1 s)`` may differ. stdout and stderr are compared in either
order (a terminal interleaves them; here they are captured apart). A command may set
environment variables first, as a shell does (``$ COLUMNS=72 lrplot step --preview``).
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.timm_loader import load_timm_scheduler

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: Files a transcript reads that the README describes in prose rather than shows.
SETUP = {
    "bad.toml": '[[figure]]\nname = "steplr"\nscheduler = "step"\ngama = 0.5\n',
}


def transcripts(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every ``$`` line of every console block."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return found


def split_environment(command: str) -> tuple[dict[str, str], str]:
    """The ``NAME=value`` words in front of a command, and the command after them."""
    env: dict[str, str] = {}
    while match := re.match(r"([A-Z_][A-Z0-9_]*)=(\S*) +", command):
        env[match[1]] = match[2]
        command = command[match.end() :]
    return env, command


def _normalise(line: str) -> str:
    return re.sub(r"\(\d+(\.\d+)? s\)", "(N s)", line.rstrip())


def matches(expected: list[str], got: list[str]) -> bool:
    """Line-by-line equality where an expected ``...`` line swallows any run of lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "..." else re.escape(_normalise(line)) + r"\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(_normalise(g) + "\n" for g in got)) is not None


CASES = [
    (cmd, out)
    for cmd, out in transcripts(README.read_text())
    if split_environment(cmd)[1].startswith(("lrplot", "head"))
]


def _run(
    command: str, lrplot: Callable[..., Any], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> list[list[str]]:
    """The possible output line orders of one transcript command."""
    env, command = split_environment(command)
    with monkeypatch.context() as scoped:
        for name, value in env.items():
            scoped.setenv(name, value)
        return _run_plain(command, lrplot, workdir)


def _run_plain(command: str, lrplot: Callable[..., Any], workdir: Path) -> list[list[str]]:
    head = re.fullmatch(r"head -(\d+) (\S+)", command)
    if head:
        lines = (workdir / head[2]).read_text().splitlines()
        return [lines[: int(head[1])]]
    command, _, pipe = command.partition(" | ")
    run = lrplot(*shlex.split(command)[1:])
    out, err = run.out.splitlines(), run.err.splitlines()
    piped = re.fullmatch(r"head -(\d+)", pipe)
    if piped:
        return [out[: int(piped[1])]]
    return [err + out, out + err]


@pytest.fixture
def readme_dir(workdir: Path) -> Path:
    """A scratch folder with the files the transcripts use (the guide's gallery, bad.toml)."""
    shutil.copytree(ROOT / "examples" / "document", workdir / "examples" / "document")
    shutil.copy(ROOT / "examples" / "schedules.py", workdir / "examples" / "schedules.py")
    load_timm_scheduler()  # timm's scheduler without its package's torchvision import
    for name, text in SETUP.items():
        (workdir / name).write_text(text)
    return workdir


def test_the_readme_has_transcripts() -> None:
    assert len(CASES) >= 15


def test_transcripts_run_in_order(
    readme_dir: Path, lrplot: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One test in README order, because some commands read what an earlier one wrote.
    for name in ("COLUMNS", "LINES", "NO_COLOR"):  # only what a transcript sets counts
        monkeypatch.delenv(name, raising=False)
    wrong = []
    for command, expected in CASES:
        outputs = _run(command, lrplot, readme_dir, monkeypatch)
        if not any(matches(expected, got) for got in outputs):
            wrong.append(
                f"$ {command}\nREADME:\n" + "\n".join(expected) + "\ngot:\n" + "\n".join(outputs[0])
            )
    assert not wrong, "\n\n".join(wrong)


def test_a_command_may_set_the_environment_first() -> None:
    assert split_environment("COLUMNS=72 LINES=20 lrplot step") == (
        {"COLUMNS": "72", "LINES": "20"},
        "lrplot step",
    )
    assert split_environment("lrplot step --title A=B") == ({}, "lrplot step --title A=B")


def test_matches_honours_ellipsis_and_timing() -> None:
    assert matches(["a", "...", "d (2.1 s)"], ["a", "b", "c", "d (3.4 s)"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a", "...", "d"], ["a", "b", "e"])
