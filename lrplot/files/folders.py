"""A folder that check makes with its parents (``--results``), checked before any work.

A folder made in an existing one is :func:`lrplot.files.targets.check_output_folder`'s;
this adds the folders above it that are missing too, whose names must fit the file system.
"""

from __future__ import annotations

import os
from pathlib import Path

from lrplot.errors import InputError
from lrplot.files.targets import check_output_folder


def check_folder_tree(folder: Path, where: str) -> None:
    """Refuse a folder that cannot be made (with missing parents) or written, unmade yet."""
    first_missing = folder
    while not first_missing.parent.exists() and first_missing.parent != first_missing:
        first_missing = first_missing.parent
    check_output_folder(first_missing, where)
    if first_missing != folder:  # the folders below it are made too: their names must fit
        check_lengths(folder, where)


def check_lengths(path: Path, where: str) -> None:
    """Each name of a path still to be made no longer than the file system allows."""
    limit = os.pathconf(path.anchor or ".", "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    for part in path.parts:
        if len(os.fsencode(part)) > limit:
            raise InputError(
                where, str(path), f"has a name longer than {limit} bytes", "shorten it"
            )
