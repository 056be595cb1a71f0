"""Schedulers named by dotted import path, as Hydra's ``_target_`` names them.

``pkg.module.Name`` is imported (the current folder first on ``sys.path``, as ``python -m``
does) and becomes a registry entry whose options come from its signature. It may be an
``LRScheduler`` subclass, a factory whose first parameter is the optimizer and which returns
a scheduler, or a timm scheduler (``step(epoch)`` / ``step_update(num_updates)``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import os
import re
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers import held
from lrplot.schedulers.entry import METAVARS, REQUIRED, Option, Scheduler
from lrplot.schedulers.kinds import in_python_itself, needs_metric, not_a_scheduler, source_of
from lrplot.schedulers.signature import SKIPPED, first_paragraph, options_of, signature_of

_PATH = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)+")  # identifiers, Unicode ones too
#: timm's own switch, which only a resuming training script turns off.
_TIMM_SKIPPED = SKIPPED | {"initialize"}


#: The most distinct warnings of a target's code kept (one that warns at every step with a
#: new message must not fill the memory of a 10,000,000-row run).
MAX_WARNINGS = 10


@contextlib.contextmanager
def warnings_said(ignored: str = "") -> Iterator[list[str]]:
    """Within the block, warnings are not printed but collected: the first line of each
    distinct message, at most MAX_WARNINGS (``ignored``, a regex, is dropped)."""
    lines: list[str] = []

    def keep(message: Any, category: Any, *_: Any, **__: Any) -> None:
        line = (str(message).strip().splitlines() or [category.__name__])[0]
        if line not in lines and len(lines) < MAX_WARNINGS:
            lines.append(line)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        if ignored:
            warnings.filterwarnings("ignore", message=ignored)
        warnings.showwarning = keep
        yield lines


def is_dotted(name: str) -> bool:
    """Whether ``name`` reads as an import path (``pkg.module.Name``) rather than a command."""
    return bool(_PATH.fullmatch(name.strip()))


def normalised(name: str) -> str:
    """``module:Name`` (the entry-point spelling) as ``module.Name``; other names unchanged."""
    module, colon, attribute = name.strip().partition(":")
    if colon and is_dotted(f"x.{attribute}") and (is_dotted(module) or module.isidentifier()):
        return f"{module}.{attribute}"
    return name.strip()


def top_package(name: str) -> str:
    """The top-level package of a dotted path: ``mypkg`` for ``mypkg.sched.X``."""
    return name.strip().split(".", 1)[0]


def load(path: str) -> Any:
    """The object at ``path``: the longest importable module prefix, then attributes."""
    if held.is_held(path):
        return held.target(path)
    import torch  # noqa: F401  (the real one, before a torch.py in the folder could shadow it)

    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        with _current_folder_first():
            module = _import(path, module_name)
        if module is None:
            continue
        _refuse_python_itself(path, module_name)
        target: Any = module
        for i, attribute in enumerate(parts[cut:], start=cut):
            if not hasattr(target, attribute):
                owner = ".".join(parts[:i])
                raise InputError(
                    "scheduler",
                    path,
                    f"{owner} has no attribute {attribute}",
                    _close_names(target, attribute),
                )
            target = getattr(target, attribute)
        return target
    raise InputError(
        "scheduler",
        path,
        f"no module named {parts[0]} on the import path (the current folder first)",
        "check the spelling, run from the folder that holds it, or set PYTHONPATH",
    )


def _import(path: str, module_name: str) -> Any:
    """The module, or None when it (not something it imports) does not exist."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing == module_name or module_name.startswith(missing + "."):
            return None  # this prefix is not a module: try a shorter one
        raise _import_failed(path, module_name, error) from None
    except (Exception, SystemExit) as error:  # the user's module failed while importing
        if os.environ.get("LRPLOT_DEBUG"):
            raise
        raise _import_failed(path, module_name, error) from None


def _import_failed(path: str, module_name: str, error: BaseException) -> InputError:
    return InputError(
        "scheduler",
        path,
        f"module {module_name} does not import: {first_line(error)}",
        "set LRPLOT_DEBUG=1 for the traceback",
    )


def first_line(error: BaseException) -> str:
    """``TypeName: first line of the message``."""
    text = str(error).strip().splitlines()
    if text:
        return f"{type(error).__name__}: {text[0]}"
    bare = " (an assert in its code failed)" if isinstance(error, AssertionError) else ""
    return type(error).__name__ + bare


