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

from lrplot.cli.batch import check, render
from lrplot.cli.declare import opt
from lrplot.cli.library_log import library_warnings
from lrplot.cli.options import make_command, run_parameters, scheduler_parameters
from lrplot.cli.outputs import output_parameters
from lrplot.cli.resume import resume_app
from lrplot.cli.sources import groups, hf_app
from lrplot.cli.streams import broken, finish, is_broken, open_streams, say, show
from lrplot.cli.usage import usage_message
from lrplot.cli.version import Version
from lrplot.errors import ExitStatus, LrplotError
from lrplot.schedulers import registry
from lrplot.schedulers.entry import Scheduler

# Typer vendors Click; its usage errors (unknown option, bad int...) are this class.
_UsageError: type[Exception] = typer.BadParameter.__mro__[1]
assert _UsageError.__name__ == "UsageError"


_SOURCES = {
    "class": "An LRScheduler subclass by import path",
    "factory": "A factory by import path, called with the optimizer",
    "timm": "A timm scheduler by import path, stepped as timm's train.py steps it",
    "hf": "Built by transformers.get_scheduler; its function",
}


def _scheduler_command(entry: Scheduler) -> Callable[..., int]:
    """The Typer callback of one registry entry."""
    keywords = [option.name for option in entry.options]

    def body(**values: Any) -> int:
        from lrplot.batch.plots import plot_scheduler

        options = {name: values.pop(name) for name in keywords}
        verbose, quiet = values.pop("verbose"), values.pop("quiet")
        result = plot_scheduler(entry.command, options, values, argv=_argv())
        _report(result, verbose=verbose, quiet=quiet)
        return ExitStatus.OK

    doc = f"{entry.summary} ({entry.torch_class}).\n\nExample:\n\n\b\n  {entry.example}"
    if entry.source != "torch":  # the target's own docstring, then where it comes from
        doc = f"{entry.summary}\n\n{_SOURCES[entry.source]}: {entry.torch_class}.\n\n"
        doc += f"Example:\n\n\b\n  {entry.example}"
    return make_command(entry.command, scheduler_parameters(entry), body, doc)


_GROUP, _HF_GROUP = groups(_scheduler_command)

app = typer.Typer(
    cls=_GROUP,
    name="lrplot",
    help="Plot what a learning-rate scheduler will do, by running the real scheduler: torch's "
    "(the commands below), your own or timm's by import path (lrplot mypkg.sched.Name), "
    "transformers' by name (lrplot hf NAME).",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


@app.callback()
def _options(version: Version = False) -> None:
    """The group's own options (--version); the help text is the Typer's above."""


for _entry in registry.SCHEDULERS:
    app.command(_entry.command, short_help=_entry.summary)(_scheduler_command(_entry))
app.add_typer(
    hf_app(_HF_GROUP),
    name="hf",
    short_help="A transformers schedule by name (linear, cosine, ...): needs lrplot[hf]",
)


def _compare(**values: Any) -> int:
    from lrplot.batch.plots import compare

    specs, labels = values.pop("specs"), values.pop("label") or []
    verbose, quiet = values.pop("verbose"), values.pop("quiet")
    _report(compare(specs, labels, values, argv=_argv()), verbose=verbose, quiet=quiet)
    return ExitStatus.OK


_COMPARE_DOC = """Overlay several schedules in one figure (or one panel each).

Each SPEC is NAME[:key=value,...]; --epochs, --lr and --steps-per-epoch are shared (their
defaults come from the first SPEC's scheduler), and so are --momentum and --optimizer.
CSV/JSON get one column group per curve.

Example:

\b
  lrplot compare step:step_size=30 cosine:T_max=100 onecycle --steps-per-epoch 1 -o cmp.png
"""

app.command("compare", short_help="Overlay several schedules in one figure")(
    make_command(
        "compare",
        [
            inspect.Parameter(
                "specs",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    list[str],
                    typer.Argument(metavar="SPEC", help="NAME[:key=value,...], one a curve"),
                ],
            ),
            opt(
                "label",
                list[str] | None,
                "--label",
                metavar="TEXT",
                help="legend label of each SPEC, in order [default: the SPEC]",
            ),
            opt(
                "layout",
                str,
                "--layout",
                metavar="overlay|panels",
                default="overlay",
                help="all curves on one axes, or one panel each (at most 24) [default: overlay]",
            ),
            *run_parameters(None, resume=False),
            *output_parameters("compare"),
        ],
        _compare,
        _COMPARE_DOC,
    )
)


