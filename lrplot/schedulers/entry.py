"""The shapes of registry entries: a scheduler, its options and their allowed ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "int",
    "float",
    "bool",
    "choice",
    "floats",
    "ints",
    "expr",
    "exprs",
    "specs",
    "text",  # any string (a dotted-path target's ``str`` parameter)
    "auto",  # an untyped parameter: a number when the text reads as one, else the text
    "unfillable",  # a callable or an object: text cannot give it
]

#: Metavars shown in --help for each kind of option.
METAVARS: dict[str, str] = {
    "int": "INT",
    "float": "FLOAT",
    "bool": "",
    "choice": "TEXT",
    "floats": "FLOAT[,FLOAT...]",
    "ints": "INT,INT...",
    "expr": "EXPR",
    "exprs": "EXPR",
    "specs": "SPEC",
    "text": "TEXT",
    "auto": "VALUE",
    "unfillable": "",
}


#: Where a scheduler comes from and so how it is built and stepped: a curated torch entry, an
#: LRScheduler subclass or a factory by import path, a timm scheduler, a transformers name.
Source = Literal["torch", "class", "factory", "timm", "hf"]

SAME = "<same>"
REQUIRED = "<required>"
#: Where the torch scheduler classes live (entries name their class by dotted path).
TORCH_MODULE = "torch.optim.lr_scheduler"


@dataclass(frozen=True)
class Bound:
    """An allowed range for a number; ``None`` leaves that side open.

    Ranges are torch's own (its checks, or the values its arithmetic survives): lrplot never
    refuses what torch would run. ``excluded`` holds single values torch accepts but then
    divides by (``T_max=0``), and ``why`` says in a few words what torch does with them.
    """

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    excluded: tuple[float, ...] = ()
    why: str = ""

    def describe(self) -> str:
        """Say the range in words, e.g. 'must be > 0', 'must be in (0, 1)', 'must not be 0'."""
        parts = [self._range()] if self.low is not None or self.high is not None else []
        parts += [f"must not be {value:g}" for value in self.excluded]
        text = " and ".join(parts) or "is out of range"
        return f"{text} ({self.why})" if self.why else text

    def _range(self) -> str:
        if self.low is not None and self.high is not None:
            left = "[" if self.low_inclusive else "("
            right = "]" if self.high_inclusive else ")"
            return f"must be in {left}{self.low:g}, {self.high:g}{right}"
        if self.low is not None:
            return f"must be {'>=' if self.low_inclusive else '>'} {self.low:g}"
        assert self.high is not None
        return f"must be {'<=' if self.high_inclusive else '<'} {self.high:g}"

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the range."""
        below = self.low is not None and (
            value < self.low or (value == self.low and not self.low_inclusive)
        )
        above = self.high is not None and (
            value > self.high or (value == self.high and not self.high_inclusive)
        )
        return not (below or above or value in self.excluded)


POSITIVE = Bound(low=0, low_inclusive=False)
NON_NEGATIVE = Bound(low=0)
AT_LEAST_ONE = Bound(low=1)
UNIT = Bound(low=0, high=1)
UNIT_HALF_OPEN = Bound(low=0, high=1, low_inclusive=False)


def non_zero(why: str) -> Bound:
    """Any number but 0, which torch accepts and then divides by (``why`` says where)."""
    return Bound(excluded=(0,), why=why)


@dataclass(frozen=True)
class Option:
    """One keyword of a torch scheduler class, exposed as a command-line option.

    ``default`` is the value lrplot uses when the option is not given: the guide's demo
    value where DESIGN.md names one, otherwise torch's own default. ``torch_default`` is
    what torch itself uses (``REQUIRED`` when torch has none, ``SAME`` when it equals
    ``default``); a test holds it to ``inspect.signature`` of the installed class, and
    figure titles show only the values that differ from it.
    """

    name: str
    kind: Kind
    default: object
    help: str
    bound: Bound | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False  # torch accepts None for it (e.g. total_steps)
    variable: str = "epoch"  # the variable name of an ``expr`` option
    torch_default: object = "<same>"
    cli_flag: str | None = None  # when the flag is not the kebab-case keyword
    #: The value counts scheduler steps: epochs, or batches with --steps-per-epoch.
    counts_steps: bool = False
    #: Always passed as a list, even when one value is given (a ``list[int]`` parameter).
    sequence: bool = False

    @property
    def torch_default_value(self) -> object:
        """torch's default for the keyword, or ``REQUIRED``."""
        return self.default if self.torch_default == SAME else self.torch_default

    @property
    def flag(self) -> str:
        """The option as typed on the command line: ``T_max`` -> ``--t-max``."""
        return self.cli_flag or "--" + self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class Scheduler:
    """One torch scheduler class and how lrplot drives it."""

    command: str
    torch_class: str  # dotted path, imported lazily by simulate.py
    summary: str
    options: tuple[Option, ...] = ()
    lr: float = 0.001
    momentum: float = 0.0
    epochs: int = 100
    steps_per_epoch: int = 1
    #: torch keywords filled from the common options of the same name (OneCycleLR's epochs).
    shared_keywords: tuple[str, ...] = ()
    #: the keyword that switches momentum cycling on, when the class can change momentum.
    momentum_switch: str | None = None
    needs_metric: bool = False
    composite: bool = False
    #: step(epoch + i / steps_per_epoch) is how torch documents per-batch stepping.
    fractional_epochs: bool = False
    example: str = ""
    aliases: tuple[str, ...] = field(default=())
    source: Source = "torch"
    #: Options set on every param group before the scheduler is built, not passed to it
    #: (timm's per-group ``lr_scale``).
    group_keys: tuple[str, ...] = ()
    #: Options accepted but not passed on (get_scheduler's counts a schedule does not take):
    #: a value given for one is warned about.
    ignored_keywords: tuple[str, ...] = ()
    #: What the target's module warned of while it was imported, for the user to read.
    notes: tuple[str, ...] = ()
    #: The constructor takes ``last_epoch``, so a run can resume by rebuilding with it.
    takes_last_epoch: bool = True

    @property
    def class_name(self) -> str:
        """The torch class name without its module, e.g. ``StepLR``."""
        return self.torch_class.rsplit(".", 1)[1]

    @property
    def recorded_name(self) -> str:
        """The name JSON records: the torch class name, else the whole import path."""
        return self.class_name if self.source == "torch" else self.torch_class

    @property
    def stem(self) -> str:
        """The default output file name, no suffix: ``step``, ``WarmupCosine``, ``hf-cosine``."""
        if self.source == "torch":
            return self.command
        return self.command.replace("/", "-") if self.source == "hf" else self.class_name

    @property
    def invocation(self) -> str:
        """How the command line names it: ``step``, ``mypkg.X``, ``hf cosine``."""
        return self.command.replace("/", " ")

    @property
    def per_step(self) -> bool:
        """Counted in training steps, not epochs (transformers' schedules): x axis 'step'."""
        return self.source == "hf"

    def option(self, name: str) -> Option | None:
        """The option for a torch keyword or its kebab-case flag spelling, if any."""
        wanted = name.lstrip("-").replace("-", "_").lower()
        for option in self.options:
            if wanted in (option.name.lower(), option.flag.lstrip("-").replace("-", "_")):
                return option
        return None
