"""--preview: the lr as a braille text chart on stdout, held to closed forms.

The chart is read back the way a person reads it: its tick labels as numbers, its braille
cells as dots (decoded with the Unicode braille pattern bits, not with plotille), so a test
can say where the line is and compare that with the schedule's closed form.
"""

from __future__ import annotations

import fcntl
import math
import os
import re
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass
from pathlib import Path

import plotille
import pytest

from lrplot.draw.preview import Terminal, preview, terminal
from lrplot.spec.build import spec_from_string
from lrplot.spec.style import FigureStyle

ROOT = Path(__file__).resolve().parent.parent
#: Unicode braille patterns: bit k of (code - U+2800) is dot k+1; (column, row from the top).
BRAILLE_DOTS = {
    0x01: (0, 0), 0x02: (0, 1), 0x04: (0, 2), 0x40: (0, 3),
    0x08: (1, 0), 0x10: (1, 1), 0x20: (1, 2), 0x80: (1, 3),
}  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _no_terminal_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from an unknown terminal size and no colour settings."""
    for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Chart:
    """A preview read back: its lines, y labels (top first), canvas rows and x ticks."""

    lines: list[str]
    y_labels: list[str]  # the line above the canvas first, then one per canvas row
    canvas: list[str]
    x_ticks: list[float]
    x_label: str

    @property
    def rows(self) -> int:
        return len(self.canvas)

    def dots(self) -> set[tuple[int, int]]:
        """Every lit braille dot as (x from the left, y from the bottom), in dots."""
        found = set()
        height = 4 * self.rows
        for row, text in enumerate(self.canvas):
            for column, char in enumerate(text):
                code = ord(char) - 0x2800
                if not 0 <= code <= 0xFF:
                    continue  # a curve's marker digit
                for bit, (dx, dy) in BRAILLE_DOTS.items():
                    if code & bit:
                        found.add((2 * column + dx, height - 1 - (4 * row + dy)))
        return found


def read_chart(text: str) -> Chart:
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.endswith("^"))
    axis = next(i for i, line in enumerate(lines) if line.startswith("-----------|"))
    body = lines[top + 1 : axis]
    ticks = lines[axis + 1][13:].split()
    label = re.search(r"-> \((.*)\)$", lines[axis])
    assert label is not None, lines[axis]
    return Chart(
        lines=lines,
        y_labels=[line[:10].strip() for line in body],
        canvas=[line[13:] for line in body[1:]],
        x_ticks=[float(t) for t in ticks],
        x_label=label[1],
    )


def test_the_chart_goes_to_stdout_and_no_file_is_written(lrplot, workdir: Path) -> None:
    result = lrplot("step", "--preview")
    assert result.code == 0, result.err
    assert list(workdir.iterdir()) == []  # not even step.png
    assert result.out.splitlines()[0] == "StepLR(step_size=10, gamma=0.5)"
    assert read_chart(result.out).x_label == "epoch"


def test_with_output_it_writes_the_files_and_prints_the_chart(lrplot, workdir: Path) -> None:
    result = lrplot("step", "-n", "30", "--preview", "-o", "s.csv", "-o", "s.png")
    assert result.code == 0, result.err
    assert sorted(p.name for p in workdir.iterdir()) == ["s.csv", "s.png"]
    assert result.out.splitlines()[-2:] == ["s.csv", "s.png"]  # the paths after the chart
    assert read_chart(result.out).rows == 20
    assert (workdir / "s.csv").read_text().splitlines()[1:3] == ["0,0.0,0.001", "1,1.0,0.001"]


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_the_chart_fits_the_width_it_is_given(lrplot, monkeypatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = lrplot("compare", "step", "cosine:T_max=100", "onecycle", "--preview")
    assert result.code == 0, result.err
    widths = [len(line) for line in result.out.splitlines()]
    assert max(widths) <= columns
    assert max(widths) >= 0.6 * columns  # and uses it: the ticks' round steps cost < 40%


def test_an_unknown_terminal_gets_80_columns_and_20_rows(lrplot) -> None:
    result = lrplot("cosine", "--preview")  # stdout is captured here: not a terminal
    assert max(len(line) for line in result.out.splitlines()) <= 80
    assert read_chart(result.out).rows == 20


@pytest.mark.parametrize("lines", [12, 24, 60])
def test_the_chart_fits_the_height_it_is_given(lrplot, monkeypatch, lines: int) -> None:
    monkeypatch.setenv("LINES", str(lines))
    result = lrplot("onecycle", "--preview")
    rows = read_chart(result.out).rows
    # The whole chart and the next prompt fit, down to 5 rows of plot, up to 40.
    assert rows == min(40, lines - 7)
    assert len(result.out.splitlines()) + 1 <= lines or rows == 5


def test_the_y_labels_are_the_lr_values_of_the_rows(lrplot) -> None:
    # lr 1 halving every 10 epochs on a linear axis (asked for: by default it spans three
    # decades and turns logarithmic) from 0 to 1, 20 rows of 0.05 each; the line above the
    # canvas is the top, 1.
    result = lrplot("step", "--lr", "1", "--step-size", "10", "--gamma", "0.5", "--preview",
                    "--linear-y")  # fmt: skip
    chart = read_chart(result.out)
    values = [float(label) for label in chart.y_labels]
    assert values == [pytest.approx(i / 20, abs=1e-12) for i in range(20, -1, -1)]
    assert chart.y_labels[0] == "1" and chart.y_labels[-1] == "0"
    assert values[-1] <= 0.5**9  # the lowest label is at or below the smallest lr


@pytest.mark.parametrize("lines", [13, 15, 16])
def test_labels_of_rows_that_are_not_round_stay_near_their_values(lrplot, monkeypatch, lines):
    # A constant lr 1 in h = LINES - 6 rows: row i starts at i / h (1/7, 1/9, 1/10 ...).
    monkeypatch.setenv("LINES", str(lines))
    chart = read_chart(lrplot("step", "--lr", "1", "-n", "5", "--preview").out)
    h = lines - 6
    assert chart.rows == h
    values = [float(label) for label in chart.y_labels]
    assert all(abs(v - i / h) <= 0.1 / h for v, i in zip(values, range(h, -1, -1), strict=True))


def test_a_log_axis_labels_each_row_with_its_decade(lrplot) -> None:
    # ExponentialLR, lr 1e-4, gamma 0.5: 1e-4 x 0.5**99 at the end, 30 decades down, so the
    # axis is logarithmic; row i of 20 (from the bottom) starts at low x (high/low)**(i/20).
    result = lrplot("exponential", "--preview")
    chart = read_chart(result.out)
    assert re.search(r"\(lr, log\)", result.out)
    high, low = 1e-4, 1e-4 * 0.5**99
    expected = [low * (high / low) ** (i / 20) for i in range(20, -1, -1)]
    assert [float(t) for t in chart.y_labels] == [pytest.approx(v, rel=0.05) for v in expected]
    assert all(re.fullmatch(r"\d(\.\d+)?e-\d\d", t) for t in chart.y_labels)  # no offset


def test_the_x_ticks_are_round_and_cover_the_run(lrplot) -> None:
    result = lrplot("step", "--preview")
    ticks = read_chart(result.out).x_ticks
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0
    assert ticks == [pytest.approx(i * step) for i in range(len(ticks))]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
    assert ticks[-1] + step >= 100  # the last step of the run ends at epoch 100


def _lit_columns(chart: Chart) -> dict[int, set[int]]:
    columns: dict[int, set[int]] = {}
    for x, y in chart.dots():
        columns.setdefault(x, set()).add(y)
    return columns


def test_the_line_is_where_the_closed_form_puts_it(lrplot, monkeypatch) -> None:
    # StepLR from lr 1, x0.5 every 10 epochs: in every dot column away from a drop, exactly
    # one dot is lit, within one dot of 0.5 ** (epoch // 10) on the 0..1 axis.
    monkeypatch.setenv("COLUMNS", "80")
    result = lrplot("step", "--lr", "1", "--preview", "--linear-y")
    chart = read_chart(result.out)
    epochs_per_dot = (chart.x_ticks[1] - chart.x_ticks[0]) / 20  # 10 characters a tick
    lr_per_dot = 1.0 / (4 * chart.rows)
    columns = _lit_columns(chart)
    checked = 0
    for x, ys in sorted(columns.items()):
        epoch = x * epochs_per_dot
        if abs(epoch - 10 * round(epoch / 10)) < 1.5 * epochs_per_dot:
            continue  # the drop itself is a vertical stroke
        assert len(ys) == 1, (epoch, ys)
        assert abs(ys.pop() * lr_per_dot - 0.5 ** (epoch // 10)) <= lr_per_dot
        checked += 1
    assert checked >= 60
    first, last = min(columns), max(columns)
    assert min(columns[first]) >= 4 * chart.rows - 4  # starts in the top row ...
    assert max(columns[last]) < 4  # ... and ends in the bottom one (0.5**9 of the top)
    assert last * epochs_per_dot == pytest.approx(100, abs=epochs_per_dot)


def test_compare_draws_a_legend_and_a_digit_per_curve(lrplot, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = lrplot(
        "compare", "step:step_size=30", "cosine:T_max=100", "onecycle:max_lr=0.001",
        "--label", "step", "--label", "cosine", "--label", "one cycle", "--preview",
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "3 schedules, 100 epochs"
    assert lines[-4:] == [
        "⠤1⠤ step",
        "⠤2⠤ cosine",
        "⠤3⠤ one cycle",
        "(lr only: momentum not drawn)",  # onecycle cycles SGD's momentum
    ]
    canvas = "".join(read_chart(result.out).canvas)
    assert all(canvas.count(digit) >= 3 for digit in "123")


def test_plotille_never_gets_a_million_points(lrplot, monkeypatch) -> None:
    sizes: list[int] = []
    plot = plotille.Figure.plot

    def counting(self, x, y, *args, **kwargs):
        sizes.append(len(x))
        return plot(self, x, y, *args, **kwargs)

    monkeypatch.setattr(plotille.Figure, "plot", counting)
    result = lrplot("onecycle", "-n", "1000", "--steps-per-epoch", "1000", "--preview")
    assert result.code == 0, result.err
    assert max(len(line) for line in result.out.splitlines()) <= 80
    assert sizes and max(sizes) < 2000  # the envelope of ~120 dot columns, not 1,000,000
    columns = _lit_columns(read_chart(result.out))
    peak = max(columns, key=lambda x: max(columns[x]))  # OneCycleLR peaks at pct_start 0.3
    assert peak / max(columns) == pytest.approx(0.3, abs=0.02)


def test_what_is_not_drawn_is_said_in_one_line(lrplot) -> None:
    assert lrplot("plateau", "--preview").out.splitlines()[-1] == "(lr only: metric not drawn)"
    adam = lrplot("onecycle", "--optimizer", "adam", "--preview").out.splitlines()[-1]
    assert adam == "(lr only: beta1 not drawn)"
    assert "not drawn" not in lrplot("step", "--preview").out


def test_transformers_schedules_count_steps(lrplot) -> None:
    # hf cosine with 2 warm-up steps of 10, lr 10: 0, 5, 10, then the half cosine down.
    result = lrplot(
        "hf", "cosine", "--num-warmup-steps", "2", "--num-training-steps", "10", "--lr", "10",
        "--preview",
    )  # fmt: skip
    assert result.code == 0, result.err
    chart = read_chart(result.out)
    assert chart.x_label == "step"
    assert chart.y_labels[0] == "10"
    columns = _lit_columns(chart)
    assert min(columns[min(columns)]) == 0  # step 0: lr 0, the bottom dot
    steps_per_dot = (chart.x_ticks[1] - chart.x_ticks[0]) / 20
    peak = max(columns, key=lambda x: max(columns[x]))
    assert 2 <= peak * steps_per_dot < 3  # lr 10 from step 2 until step 3


def test_an_import_path_scheduler_previews(lrplot, user_module) -> None:
    name = user_module(
        "sched_halve",
        """
        from torch.optim.lr_scheduler import ExponentialLR

        class Halve(ExponentialLR):
            def __init__(self, optimizer, last_epoch=-1):
                super().__init__(optimizer, 0.5, last_epoch)
        """,
    )
    result = lrplot(f"{name}.Halve", "--lr", "1", "-n", "4", "--preview", "--linear-y")
    assert result.code == 0, result.err
    chart = read_chart(result.out)
    assert chart.y_labels[0] == "1"
    columns = _lit_columns(chart)
    epochs_per_dot = (chart.x_ticks[1] - chart.x_ticks[0]) / 20
    lr_per_dot = 1.0 / (4 * chart.rows)
    for epoch in (0.5, 1.5, 2.5, 3.5):  # mid-epoch: lr 0.5 ** floor(epoch)
        (y,) = columns[round(epoch / epochs_per_dot)]
        assert abs(y * lr_per_dot - 0.5 ** math.floor(epoch)) <= lr_per_dot


def test_quiet_keeps_the_chart_and_a_title_is_cut_to_the_width(lrplot, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = lrplot("step", "--preview", "-q", "--title", "a very long title " * 10)
    first = result.out.splitlines()[0]
    assert len(first) == 60 and first.endswith("...") and first.startswith("a very long")


def test_the_terminal_size_and_colour_come_from_the_environment() -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    class Pipe:
        def isatty(self) -> bool:
            return False

    assert terminal(Pipe(), {}) == Terminal(80, None, False)  # type: ignore[arg-type]
    sized = terminal(Pipe(), {"COLUMNS": "132", "LINES": "50"})  # type: ignore[arg-type]
    assert sized == Terminal(132, 50, False)
    assert terminal(Pipe(), {"COLUMNS": "wide"}).columns == 80  # type: ignore[arg-type]
    tty = terminal(Tty(), {"COLUMNS": "100", "LINES": "30"})  # type: ignore[arg-type]
    assert tty == Terminal(100, 30, True)
    no_colour = terminal(Tty(), {"COLUMNS": "100", "LINES": "30", "NO_COLOR": "1"})  # type: ignore[arg-type]
    assert no_colour.colour is False


def test_colours_are_one_per_curve_and_change_nothing_else(monkeypatch) -> None:
    curves = [
        _curve(text) for text in ("step:step_size=30", "cosine:T_max=100", "exponential:gamma=0.9")
    ]
    style = FigureStyle(x_axis="epoch")
    plain = preview(curves, style, Terminal(80, None, False))
    monkeypatch.setenv("FORCE_COLOR", "1")  # plotille colours only a terminal otherwise
    coloured = preview(curves, style, Terminal(80, None, True))
    codes = set(ANSI.findall(coloured)) - {"\x1b[0m"}
    assert len(codes) == 3
    assert ANSI.sub("", coloured) == plain
    assert ANSI.findall(plain) == []


def _curve(text: str):
    from lrplot.simulation.record import simulate

    return simulate(spec_from_string(text, where="SPEC", lr=[0.001], epochs=100, label=text))


def _on_a_terminal(args: list[str], size: tuple[int, int], cwd: Path, **env: str) -> str:
    """What ``python -m lrplot ARGS`` prints on a pseudo-terminal of ``size`` (cols, rows)."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    keep = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "lrplot", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**keep, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
    )
    os.close(follower)
    chunks = []
    while True:  # read while it runs, so a full terminal buffer never stalls it
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed: everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    _, err = process.communicate()
    assert process.returncode == 0, err
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.slow
def test_on_a_terminal_it_takes_its_size_and_colours(tmp_path: Path) -> None:
    out = _on_a_terminal(["compare", "step", "cosine", "--preview"], (100, 30), tmp_path)
    assert ANSI.search(out)
    lines = ANSI.sub("", out).splitlines()
    assert 80 < max(len(line) for line in lines) <= 100  # the terminal's 100, not 80
    assert len(lines) + 1 <= 30
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_no_color_turns_the_colours_off(tmp_path: Path) -> None:
    out = _on_a_terminal(["compare", "step", "cosine", "--preview"], (100, 30), tmp_path,
                         NO_COLOR="1")  # fmt: skip
    assert not ANSI.search(out)
    assert "⠤1⠤ step" in out.splitlines()


