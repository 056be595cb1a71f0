"""transformers' schedules by their ``SchedulerType`` name, through ``get_scheduler``.

``lrplot hf cosine`` is what ``TrainingArguments(lr_scheduler_type="cosine")`` trains with.
The options are get_scheduler's own (``num_warmup_steps``, ``num_training_steps``) and the
keywords of that schedule's function; transformers is imported only when one is asked for.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import replace
from typing import Any

from lrplot.errors import InputError
from lrplot.schedulers.entry import AT_LEAST_ONE, NON_NEGATIVE, REQUIRED, Option, Scheduler
from lrplot.schedulers.signature import SKIPPED, first_paragraph, options_of, signature_of

#: transformers' SchedulerType values, in its order (the help lists them without importing it).
NAMES = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "reduce_lr_on_plateau",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
    "greedy",
)
#: The schedules stepped with a metric, as ReduceLROnPlateau is.
METRIC_NAMES = ("reduce_lr_on_plateau", "greedy")
#: get_scheduler's own keywords, passed to the schedule when its function takes them.
OWN = ("num_warmup_steps", "num_training_steps")
PREFIX = "hf/"
INSTALL = "pip install 'lrplot[hf]' (or pip install transformers)"

#: What help says of a schedule beyond its docstring (transformers' own quirks).
QUIRKS = {
    "polynomial": "lr_end is absolute and the decay starts from optimizer.defaults['lr'] "
    "(the first --lr), whatever the group's lr",
    "cosine": "num_cycles counts whole cosine waves: 0.5 (the default) is half a wave, one "
    "decay to 0; 1 decays to 0 and rises back",
    "cosine_with_restarts": "num_cycles counts the decays: 3 is three decays, two hard restarts",
    "cosine_with_min_lr": "min_lr is read against optimizer.defaults['lr'] (the first --lr); "
    "give exactly one of min_lr and min_lr_rate",
    "cosine_warmup_with_min_lr": "min_lr is read against optimizer.defaults['lr'] (the "
    "first --lr); give exactly one of min_lr and min_lr_rate",
}


def is_hf(name: str) -> bool:
    """Whether ``name`` names a transformers schedule (``hf/cosine``)."""
    return name.strip().lower().startswith(PREFIX)


def hf_name(entry: Scheduler) -> str:
    """The SchedulerType value of an hf entry."""
    return entry.command[len(PREFIX) :]


def transformers_optimization() -> Any:
    """transformers.optimization, or an error saying how to install it."""
    try:
        import transformers.optimization as optimization
    except ImportError:
        raise InputError(
            "hf", None, "needs transformers, which is not installed", INSTALL
        ) from None
    return optimization


@functools.cache
def entry_for(name: str) -> Scheduler:
    """The registry entry of the transformers schedule ``hf/NAME`` (or just ``NAME``)."""
    key = name.strip().lower().removeprefix(PREFIX).replace("-", "_")
    if key not in NAMES:
        import difflib

        close = difflib.get_close_matches(key, NAMES, n=2, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise InputError("hf", name, "is not a transformers SchedulerType", hint + _listing())
    optimization = transformers_optimization()
    table = optimization.TYPE_TO_SCHEDULER_FUNCTION
    kinds = {kind.value: kind for kind in table}
    if key not in kinds:
        raise InputError("hf", key, "is not in the installed transformers", "upgrade transformers")
    function = table[kinds[key]]
    return Scheduler(
        PREFIX + key,
        f"{function.__module__}.{function.__name__}",
        _summary(key, function),
        _options(key, function),
        epochs=100,
        needs_metric=key in METRIC_NAMES,
        example=f"lrplot hf {key} --num-warmup-steps 100 --num-training-steps 1000",
        source="hf",
        ignored_keywords=tuple(n for n in OWN if n not in signature_of(function).parameters),
        takes_last_epoch=False,  # get_scheduler has no last_epoch
    )


def _listing() -> str:
    return "names: " + ", ".join(NAMES)


def _summary(key: str, function: Any) -> str:
    text = first_paragraph(inspect.getdoc(function) or "") or key
    quirk = QUIRKS.get(key)
    return f"{text} Note: {quirk}." if quirk else text


def _options(key: str, function: Any) -> tuple[Option, ...]:
    """get_scheduler's two counts, then the keywords of the schedule's own function.

    A plateau schedule takes ReduceLROnPlateau's keywords (its function passes **kwargs on).
    """
    target = function
    if key in METRIC_NAMES:
        target = _metric_class(key)
    params = signature_of(function).parameters
    own = []
    for name in OWN:
        passed = name in params
        required = passed and params[name].default is inspect.Parameter.empty
        help = (
            "the number of warm-up steps"
            if name == "num_warmup_steps"
            else "the number of training steps; also the rows recorded"
        )
        if not passed:
            help += f" (get_scheduler does not pass it to {key})"
        bound = NON_NEGATIVE if name == "num_warmup_steps" else AT_LEAST_ONE
        default = REQUIRED if required else None
        own.append(Option(name, "int", default, help, bound, optional=not required))
    rest = [o for o in options_of(target, first=1, skip=SKIPPED | set(OWN))]
    return (*own, *(replace(o, counts_steps=o.name.endswith("_steps")) for o in rest))


def _metric_class(key: str) -> Any:
    if key == "greedy":
        return transformers_optimization().GreedyLR
    from torch.optim.lr_scheduler import ReduceLROnPlateau

    return ReduceLROnPlateau
