"""Time whole commands in subprocesses: wall seconds and the child's own peak RSS."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Lines of a failed command's stderr shown in the error.
STDERR_TAIL_LINES = 15

#: Called with a short progress message (e.g. printed to stderr).
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Command:
    """A command line; ``{run}`` in an argument becomes the run number (fresh output dirs)."""

    label: str
    argv: tuple[str, ...]

    def for_run(self, run: int) -> list[str]:
        """The argument list of run ``run``."""
        return [arg.replace("{run}", str(run)) for arg in self.argv]


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds from spawn to exit, and the child's peak resident set in MiB."""

    wall: float
    peak_rss_mib: float


@dataclass(frozen=True)
class Summary:
    """Median, min and max of some numbers."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        """Summarise ``values`` (at least one)."""
        return cls(statistics.median(values), min(values), max(values))


class CommandFailed(Exception):
    """A measured command exited non-zero or ran out of time; the message shows its stderr."""

    def __init__(self, argv: Sequence[str], why: str, stderr: str) -> None:
        tail = "\n".join(stderr.rstrip().splitlines()[-STDERR_TAIL_LINES:]) or "(no stderr)"
        indented = "\n".join("    " + line for line in tail.splitlines())
        super().__init__(f"{' '.join(argv)}\n  {why}; stderr tail:\n{indented}")


def run_once(command: Command, run: int, cwd: Path, timeout: float) -> Sample:
    """Run ``command`` once in ``cwd``; raise CommandFailed unless it exits 0 in time."""
    argv = command.for_run(run)
    stderr_path = cwd / ".benchmark-stderr"
    with stderr_path.open("w+b") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own process group, so a timeout can end all of it
        )
        status, peak_rss_kib, timed_out = _wait(process, timeout)
        wall = time.perf_counter() - start
        stderr.seek(0)
        text = stderr.read().decode(errors="replace")
    if timed_out:
        raise CommandFailed(argv, f"killed after the {timeout:g} s timeout", text)
    if status != 0:
        raise CommandFailed(argv, f"exited with status {status}", text)
    return Sample(wall, peak_rss_kib / _RSS_UNITS_PER_MIB)


# ru_maxrss is in KiB on Linux and in bytes on macOS.
_RSS_UNITS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024


def _wait(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, int, bool]:
    """Reap ``process`` with wait4: its exit status, peak RSS and whether it timed out.

    wait4 returns the rusage of this one child, the same ru_maxrss that
    getrusage(RUSAGE_CHILDREN) reports, but without that call's high-water mark over every
    child reaped before (which would hide a smaller command behind an earlier larger one).
    """
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:  # e.g. Ctrl-C: do not leave the child running
        kill()
        os.wait4(process.pid, 0)
        raise
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    return process.returncode, usage.ru_maxrss, expired.is_set()


def measure_pair(
    commands: tuple[Command, Command],
    runs: int,
    cwd: Path,
    timeout: float,
    progress: Progress,
) -> tuple[list[Sample], list[Sample]]:
    """One warm-up of each, then ``runs`` timed runs of each, interleaved.

    The order alternates (AB, BA, AB ...), so drift and "second of a pair" effects (page
    cache, CPU frequency) fall on both sides alike.
    """
    samples: tuple[list[Sample], list[Sample]] = ([], [])
    for command in commands:
        progress(f"warm-up: {command.label}")
        run_once(command, 0, cwd, timeout)
    for run in range(1, runs + 1):
        order = (0, 1) if run % 2 else (1, 0)
        for side in order:
            progress(f"run {run}/{runs}: {commands[side].label}")
            samples[side].append(run_once(commands[side], run, cwd, timeout))
    return samples
