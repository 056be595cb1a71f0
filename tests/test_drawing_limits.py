"""The drawing step's guards (issue 16, parts 5 and 7): lr ranges near float64's ends, text
matplotlib cannot draw or no file can hold, the pixel and panel budgets, thinned marks, the
contact sheet in tiles. Every test runs under -W error, so no library warning escapes."""

from __future__ import annotations

import io
import math
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from PIL import Image

from lrplot.draw import sheet
from lrplot.draw.figure import figure_for
from lrplot.errors import InputError
from lrplot.simulation.marks import MAX_MARKS
from lrplot.simulation.record import simulate
from lrplot.spec.build import build_spec
from lrplot.spec.style import MAX_PIXELS, FigureStyle, panels_size, style_from


def _lr_axes(curves, **style):
    return figure_for(curves, FigureStyle(**style)).axes[0]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "json", "csv"])
def test_a_title_of_undecodable_bytes_is_refused_naming_the_option(lrplot, workdir, fmt) -> None:
    result = lrplot("step", "--title", "a\udcff", "-o", f"a.{fmt}")  # argv byte 0xff
    assert result.code == 2, result.err
    assert result.err.startswith("lrplot: error: --title: 'a\\xff' is not valid text")
    assert len(result.err.splitlines()) == 1
    assert list(workdir.iterdir()) == []


def test_a_label_of_undecodable_bytes_is_refused(lrplot, workdir) -> None:
    result = lrplot("compare", "step", "cosine", "--label", "\udcfe", "-o", "c.json")
    assert result.code == 2 and "--label: '\\xfe' is not valid text" in result.err
    assert list(workdir.iterdir()) == []


