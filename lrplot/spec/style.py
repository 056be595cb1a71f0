"""How a figure should look, as plain data (no matplotlib import, so data outputs stay light)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lrplot.errors import InputError
from lrplot.schedulers.entry import Bound
from lrplot.spec.values import to_bool, to_float, to_int

#: The figure options, by key, shared by the command line and manifests.
STYLE_KEYS = ("title", "log_y", "annotate", "dpi", "size", "momentum_panel", "layout", "x_axis")
LAYOUTS = ("overlay", "panels")
#: The most pixels a figure may have (width x dpi times height x dpi): 50 megapixels. Agg
#: holds 4 bytes a pixel (RGBA) while drawing, measured at 4.1 B/px with the PNG encoder, so
#: the largest figure adds about 200 MiB to the run; 8x4.5 inches at dpi 160 is 0.9 MP. The
#: same bound holds for SVG and PDF, which are drawn at the same size (it costs no memory
#: there, but a dpi past it has no use in a vector file).
MAX_PIXELS = 50_000_000
#: The most curves ``--layout panels`` draws, one panel each: past it the panels are slivers
#: (24 in 4.5 inches are already small) and drawing takes minutes. Overlay has no limit.
MAX_PANELS = 24
#: Inches a panel needs for its title, ticks and line, and the figure's own title and axis:
#: a panels figure grows taller than its size to give each that (4 panels and up at 8x4.5).
PANEL_HEIGHT = 1.1
PANELS_MARGIN = 0.6


def panels_size(style: FigureStyle, count: int) -> tuple[float, float]:
    """The size of a figure of ``count`` panels: ``style.size``, taller if they need it."""
    width, height = style.size
    return width, max(height, PANELS_MARGIN + PANEL_HEIGHT * count)


X_AXES = ("epoch", "step")


@dataclass(frozen=True)
class FigureStyle:
    """How a figure looks; the defaults give the same bytes for the same data."""

    title: str | None = None
    log_y: bool | None = None  # None: switch to log when most of the lr hugs the floor
    annotate: bool = False
    dpi: int = 160  # 8 x 4.5 inches: 1280 x 720 pixels, sharp on a README or a dense screen
    size: tuple[float, float] = (8.0, 4.5)
    momentum_panel: bool = True
    panels: bool = False  # several curves: one panel each instead of overlaid
    #: "epoch", or "step" (scheduler steps); None: the schedule's own unit (transformers'
    #: schedules count steps, everything else epochs).
    x_axis: str | None = None
    #: How errors name the title: ``--title``, or a manifest's field.
    title_where: str = field(default="--title", compare=False)
    layout_where: str = field(default="--layout", compare=False)


def _cli_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def parse_size(raw: object, where: str = "--size") -> tuple[float, float]:
    """``8x4.5`` -> (8.0, 4.5) inches."""
    parts = str(raw).lower().split("x")
    if len(parts) != 2:
        raise InputError(where, raw, "is not WIDTHxHEIGHT", "e.g. 8x4.5 (inches)")
    width, height = (to_float(p, where, None, "8x4.5") for p in parts)
    if not (0.5 <= width <= 100 and 0.5 <= height <= 100):
        raise InputError(where, raw, "must be between 0.5 and 100 inches per side", "e.g. 8x4.5")
    return width, height


def style_from(
    values: Mapping[str, object], namer: Callable[[str], str] = _cli_name
) -> FigureStyle:
    """A checked FigureStyle from raw values (text or TOML values); missing keys: defaults."""
    title = values.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(namer("title"), title, "must be text", 'e.g. "StepLR"')
    log_y = values.get("log_y")
    if log_y is not None and log_y != "auto":
        log_y = to_bool(log_y, namer("log_y"))
    layout = values.get("layout", "overlay")
    if layout not in LAYOUTS:
        raise InputError(
            namer("layout"), layout, f"must be one of {', '.join(LAYOUTS)}", 'e.g. "panels"'
        )
    x_axis = values.get("x_axis")
    if x_axis is not None and x_axis not in X_AXES:
        raise InputError(namer("x_axis"), x_axis, "must be epoch or step", "e.g. step")
    dpi = to_int(values.get("dpi", FigureStyle.dpi), namer("dpi"), Bound(10, 1200), 160)
    size = parse_size(values.get("size", "8x4.5"), namer("size"))
    check_pixels(size, dpi, values.get("size", "8x4.5"), namer)
    return FigureStyle(
        title=title,
        log_y=None if log_y == "auto" else log_y,  # type: ignore[arg-type]
        annotate=to_bool(values.get("annotate", False), namer("annotate")),
        dpi=dpi,
        size=size,
        momentum_panel=to_bool(values.get("momentum_panel", True), namer("momentum_panel")),
        panels=layout == "panels",
        x_axis=None if x_axis is None else str(x_axis),
        title_where=namer("title"),
        layout_where=namer("layout"),
    )


def check_pixels(
    size: tuple[float, float], dpi: int, shown: object, namer: Callable[[str], str] = _cli_name
) -> None:
    """Refuse a figure of more than MAX_PIXELS pixels, before any work, with a dpi that fits."""
    pixels = size[0] * dpi * size[1] * dpi
    if pixels <= MAX_PIXELS:
        return
    fits = max(10, math.floor(math.sqrt(MAX_PIXELS / (size[0] * size[1]))))
    size_name = namer("size") if namer("size").startswith("--") else "size"
    raise InputError(
        namer("dpi"),
        dpi,
        f"with {size_name} {shown} (inches) asks for {pixels:,.0f} pixels, over the limit of "
        f"{MAX_PIXELS:,} (50 megapixels)",
        f"lower the dpi (at most {fits} at that size) or the size",
    )
