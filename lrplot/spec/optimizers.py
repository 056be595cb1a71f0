"""``--optimizer NAME[:key=value,...]``: the torch.optim class a curve runs on, checked from text.

NAME is a ``torch.optim`` class in any case, keys are its keywords (read off its signature) and
values go through the converters scheduler options use, in the SPEC grammar. The run's
momentum is settled here too: ``--momentum`` sets the keyword of the classes that have one
(SGD, RMSprop), and is refused, pointing at ``betas``, on those that have none (Adam).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lrplot.errors import InputError
from lrplot.schedulers.entry import Bound, Option
from lrplot.schedulers.optimizers import (
    DEFAULT_OPTIMIZER,
    OptimizerEntry,
    find_optimizer,
    optimizer_names,
)
from lrplot.spec.grammar import parse_spec
from lrplot.spec.values import coerce, to_float

Namer = Callable[[str], str]
EXAMPLE = "adam:betas=[0.9,0.99],weight_decay=0.01"


@dataclass(frozen=True)
class OptimizerSpec:
    """The optimizer of a curve: a torch.optim class and the keywords given for it."""

    name: str = DEFAULT_OPTIMIZER  # the torch class name, e.g. "AdamW"
    #: The checked values of the keywords given, in the order given; momentum is the run's
    #: (``CurveSpec.momentum``), never here.
    keywords: Mapping[str, object] = field(default_factory=dict)
    text: str = "sgd"  # as the user wrote it, for error messages
    #: The class's own default momentum; ``None`` when the class has no momentum keyword.
    momentum_default: float | None = 0.0

    @property
    def is_default(self) -> bool:
        """Plain SGD, what every curve ran on before --optimizer."""
        return self.name == DEFAULT_OPTIMIZER and not self.keywords

    def default_momentum(self, demo: float) -> float | None:
        """The momentum when none is given: the registry's ``demo`` value on SGD (cyclic and
        plateau show 0.9), the class's own default on another (``None``: it has none)."""
        return demo if self.name == DEFAULT_OPTIMIZER else self.momentum_default

    def torch_keywords(self, momentum: float | None) -> dict[str, object]:
        """Keyword arguments for the class (lr aside): the given ones and the momentum."""
        kwargs = dict(self.keywords)
        if momentum is not None:
            kwargs["momentum"] = momentum
        return kwargs

    def record(self, lrs: tuple[float, ...], momentum: float | None) -> dict[str, object]:
        """JSON ``optimizer``: the class, the lrs, its momentum (if any), the given keywords."""
        shown: dict[str, object] = {"name": self.name, "lr": list(lrs)}
        if momentum is not None:
            shown["momentum"] = momentum
        return shown | {key: _jsonable(value) for key, value in self.keywords.items()}

    def command_text(self) -> str:
        """``NAME[:key=value,...]`` that gives this optimizer back (for reproducing commands)."""
        items = [f"{key}={_text(value)}" for key, value in self.keywords.items()]
        return self.name.lower() + (":" + ",".join(items) if items else "")


SGD = OptimizerSpec()


def lr_bound(optimizer: OptimizerSpec) -> Bound:
    """Every torch.optim class refuses a negative lr (tests/test_optimizer.py checks)."""
    return Bound(low=0, why=f"torch.optim.{optimizer.name} refuses a negative lr")


def momentum_bound(optimizer: OptimizerSpec) -> Bound:
    """Those with a momentum keyword refuse a negative one (tests/test_optimizer.py checks)."""
    return Bound(low=0, why=f"torch.optim.{optimizer.name} refuses a negative momentum")


def resolve(
    raw: object, momentum: object, demo_momentum: float, namer: Namer
) -> tuple[OptimizerSpec, float | None]:
    """The optimizer ``raw`` names and the run's momentum (``None``: the class has none).

    ``raw`` is text (``None`` = SGD) or, for a composite's children, the parent's spec.
    ``demo_momentum`` is the registry's default, which applies to SGD only: another class
    gets its own default.
    """
    if isinstance(raw, OptimizerSpec):
        optimizer, in_text = raw, None
    else:
        optimizer, in_text = parse_optimizer(raw, namer)
    where = namer("momentum")
    if optimizer.momentum_default is None:
        if momentum is not None:
            raise _no_momentum(optimizer, momentum, namer)
        return optimizer, None
    if in_text is not None:
        if momentum is not None:
            raise InputError(
                where,
                momentum,
                f"is given twice: {namer('optimizer')} '{optimizer.text}' sets momentum too",
                "give it in one place",
            )
        key_where = f"{namer('optimizer')} '{optimizer.text}': momentum"
        return optimizer, to_float(in_text, key_where, momentum_bound(optimizer), 0.9)
    value = optimizer.default_momentum(demo_momentum) if momentum is None else momentum
    return optimizer, to_float(value, where, momentum_bound(optimizer), 0.9)


