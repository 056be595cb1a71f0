"""What matplotlib logs (a font family it cannot find, a cache folder it cannot write) as
``lrplot: warning:`` lines, each once, none with --quiet: Python's last-resort handler would
print every record raw, 215 times for one missing font family."""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from collections.abc import Iterator, Sequence

#: The libraries whose log records reach the user (torch and transformers warn through
#: ``warnings``, which the commands turn into lines of their own).
LOGGERS = ("matplotlib",)


#: --quiet, -q, or -q among other short flags (-qv). Read from the words, as the handler must
#: be in place before the command's options are parsed (matplotlib may log while importing).
_QUIET = re.compile(r"--quiet|-[A-Za-z]*q[A-Za-z]*")


class _Once(logging.Handler):
    def __init__(self, quiet: bool) -> None:
        super().__init__(logging.WARNING)
        self.quiet = quiet
        self.said: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if self.quiet or message in self.said:
            return
        self.said.add(message)
        with contextlib.suppress(OSError, ValueError, AttributeError):  # a broken stderr
            sys.stderr.write(f"lrplot: warning: {record.name.split('.')[0]}: {message}\n")


@contextlib.contextmanager
def library_warnings(argv: Sequence[str]) -> Iterator[None]:
    """Within this, library log records are lines of lrplot's (``-q``/``--quiet``: none)."""
    handler = _Once(quiet=any(_QUIET.fullmatch(word) for word in argv))
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
