"""What an object named by import path is: which kind of scheduler, or why it is none.

An ``LRScheduler`` subclass, a timm scheduler (``step`` and ``step_update``), or a factory
(any other callable, given the optimizer first). Python's own library and torch's
non-schedulers are refused unread: os.system or torch.save would be called with the
optimizer.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import sysconfig
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.entry import Source
from lrplot.schedulers.signature import signature_of


def in_python_itself(module_name: str) -> bool:
    """Whether a module is Python's own: built in, or a file of the standard library (a
    user's sched.py in the current folder is not, whatever its name)."""
    top = module_name.split(".")[0]
    if top in sys.builtin_module_names:
        return True
    where = getattr(sys.modules.get(top), "__file__", None)
    if where is None:
        return False
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    where = os.path.realpath(where)
    return where.startswith(stdlib + os.sep) and "site-packages" not in where


def not_a_scheduler(path: str, what: str) -> InputError:
    return InputError(
        "scheduler",
        path,
        f"{what}, not a scheduler",
        "name an LRScheduler subclass, a function taking the optimizer that returns one, "
        "or a timm scheduler",
    )


def source_of(path: str, target: Any) -> Source:
    """What kind of scheduler ``target`` is, or an error saying what it is instead."""
    from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

    home = target.func if isinstance(target, functools.partial) else target
    module = str(getattr(home, "__module__", None) or "")
    if module and in_python_itself(module):  # os.system, also when a module re-exports it
        raise not_a_scheduler(path, "is part of Python itself")
    is_class = inspect.isclass(target)
    if is_class and issubclass(target, (LRScheduler, ReduceLROnPlateau)):
        if inspect.isabstract(target) or target is LRScheduler:
            raise not_a_scheduler(path, "is torch's abstract base class")
        return "class"
    if module.split(".")[0] == "torch":  # torch.save would be called with the optimizer
        raise not_a_scheduler(path, f"is a torch {'class' if is_class else 'function'}")
    if is_class:
        if all(callable(getattr(target, name, None)) for name in ("step", "step_update")):
            return "timm"
        raise not_a_scheduler(path, "is a class but not an LRScheduler subclass")
    if callable(target) and not inspect.ismodule(target):
        if not list(signature_of(target).parameters):
            raise not_a_scheduler(path, "is a function that takes no optimizer")
        return "factory"
    raise not_a_scheduler(path, f"is an object of type {type(target).__name__}")


def needs_metric(source: Source, target: Any) -> bool:
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
    home = target.func if isinstance(target, functools.partial) else target  # no name of its own
    return "plateau" in getattr(home, "__name__", "").lower()