def _descent(**values: Any) -> int:
    from lrplot.batch.plots import descent

    quiet = values.pop("quiet")
    _report(descent(values, argv=_argv()), verbose=False, quiet=quiet)
    return ExitStatus.OK


_DESCENT_DOC = """Gradient descent with a too-small, a good and a too-large lr (real torch SGD).

The guide's opening figure: SGD on loss = x**2 from x = --start, one trajectory per --lr, on
the loss surface and as loss per iteration.

Example:

\b
  lrplot descent --lr 0.1 --lr 0.5 --lr 1.05 --steps 20 -o descent.png
"""

app.command("descent", short_help="The opening figure: SGD with lrs too small, good, too large")(
    make_command(
        "descent",
        [
            opt(
                "lr",
                list[str] | None,
                "--lr",
                metavar="FLOAT",
                help="learning rate of one trajectory; repeat [default: 0.05, 0.3, 1.05]",
            ),
            opt("steps", str | None, "--steps", metavar="INT", help="SGD steps [default: 20]"),
            opt(
                "start",
                str | None,
                "--start",
                metavar="FLOAT",
                help="starting point x0 [default: 4]",
            ),
            *output_parameters(
                "descent", skip=("log_y", "annotate", "momentum_panel", "verbose", "preview")
            ),
        ],
        _descent,
        _DESCENT_DOC,
    )
)


@app.command("list")
def list_schedulers(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> int:
    """List every scheduler: command, torch class, summary and defaults.

    Example:

    \b
      lrplot list --json
    """
    from lrplot.schedulers.listing import listing_json, listing_text

    typer.echo(listing_json() if as_json else listing_text())
    return ExitStatus.OK


app.command("render", short_help="Render every figure of a manifest (or --all) into a folder")(
    render
)
app.command("check", short_help="Compare a manifest's figures with committed baselines")(check)
app.add_typer(
    resume_app(),
    name="resume",
    short_help="Scan every resume epoch by state_dict and by last_epoch",
)


def _report(result: Any, *, verbose: bool, quiet: bool) -> None:
    """The --preview chart and the written paths to stdout; warnings, and lr changes with
    --verbose, to stderr."""
    if not quiet:
        for note in result.notes:
            typer.echo(f"lrplot: warning: {note}", err=True)
    if verbose and not quiet:
        for line in result.changes():
            typer.echo(line, err=True)
    if getattr(result, "preview", None) is not None:
        typer.echo(result.preview)
    for path in result.paths:
        typer.echo(path)


def _argv() -> list[str]:
    return ["lrplot", *sys.argv[1:]]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` and return the exit status (never raises)."""
    open_streams()
    try:
        with library_warnings(sys.argv[1:] if argv is None else argv):
            result = app(
                args=list(argv) if argv is not None else None,
                prog_name="lrplot",
                standalone_mode=False,
            )
    except LrplotError as error:
        _error(str(error))
        return int(error.exit_status)
    except _UsageError as error:
        ctx = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError" and ctx is not None:
            return show(ctx.get_help(), ExitStatus.USAGE)  # `lrplot` alone: the help
        _error(usage_message(error))
        return int(ExitStatus.USAGE)
    except (typer.Abort, KeyboardInterrupt):
        _error("aborted")
        return 130
    except SystemExit as done:  # Typer's --install-completion, --show-completion, completing
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    except Exception as error:  # the one place unexpected failures become exit 1
        if is_broken(error):  # stdout or stderr closed or full (lrplot.cli.streams)
            return broken(error)
        if os.environ.get("LRPLOT_DEBUG"):
            raise
        _error(
            f"internal error: {type(error).__name__}: {error} "
            "(set LRPLOT_DEBUG=1 for the traceback and please report it)"
        )
        return int(ExitStatus.FAILURE)
    return int(result) if isinstance(result, int) else int(ExitStatus.OK)


def _error(message: str) -> None:
    say(message)  # never raises: a broken stderr loses the line, not the exit status


def run() -> None:
    """Console-script entry point: run, flush the standard streams, and leave at once.

    The interpreter's own teardown (freeing torch's and matplotlib's module graphs, their
    exit handlers) takes about 0.3 s and does nothing lrplot needs but remove matplotlib's
    temporary cache folder: every file is closed and synced before main() returns. So the
    process ends with os._exit; a stream that fails its last flush is a broken stream.
    """
    status = main()
    if "matplotlib" in sys.modules:  # what its exit handler would have removed
        from lrplot.draw.settings import remove_temporary_config

        remove_temporary_config()
    os._exit(finish(status))
