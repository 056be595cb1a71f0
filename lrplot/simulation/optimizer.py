"""The dummy optimizer every curve runs on: a fresh one per curve, without torch._dynamo.

torch guards some Optimizer methods with ``torch._disable_dynamo``, whose first call imports
torch._dynamo (about a second) only to mark them not compilable. lrplot never compiles, so
where the wrapper is exactly torch's own, it calls the method underneath.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import torch

from lrplot.errors import InputError
from lrplot.schedulers.optimizers import optimizer_class
from lrplot.spec.curve_spec import CurveSpec

Opt = TypeVar("Opt", bound=torch.optim.Optimizer)
#: The methods a run calls that torch guards: building adds the param groups, resuming saves
#: and loads checkpoints.
_GUARDED = ("add_param_group", "state_dict", "load_state_dict")
_FAST: dict[type, type] = {}


def fast_class(cls: type[Opt]) -> type[Opt]:
    """``cls``, or its dynamo-free subclass where torch allows (built once per class)."""
    if cls not in _FAST:
        _FAST[cls] = _without_dynamo(cls, cls.add_param_group)
    return cast(type[Opt], _FAST[cls])


def _without_dynamo(cls: type[Opt], add_param_group: Callable[..., Any]) -> type[Opt]:
    """A subclass of ``cls`` whose guarded methods call the functions torch's wrapper wraps.

    ``add_param_group`` is the method ``cls`` builds with (its own, here a parameter so that
    a test can hand it another wrapper). Anything but torch's exact ``_disable_dynamo``
    wrapper around it (another torch, another decorator) gets the plain ``cls``: then the
    constructor imports torch._dynamo anyway, and a subclass would gain nothing.
    """
    disable = getattr(torch, "_disable_dynamo", None)
    if not callable(disable):
        return cls
    # Building a _disable_dynamo wrapper imports nothing (only calling it does); sharing its
    # code object proves a method is such a wrapper, around the function it names.
    probe = disable(_without_dynamo)
    adding = _plain(add_param_group, "add_param_group", probe)
    if adding is None:
        return cls
    namespace: dict[str, Any] = {"add_param_group": adding, "__module__": __name__}
    for name in _GUARDED[1:]:
        method = _plain(getattr(cls, name), name, probe)
        if method is not None:
            namespace[name] = method
    namespace["__qualname__"] = cls.__name__
    return cast(type[Opt], type(cls.__name__, (cls,), namespace))


def _plain(method: Callable[..., Any], name: str, probe: Any) -> Callable[..., Any] | None:
    """The function named ``name`` under exactly torch's _disable_dynamo wrapper, else None."""
    wrapped = getattr(method, "__wrapped__", None)
    same = getattr(method, "__code__", None) is getattr(probe, "__code__", False)
    good = callable(wrapped) and same and getattr(wrapped, "__name__", "") == name
    return cast(Callable[..., Any], wrapped) if good else None


def sgd_class(*, fast: bool = True) -> type[torch.optim.SGD]:
    """The SGD class lrplot builds: the dynamo-free one unless ``fast`` is False."""
    return fast_class(torch.optim.SGD) if fast else torch.optim.SGD


def fresh_optimizer(spec: CurveSpec, *, fast: bool = True) -> torch.optim.Optimizer:
    """A new optimizer of ``spec``'s class over one dummy parameter per group.

    No state is shared between curves. The parameters are 1 x 1 matrices: Muon takes
    matrices only, and no other class minds.
    """
    cls = optimizer_class(spec.optimizer.name)
    groups = [{"params": [torch.zeros(1, 1, requires_grad=True)], "lr": lr} for lr in spec.lrs]
    kwargs = spec.optimizer.torch_keywords(spec.momentum)
    try:
        optimizer = (fast_class(cls) if fast else cls)(groups, lr=spec.lrs[0], **kwargs)
    except (ValueError, TypeError, IndexError, RuntimeError) as error:
        raise _refused(spec, error) from None
    # What optimizer.step() would have set: tells torch the step order is as it expects
    # (lrplot never trains, so it never calls optimizer.step()).
    optimizer._opt_called = True
    return cast(torch.optim.Optimizer, optimizer)


def _refused(spec: CurveSpec, error: Exception) -> InputError:
    """torch's refusal of the optimizer's keywords, naming the option the user gave them in."""
    name = spec.optimizer.name
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, (TypeError, IndexError)):  # betas=0.9 or betas=[0.9]: a wrong shape
        message = f"{type(error).__name__}: {message}"
    return InputError(
        spec.name_of("optimizer"),
        spec.optimizer.text,
        f"torch.optim.{name} refused it: {message}",
        f"check its keywords against help(torch.optim.{name})",
    )