@pytest.mark.parametrize("x_axis", ["epoch", "step"])
def test_no_width_from_40_to_160_is_overrun(x_axis: str) -> None:
    curves = [_curve("onecycle:max_lr=0.01"), _curve("cosine:T_max=100")]
    for columns in range(40, 161):
        for lines in (None, 12):
            text = preview(curves, FigureStyle(x_axis=x_axis), Terminal(columns, lines))
            assert max(len(line) for line in text.splitlines()) <= columns, (columns, lines)


#: Runs whose lr falls to 0 on a log axis: (arguments, the first epoch of lr 0, how many of
#: how many rows are 0). LambdaLR multiplies the lr by the lambda: 1 to epoch 10, then 0.
#: PolynomialLR (power 1) is 0 from total_iters on. An lr of 1e-300 is below what a linear
#: axis can show, so without --log-y the axis is logarithmic by itself.
STEP_TO_0 = ("lambda", "--lr-lambda", "0 if epoch > 10 else 1", "-n", "30")
LR_ZERO = {
    "asked": ((*STEP_TO_0, "--log-y"), 11, 19, 30),
    "polynomial": (("polynomial", "--total-iters", "20", "-n", "40", "--log-y"), 20, 20, 40),
    "automatic": ((*STEP_TO_0, "--lr", "1e-300"), 11, 19, 30),
}


