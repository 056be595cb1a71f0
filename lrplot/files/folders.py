"""Output folders and the files in them, checked before any work: the shapes a path can have.

The file rule is :func:`lrplot.files.targets.check_writable` (what ``-o`` uses); this adds
folders to be made, and turns what the file system itself says about a path (a name too
long, a loop of links, no permission to look) into the same kind of one-line error.
"""

from __future__ import annotations

from pathlib import Path

from lrplot.errors import InputError
from lrplot.files.targets import check_writable


def check_target(path: Path, where: str) -> None:
    """``check_writable``, with the file system's own refusals as input errors too."""
    try:
        check_writable(path, where)
    except OSError as error:
        raise _refused(path, where, error) from None


def check_folder(folder: Path, where: str, *, parents: bool = False) -> None:
    """Refuse an output folder that cannot be made or written, without making it yet.

    ``parents``: missing folders above it may be made too (else its parent must exist).
    """
    try:
        _check_folder(folder, where, parents)
    except OSError as error:
        raise _refused(folder, where, error) from None


def _check_folder(folder: Path, where: str, parents: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(where, str(folder), "is a file", "give a folder")
    if folder.is_dir():
        check_writable(folder / "index", where)  # a file in it: the folder is writable
        return
    first_missing = folder
    while parents and not first_missing.parent.exists() and first_missing.parent != first_missing:
        first_missing = first_missing.parent
    above = first_missing.parent
    if above.exists() and not above.is_dir():
        raise InputError(where, str(folder), f"is under {above}, which is a file", "give a folder")
    if not above.is_dir():
        raise InputError(
            where, str(folder), f"is in a folder that does not exist ({above})", "create it first"
        )
    check_writable(first_missing, where)  # made in ``above``: that must be writable
    if first_missing != folder:  # the folders below it are made too: their names must fit
        check_lengths(folder, where)


def check_lengths(path: Path, where: str) -> None:
    """Each name of a path still to be made no longer than the file system allows."""
    import os

    limit = os.pathconf(path.anchor or ".", "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    for part in path.parts:
        if len(os.fsencode(part)) > limit:
            raise InputError(
                where, str(path), f"has a name longer than {limit} bytes", "shorten it"
            )


def _refused(path: Path, where: str, error: OSError) -> InputError:
    return InputError(
        where,
        str(path),
        f"cannot be used ({error.strerror or error})",
        "choose a shorter path, or one you can read and write",
    )
