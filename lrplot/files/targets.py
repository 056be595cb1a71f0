"""Where curves go: check output targets up front, encode every file, then write them atomically."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lrplot.errors import InputError, LrplotError

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
    if path.is_dir():
        raise InputError(where, text, "is a folder", "give a file name in it")
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        if fmt is None:
            raise InputError(
                where,
                text,
                f"has an unknown suffix '.{suffix}'" if suffix else "has no suffix",
                f"end it in one of .{', .'.join(FORMATS)}",
            )
        suffix = fmt
    check_writable(path, where)
    return Target(path, suffix)


def check_writable(path: Path, where: str) -> None:
    """Refuse a path whose folder is missing or read-only, or that names a folder."""
    folder = path.parent
    if path.is_dir():
        raise InputError(where, str(path), "is a folder", "give a file name")
    if folder.exists() and not folder.is_dir():
        raise InputError(
            where, str(path), f"is under {folder}, which is a file", "give a path in a folder"
        )
    if not folder.is_dir():
        raise InputError(
            where,
            str(path),
            f"is in a folder that does not exist ({folder})",
            "create the folder first",
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            where,
            str(path),
            f"is in a folder you cannot write to ({folder})",
            "choose another folder",
        )


Encoder = Callable[[str], bytes | Iterable[bytes]]


def write_all(targets: Sequence[Target], encode: Encoder) -> list[str]:
    """Write every target atomically, in order; returns the paths written.

    Everything ``encode`` returns as bytes (the figures, the likeliest to fail) is made
    before any file is written; chunked data (CSV, JSON) is made as it is written, so a long
    curve is never held as one text. Either way no file is ever partly written.
    """
    from lrplot.files.atomic import chunks_of, write_atomic

    encoded = [(target, encode(target.fmt)) for target in targets]
    written: list[str] = []
    for target, data in encoded:
        if target.path is None:
            for chunk in chunks_of(data):
                sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            continue
        try:
            write_atomic(target.path, data)
        except OSError as error:
            raise LrplotError(f"cannot write {target.path}: {error.strerror or error}") from None
        written.append(str(target.path))
    return written
