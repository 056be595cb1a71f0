"""The one path every figure takes: FigureSpec -> simulate -> encode on demand -> atomic files.

The command line, ``render`` and ``check`` all go through :func:`realise`, so a figure from a
manifest and the same figure from the command line are made by the same code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from lrplot.errors import InputError
from lrplot.files.targets import Target, write_all
from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.style import MAX_PANELS, FigureStyle, check_pixels, panels_size

FIGURE_FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class DescentSpec:
    """The opening figure: SGD on a quadratic with several learning rates."""

    lrs: tuple[float, ...]
    steps: int
    start: float


@dataclass(frozen=True)
class FigureSpec:
    """One figure: its curves (or a descent), how it looks, and the command that makes it."""

    name: str
    curves: tuple[CurveSpec, ...] = ()
    style: FigureStyle = field(default_factory=FigureStyle)
    descent: DescentSpec | None = None
    command: tuple[str, ...] = ()
    #: Where the figure was given (``figures.toml: figure 'warmup'``), put before errors that
    #: do not name it already: a scheduler's own code does not know its figure.
    where: str = ""


class Rendered:
    """A realised figure: its data, and its files encoded on demand (the Figure drawn once)."""

    def __init__(self, spec: FigureSpec, data: Any) -> None:
        self.spec = spec
        self.data = data  # list[Curve], or a descent result
        self._figure: Any = None

    @property
    def curves(self) -> list[Any]:
        """The simulated curves (empty for a descent figure)."""
        return [] if self.spec.descent else list(self.data)

    def figure(self) -> Any:
        """The matplotlib Figure, drawn on first use."""
        if self._figure is None:
            from lrplot.draw.texts import check_glyphs

            check_glyphs(figure_texts(self.spec))  # a terminal or a CSV file shows any text
            if self.spec.descent:
                from lrplot.draw.descent import descent_figure

                self._figure = descent_figure(self.data, self.spec.style)
            else:
                from lrplot.draw.figure import figure_for

                self._figure = figure_for(self.data, self.spec.style)
        return self._figure

    def document(self) -> dict[str, Any]:
        """The JSON document of this figure."""
        from lrplot.files import export

        command = list(self.spec.command) or None
        if self.spec.descent:
            from lrplot.simulation.descent import descent_document

            document = descent_document(self.data)
            return export.header(command, document.pop("torch_version", "")) | document
        return export.json_document(self.data, command)

    def encode_many(self, formats: Sequence[str]) -> dict[str, bytes]:
        """Each format's bytes, the figure drawn once and then let go (batches stay small)."""
        try:
            return {fmt: self.encode(fmt) for fmt in formats}
        finally:
            self._figure = None

    def encode(self, fmt: str) -> bytes:
        """The figure's bytes in ``fmt`` (png, svg, pdf, csv or json)."""
        return b"".join(self.stream(fmt))

    def stream(self, fmt: str) -> Iterator[bytes]:
        """The bytes of :meth:`encode` in chunks: CSV and JSON are made as they are written."""
        if fmt in FIGURE_FORMATS:
            from lrplot.draw.encoding import encode

            return iter([encode(self.figure(), fmt)])
        from lrplot.files import export

        if self.spec.descent:
            from lrplot.simulation.descent import descent_csv

            data = export.json_bytes(self.document()) if fmt == "json" else descent_csv(self.data)
            return iter([data])
        if fmt == "json":
            command = list(self.spec.command) or None
            return export.json_chunks(export.json_document(self.data, command, arrays=True))
        return export.csv_chunks(self.data)


def realise(spec: FigureSpec) -> Rendered:
    """Run the simulation (or the descent) a FigureSpec describes."""
    try:
        return _realise(spec)
    except InputError as error:
        if not spec.where or error.where.startswith(spec.where):
            raise
        where = f"{spec.where}: {error.where}"
        raise InputError(where, error.value, error.problem, error.fix) from None


def _realise(spec: FigureSpec) -> Rendered:
    check_figure(spec)
    if spec.descent is not None:
        from lrplot.simulation.descent import descend

        d = spec.descent
        return Rendered(spec, descend(d.lrs, steps=d.steps, start=d.start))
    from lrplot.simulation.record import simulate

    if spec.style.x_axis is None and spec.curves:  # the schedule's own unit
        unit = "step" if all(c.scheduler.per_step for c in spec.curves) else "epoch"
        spec = replace(spec, style=replace(spec.style, x_axis=unit))
    return Rendered(spec, [simulate(curve) for curve in spec.curves])


def check_figure(spec: FigureSpec) -> None:
    """What a figure asks to draw, refused before any work: more panels than MAX_PANELS, a
    title or label matplotlib cannot draw (mathtext that does not parse) or no file can hold."""
    from lrplot.draw.texts import check_texts

    if spec.style.panels and len(spec.curves) > MAX_PANELS:
        raise InputError(
            spec.style.layout_where,
            "panels",
            f"draws one panel per curve, at most {MAX_PANELS}, and this figure has "
            f"{len(spec.curves)} curves",
            'use --layout overlay (layout = "overlay"), or split the curves into figures',
        )
    if spec.style.panels and len(spec.curves) > 1:  # taller than asked: one row per panel
        size = panels_size(spec.style, len(spec.curves))
        shown = f"{size[0]:g}x{size[1]:g}, grown for {len(spec.curves)} panels,"
        check_pixels(size, spec.style.dpi, shown, lambda key: f"--{key}")
    check_texts(figure_texts(spec))


def figure_texts(spec: FigureSpec) -> list[tuple[str | None, str]]:
    """The texts the user gave a figure (its title, its curves' labels), with where from."""
    texts = [(spec.style.title, spec.style.title_where)]
    return texts + [(c.label, c.names.get("label", "--label")) for c in spec.curves]


def write(rendered: Rendered, targets: Sequence[Target]) -> list[str]:
    """Write a realised figure to every target atomically; returns the written paths."""
    return write_all(targets, rendered.stream)
