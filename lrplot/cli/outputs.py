"""The options that choose a command's files, how its figure looks, and what it prints."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from lrplot.cli.declare import FLAG as _FLAG
from lrplot.cli.declare import TEXT as _TEXT
from lrplot.cli.declare import TEXTS as _TEXTS
from lrplot.cli.declare import opt


def output_parameters(stem: str, *, skip: Sequence[str] = ()) -> list[inspect.Parameter]:
    """Options that choose the files, how the figure looks, and what is printed."""
    params = [*_file_parameters(stem), *_look_parameters(), *_report_parameters()]
    return [p for p in params if p.name not in skip]


def _file_parameters(stem: str) -> list[inspect.Parameter]:
    return [
        opt(
            "output",
            _TEXTS,
            "--output",
            "-o",
            metavar="PATH",
            help="file to write, repeatable; the format comes from the suffix (.png .svg .pdf "
            f".csv .json); '-' writes CSV/JSON to stdout with --format [default: {stem}.png]",
        ),
        opt(
            "preview",
            bool,
            "--preview",
            default=False,
            help="print the lr as a text chart on stdout, sized to the terminal (COLUMNS, "
            "LINES); no file is written unless -o is given too",
        ),
        opt(
            "fmt",
            _TEXT,
            "--format",
            metavar="FORMAT",
            help="png, svg, pdf, csv or json: for '-o -', for a path without a suffix, and "
            "for the default file name",
        ),
    ]


def _look_parameters() -> list[inspect.Parameter]:
    return [
        opt(
            "title",
            _TEXT,
            "--title",
            metavar="TEXT",
            help="figure title [default: the torch "
            "call with the keywords that differ from torch's defaults]",
        ),
        opt(
            "log_y",
            _FLAG,
            "--log-y/--linear-y",
            help="y axis scale [default: log when the lr spans two decades or more and over "
            "a quarter of it lies below a tenth of its peak, said in the figure]",
        ),
        opt(
            "annotate",
            bool,
            "--annotate",
            default=False,
            help="mark step boundaries, milestones, restarts and plateau cuts",
        ),
        opt(
            "momentum_panel",
            bool,
            "--momentum-panel/--no-momentum",
            default=True,
            help="draw the momentum panel when the scheduler changes momentum "
            "[default: --momentum-panel]",
        ),
        opt(
            "x_axis",
            _TEXT,
            "--x-axis",
            metavar="epoch|step",
            help="x axis in epochs or in scheduler steps [default: epoch; step for "
            "transformers' schedules]",
        ),
        opt("dpi", str, "--dpi", metavar="INT", default="160", help="dots per inch [default: 160]"),
        opt(
            "size",
            str,
            "--size",
            metavar="WxH",
            default="8x4.5",
            help="figure size in inches; pixels = inches x dpi [default: 8x4.5]",
        ),
    ]


def _report_parameters() -> list[inspect.Parameter]:
    return [
        opt(
            "verbose", bool, "--verbose", "-v", default=False, help="print each lr change to stderr"
        ),
        opt(
            "quiet",
            bool,
            "--quiet",
            "-q",
            default=False,
            help="print nothing but errors and the written paths",
        ),
    ]
