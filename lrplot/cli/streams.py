"""The standard streams at the error boundary: closed, full or gone, never a traceback.

``lrplot step -o - | head`` ends quietly with exit 1 (the reader has gone: there is no one
to tell). Standard output closed (``>&-``) or full (``> /dev/full``) ends with exit 1 and one
line on standard error. A closed or full standard error loses only the lines meant for it:
the run's status stays, but a run that would have succeeded exits 1. As Python's documents
advise for SIGPIPE, a broken standard output gets /dev/null on its descriptor, so that no
later flush fails again.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import TypeGuard

from lrplot.errors import ExitStatus

#: What a write to a standard stream fails with when it can take no more output.
_BROKEN = frozenset(
    getattr(errno, name)
    for name in ("EPIPE", "ENOSPC", "EBADF", "EIO", "EFBIG", "EDQUOT", "ECONNRESET", "EAGAIN")
    if hasattr(errno, name)
)
_closed_at_start: set[str] = set()
_broken: set[str] = set()  # the streams already found broken (and retired)


class _Closed(io.RawIOBase):
    """Stands in for a standard stream whose descriptor was closed before lrplot started."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")


def open_streams() -> None:
    """Give a stream closed before the start (``>&-``: Python makes it None) a stand-in
    whose writes fail, so that the failure is seen and reported like any other."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            stand_in = io.TextIOWrapper(io.BufferedWriter(_Closed()), encoding="utf-8")
            setattr(sys, name, stand_in)
            _closed_at_start.add(name)


def is_broken(error: BaseException) -> TypeGuard[OSError]:
    """Whether ``error`` is a write to standard output or error that cannot be done."""
    return isinstance(error, OSError) and error.filename is None and error.errno in _BROKEN


def say(message: str) -> bool:
    """``lrplot: error: MESSAGE`` on standard error; False (and nothing raised) if it is broken."""
    if "stderr" in _broken:
        return False
    try:
        sys.stderr.write(f"lrplot: error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        _retire("stderr")
        return False
    return True


def broken(error: OSError, status: int = ExitStatus.OK) -> int:
    """After a write to a standard stream failed: one line on standard error if it works
    (then the failure was standard output's); the run's status, or 1 for a success."""
    failed = status or int(ExitStatus.FAILURE)
    if "stdout" in _broken:
        return failed
    if "stdout" in _closed_at_start:
        why = "is closed; run lrplot with it open (e.g. > out.txt)"
    elif error.errno == errno.EPIPE:  # the reader has gone, as | head does: no one to tell
        if not _flushes(sys.stdout):
            _retire("stdout")
        return failed
    else:
        strerror = error.strerror or os.strerror(error.errno or 0)
        why = f"cannot be written ({strerror}); free space, or write to a file with -o FILE"
    if say(f"standard output {why}"):
        _retire("stdout")  # standard error works, so the failed write was standard output's
    return failed


def show(text: str, status: int) -> int:
    """Print ``text`` on standard output (the help of ``lrplot`` alone) and return ``status``."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except OSError as error:
        return broken(error, status)
    return status


def finish(status: int) -> int:
    """Flush both streams at the end of a run; a failure there is a broken stream too."""
    try:
        if "stdout" not in _broken:
            sys.stdout.flush()
    except (OSError, ValueError, AttributeError) as error:
        status = broken(error if isinstance(error, OSError) else OSError(errno.EBADF), status)
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        status = status or int(ExitStatus.FAILURE)
    return status


def _flushes(stream: object) -> bool:
    try:
        stream.flush()  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return False
    return True


def _retire(name: str) -> None:
    """Point a broken standard stream's descriptor at /dev/null (only the process's own
    streams have one: an in-process test's captured stream is left alone)."""
    _broken.add(name)
    try:
        number = getattr(sys, name).fileno()
    except (OSError, ValueError, AttributeError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, number)
    finally:
        os.close(devnull)
