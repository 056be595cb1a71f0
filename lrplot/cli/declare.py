"""One option as a signature parameter: the brick every command's option list is built of."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import typer

TEXT = str | None
TEXTS = list[str] | None
FLAG = bool | None


def opt(
    name: str,
    kind: Any,
    *flags: str,
    help: str,
    metavar: str | None = None,
    default: Any = None,
    hidden: bool = False,
) -> inspect.Parameter:
    """One keyword-only parameter declared as a Typer option."""
    info = typer.Option(*flags, help=help, metavar=metavar, show_default=False, hidden=hidden)
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, info]
    )
