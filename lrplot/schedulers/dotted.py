"""Schedulers named by dotted import path, as Hydra's ``_target_`` names them.

``pkg.module.Name`` is imported (the current folder first on ``sys.path``, as ``python -m``
does) and becomes a registry entry whose options come from its signature. It may be an
``LRScheduler`` subclass, a factory whose first parameter is the optimizer and which returns
a scheduler, or a timm scheduler (``step(epoch)`` / ``step_update(num_updates)``).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import re
import sys
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.entry import METAVARS, REQUIRED, Option, Scheduler, Source
from lrplot.schedulers.signature import SKIPPED, first_paragraph, options_of, signature_of

_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
#: timm's own switch, which only a resuming training script turns off.
_TIMM_SKIPPED = SKIPPED | {"initialize"}


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
    _current_folder_first()
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        module = _import(path, module_name)
        if module is None:
            continue
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
        if error.name is not None and module_name.startswith(error.name):
            return None
        raise _import_failed(path, module_name, error) from None
    except Exception as error:  # the user's module failed while importing
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
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _current_folder_first() -> None:
    folder = os.getcwd()
    if not sys.path or sys.path[0] not in ("", folder):
        sys.path.insert(0, folder)


def _close_names(owner: Any, wanted: str) -> str:
    import difflib

    names = [n for n in dir(owner) if not n.startswith("_")]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    return f"did you mean {' or '.join(close)}?" if close else "check the name"


@functools.cache
def entry_for(path: str) -> Scheduler:
    """The registry entry of the scheduler at ``path`` (imported once per process)."""
    target = load(path)
    source = _source(path, target)
    skipped = _TIMM_SKIPPED if source == "timm" else SKIPPED
    options = options_of(target, first=1, skip=skipped)
    _check_names(path, options)
    shared = tuple(o.name for o in options if o.name in SHARED)
    options = tuple(o for o in options if o.name not in SHARED)
    if source == "timm":
        options = (*options, LR_SCALE)
    name = path.rsplit(".", 1)[1]
    summary = first_paragraph(inspect.getdoc(target) or "") or f"{name}, by import path"
    return Scheduler(
        path,
        path,
        summary,
        options,
        needs_metric=_needs_metric(source, target),
        shared_keywords=shared,
        group_keys=("lr_scale",) if source == "timm" else (),
        takes_last_epoch="last_epoch" in signature_of(target).parameters,
        example=f"lrplot {path} {_example_options(options)}".rstrip(),
        source=source,
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
#: The names of lrplot's own options on a scheduler command, which a keyword cannot take.
RESERVED = frozenset(
    {
        "lr", "momentum", "optimizer", "start_epoch", "resume_by", "metrics", "metric_expr",
        "fractional_epochs", "output", "fmt", "title", "log_y", "annotate", "momentum_panel",
        "x_axis", "dpi", "size", "verbose", "quiet", "preview",
    }
)  # fmt: skip


def _check_names(path: str, options: tuple[Any, ...]) -> None:
    for option in options:
        if option.name in RESERVED:
            raise InputError(
                "scheduler",
                path,
                f"has a parameter {option.name}, the name of lrplot's own "
                f"--{option.name.replace('_', '-')}",
                "wrap it in a factory that takes the optimizer and fills that parameter",
            )


def _source(path: str, target: Any) -> Source:
    """What kind of scheduler ``target`` is, or an error saying what it is instead."""
    from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

    module = getattr(target, "__module__", None) or ""
    if module.split(".")[0] in sys.stdlib_module_names or inspect.isbuiltin(target):
        # os.system and its kind would be called with the optimizer: refuse them unread.
        raise _not_a_scheduler(path, "is part of Python itself")
    if inspect.isclass(target):
        if issubclass(target, (LRScheduler, ReduceLROnPlateau)):
            if inspect.isabstract(target) or target in (LRScheduler,):
                raise _not_a_scheduler(path, "is torch's abstract base class")
            return "class"
        if callable(getattr(target, "step_update", None)) and callable(
            getattr(target, "step", None)
        ):
            return "timm"
        raise _not_a_scheduler(path, "is a class but not an LRScheduler subclass")
    if callable(target) and not inspect.ismodule(target):
        if not list(signature_of(target).parameters):
            raise _not_a_scheduler(path, "is a function that takes no optimizer")
        return "factory"
    raise _not_a_scheduler(path, f"is an object of type {type(target).__name__}")


def _not_a_scheduler(path: str, what: str) -> InputError:
    return InputError(
        "scheduler",
        path,
        f"{what}, not a scheduler",
        "name an LRScheduler subclass, a function taking the optimizer that returns one, "
        "or a timm scheduler",
    )


def _needs_metric(source: Source, target: Any) -> bool:
    """Whether the scheduler steps on a metric (ReduceLROnPlateau and its kind).

    A factory says so by its return annotation, else by its name (transformers'
    get_reduce_on_plateau_schedule); a timm class by its name (PlateauLRScheduler).
    """
    from torch.optim.lr_scheduler import ReduceLROnPlateau

    if source == "class":
        return issubclass(target, ReduceLROnPlateau)
    if source == "factory":
        returned = signature_of(target).return_annotation
        if returned is not inspect.Signature.empty and inspect.isclass(returned):
            return issubclass(returned, ReduceLROnPlateau)
    return "plateau" in getattr(target, "__name__", "").lower()


def _example_options(options: tuple[Any, ...]) -> str:
    return " ".join(f"{o.flag} {METAVARS[o.kind]}" for o in options if o.default == REQUIRED)
