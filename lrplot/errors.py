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
    """A short, one-line rendering of an offending value.

    Text is quoted as typed: a backslash stays one backslash (``'$\\frac$'``, not repr's
    ``'$\\\\frac$'``), while a newline or a terminal escape is shown escaped.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        text = repr(value).replace("\n", "\\n")
        return text if len(text) <= 80 else text[:77] + "..."
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value[:100])
    if len(text) > 80:
        text = text[:77] + "..."
    quote = '"' if "'" in text and '"' not in text else "'"
    return f"{quote}{text}{quote}"
