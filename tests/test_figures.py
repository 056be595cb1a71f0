"""What a figure shows, read back from the drawn matplotlib objects: titles inside the
figure, tick labels that read on their own, legible marks, subtitles and axis names that
say what was run, the step axis when stepping per batch, and the default size."""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.colors import to_rgb
from PIL import Image

from lrplot import FigureStyle, build_spec, figure_for, simulate
from lrplot.draw.encoding import encode


def _figure(name: str, options: dict[str, object] | None = None, style=None, **run):
    return figure_for([simulate(build_spec(name, options or {}, **run))], style or FigureStyle())


def _inside(figure, text) -> bool:
    renderer = figure.canvas.get_renderer()
    box, page = text.get_window_extent(renderer), figure.bbox
    return box.x0 >= page.x0 - 0.5 and box.x1 <= page.x1 + 0.5


def test_titles_wrap_to_the_figure_and_are_never_clipped() -> None:
    title = "A very long title that says " + "a great deal about the run " * 4
    for size in ((4.0, 3.0), (8.0, 4.5)):
        figure = _figure("step", style=FigureStyle(title=title, size=size))
        drawn = figure.axes[0].title
        figure.canvas.draw()
        assert _inside(figure, drawn), size
        assert " ".join(drawn.get_text().split()) == " ".join(title.split())  # nothing lost
    narrow = _figure("step", style=FigureStyle(title=title, size=(4.0, 3.0))).axes[0].title
    assert narrow.get_text().count("\n") >= 2


def test_a_long_default_title_wraps_too() -> None:
    figure = _figure("sequential", steps_per_epoch=20, epochs=30)
    figure.canvas.draw()
    assert _inside(figure, figure.axes[0].title)


def test_small_lrs_get_tick_labels_that_read_alone() -> None:
    figure = _figure("exponential", {"gamma": "0.9"}, lr="1e-5", epochs=20,
                     style=FigureStyle(log_y=False))  # fmt: skip
    ax = figure.axes[0]
    figure.canvas.draw()
    assert ax.yaxis.get_offset_text().get_text() == ""  # no "1e-5" above the axis
    ticks = ax.get_yticks()
    labels = [label.get_text() for label in ax.get_yticklabels()]
    inside = [(t, lab) for t, lab in zip(ticks, labels, strict=True) if 0 < t <= 1.05e-5]
    assert inside and all("e-0" in lab for _, lab in inside)
    assert all(abs(float(lab) - t) <= 1e-3 * t for t, lab in inside)  # each says its value


def test_annotate_labels_are_legible() -> None:
    ax = _figure("step", style=FigureStyle(annotate=True)).axes[0]
    labels = [t for t in ax.texts if "0.5" in t.get_text()]
    assert labels
    for label in labels:
        assert label.get_fontsize() >= 9
        assert max(to_rgb(label.get_color())) <= 0.2  # dark on white


def test_the_subtitle_says_what_the_scheduler_set() -> None:
    onecycle = _figure("onecycle").axes[0].get_title().splitlines()[1]
    assert onecycle.startswith("SGD, lr set by OneCycleLR: max_lr/div_factor = 0.004")  # 0.1/25
    cyclic = _figure("cyclic").axes[0].get_title().splitlines()[1]
    assert cyclic.startswith("SGD, lr set by CyclicLR: base_lr = 5e-05")
    step = _figure("step").axes[0].get_title().splitlines()[1]
    assert step.startswith("SGD lr=0.001")


def _metric_axis(figure) -> str:
    return str(figure.axes[-1].get_ylabel())


def test_the_metric_axis_names_its_source(workdir: Path) -> None:
    assert _metric_axis(_figure("plateau")) == "synthetic validation loss"
    expr = _metric_axis(_figure("plateau", metric_expr="1 / (epoch + 1)"))
    assert expr == "metric: 1 / (epoch + 1)"
    (workdir / "val.csv").write_text("loss\n" + "\n".join(str(1 / (k + 1)) for k in range(50)))
    column = _metric_axis(_figure("plateau", metrics="val.csv:loss"))
    assert column == "metric from val.csv:loss"
    given = _figure("plateau", {"mode": "max"}, metrics="0.1,0.2,0.2,0.2,0.2,0.2")
    assert _metric_axis(given) == "metric from the given values (mode max)"


def test_per_batch_runs_get_a_step_axis_above() -> None:
    per_batch = _figure("onecycle")  # 10 epochs x 10 steps
    tops = [child for ax in per_batch.axes for child in ax.child_axes]
    assert len(tops) == 1 and tops[0].get_xlabel() == "scheduler step"
    assert not [c for ax in _figure("step").axes for c in ax.child_axes]


def test_resumed_runs_tick_whole_epochs() -> None:
    figure = _figure("step", epochs=20, start_epoch=7)
    figure.canvas.draw()
    assert all(float(t).is_integer() for t in figure.axes[0].get_xticks())


def test_the_default_png_is_1280_by_720() -> None:
    png = encode(_figure("step"), "png")
    assert Image.open(io.BytesIO(png)).size == (1280, 720)
    assert len(png) < 120_000
