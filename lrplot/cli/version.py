"""``lrplot --version``: lrplot's version and the torch and matplotlib it would run with.

The versions are read from the installed distributions' metadata, never by importing torch or
matplotlib, so ``--version`` is as quick as ``--help``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lrplot import __version__


def version_text() -> str:
    """``lrplot X (torch Y, matplotlib Z)``; a library that is missing reads 'not installed'."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(distribution: str) -> str:
        try:
            return version(distribution)
        except PackageNotFoundError:
            return "not installed"

    torch, matplotlib = installed("torch"), installed("matplotlib")
    return f"lrplot {__version__} (torch {torch}, matplotlib {matplotlib})"


def _show(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


Version = Annotated[
    bool,
    typer.Option(
        "--version",
        callback=_show,
        is_eager=True,
        expose_value=False,
        help="print lrplot's, torch's and matplotlib's versions and exit",
    ),
]