@contextlib.contextmanager
def _current_folder_first() -> Iterator[None]:
    """The current folder first on the import path while the target's module imports, as
    ``python -m`` has it; not afterwards, so that a stray matplotlib.py there cannot shadow
    what lrplot imports later."""
    folder = os.getcwd()
    added = not sys.path or sys.path[0] not in ("", folder)
    if added:
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)


def _refuse_python_itself(path: str, module_name: str) -> None:
    """A target in Python's own library (os.system would be called with the optimizer)."""
    if in_python_itself(module_name):
        raise not_a_scheduler(path, "is part of Python itself")


def _close_names(owner: Any, wanted: str) -> str:
    import difflib

    names = [n for n in dir(owner) if not n.startswith("_")]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    return f"did you mean {' or '.join(close)}?" if close else "check the name"


@functools.cache
def entry_for(path: str) -> Scheduler:
    """The registry entry of the scheduler at ``path`` (imported once per process)."""
    with warnings_said() as said:  # printed as lrplot's warnings with the run's notes
        target = load(path)
    source = source_of(path, target)
    skipped = _TIMM_SKIPPED if source == "timm" else SKIPPED
    options = options_of(target, first=1, skip=skipped | set(held.bound_keywords(path)))
    _check_names(path, options)
    shared = tuple(o.name for o in options if o.name in SHARED)
    options = tuple(o for o in options if o.name not in SHARED)
    if source == "timm":
        options = (*options, LR_SCALE)
    name = path.rsplit(".", 1)[1]
    # Its own docstring: inspect.getdoc would give a class torch's LRScheduler's words.
    own = target.__dict__.get("__doc__") if inspect.isclass(target) else inspect.getdoc(target)
    summary = first_paragraph(inspect.cleandoc(own or "")) or f"{name}, by import path"
    return Scheduler(
        path,
        path,
        summary,
        options,
        needs_metric=needs_metric(source, target),
        shared_keywords=shared,
        group_keys=("lr_scale",) if source == "timm" else (),
        # CyclicLR's or OneCycleLR's switch, in a subclass: the run records momentum then.
        momentum_switch="cycle_momentum"
        if any(o.name == "cycle_momentum" for o in options)
        else None,
        takes_last_epoch="last_epoch" in signature_of(target).parameters,
        example=f"lrplot {path} {_example_options(options)}".rstrip(),
        source=source,
        notes=tuple(f"{path}: {line}" for line in said),
    )


#: timm multiplies a group's lr by its ``lr_scale`` (layer-wise decay sets it per group).
LR_SCALE = Option(
    "lr_scale",
    "floats",
    None,
    "timm's per-group lr_scale, set on each param group: one value, or one per --lr",
    optional=True,
)
#: Keywords lrplot fills from its own options of the same name, as OneCycleLR's epochs.
SHARED = ("epochs", "steps_per_epoch")
#: lrplot's own options on a scheduler command, by the Python name and the flag a keyword
#: of the same name would take: a target's keyword may have neither.
RESERVED = {
    "lr": "--lr", "momentum": "--momentum", "optimizer": "--optimizer",
    "start_epoch": "--start-epoch", "resume_by": "--resume-by", "metrics": "--metrics",
    "metric_expr": "--metric-expr", "fractional_epochs": "--fractional-epochs",
    "output": "--output", "fmt": "--format", "format": "--format", "title": "--title",
    "log_y": "--log-y", "linear_y": "--linear-y", "annotate": "--annotate",
    "momentum_panel": "--momentum-panel", "no_momentum": "--no-momentum", "x_axis": "--x-axis",
    "dpi": "--dpi", "size": "--size", "verbose": "--verbose", "quiet": "--quiet",
    "help": "--help", "preview": "--preview", "as_json": "--json", "json": "--json",
}  # fmt: skip


def _check_names(path: str, options: tuple[Any, ...]) -> None:
    seen: dict[str, str] = {}
    for option in options:
        if option.name in RESERVED or option.name.lower() in RESERVED:
            flag = RESERVED.get(option.name, RESERVED.get(option.name.lower()))
            raise InputError(
                "scheduler",
                path,
                f"has a parameter {option.name}, which would be lrplot's own {flag}",
                "wrap it in a factory that takes the optimizer and fills that parameter",
            )
        other = seen.setdefault(option.flag, option.name)
        if other != option.name:
            raise InputError(
                "scheduler",
                path,
                f"has parameters {other} and {option.name}, which both read as {option.flag}",
                "rename one, or wrap the target in a factory",
            )


def _example_options(options: tuple[Any, ...]) -> str:
    return " ".join(f"{o.flag} {METAVARS[o.kind]}" for o in options if o.default == REQUIRED)
