"""Command groups that find schedulers beyond the generated commands.

A torch class name in any case is an alias of its command; an import path
(``mypkg.sched.WarmupCosine``) becomes a command built on the spot from the target's
signature; ``lrplot hf NAME`` is a group of transformers' schedules. Each group builds its
commands with ``command_for`` (a plot, or a resume scan), so every source works in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from lrplot.errors import InputError, LrplotError
from lrplot.schedulers import hf, registry
from lrplot.schedulers.entry import Scheduler

CommandFor = Callable[[Scheduler], Callable[..., int]]


def click_command(name: str, callback: Callable[..., int], short_help: str) -> Any:
    """A Click command from a Typer callback, for a command not known at start-up."""
    single = typer.Typer(rich_markup_mode=None, add_completion=False)
    single.command(name, short_help=short_help)(callback)
    return typer.main.get_command(single)


class SchedulerGroup(TyperGroup):
    """Resolves torch class names as aliases, import paths as commands, and near misses."""

    command_for: CommandFor | None = None

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if ctx.resilient_parsing:  # shell completion: a word that is no command completes nothing
            return _quietly(lambda: self._find(ctx, cmd_name))
        return self._find(ctx, cmd_name)

    def _find(self, ctx: Any, cmd_name: str) -> Any:
        if registry.is_import_path(cmd_name) and not hf.is_hf(cmd_name):
            entry = registry.find(cmd_name)
            assert entry is not None and self.command_for is not None
            return click_command(cmd_name, self.command_for(entry), entry.summary)
        entry = registry.find(cmd_name)
        return super().get_command(ctx, entry.command) if entry else None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if ctx.resilient_parsing:  # shell completion: an unknown word completes to nothing
            return super().resolve_command(ctx, args)
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            names = [n for n in self.list_commands(ctx) if registry.find(n) is None]
            raise InputError(
                "command", name, "is not an lrplot command", registry.suggest(name, extra=names)
            )
        return super().resolve_command(ctx, args)


class HfGroup(TyperGroup):
    """``lrplot hf NAME``: one command per transformers SchedulerType, built when asked for."""

    command_for: CommandFor | None = None
    naming = False  # completing a schedule's name: no command needs building

    def list_commands(self, ctx: Any) -> list[str]:
        return list(hf.NAMES)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self.naming:
            return click_command(cmd_name, _placeholder, _summary(cmd_name))
        if ctx.resilient_parsing:  # completing the options of a name that is not there
            return _quietly(lambda: self._build(cmd_name))
        return self._build(cmd_name)

    def _build(self, cmd_name: str) -> Any:
        entry = hf.entry_for(cmd_name)
        assert self.command_for is not None
        return click_command(hf.hf_name(entry), self.command_for(entry), entry.summary)

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        """The names as completions, without importing transformers to build each one."""
        self.naming = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self.naming = False

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The names, without importing transformers to read each one's summary."""
        with formatter.section("Schedules (transformers' SchedulerType)"):
            formatter.write_dl([(name, _summary(name)) for name in hf.NAMES])


def _summary(name: str) -> str:
    return f"get_scheduler({name!r}, ...)"


def _placeholder() -> int:
    """Stands for an hf command while only its name is being completed; never run."""
    raise AssertionError("a placeholder command ran")


def _quietly(find: Callable[[], Any]) -> Any:
    """``find()``, or None where it would refuse the word (shell completion prints nothing)."""
    try:
        return find()
    except LrplotError:
        return None


HF_HELP = """A transformers schedule by its SchedulerType name, as TrainingArguments'
lr_scheduler_type names it, built by transformers.get_scheduler (needs: pip install
'lrplot[hf]'). Options: --num-warmup-steps, --num-training-steps (also the rows recorded) and
the schedule's own keywords; the x axis counts steps.

Example:

\b
  lrplot hf cosine --num-warmup-steps 100 --num-training-steps 1000 -o cosine.png
"""


def groups(command_for: CommandFor) -> tuple[type[SchedulerGroup], type[HfGroup]]:
    """The two group classes, building their commands with ``command_for``."""
    scheduler_group = type("Group", (SchedulerGroup,), {"command_for": staticmethod(command_for)})
    hf_group = type("HfGroup", (HfGroup,), {"command_for": staticmethod(command_for)})
    return scheduler_group, hf_group


def hf_app(group: type[HfGroup]) -> typer.Typer:
    """The ``hf`` sub-command group."""
    return typer.Typer(cls=group, help=HF_HELP, no_args_is_help=True, rich_markup_mode=None)
