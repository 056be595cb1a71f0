"""Where curves go: check output targets up front, encode every file, then write them atomically."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from lrplot.errors import InputError, LrplotError
from lrplot.spec.reading import describe, shown, special

FORMATS = ("png", "svg", "pdf", "csv", "json")
DATA_FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Target:
    """One output: a file path and its format, or standard output (``path is None``)."""

    path: Path | None
    fmt: str

    def __str__(self) -> str:
        return "-" if self.path is None else str(self.path)


def parse_targets(
    outputs: Sequence[str], fmt: str | None, default_stem: str, *, where: str = "--output"
) -> list[Target]:
    """Targets from ``-o`` values; none means ``<default_stem>.png`` (or ``.<fmt>``)."""
    fmt = check_format(fmt)
    if not outputs:
        outputs = [f"{default_stem}.{fmt or 'png'}"]
    targets = [_target(text, fmt, where) for text in outputs]
    if sum(t.path is None for t in targets) > 1:
        raise InputError(where, "-", "is given twice", "write to standard output once")
    return targets


def check_format(fmt: str | None) -> str | None:
    """``--format`` in lower case, refused unless it is one of FORMATS."""
    if fmt is not None and fmt.lower() not in FORMATS:
        raise InputError(
            "--format", fmt, f"must be one of {', '.join(FORMATS)}", "e.g. --format csv"
        )
    return fmt.lower() if fmt else None


def _target(text: str, fmt: str | None, where: str) -> Target:
    if text == "-":
        if fmt not in DATA_FORMATS:
            raise InputError(
                where,
                text,
                "writes to standard output, which needs a data format",
                "add --format csv or --format json",
            )
        return Target(None, fmt)
    path = Path(text)
    check_writable(path, where)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        if fmt is None:
            raise InputError(
                where,
                text,
                f"has an unknown suffix '.{suffix}'" if suffix else "has no suffix",
                f"end it in one of .{', .'.join(FORMATS)}, or add --format png",
            )
        suffix = fmt
    return Target(path, suffix)


def check_writable(path: Path, where: str) -> None:
    """Refuse a target lrplot cannot or should not write, before any work is done.

    A regular file (new, or writable: a read-only one is kept) in a writable folder, or a
    character device or named pipe, written in place (``/dev/null``, ``/dev/stdout``). A
    folder, a socket, a block device, a symbolic link loop, a name too long or a path under
    a file is bad input.
    """
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except (OSError, ValueError) as error:
        _refuse(where, path, error)
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        if not os.access(path, os.W_OK):
            raise InputError(where, str(path), f"is {special(mode)} you cannot write to", _FIX)
        return  # written in place (lrplot.files.atomic)
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(where, shown(str(path)), "is a folder", "give a file name in it")
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(where, str(path), f"is {special(mode)}", _FIX)
    if mode is not None and not os.access(path, os.W_OK):
        raise InputError(where, str(path), "is a read-only file", "make it writable, or rename")
    check_folder(path.parent if str(path.parent) else Path("."), where, path)


def check_folder(folder: Path, where: str, path: Path | None = None) -> None:
    """Refuse a folder (to write ``path`` in) that is missing, not a folder or read-only."""
    shown_path = shown(str(path if path is not None else folder))
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        raise InputError(
            where,
            shown_path,
            f"is in a folder that does not exist ({shown(str(folder))})",
            "create the folder first",
        ) from None
    except (OSError, ValueError) as error:
        _refuse(where, path or folder, error)
    if not stat.S_ISDIR(mode):
        raise InputError(
            where, shown_path, f"is under {folder}, which is a file", "give a path in a folder"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            where,
            shown_path,
            f"is in a folder you cannot write to ({folder})",
            "choose another folder",
        )


def check_output_folder(folder: Path, where: str) -> None:
    """Refuse a folder to write into (made if missing) that cannot be made or written."""
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        check_folder(folder.parent if str(folder.parent) else Path("."), where, folder)
        return
    except (OSError, ValueError) as error:
        _refuse(where, folder, error)
    if not stat.S_ISDIR(mode):
        kind = "a file" if stat.S_ISREG(mode) else special(mode)
        raise InputError(where, shown(str(folder)), f"is {kind}", "give a folder")
    check_folder(folder, where, folder)


_FIX = "give a regular file, or -o - with --format to write to standard output"


def _refuse(where: str, path: Path, error: OSError | ValueError) -> NoReturn:
    if isinstance(error, ValueError):  # an embedded NUL byte
        raise InputError(where, shown(str(path)), "is not a valid file name", "fix it") from None
    problem, fix = describe(error, path, "written")
    raise InputError(where, shown(str(path)), problem, fix) from None


Encoder = Callable[[str], bytes | Iterable[bytes]]


def write_all(targets: Sequence[Target], encode: Encoder) -> list[str]:
    """Write every target atomically, in order; returns the paths written.

    Everything ``encode`` returns as bytes (the figures, the likeliest to fail) is made
    before any file is written; chunked data (CSV, JSON) is made as it is written, so a long
    curve is never held as one text. Either way no file is ever partly written. Devices and
    named pipes are opened first, so a pipe that nothing reads is refused before any file.
    """
    encoded = [(target, encode(target.fmt)) for target in targets]
    handles: dict[int, int] = {}
    try:
        for index, (target, _) in enumerate(encoded):
            handle = _opened(target.path) if target.path is not None else None
            if handle is not None:
                handles[index] = handle
        for index, (target, data) in enumerate(encoded):
            _write_one(target, data, handles.pop(index, None))
    finally:
        for handle in handles.values():
            os.close(handle)
    return [str(target.path) for target in targets if target.path is not None]


def _write_one(target: Target, data: bytes | Iterable[bytes], handle: int | None) -> None:
    """One target: standard output, an opened device or pipe, or a file written atomically."""
    from lrplot.files.atomic import chunks_of, write_atomic, write_handle

    if target.path is None:
        for chunk in chunks_of(data):
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        return
    try:
        if handle is not None:
            write_handle(handle, chunks_of(data))
        else:
            write_atomic(target.path, data)
    except OSError as error:
        raise _cannot_write(target.path, error) from None


def _opened(path: Path) -> int | None:
    """A handle on ``path`` if it is a device or a pipe (lrplot.files.atomic.open_in_place)."""
    from lrplot.files.atomic import open_in_place

    try:
        return open_in_place(path)
    except OSError as error:
        if error.errno == errno.ENXIO and stat.S_ISFIFO(os.stat(path).st_mode):
            raise InputError(
                "--output",
                str(path),
                "is a named pipe that nothing reads",
                "start its reader first, or write to standard output with -o -",
            ) from None
        if error.errno == errno.ENXIO:  # /dev/tty with no terminal (cron, CI)
            raise InputError(
                "--output", str(path), "is a device with nothing behind it", _FIX
            ) from None
        raise _cannot_write(path, error) from None


def _cannot_write(path: Path, error: OSError) -> LrplotError:
    """A write that failed after every check passed (a full disk, a reader gone): exit 1."""
    return LrplotError(f"cannot write {path}: {error.strerror or error}")
