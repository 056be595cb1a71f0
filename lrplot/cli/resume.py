"""``lrplot resume COMMAND [options] [--json]``: one generated command per scheduler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from lrplot.cli.declare import opt
from lrplot.cli.options import keyword_parameter, make_command, metric_parameters, run_parameters
from lrplot.cli.sources import groups, hf_app
from lrplot.errors import ExitStatus
from lrplot.schedulers import registry
from lrplot.schedulers.entry import Scheduler

HELP = """Scan every resume epoch, by state_dict and by last_epoch, and list where a resumed run
leaves the uninterrupted one (exit 0 either way).

Example:

\b
  lrplot resume step --step-size 10 --gamma 0.5
"""


def resume_app() -> typer.Typer:
    """The ``resume`` group: every scheduler source, as the main group has them."""
    group, hf_group = groups(_command)
    app = typer.Typer(cls=group, help=HELP, no_args_is_help=True, rich_markup_mode=None)
    for entry in registry.SCHEDULERS:
        app.command(entry.command, short_help=entry.summary)(_command(entry))
    app.add_typer(hf_app(hf_group), name="hf", short_help="A transformers schedule by name")
    return app


def _command(entry: Scheduler) -> Callable[..., int]:
    keywords = [option.name for option in entry.options]

    def body(**values: Any) -> int:
        from lrplot.batch.scan import resume_scan

        options = {name: values.pop(name) for name in keywords}
        notes: list[str] = []
        text = resume_scan(entry.command, options, values, notes)
        for note in notes:
            typer.echo(f"lrplot: warning: {note}", err=True)
        typer.echo(text)
        return ExitStatus.OK

    params = [keyword_parameter(option) for option in entry.options]
    params += metric_parameters(entry)
    params += [p for p in run_parameters(entry, resume=False) if p.name != "fractional_epochs"]
    params.append(opt("as_json", bool, "--json", default=False, help="print JSON instead"))
    doc = (
        f"Every resume epoch of {entry.class_name}, by state_dict and by last_epoch.\n\n"
        f"Example:\n\n\b\n  lrplot resume {entry.invocation}"
    )
    return make_command(entry.command, params, body, doc)
