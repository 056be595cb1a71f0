"""The dummy optimizer every curve runs on: a fresh one per curve, without torch._dynamo.

torch guards some Optimizer methods with ``torch._disable_dynamo``, whose first call imports
torch._dynamo (about a second) only to mark them not compilable. lrplot never compiles, so
where the wrapper is exactly torch's own, it calls the method underneath.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch


@functools.cache
def _fast_sgd_class() -> type[torch.optim.SGD]:
    """SGD that adds its param groups without importing torch._dynamo, if torch allows."""
    return _sgd_without_dynamo(torch.optim.Optimizer.add_param_group)


def _sgd_without_dynamo(add_param_group: Callable[..., Any]) -> type[torch.optim.SGD]:
    """An SGD whose ``add_param_group`` calls the function ``add_param_group`` wraps.

    torch wraps ``Optimizer.add_param_group`` in ``torch._disable_dynamo``, whose first
    call imports torch._dynamo (about a second) only to mark the method not compilable.
    lrplot never compiles, so calling the wrapped function is the same. Anything but that
    exact wrapper (another torch, another decorator) gets the plain ``torch.optim.SGD``.
    """
    wrapped = getattr(add_param_group, "__wrapped__", None)
    disable = getattr(torch, "_disable_dynamo", None)
    if not (callable(wrapped) and callable(disable)):
        return torch.optim.SGD
    # Building a _disable_dynamo wrapper imports nothing (only calling it does); sharing its
    # code object proves add_param_group is such a wrapper, around torch's own method.
    probe = disable(_sgd_without_dynamo)
    same = getattr(add_param_group, "__code__", None) is getattr(probe, "__code__", False)
    if not same or getattr(wrapped, "__name__", "") != "add_param_group":
        return torch.optim.SGD
    plain: Callable[..., None] = wrapped

    class FastSGD(torch.optim.SGD):
        def add_param_group(self, param_group: dict[str, Any]) -> None:
            plain(self, param_group)

    # Resuming saves and loads checkpoints: the same wrapper guards those two methods.
    for name in ("state_dict", "load_state_dict"):
        method = _plain(getattr(torch.optim.Optimizer, name), name, probe)
        if method is not None:
            setattr(FastSGD, name, method)

    FastSGD.__name__ = FastSGD.__qualname__ = "SGD"
    return FastSGD


def _plain(method: Callable[..., Any], name: str, probe: Any) -> Callable[..., Any] | None:
    """The function named ``name`` under exactly torch's _disable_dynamo wrapper, else None."""
    wrapped = getattr(method, "__wrapped__", None)
    same = getattr(method, "__code__", None) is getattr(probe, "__code__", False)
    return wrapped if same and getattr(wrapped, "__name__", "") == name else None


def sgd_class(*, fast: bool = True) -> type[torch.optim.SGD]:
    """The SGD class lrplot builds: the dynamo-free one unless ``fast`` is False."""
    return _fast_sgd_class() if fast else torch.optim.SGD


def fresh_optimizer(
    lrs: tuple[float, ...], momentum: float, *, fast: bool = True
) -> torch.optim.SGD:
    """A new SGD over one dummy parameter per group; no state is shared between curves."""
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    optimizer = sgd_class(fast=fast)(groups, lr=lrs[0], momentum=momentum)
    # What optimizer.step() would have set: tells torch the step order is as it expects
    # (lrplot never trains, so it never calls optimizer.step()).
    optimizer._opt_called = True  # type: ignore[attr-defined]
    return optimizer