def test_valid_mathtext_and_a_lone_dollar_are_drawn(lrplot, workdir) -> None:
    for title in ("$\\eta$ schedule", "costs $5"):
        result = lrplot("step", "--title", title, "-o", "t.png")
        assert result.code == 0, result.err
        assert (workdir / "t.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("control", ["\x1b", "\r", "\x00", "\x7f"])
def test_a_control_character_in_a_title_is_refused(lrplot, workdir, control) -> None:
    result = lrplot("step", "--title", f"a{control}[31mb", "-o", "t.png")
    assert result.code == 2, result.err
    assert f"holds the control character U+{ord(control):04X}" in result.err
    assert len(result.err.splitlines()) == 1
    assert list(workdir.iterdir()) == []


def test_text_beyond_ascii_that_the_font_has_is_drawn_without_a_word(lrplot, workdir) -> None:
    result = lrplot("step", "--title", "Lernrate für η: ½ → 0, “warm” — ≤ ∞", "-o", "t.png")
    assert (result.code, result.err) == (0, "")


@pytest.mark.parametrize("output", [["-o", "t.csv"], ["--preview"]])
def test_a_text_no_font_has_is_refused_only_when_a_figure_is_drawn(lrplot, workdir, output):
    result = lrplot("step", "--title", "学习率", "-n", "5", *output)
    assert (result.code, result.err) == (0, "")
    assert "学习率" in result.out or (workdir / "t.csv").exists()


def test_the_glyph_check_asks_the_font_matplotlib_would_use() -> None:
    import matplotlib

    from lrplot.draw.texts import check_glyphs

    check_glyphs([("η", "--title")])  # DejaVu Sans has it
    mono = matplotlib.rc_context({"font.family": "DejaVu Sans Mono"})
    with mono, pytest.raises(InputError, match=r"font \(DejaVu Sans Mono\) cannot draw: 学"):
        check_glyphs([("学", "--title")])


def test_a_metrics_file_named_in_chinese_is_named_with_escapes(lrplot, workdir) -> None:
    (workdir / "学习.txt").write_text("\n".join(str(1 / (k + 1)) for k in range(20)))
    result = lrplot("plateau", "--metrics", "学习.txt", "-n", "20", "-o", "p.svg")
    assert (result.code, result.err) == (0, ""), result.err  # no matplotlib glyph warning
    assert "metric from \\u5b66\\u4e60.txt" in (workdir / "p.svg").read_text()


def test_a_metrics_path_with_dollars_is_drawn_as_it_is(lrplot, workdir) -> None:
    (workdir / "a$^$.txt").write_text("\n".join(str(1 / (k + 1)) for k in range(20)))
    result = lrplot("plateau", "--metrics", "a$^$.txt", "-n", "20", "-o", "p.png")
    assert result.code == 0, result.err


def test_zeros_on_a_log_axis_are_a_warning_line(lrplot, workdir) -> None:
    # 1e-3 * 10**(-20 e) underflows to 0 from epoch 17 on: 13 of 30 rows (10**-343 < 5e-324)
    result = lrplot("lambda", "--lr-lambda", "10**(-epoch*20)", "-n", "30", "--log-y")
    assert result.code == 0, result.err
    (line,) = result.err.splitlines()
    assert line.startswith("lrplot: warning: --log-y: ")
    assert "0 or below in 13 of 30 rows (first at epoch 17)" in line


def test_an_lr_near_float64s_top_gets_finite_limits_and_ticks() -> None:
    spec = build_spec("lambda", {"lr_lambda": "10**(-epoch*20)"}, lr=[1e300], epochs=30)
    curve = simulate(spec)
    ax = _lr_axes([curve], log_y=True)
    low, high = ax.get_ylim()
    positive = curve.lr[curve.lr > 0]
    assert 0 < low <= positive.min() and positive.max() <= high <= 1e308
    ticks = ax.yaxis.get_majorticklocs()
    assert np.isfinite(ticks).all() and len(ticks) >= 4
    figure_for([curve], FigureStyle(log_y=True)).savefig(io.BytesIO(), format="png")


def test_an_lr_below_a_linear_axis_is_drawn_on_a_log_one() -> None:
    curve = simulate(build_spec("exponential", {"gamma": 1e-5}, lr=[1e-300], epochs=8))
    assert _lr_axes([curve]).get_yscale() == "log"
    with pytest.raises(InputError, match="--linear-y"):
        _lr_axes([curve], log_y=False)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_an_lr_above_a_linear_axis_is_drawn_on_a_log_one(fmt: str) -> None:
    """matplotlib's linear tick locator overflows near 1e308 (arange cannot compute length)."""
    curve = simulate(build_spec("step", lr=[1e308], epochs=10))
    ax = _lr_axes([curve])
    assert ax.get_yscale() == "log"
    assert np.isfinite(ax.yaxis.get_majorticklocs()).all()
    figure_for([curve], FigureStyle()).savefig(io.BytesIO(), format=fmt)  # -W error: no warning
    with pytest.raises(InputError, match="too large for a linear axis"):
        _lr_axes([curve], log_y=False)


@pytest.mark.parametrize(
    ("lr", "gamma", "label"),
    [
        (1e308, 0.5, "log scale: over 1e+280"),  # the magnitude, not the span, chose log
        (1e-300, 0.5, "log scale: under 1e-280"),
        (1e-3, 0.1, "log scale: spans 9 decades"),  # 1e-3 down to 1e-12 in 9 cuts of 10
    ],
)
def test_an_automatic_log_axis_says_why(lr: float, gamma: float, label: str) -> None:
    curve = simulate(build_spec("step", {"step_size": 10, "gamma": gamma}, lr=[lr], epochs=100))
    assert _lr_axes([curve]).get_ylabel() == f"learning rate ({label})"


def test_the_pixel_budget_is_the_documented_50_megapixels() -> None:
    assert MAX_PIXELS == 50_000_000
    assert style_from({"size": "100x100", "dpi": 70}).dpi == 70  # 49,000,000 pixels
    with pytest.raises(InputError, match="50,410,000 pixels"):
        style_from({"size": "100x100", "dpi": 71})


def test_a_million_marks_are_thinned_to_a_few_hundred_evenly() -> None:
    curve = simulate(build_spec("step", {"step_size": 1}, epochs=100_000))
    assert curve.mark_count == 99_999  # a mark at every epoch 1 .. 99,999
    epochs = [m.epoch for m in curve.marks]
    assert MAX_MARKS <= len(epochs) <= 2 * MAX_MARKS
    gaps = set(np.diff(epochs))
    assert len(gaps) == 1 and math.log2(gaps.pop()).is_integer()  # every 2**k-th mark
    assert epochs[0] == 1 and curve.marks[0].text == "\u00d70.5 every 1"
    ax = _lr_axes([curve], annotate=True)
    assert len(ax.lines) == 1  # the lr alone: the marks are one collection
    assert [c for c in ax.collections if isinstance(c, LineCollection)]
    assert any(f"of {99_999:,} marks drawn" in t.get_text() for t in ax.texts)


def test_a_few_marks_are_kept_and_drawn_one_by_one() -> None:
    curve = simulate(build_spec("step", {}, epochs=100))
    assert curve.mark_count == len(curve.marks) == 9
    assert len(_lr_axes([curve], annotate=True).lines) == 1 + 9


def test_panels_grow_a_row_each_and_stay_under_the_panel_limit(lrplot, workdir) -> None:
    specs = [f"step:step_size={i}" for i in range(1, 25)]
    result = lrplot("compare", *specs, "--layout", "panels", "-o", "p.png")
    assert result.code == 0, result.err
    with Image.open(workdir / "p.png") as png:
        height = png.height
    assert height == round(panels_size(FigureStyle(), 24)[1] * 160) == round((0.6 + 24 * 1.1) * 160)
    assert panels_size(FigureStyle(size=(8, 7)), 3) == (8, 7)  # the guide's panels: as asked


def test_an_overlay_of_many_curves_leaves_out_the_legend() -> None:
    curves = [simulate(build_spec("step", {"step_size": i}, label=f"s{i}")) for i in range(1, 31)]
    ax = _lr_axes(curves)
    assert ax.get_legend() is None
    assert any("30 curves: no legend" in t.get_text() for t in ax.texts)


@pytest.mark.parametrize(
    "title",
    ["W" * 300, "WWW MMMM " * 30, "StepLR(step_size=10, gamma=0.5), " * 8, "x" * 400],
)
@pytest.mark.parametrize("size", [(8.0, 4.5), (4.0, 4.0)])
def test_a_title_of_wide_characters_is_wrapped_inside_the_figure(title, size) -> None:
    curves = [simulate(build_spec("step", {}))]
    figure = figure_for(curves, FigureStyle(title=title, size=size))
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    drawn = [t for t in (figure._suptitle, *(ax.title for ax in figure.axes)) if t is not None]
    lines = [t for t in drawn if t.get_text()]
    assert lines
    for text in lines:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, (text.get_text()[:40], extent, box)


def _solid(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), color).save(buffer, format="png")
    return buffer.getvalue()


