"""The manifest commands, ``lrplot render`` and ``lrplot check``: options in, one library call.

Part of the command-line layer (with cli.py and cli_options.py, the only modules that import
typer); cli.py registers these on the app and owns the error boundary. The work itself is
lrplot.commands (render), lrplot.regress and lrplot.checking (check).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lrplot.cli.progress import render_progress
from lrplot.errors import ExitStatus

if TYPE_CHECKING:
    from lrplot.regress.artefacts import CheckOutcome


def _text(*flags: str, metavar: str, help: str) -> Any:
    return typer.Option(*flags, metavar=metavar, help=help, show_default=False)


_Manifest = Annotated[
    str, typer.Argument(metavar="MANIFEST", help="TOML manifest of figures", show_default=False)
]
_Baseline = Annotated[
    str, _text("--baseline", "-b", metavar="DIR", help="folder of committed NAME.json/NAME.png")
]
_Results = Annotated[
    str | None,
    _text(
        "--results",
        metavar="DIR",
        help="where obtained files, diff images and summary.json go "
        "[default: ./lrplot-check-results]",
    ),
]
_Junit = Annotated[
    str | None, _text("--junit", metavar="PATH", help="also write a JUnit XML report")
]
_Rtol = Annotated[
    str, _text("--rtol", metavar="FLOAT", help="relative data tolerance [default: 1e-9]")
]
_Atol = Annotated[
    str, _text("--atol", metavar="FLOAT", help="absolute data tolerance [default: 0]")
]
_ImageTol = Annotated[
    str,
    _text(
        "--image-tol",
        metavar="FLOAT",
        help="largest pixel RMS (0-255 scale) still a match [default: 2]",
    ),
]
_DataOnly = Annotated[
    bool,
    typer.Option(
        "--data-only", help="compare the data, not the pixels (fonts or matplotlib differ)"
    ),
]
_Update = Annotated[
    bool, typer.Option("--update", help="rewrite the baselines that differ or are missing")
]
_Prune = Annotated[bool, typer.Option("--prune", help="with --update, also delete extra baselines")]
_Only = Annotated[
    list[str] | None,
    typer.Option("--only", metavar="NAME", help="just this figure of the manifest; repeat"),
]
_OptionalManifest = Annotated[
    str | None, typer.Argument(metavar="[MANIFEST]", help="TOML manifest of figures")
]
_Folder = Annotated[
    str, _text("--dir", "-d", metavar="DIR", help="folder to write into (created if missing)")
]
_Every = Annotated[
    bool,
    typer.Option(
        "--all", help="one figure per scheduler, with its defaults, instead of a manifest"
    ),
]
_Formats = Annotated[
    str | None,
    _text(
        "--format", metavar="FORMATS", help="comma list of png,svg,pdf,csv,json [default: png,json]"
    ),
]
_ContactSheet = Annotated[
    bool,
    typer.Option(
        "--contact-sheet", help="also write index.png (a grid of every figure) and index.md"
    ),
]
_Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="no progress")]
_AllowImport = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-import",
        metavar="PACKAGE",
        help="let figures name schedulers by import path from this top-level package "
        "(repeatable); a manifest is data and imports nothing else but torch",
        show_default=False,
    ),
]


def render(
    manifest: _OptionalManifest = None,
    folder: _Folder = ".",
    every: _Every = False,
    formats: _Formats = None,
    only: _Only = None,
    contact_sheet: _ContactSheet = False,
    quiet: _Quiet = False,
    allow_import: _AllowImport = None,
) -> int:
    """Render every figure of a manifest (or --all schedulers) into a folder, in one run.

    Writes NAME.png and NAME.json per figure (more with --format); progress and a summary go
    to stderr, written paths to stdout.

    Example:

    \b
      lrplot render examples/document/figures.toml -d gallery --contact-sheet
    """
    from lrplot.batch.render import render_command

    with nullcontext(None) if quiet else render_progress() as progress:
        report = render_command(
            manifest,
            folder,
            every=every,
            formats=formats,
            only=only or [],
            contact_sheet=contact_sheet,
            progress=progress,
            parallel=True,  # this process is the command line's own: it may fork
            allow_import=allow_import or [],
        )
    for path in report.paths():
        typer.echo(path)
    if not quiet:
        typer.echo(
            f"rendered {len(report.written)} figures, {len(report.paths())} files in "
            f"{folder} ({report.seconds:.1f} s)",
            err=True,
        )
    return ExitStatus.OK


def check(
    manifest: _Manifest,
    baseline: _Baseline,
    results: _Results = None,
    junit: _Junit = None,
    rtol: _Rtol = "1e-9",
    atol: _Atol = "0",
    image_tol: _ImageTol = "2",
    data_only: _DataOnly = False,
    update: _Update = False,
    prune: _Prune = False,
    only: _Only = None,
    allow_import: _AllowImport = None,
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
    from lrplot.regress.artefacts import run_check, summary_line
    from lrplot.regress.compare import Tolerance
    from lrplot.schedulers.entry import NON_NEGATIVE
    from lrplot.spec.values import to_float

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
        allow_import=allow_import or [],
    )
    _show_table(outcome)
    typer.echo(summary_line(outcome), err=True)
    return ExitStatus.FAILURE if outcome.failed else ExitStatus.OK


def _show_table(outcome: CheckOutcome) -> None:
    """The per-figure table on stderr: rich on a terminal, plain text otherwise."""
    from lrplot.regress.artefacts import table_rows, table_text

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
