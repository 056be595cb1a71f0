"""The error types lrplot raises and the exit statuses the command line maps them to."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes (DESIGN.md section 6)."""

    OK = 0
    FAILURE = 1  # a regression was found, or an unexpected runtime failure
    USAGE = 2  # bad usage or bad input


class LrplotError(Exception):
    """Base class of every error lrplot raises on purpose.

    The command line prints ``str(error)`` as one line and exits with ``exit_status``.
    """

    exit_status: ExitStatus = ExitStatus.FAILURE


class InputError(LrplotError):
    """Bad input: names where it came from, the value, what is wrong and how to fix it."""

    exit_status = ExitStatus.USAGE

    def __init__(self, where: str, value: object, problem: str, fix: str = "") -> None:
        self.where = where
        self.value = value
        self.problem = problem
        self.fix = fix
        shown = _show(value)
        message = f"{where} {shown}: {problem}" if shown else f"{where}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)


def _show(value: object) -> str:
    """A short, one-line rendering of an offending value."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > 80:
        text = text[:77] + "..."
    return repr(text) if isinstance(value, str) else text