def test_a_big_contact_sheet_is_tiles_with_each_figure_in_its_cell() -> None:
    colors = [(i * 8 % 256, 255 - i * 5 % 256, i * 3 % 256) for i in range(31)]
    images = [(f"f{i}", _solid(color)) for i, color in enumerate(colors)]
    data = b"".join(sheet.sheet_png(images))
    with Image.open(io.BytesIO(data)) as png:
        png.load()
        assert png.size == (3 * 400, 11 * 250) and png.mode == "RGB"
        for i, color in enumerate(colors):
            row, column = divmod(i, 3)
            assert png.getpixel((column * 400 + 200, row * 250 + 140)) == color
        assert png.getpixel((2 * 400 + 200, 10 * 250 + 140)) == (255, 255, 255)  # no cell


def _sheet_peak(count: int) -> int:
    images = [(f"f{i}", _solid((i % 256, 0, 0))) for i in range(count)]
    tracemalloc.start()
    try:
        for _ in sheet.sheet_png(images):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_tiled_sheet_does_not_grow_with_the_figure_count() -> None:
    assert _sheet_peak(150) < 1.3 * _sheet_peak(30)


def test_a_small_contact_sheet_is_still_one_figure(tmp_path: Path) -> None:
    from lrplot.draw.encoding import encode

    images = [(f"f{i}", _solid((0, 0, i))) for i in range(3)]
    assert sheet.sheet_png(images) == encode(sheet.contact_sheet(images), "png")


