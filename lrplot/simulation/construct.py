"""Build the scheduler a CurveSpec names on its optimizer, whatever its source.

A curated torch class or one by import path is called with the optimizer and its keywords;
a factory likewise, and what it returns must be a scheduler; a transformers schedule goes
through ``transformers.get_scheduler``. torch's own ValueErrors are reworded in the user's
option names; an exception in the user's code is one line naming the target.
"""

from __future__ import annotations

import importlib
import os
import re
from typing import Any

from lrplot.errors import InputError, LrplotError
from lrplot.schedulers import dotted, held, hf
from lrplot.spec.curve_spec import CurveSpec


def construct(spec: CurveSpec, optimizer: Any, last_epoch: int = -1) -> Any:
    """The scheduler of ``spec`` on ``optimizer``; ``last_epoch`` is torch's resume path.

    A composite's children are built first, in order, on the same optimizer, as torch's
    documentation does it.
    """
    entry = spec.scheduler
    for key in entry.group_keys:  # timm's lr_scale: on each group, before the scheduler
        value = spec.params.get(key)
        if value is not None:
            values = value if isinstance(value, tuple) else (value,) * len(optimizer.param_groups)
            for group, item in zip(optimizer.param_groups, values, strict=True):
                group[key] = item
    kwargs = spec.torch_kwargs()
    if spec.children:
        kwargs["schedulers"] = [construct(child, optimizer) for child in spec.children]
    if last_epoch != -1:
        kwargs["last_epoch"] = last_epoch
    if entry.source == "torch":
        try:
            return _torch_class(entry.torch_class)(optimizer=optimizer, **kwargs)
        except (ValueError, TypeError) as error:
            raise reworded(spec, error) from None
    try:
        if entry.source == "hf":
            scheduler = _transformers(spec, optimizer, kwargs)
        else:
            path = entry.torch_class
            scheduler = dotted.load(path)(optimizer, **held.bound_keywords(path), **kwargs)
    except LrplotError:
        raise
    except (Exception, SystemExit) as error:  # the target's own code: one line
        if entry.source == "hf" and isinstance(error, (ValueError, TypeError)):
            raise reworded(spec, error, "transformers") from None  # its checks, like torch's
        raise user_error(spec, error, "refused the options") from None
    # transformers' names are known (greedy is its own class, stepped on a metric).
    return scheduler if entry.source == "hf" else _checked(spec, scheduler, optimizer)


def _torch_class(path: str) -> Any:
    """A torch class by its path (never through the current folder: no local torch.py)."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _transformers(spec: CurveSpec, optimizer: Any, kwargs: dict[str, Any]) -> Any:
    """transformers.get_scheduler(name, optimizer, the two counts, the schedule's keywords)."""
    counts = {name: kwargs.pop(name, None) for name in hf.OWN}
    return hf.transformers_optimization().get_scheduler(
        hf.hf_name(spec.scheduler), optimizer, **counts, scheduler_specific_kwargs=kwargs
    )


def _checked(spec: CurveSpec, scheduler: Any, optimizer: Any) -> Any:
    """What a factory returned, if it steps as a scheduler; an error saying what it is else."""
    from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

    entry = spec.scheduler
    plateau = isinstance(scheduler, ReduceLROnPlateau) or (
        entry.source == "timm" and entry.needs_metric
    )
    if entry.source != "timm" and not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
        raise InputError(
            entry.torch_class,
            None,
            f"returned an object of type {type(scheduler).__name__}, not a torch LRScheduler",
            "name the timm class itself by its import path (timm steps by its own protocol)"
            if callable(getattr(scheduler, "step_update", None))
            else "return the scheduler built on the optimizer it is given",
        )
    if getattr(scheduler, "optimizer", optimizer) is not optimizer:
        raise InputError(
            entry.torch_class,
            None,
            "built its scheduler on another optimizer than the one it was given, so the lr "
            "lrplot records would never move",
            "build the scheduler on the optimizer the factory receives",
        )
    if plateau != entry.needs_metric:
        raise InputError(
            entry.torch_class,
            None,
            f"returned a {type(scheduler).__name__}, which "
            + ("steps on a metric" if plateau else "does not step on a metric")
            + ", but lrplot judged otherwise from its name and return annotation",
            "annotate the factory's return type (-> ReduceLROnPlateau, or -> LRScheduler)",
        )
    return scheduler


def user_error(spec: CurveSpec, error: BaseException, what: str) -> InputError:
    """An exception in a target's own code, as one line (LRPLOT_DEBUG=1 re-raises it)."""
    if os.environ.get("LRPLOT_DEBUG"):
        raise error
    entry = spec.scheduler
    return InputError(
        _command_of(spec) if entry.source == "hf" else entry.torch_class,
        None,
        f"{what}: {dotted.first_line(error)}",
        # An object handed over by the pytest plugin has no command to ask for help.
        (
            "check its keywords; "
            if held.is_held(entry.torch_class)
            else f"check the values (lrplot {entry.invocation} --help); "
        )
        + "set LRPLOT_DEBUG=1 for the traceback",
    )


def reworded(spec: CurveSpec, error: Exception, library: str = "torch") -> InputError:
    """The library's message (torch's, transformers') with its keyword names replaced by the
    names the user typed."""
    message = str(error).splitlines()[0].rstrip(".") if str(error) else type(error).__name__
    for option in spec.scheduler.options:
        message = re.sub(rf"\b{re.escape(option.name)}\b", spec.name_of(option.name), message)
    with_optimizer = (
        ""
        if spec.optimizer.is_default
        else f" and {spec.name_of('optimizer')} '{spec.optimizer.text}'"
    )
    return InputError(
        _command_of(spec) if spec.scheduler.source == "hf" else spec.scheduler.class_name,
        None,
        f"{library} refused the options: {message}",
        f"check the values{with_optimizer} (lrplot {spec.scheduler.invocation} --help)",
    )


def _command_of(spec: CurveSpec) -> str:
    """A transformers schedule as its command names it: ``hf cosine``."""
    return f"hf {hf.hf_name(spec.scheduler)}"
