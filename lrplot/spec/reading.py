"""Read an input file whole: a regular file under a size cap, every OS error as bad input.

Manifests and metric files come through here, so ``render /dev/zero``, a named pipe, a
folder, a name too long or a path under a file all end in one InputError that names the
option (or MANIFEST), the path and what is wrong. It lives in spec/ because the metric files
are read while a CurveSpec is built; files/ (-o targets) describes its OS errors with it too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The largest manifest or metric file read (README "Errors and exit codes").
MAX_INPUT_BYTES = 16 * 2**20
CAP_TEXT = "16 MiB"


class FileProblem(Exception):
    """What is wrong with a path, in words (no option name yet): ``is a folder``."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


def read_text(path: Path, *, cap: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of the regular file ``path``; raises FileProblem for anything else."""
    data = read_bytes(path, cap=cap)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileProblem(f"is not UTF-8 text (byte {error.start})", "save it as UTF-8") from None


def read_bytes(path: Path, *, cap: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file ``path``; raises FileProblem for anything else.

    The file is stat-ed before it is opened (a FIFO would block the open, a device has no
    end) and opened non-blocking, in case it was swapped for a FIFO in between; it is read
    to at most ``cap`` bytes whatever its size says.
    """
    require_regular(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise FileProblem(*describe(error, path)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"is {special(info.st_mode)}", "give a regular file")
        if info.st_size > cap:
            raise FileProblem(f"is larger than {_size(cap)}", "give a smaller file")
        data = _read_capped(handle, cap)
    except OSError as error:
        raise FileProblem(*describe(error, path)) from None
    finally:
        os.close(handle)
    return data


def require_regular(path: Path) -> None:
    """Refuse (FileProblem) anything but an existing regular file; symbolic links are followed."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise FileProblem(*describe(error, path)) from None
    except ValueError:  # an embedded NUL byte
        raise FileProblem("is not a valid file name (it holds a NUL byte)", "fix it") from None
    if stat.S_ISDIR(mode):
        raise FileProblem("is a folder", "give a file in it")
    if not stat.S_ISREG(mode):
        raise FileProblem(f"is {special(mode)}", "give a regular file")


def describe(error: OSError, path: Path, verb: str = "read") -> tuple[str, str]:
    """(what is wrong, how to fix it) for an OSError about ``path`` (to be ``verb``, e.g.
    read or written)."""
    code = error.errno
    if code == errno.ENOENT:
        return "does not exist", "check the path"
    if code == errno.ENOTDIR:
        above = _file_above(path)
        where = f"{above}, which is a file" if above else "a file"
        return f"is under {where}, not a folder", "give a path in a folder"
    if code == errno.ENAMETOOLONG:
        return "is too long for a file name on this system", "use a shorter name"
    if code == errno.ELOOP:
        return "is a symbolic link loop", "point the link at a real file"
    if code in (errno.EACCES, errno.EPERM):
        return f"cannot be {verb}: permission denied", "check its and its folders' permissions"
    if code == errno.EISDIR:
        return "is a folder", "give a file in it"
    return f"cannot be {verb} ({error.strerror or error})", "check the path"


def exists(path: Path) -> bool:
    """Whether ``path`` exists; False when the system cannot even look (a name too long)."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def shown(text: str) -> str:
    """A path short enough to print: a 5,000-character name by its start and length."""
    return text if len(text) <= 60 else text[:40] + f"... ({len(text)} characters)"


def _read_capped(handle: int, cap: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(handle, 1 << 20):
        total += len(chunk)
        if total > cap:  # it grew since fstat, or its size lied (/proc): stop here
            raise FileProblem(f"is larger than {_size(cap)}", "give a smaller file")
        chunks.append(chunk)
    return b"".join(chunks)


def special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def _size(cap: int) -> str:
    return f"{cap >> 20} MiB" if cap % 2**20 == 0 else f"{cap:,} bytes"


def _file_above(path: Path) -> str:
    """The first part of ``path`` that exists and is not a folder (for ENOTDIR)."""
    for parent in reversed(path.parents):
        try:
            if not stat.S_ISDIR(os.stat(parent).st_mode):
                return str(parent)
        except (OSError, ValueError):
            return ""
    return ""