@pytest.mark.parametrize(
    ("command", "options", "lr", "size"),
    [
        ("cosine", {"T_max": 500_000}, None, (8.0, 4.5)),  # x once read 0..1.0 with 1e6 aside
        ("onecycle", {}, None, (8.0, 3.5)),  # ticks at 0.025 and 0.075 once read 0.03, 0.08
        ("cosine", {}, [1.0], (8.0, 2.5)),  # 0.25 and 0.75 once read 0.2 and 0.8
        ("cosine", {}, None, (8.0, 4.5)),
        ("step", {"step_size": 10, "gamma": 0.5}, None, (4.0, 3.0)),
        ("exponential", {"gamma": 0.9}, [1e-5], (6.0, 2.0)),
        ("lambda", {"lr_lambda": "1 + 1e-7*epoch/100"}, [1e-3], (8.0, 4.5)),  # read 0.001 x6
    ],
)
def test_every_tick_label_reads_as_its_ticks_value(command, options, lr, size) -> None:
    epochs = 2 * options["T_max"] if "T_max" in options else None
    curve = simulate(build_spec(command, options, lr=lr, epochs=epochs))
    figure = figure_for([curve], FigureStyle(size=size, log_y=False))
    figure.canvas.draw()
    for axis in (figure.axes[0].yaxis, figure.axes[0].xaxis):
        low, high = sorted(axis.get_view_interval())
        step = abs(np.diff(axis.get_majorticklocs())).min()
        shown = [(t.get_loc(), t.label1.get_text()) for t in axis.get_major_ticks()]
        shown = [(loc, text) for loc, text in shown if text and low <= loc <= high]
        assert len(shown) >= 2
        for location, text in shown:
            assert abs(float(text) - location) <= 1e-6 * step, (text, location)


@pytest.mark.parametrize("count", [2, 4, 6])
@pytest.mark.parametrize("size", [(8.0, 4.5), (4.0, 3.0)])
def test_panel_labels_stay_in_their_panels(count, size) -> None:
    # A log panel's label "learning rate (log scale: spans 3 decades)" ran into the next
    # panel and off the figure's top.
    commands = ["step", "cosine", "onecycle", "exponential", "multistep", "linear"][:count]
    curves = [simulate(build_spec(command, {}, label=command)) for command in commands]
    figure = figure_for(curves, FigureStyle(size=size, panels=True))
    renderer = figure.canvas.get_renderer()
    boxes = [ax.yaxis.label.get_window_extent(renderer) for ax in figure.axes]
    for box, ax in zip(boxes, figure.axes, strict=True):
        panel = ax.get_window_extent(renderer)
        assert figure.bbox.y0 <= box.y0 and box.y1 <= figure.bbox.y1
        assert panel.y0 - 1 <= box.y0 and box.y1 <= panel.y1 + 1, (ax.get_ylabel(), box, panel)
    assert any("log scale" in ax.get_title() for ax in figure.axes)  # said, in the title


def test_up_to_24_overlaid_curves_never_share_a_colour() -> None:
    from matplotlib.colors import to_rgba

    # Curve 11 was C10, which matplotlib reads as C0: step and cosine-restarts were one blue.
    curves = [simulate(build_spec("step", {"step_size": i}, label=f"s{i}")) for i in range(1, 25)]
    lines = [line for line in _lr_axes(curves).get_lines() if line.get_label().startswith("s")]
    assert len(lines) == 24
    assert len({to_rgba(line.get_color()) for line in lines}) == 24


def test_a_formula_is_left_to_mathtext_and_its_own_fallback_fonts() -> None:
    from lrplot.draw.texts import check_glyphs, plain_part

    assert plain_part("学 $\\eta$ and $⌚$") == "学  and "
    assert plain_part("costs $5") == "costs $5"  # a lone $ is text
    check_glyphs([("$⌚$", "--title")])  # mathtext draws it through STIX: not refused
    with pytest.raises(InputError, match="cannot draw: 学"):
        check_glyphs([("学 $\\eta$", "--title")])


def test_more_curves_than_a_short_colour_cycle_still_differ() -> None:
    import matplotlib
    from matplotlib.colors import to_rgba

    curves = [simulate(build_spec("step", {"step_size": i}, label=f"s{i}")) for i in range(1, 7)]
    with matplotlib.rc_context({"axes.prop_cycle": matplotlib.cycler(color=["r", "g", "b"])}):
        lines = [ln for ln in _lr_axes(curves).get_lines() if ln.get_label().startswith("s")]
        colours = [to_rgba(line.get_color()) for line in lines]
    assert colours[:3] == [to_rgba(c) for c in ("r", "g", "b")] and len(set(colours)) == 6