def parse_optimizer(raw: object, namer: Namer) -> tuple[OptimizerSpec, object | None]:
    """The optimizer a ``NAME[:key=value,...]`` text names, and the momentum among its keys."""
    where = namer("optimizer")
    if raw is None:
        return SGD, None
    if not isinstance(raw, str):
        raise InputError(where, raw, "must be text NAME[:key=value,...]", f"e.g. '{EXAMPLE}'")
    parsed = parse_spec(raw, where, what="optimizer", example=EXAMPLE)
    entry = _entry(parsed.name, raw, where)
    keywords: dict[str, object] = {}
    momentum: object | None = None
    for key, text in parsed.options.items():
        option = _option(entry, key, text, raw, namer)
        if option.name == "momentum":
            momentum = text
            continue
        keywords[option.name] = _value(option, text, f"{where} '{raw}': {key}", entry.name)
    has_momentum = entry.option("momentum")
    default = None if has_momentum is None else float(_number(has_momentum.default))
    return OptimizerSpec(entry.name, keywords, raw, default), momentum


def _entry(name: str, raw: str, where: str) -> OptimizerEntry:
    entry = find_optimizer(name)
    names = optimizer_names()
    if entry is None:
        close = difflib.get_close_matches(name.lower(), names, n=2, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise InputError(
            where,
            raw,
            f"{name} is not a torch.optim optimizer",
            hint + f"one of: {', '.join(names)}",
        )
    if entry.refused is not None:
        raise InputError(
            where, raw, f"torch.optim.{entry.name} {entry.refused}", "choose another, e.g. adam"
        )
    return entry


def _option(entry: OptimizerEntry, key: str, text: str, raw: str, namer: Namer) -> Option:
    where = f"{namer('optimizer')} '{raw}': {key}"
    option = entry.option(key)
    if option is not None and option.name == "lr":
        raise InputError(
            where,
            text,
            "is the lr of every param group, which is set apart",
            f"use {namer('lr')} {text} (repeat it for several param groups)",
        )
    if option is None:
        known = [o.name for o in entry.options if o.name != "lr"]
        close = difflib.get_close_matches(key.replace("-", "_"), known, n=2, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise InputError(
            where,
            text,
            f"is not a keyword of torch.optim.{entry.name}",
            hint + f"keywords: {', '.join(known) or 'none'}",
        )
    return option


def _value(option: Option, text: str, where: str, name: str) -> object:
    """The keyword's value; a pair (``betas``) must be as long as torch's default."""
    value = coerce(option, text, where)
    if not option.sequence or value is None:
        return value
    items = value if isinstance(value, tuple) else (value,)
    default = option.default
    if isinstance(default, tuple) and len(items) != len(default):
        raise InputError(
            where,
            text,
            f"gives {len(items)} value{'s' if len(items) > 1 else ''} where torch.optim.{name} "
            f"takes {len(default)}",
            f"e.g. {_text(default)}",
        )
    return items


def _no_momentum(optimizer: OptimizerSpec, momentum: object, namer: Namer) -> InputError:
    """--momentum on a class without one: Adam's family has beta1 instead, say so."""
    entry = find_optimizer(optimizer.name)
    assert entry is not None
    betas = entry.option("betas")
    given = optimizer.keywords.get("betas", betas.default if betas else None)
    if isinstance(given, tuple) and len(given) == 2:
        text = f"{optimizer.name.lower()}:betas=[{momentum},{_text(given[1])}]"
        where = namer("optimizer")
        # A manifest's figure spells it as a TOML key; the command line (compare too) as a flag.
        spelled = f'optimizer = "{text}"' if "figure '" in where else f"--optimizer {text}"
        fix = f"its beta1 is {spelled}"
    else:
        known = ", ".join(o.name for o in entry.options if o.name != "lr")
        fix = f"leave {namer('momentum')} out ({optimizer.name}'s keywords: {known})"
    return InputError(namer("momentum"), momentum, f"{optimizer.name} has no momentum", fix)


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(_text(v) for v in value) + "]"
    return repr(value) if isinstance(value, float) else str(value)


def _jsonable(value: object) -> object:
    return [_jsonable(v) for v in value] if isinstance(value, (tuple, list)) else value
