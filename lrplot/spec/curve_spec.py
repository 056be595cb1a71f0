"""What one curve is: a scheduler entry, its checked keyword values and the run settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lrplot.schedulers.entry import Scheduler
from lrplot.spec.arithmetic import number_text
from lrplot.spec.expression import Expression
from lrplot.spec.optimizers import SGD, OptimizerSpec

#: Names a keyword or common setting as the user wrote it, for error messages.
Namer = Callable[[str], str]


def flag_namer(name: str) -> str:
    """Command-line spelling: ``T_max`` -> ``--t-max``."""
    return "--" + name.lower().replace("_", "-")


@dataclass(frozen=True)
class CurveSpec:
    """Everything needed to simulate one curve; built and checked by :func:`build_spec`."""

    scheduler: Scheduler
    params: Mapping[str, object]
    lrs: tuple[float, ...]
    momentum: float | None  # None: the optimizer has no momentum keyword (Adam)
    epochs: int
    steps_per_epoch: int
    start_epoch: int = 0
    resume_by: str = "state-dict"  # or "last-epoch" (see lrplot.simulation.resume)
    #: step(epoch + i / steps_per_epoch) instead of step() (CosineAnnealingWarmRestarts).
    fractional_epochs: bool = False
    metric: tuple[float, ...] | None = None
    metric_source: str | None = None
    label: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    children: tuple[CurveSpec, ...] = ()
    #: Warnings for the user (an option that reads as epochs but counts batches here).
    notes: tuple[str, ...] = ()
    optimizer: OptimizerSpec = SGD

    @property
    def first_step(self) -> int:
        """The scheduler step of the first row (non-zero when resuming)."""
        return self.start_epoch * self.steps_per_epoch

    @property
    def total_rows(self) -> int:
        """Rows of the whole run from epoch 0: ``epochs x steps_per_epoch``."""
        return self.epochs * self.steps_per_epoch

    @property
    def rows(self) -> int:
        """Rows the curve records: ``(epochs - start_epoch) x steps_per_epoch``."""
        return (self.epochs - self.start_epoch) * self.steps_per_epoch

    def name_of(self, keyword: str) -> str:
        """How the user spelled ``keyword`` (``--gamma``, or a manifest field)."""
        return self.names.get(keyword, flag_namer(keyword))

    def torch_kwargs(self) -> dict[str, object]:
        """Keyword arguments for the torch class (expressions stay callables).

        A composite's ``schedulers`` are left out: simulate builds them on the optimizer.
        """
        kwargs = {
            k: v
            for k, v in self.params.items()
            if not (self.children and k == "schedulers") and k not in self.scheduler.group_keys
        }
        for keyword in self.scheduler.shared_keywords:
            if kwargs.get("total_steps") is None:
                kwargs[keyword] = getattr(self, keyword)
        milestones = kwargs.get("milestones")
        if isinstance(milestones, tuple):
            kwargs["milestones"] = list(milestones)  # torch's SequentialLR wants a list
        for option in self.scheduler.options:  # a list parameter of a target by import path
            value = kwargs.get(option.name)
            if option.sequence and value is not None:
                kwargs[option.name] = list(value) if isinstance(value, (tuple, list)) else [value]
        for keyword, value in kwargs.items():
            if isinstance(value, Expression):
                kwargs[keyword] = value.located(self._locator(keyword))
            elif isinstance(value, tuple) and value and isinstance(value[0], Expression):
                # one per param group: torch wants a list (LambdaLR, MultiplicativeLR)
                kwargs[keyword] = [v.located(self._locator(keyword)) for v in value]
        return kwargs

    def _locator(self, keyword: str) -> Callable[[float], str]:
        """Where in the run torch's argument to an expression falls, for its error messages.

        LambdaLR, MultiplicativeLR and CyclicLR (scale_mode iterations) pass the scheduler
        step count; CyclicLR in scale_mode cycle passes the cycle number.
        """
        spe = self.steps_per_epoch
        if keyword == "scale_fn" and self.params.get("scale_mode") == "cycle":
            up = self.params["step_size_up"]
            down = self.params.get("step_size_down")
            down = up if down is None else down  # 0 is a length torch accepts, not "unset"
            assert isinstance(up, int) and isinstance(down, int)
            return lambda c: (
                f"cycle {number_text(c)} starts at epoch "
                + number_text(max(0.0, c - 1) * (up + down) / spe)
            )
        return lambda k: f"scheduler step {number_text(k)} = epoch {number_text(k / spe)}"

    def json_optimizer(self) -> dict[str, object]:
        """JSON ``optimizer``: ``{"name": "SGD", "lr": [...], "momentum": m}`` for plain SGD."""
        return self.optimizer.record(self.lrs, self.momentum)

    def json_params(self) -> dict[str, object]:
        """The keyword values as JSON: expressions as their text, children as records."""
        params = {key: _jsonable(value) for key, value in self.torch_kwargs().items()}
        for key in self.scheduler.group_keys:  # set on the param groups, recorded all the same
            params[key] = _jsonable(self.params.get(key))
        if self.children:
            params = {"schedulers": [child.json_child() for child in self.children], **params}
        return params

    def json_child(self) -> dict[str, object]:
        """How a composite records this spec as one of its children."""
        return {
            "scheduler": self.scheduler.class_name,
            "spec": self.label,
            "params": self.json_params(),
        }


def _jsonable(value: object) -> object:
    if isinstance(value, Expression):
        return value.source
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return value
