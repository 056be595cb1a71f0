"""The ``lrplot check`` command: options in, one library call, a table and an exit status out.

Part of the command-line layer (with cli.py and cli_options.py, the only modules that import
typer). The comparison itself is lrplot.regress; artefacts and updates are lrplot.checking.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from lrplot.errors import ExitStatus

if TYPE_CHECKING:
    from lrplot.checking import CheckOutcome


def check(
    manifest: Annotated[
        str, typer.Argument(metavar="MANIFEST", help="TOML manifest of figures", show_default=False)
    ],
    baseline: Annotated[
        str,
        typer.Option(
            "--baseline", "-b", metavar="DIR", help="folder of committed NAME.json/NAME.png"
        ),
    ],
    results: Annotated[
        str | None,
        typer.Option(
            "--results",
            metavar="DIR",
            help="where obtained files, diff images and summary.json go "
            "[default: ./lrplot-check-results]",
        ),
    ] = None,
    junit: Annotated[
        str | None, typer.Option("--junit", metavar="PATH", help="also write a JUnit XML report")
    ] = None,
    rtol: Annotated[
        str,
        typer.Option("--rtol", metavar="FLOAT", help="relative data tolerance", show_default=True),
    ] = "1e-9",
    atol: Annotated[
        str,
        typer.Option("--atol", metavar="FLOAT", help="absolute data tolerance", show_default=True),
    ] = "0",
    image_tol: Annotated[
        str,
        typer.Option(
            "--image-tol",
            metavar="FLOAT",
            help="largest pixel RMS (0-255 scale) still a match",
        ),
    ] = "2",
    data_only: Annotated[
        bool,
        typer.Option(
            "--data-only", help="compare the data, not the pixels (fonts or matplotlib differ)"
        ),
    ] = False,
    update: Annotated[
        bool,
        typer.Option("--update", help="rewrite the baselines that differ or are missing"),
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="with --update, also delete extra baselines")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="NAME", help="check just this figure; repeat"),
    ] = None,
) -> int:
    """Regenerate every figure of a manifest and compare it with committed baselines.

    Data first (same columns and lengths, values within --rtol/--atol, the first differing
    row reported), then pixels (decoded PNGs, RMS within --image-tol). Statuses: match,
    data-diff, image-diff, missing, extra. Exit 0 when all match, 1 when any does not, 2 for
    bad input. Only --update writes into the baseline folder.

    Example:

    \b
      lrplot check examples/document/figures.toml --baseline examples/document --junit report.xml
    """
    from lrplot.checking import run_check, summary_line
    from lrplot.regress import Tolerance
    from lrplot.schema import NON_NEGATIVE
    from lrplot.values import to_float

    tol = Tolerance(
        rtol=to_float(rtol, "--rtol", NON_NEGATIVE, example="1e-9"),
        atol=to_float(atol, "--atol", NON_NEGATIVE, example=0),
        image_tol=to_float(image_tol, "--image-tol", NON_NEGATIVE, example=2),
        data_only=data_only,
    )
    outcome = run_check(
        manifest,
        baseline,
        tol,
        results=results,
        junit=junit,
        update=update,
        prune=prune,
        only=only or [],
    )
    _show_table(outcome)
    typer.echo(summary_line(outcome), err=True)
    return ExitStatus.FAILURE if outcome.failed else ExitStatus.OK


def _show_table(outcome: CheckOutcome) -> None:
    """The per-figure table on stderr: rich on a terminal, plain text otherwise."""
    from lrplot.checking import table_rows, table_text

    if not sys.stderr.isatty():
        typer.echo(table_text(outcome), err=True)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("figure", "status", "data", "RMS")
    colours = {"match": "green", "extra": "yellow"}
    for name, status, delta, rms in table_rows(outcome):
        # Text(), not markup: a data delta may contain brackets.
        style = colours.get(status.split()[0], "red")
        table.add_row(Text(name), Text(status, style=style), Text(delta), Text(rms))
    Console(stderr=True).print(table)