@pytest.mark.parametrize("case", LR_ZERO)
def test_a_log_axis_leaves_out_the_rows_of_lr_0(lrplot, monkeypatch, case: str) -> None:
    # The line runs while the lr is above 0, drops off the bottom edge where it reaches 0,
    # and is not drawn after: held at the floor, it would read as the lowest lr shown.
    args, zero, _, _ = LR_ZERO[case]
    monkeypatch.setenv("COLUMNS", "60")
    result = lrplot(*args, "--preview")
    assert result.code == 0, result.err
    assert "(lr, log)" in result.out
    chart = read_chart(result.out)
    epochs_per_char = (chart.x_ticks[1] - chart.x_ticks[0]) / 10
    epochs_per_dot = epochs_per_char / 2
    columns = _lit_columns(chart)
    assert all(x in columns for x in range(math.floor(zero / epochs_per_dot)))
    drop = [x for x in columns if abs(x * epochs_per_dot - zero) <= epochs_per_dot]
    assert drop and any(0 in columns[x] for x in drop)  # down to the bottom edge
    assert [x for x in columns if x * epochs_per_dot > zero + epochs_per_dot] == []
    floor = chart.canvas[-1]  # the row of the lowest lr above 0
    after = floor[math.floor(zero / epochs_per_char) + 1 :]
    assert after and set(after) == {"⠀"}, floor


@pytest.mark.parametrize("case", LR_ZERO)
def test_a_log_axis_says_once_that_it_leaves_out_the_rows_of_lr_0(lrplot, case: str) -> None:
    args, zero, count, rows = LR_ZERO[case]
    result = lrplot(*args, "--preview")
    assert result.code == 0, result.err
    (warning,) = result.err.splitlines()
    assert warning.startswith("lrplot: warning: --log-y: ")
    assert f": lr is 0 or below in {count} of {rows} rows (first at epoch {zero});" in warning
    assert warning.endswith("so the line leaves the bottom there (--linear-y shows them)")
    # With the figure too, the figure's warning is the same line, said once.
    assert lrplot(*args, "--preview", "-o", "lr.png").err == result.err
    quiet = lrplot(*args, "--preview", "--quiet")
    assert quiet.err == "" and quiet.out == result.out
