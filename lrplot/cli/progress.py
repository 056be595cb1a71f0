"""``render``'s progress on stderr: a rich progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

#: Told after each figure: how many are done, of how many, and the last one's name.
Show = Callable[[int, int, str], None]


@contextmanager
def render_progress(console: Console | None = None) -> Iterator[Show]:
    """The progress callback for one render, and the bar's end when the render ends.

    ``[i/n] name`` lines when stderr is not a terminal (CI logs, pipes) and no console is
    given; otherwise a rich bar on ``console`` (stderr's by default). The bar appears with
    the first finished figure, so a manifest error before it prints on a clean line, and it
    is redrawn only when a figure finishes: no refresh thread runs when render forks its
    encoder child.
    """
    if console is None and not sys.stderr.isatty():
        yield _line
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    bar = Progress(
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[name]}", markup=False),
        console=console or Console(stderr=True),
        auto_refresh=False,
    )
    task: list[TaskID] = []

    def show(done: int, total: int, name: str) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("render", total=total, name=name))
        bar.update(task[0], completed=done, name=name, refresh=True)

    try:
        yield show
    finally:
        bar.stop()


def _line(done: int, total: int, name: str) -> None:
    typer.echo(f"[{done}/{total}] {name}", err=True)
