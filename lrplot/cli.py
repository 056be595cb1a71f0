"""The command line: parse with Typer, call the library, map errors to exit codes. Nothing else.

Scheduler commands are generated from the registry, so a new registry entry is a new command
with its options, help and example. Heavy libraries are imported inside the commands only.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from lrplot import registry
from lrplot.errors import ExitStatus, InputError, LrplotError
from lrplot.schema import METAVARS, Option, Scheduler

# Typer vendors Click; its usage errors (unknown option, bad int...) are this class.
_UsageError: type[Exception] = typer.BadParameter.__mro__[1]
assert _UsageError.__name__ == "UsageError"


class _Group(TyperGroup):
    """Resolves torch class names in any case as aliases, and suggests near misses."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        entry = registry.find(cmd_name) if command is None else None
        return super().get_command(ctx, entry.command) if entry else command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            names = [n for n in self.list_commands(ctx) if registry.find(n) is None]
            raise InputError(
                "command", name, "is not an lrplot command", registry.suggest(name, extra=names)
            )
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_Group,
    name="lrplot",
    help="Plot what a torch.optim.lr_scheduler will do, by running the real scheduler.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def _param(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, _KEYWORD, default=default, annotation=annotation)


def _common_parameters(entry: Scheduler) -> list[inspect.Parameter]:
    """The options every scheduler command shares (DESIGN.md section 3)."""
    spe_help = "scheduler steps per epoch (stepped per batch; x axis stays in epochs)"
    return [
        _param(
            "lr",
            Annotated[
                list[str] | None,
                typer.Option(
                    "--lr",
                    metavar="FLOAT",
                    help=f"initial lr; repeat for several param groups [default: {entry.lr:g}]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "epochs",
            Annotated[
                str | None,
                typer.Option(
                    "--epochs",
                    "-n",
                    metavar="INT",
                    help=f"epochs to record [default: {entry.epochs}]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "steps_per_epoch",
            Annotated[
                str | None,
                typer.Option(
                    "--steps-per-epoch",
                    metavar="INT",
                    help=f"{spe_help} [default: {entry.steps_per_epoch}]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "momentum",
            Annotated[
                str | None,
                typer.Option(
                    "--momentum",
                    metavar="FLOAT",
                    help=f"SGD momentum [default: {entry.momentum:g}]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "start_epoch",
            Annotated[
                str | None,
                typer.Option(
                    "--start-epoch",
                    metavar="INT",
                    help="resume: build the scheduler as if at this epoch "
                    "(last_epoch, with initial_lr set) and record from there",
                    show_default=False,
                ),
            ],
        ),
        *_output_parameters(),
    ]


def _output_parameters() -> list[inspect.Parameter]:
    """Options that choose files and how figures look (shared with compare)."""
    return [
        _param(
            "output",
            Annotated[
                list[str] | None,
                typer.Option(
                    "--output",
                    "-o",
                    metavar="PATH",
                    help="file to write, repeatable; the format "
                    "comes from the suffix (.png .svg .pdf .csv .json); '-' writes CSV/JSON to "
                    "stdout with --format [default: COMMAND.png]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "fmt",
            Annotated[
                str | None,
                typer.Option(
                    "--format",
                    metavar="FORMAT",
                    help="png, svg, pdf, csv or json: for '-o -', for "
                    "paths without a suffix, and for the default file name",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "title",
            Annotated[
                str | None,
                typer.Option(
                    "--title",
                    metavar="TEXT",
                    help="figure title [default: the torch call]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "log_y",
            Annotated[
                bool | None,
                typer.Option(
                    "--log-y/--linear-y",
                    help="y axis scale [default: log when the lr spans more "
                    "than 3 decades, said in the figure]",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "annotate",
            Annotated[
                bool,
                typer.Option(
                    "--annotate", help="mark step boundaries, milestones, restarts, plateau cuts"
                ),
            ],
            False,
        ),
        _param(
            "momentum_panel",
            Annotated[
                bool,
                typer.Option(
                    "--momentum-panel/--no-momentum",
                    help="draw the momentum panel when the scheduler changes momentum",
                ),
            ],
            True,
        ),
        _param(
            "dpi",
            Annotated[str, typer.Option("--dpi", metavar="INT", help="dots per inch of PNGs")],
            "100",
        ),
        _param(
            "size",
            Annotated[
                str,
                typer.Option(
                    "--size", metavar="WxH", help="figure size in inches (pixels = inches x dpi)"
                ),
            ],
            "8x4.5",
        ),
        _param(
            "verbose",
            Annotated[bool, typer.Option("--verbose", "-v", help="print each lr change to stderr")],
            False,
        ),
        _param(
            "quiet",
            Annotated[
                bool,
                typer.Option(
                    "--quiet", "-q", help="print nothing but errors and the written paths"
                ),
            ],
            False,
        ),
    ]


# Numbers are taken as text and converted by lrplot.values, so the command line, SPEC strings
# and manifests share one converter and one wording of errors.
def _keyword_parameter(option: Option) -> inspect.Parameter:
    """A scheduler keyword as an option; values stay text and are checked by the library."""
    default = option.default
    shown = ",".join(map(str, default)) if isinstance(default, tuple) else default
    text = f"{option.help} [default: {shown}]"
    if option.kind == "bool":
        flags = f"{option.flag}/--no-{option.flag[2:]}"
        return _param(
            option.name,
            Annotated[bool | None, typer.Option(flags, help=text, show_default=False)],
        )
    metavar = "|".join(option.choices) if option.choices else METAVARS[option.kind]
    if option.kind == "specs":
        return _param(
            option.name,
            Annotated[
                list[str] | None,
                typer.Option(option.flag, metavar=metavar, help=text, show_default=False),
            ],
        )
    return _param(
        option.name,
        Annotated[
            str | None, typer.Option(option.flag, metavar=metavar, help=text, show_default=False)
        ],
    )


def _metric_parameters() -> list[inspect.Parameter]:
    return [
        _param(
            "metrics",
            Annotated[
                str | None,
                typer.Option(
                    "--metrics",
                    metavar="PATH|V1,V2,...",
                    help="the metric plateau watches: a file "
                    "(one value per line, a CSV column as PATH[:COLUMN], a JSON list) or numbers; "
                    "its length sets --epochs when that is not given",
                    show_default=False,
                ),
            ],
        ),
        _param(
            "metric_expr",
            Annotated[
                str | None,
                typer.Option(
                    "--metric-expr",
                    metavar="EXPR",
                    help="the metric as an expression of epoch "
                    f"[default: the synthetic loss {registry.SYNTHETIC_METRIC}]",
                    show_default=False,
                ),
            ],
        ),
    ]


def _scheduler_command(entry: Scheduler) -> Callable[..., int]:
    """Build the Typer callback of one registry entry."""
    keywords = [option.name for option in entry.options]

    def command(**values: Any) -> int:
        from lrplot.commands import plot_scheduler

        options = {name: values.pop(name) for name in keywords}
        verbose, quiet = values.pop("verbose"), values.pop("quiet")
        result = plot_scheduler(entry.command, options, values, argv=_argv())
        _report(result, verbose=verbose, quiet=quiet)
        return ExitStatus.OK

    parameters = [_keyword_parameter(option) for option in entry.options]
    if entry.needs_metric:
        parameters += _metric_parameters()
    parameters += _common_parameters(entry)
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__doc__ = f"{entry.summary} ({entry.torch_class}).\n\nExample:\n\n\b\n  {entry.example}"
    command.__name__ = entry.command.replace("-", "_")
    return command


for _entry in registry.SCHEDULERS:
    app.command(_entry.command, short_help=_entry.summary)(_scheduler_command(_entry))


@app.command("list")
def list_schedulers(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> int:
    """List every scheduler: command, torch class, summary and defaults.

    Example:

    \b
      lrplot list --json
    """
    from lrplot.listing import listing_json, listing_text

    typer.echo(listing_json() if as_json else listing_text())
    return ExitStatus.OK


def _report(result: Any, *, verbose: bool, quiet: bool) -> None:
    """Written paths to stdout; lr changes (with --verbose) to stderr."""
    if verbose and not quiet:
        for line in result.changes():
            typer.echo(line, err=True)
    for path in result.paths:
        typer.echo(path)


def _argv() -> list[str]:
    return ["lrplot", *sys.argv[1:]]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` and return the exit status (never raises)."""
    try:
        result = app(
            args=list(argv) if argv is not None else None, prog_name="lrplot", standalone_mode=False
        )
    except LrplotError as error:
        _error(str(error))
        return int(error.exit_status)
    except _UsageError as error:
        _error(_usage_message(error))
        return int(ExitStatus.USAGE)
    except (typer.Abort, KeyboardInterrupt):
        _error("aborted")
        return 130
    except BrokenPipeError:
        return int(ExitStatus.FAILURE)
    except Exception as error:  # the one place unexpected failures become exit 1
        if os.environ.get("LRPLOT_DEBUG"):
            raise
        _error(
            f"internal error: {type(error).__name__}: {error} "
            "(set LRPLOT_DEBUG=1 for the traceback and please report it)"
        )
        return int(ExitStatus.FAILURE)
    return int(result) if isinstance(result, int) else int(ExitStatus.OK)


def _usage_message(error: Exception) -> str:
    message = " ".join(str(getattr(error, "format_message", error.__str__)()).split())
    ctx = getattr(error, "ctx", None)
    path = getattr(ctx, "command_path", "lrplot") if ctx is not None else "lrplot"
    return f"{message} (see '{path} --help')"


def _error(message: str) -> None:
    typer.echo(f"lrplot: error: {message}", err=True)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
