"""The performance shortcuts change nothing a user sees: long-curve envelope, chunked CSV.

Nothing here is timed; benchmarks/ measures speed (DESIGN.md section 7).
"""

from __future__ import annotations

import io
import json
import math
import struct
import tracemalloc
from collections.abc import Callable, Iterable

import numpy as np
import pytest
from matplotlib.image import imread

from lrplot.curve import Curve
from lrplot.draw import envelope
from lrplot.draw import figure as render
from lrplot.draw.encoding import encode
from lrplot.files import export
from lrplot.files.atomic import write_atomic
from lrplot.schedulers.registry import SCHEDULERS
from lrplot.simulation.record import simulate
from lrplot.spec.build import build_spec
from lrplot.spec.style import FigureStyle

#: Root mean square difference, on the 0-255 scale of each RGB channel, allowed between an
#: envelope and a full rendering of the same 10,000-step curve: a quarter of pytest-mpl's
#: default tolerance of 2. Measured with matplotlib 3.11: 0.26-0.50.
ENVELOPE_RMS_TOLERANCE = 0.75


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(imread(io.BytesIO(png), format="png")[..., :3], dtype=np.float64) * 255


def _png(curve: Curve) -> bytes:
    return encode(render.figure_for([curve], FigureStyle()), "png")


def _vertices(curve: Curve) -> list[int]:
    figure = render.figure_for([curve], FigureStyle())
    return [len(line.get_xdata()) for ax in figure.axes for line in ax.get_lines()]


@pytest.mark.parametrize("command", ["onecycle", "cyclic", "step", "cosine-restarts"])
def test_envelope_looks_like_the_full_line(command: str, monkeypatch) -> None:
    # 20,000 rows: more than 8 points per pixel column of the default 1280-pixel figure
    curve = simulate(build_spec(command, epochs=100, steps_per_epoch=200))
    assert curve.rows == 20_000
    shortened = _png(curve)
    assert max(_vertices(curve)) < curve.rows / 2
    monkeypatch.setattr(render, "ENVELOPE_POINTS_PER_COLUMN", math.inf)
    assert min(_vertices(curve)) == curve.rows + 1  # every step, plus the held end
    a, b = _pixels(shortened), _pixels(_png(curve))
    assert a.shape == b.shape
    assert np.sqrt(np.mean((a - b) ** 2)) <= ENVELOPE_RMS_TOLERANCE


def test_gallery_sized_lines_are_drawn_step_by_step() -> None:
    # Figures of a few thousand points keep every vertex and matplotlib's own snapping, so
    # the committed gallery's pixels cannot change.
    curve = simulate(build_spec("onecycle", epochs=100, steps_per_epoch=40))
    figure = render.figure_for([curve], FigureStyle())
    lines = [line for ax in figure.axes for line in ax.get_lines()]
    assert lines and all(len(line.get_xdata()) == curve.rows + 1 for line in lines)
    assert all(line.get_drawstyle() == "steps-post" for line in lines)
    assert all(line.get_snap() is None for line in lines)


def test_envelope_keeps_every_extreme() -> None:
    rng = np.random.default_rng(6)
    y = rng.normal(size=100_003)
    x = np.arange(y.size, dtype=np.float64)
    kept_x, kept_y = envelope.envelope(x, y, columns=100)
    assert kept_y.size <= 4 * (envelope.ENVELOPE_BINS_PER_COLUMN * 100 + 1)
    assert kept_x[0] == 0 and kept_x[-1] == y.size - 1
    assert np.all(np.diff(kept_x) > 0)
    assert np.array_equal(y[kept_x.astype(np.intp)], kept_y)
    # Every bin's lowest and highest value survive, so every pixel column spans the same.
    size = math.ceil(y.size / (envelope.ENVELOPE_BINS_PER_COLUMN * 100))
    for start in range(0, y.size, size):
        inside = (kept_x >= start) & (kept_x < start + size)
        assert kept_y[inside].min() == y[start : start + size].min()
        assert kept_y[inside].max() == y[start : start + size].max()


AWKWARD = [0.1 + 0.2, 1e-300, 5e-324, 1 / 3, 2.0**-1074 * 3, 1e16, 123456789.123456789, 0.0]
AWKWARD += [-0.0, 1.7976931348623157e308, 2.2250738585072014e-308, 0.1, 1e-7, 100.0]


def _curve(series: dict[str, np.ndarray]) -> Curve:
    return Curve(
        command="step",
        scheduler="StepLR",
        params={},
        optimizer={"name": "SGD", "lr": [0.1], "momentum": 0.0},
        epochs=len(series["step"]),
        steps_per_epoch=1,
        series=series,
        torch_version="test",
    )


def _bits(values: np.ndarray) -> list[int]:
    return [struct.unpack("<q", struct.pack("<d", v))[0] for v in values.tolist()]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 16])
def test_csv_floats_read_back_bit_identical(chunk: int, monkeypatch) -> None:
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", chunk)
    lr = np.array(AWKWARD, dtype=np.float64)
    steps = np.arange(lr.size, dtype=np.int64)
    curve = _curve({"step": steps, "epoch": steps / 3, "lr": lr})
    text = export.csv_bytes([curve]).decode()
    header, *rows = text.split("\n")
    assert header == "step,epoch,lr" and rows[-1] == "" and len(rows) == lr.size + 1
    cells = [row.split(",") for row in rows[:-1]]
    assert [int(c[0]) for c in cells] == steps.tolist()
    for index, name in ((1, "epoch"), (2, "lr")):
        back = np.array([float(c[index]) for c in cells])
        assert _bits(back) == _bits(curve.series[name])
    # The shortest text that round-trips, as Python's repr writes it.
    assert [c[2] for c in cells] == [repr(v) for v in AWKWARD]


def test_csv_chunks_join_to_the_same_bytes(monkeypatch) -> None:
    curves = [simulate(build_spec("onecycle")), simulate(build_spec("cyclic"))]
    whole = export.csv_bytes(curves)
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", 7)
    assert export.csv_bytes(curves) == whole
    rows = [line.split(",") for line in whole.decode().splitlines()]
    assert len(rows) == curves[0].rows + 1 and len({len(row) for row in rows}) == 1


@pytest.mark.parametrize("chunk", [5, 1 << 16])
@pytest.mark.parametrize("command", [entry.command for entry in SCHEDULERS])
def test_streamed_json_is_json_dumps_byte_for_byte(command: str, chunk: int, monkeypatch) -> None:
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", chunk)
    curves = [simulate(build_spec(command))]
    if command == "step":  # and a compare document, with its curves list
        curves.append(simulate(build_spec("cosine", label="cos")))
    command_line = ["lrplot", command, "--title", 'é "quoted"']
    whole = export.json_bytes(export.json_document(curves, command_line))
    arrays = export.json_document(curves, command_line, arrays=True)
    assert b"".join(export.json_chunks(arrays)) == whole


def test_streamed_json_keeps_awkward_floats_and_refuses_nan() -> None:
    lr = np.array(AWKWARD, dtype=np.float64)
    steps = np.arange(lr.size, dtype=np.int64)
    curve = _curve({"step": steps, "epoch": steps / 3, "lr": lr})
    text = b"".join(export.json_chunks(export.json_document([curve], arrays=True)))
    assert _bits(np.array(json.loads(text)["series"]["lr"])) == _bits(lr)
    bad = _curve({"step": steps, "epoch": steps / 3, "lr": np.where(steps == 2, np.nan, lr)})
    with pytest.raises(ValueError, match="JSON compliant"):
        b"".join(export.json_chunks(export.json_document([bad], arrays=True)))


def _peak(make: Callable[[], Iterable[bytes]]) -> tuple[int, int]:
    """(bytes made, peak traced memory) of consuming ``make()`` without keeping it."""
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in make())
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _long_curve(rows: int) -> Curve:
    steps = np.arange(rows, dtype=np.int64)
    wave = np.sin(steps / 1000.0)
    return _curve({"step": steps, "epoch": steps / 7, "lr": wave, "momentum": wave / 3})


def test_long_series_are_never_whole_python_lists(monkeypatch) -> None:
    # Streamed, only one chunk of each column is alive at a time: the peak does not grow with
    # the rows. Made whole (json.dumps of lists), every column is a list at once. Small
    # chunks keep this quick under tracemalloc, which slows every allocation.
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", 2048)
    curve, twice = _long_curve(40_000), _long_curve(80_000)
    documents = [export.json_document([c], arrays=True) for c in (curve, twice)]
    (size, peak), (_, peak_twice) = (_peak(lambda d=d: export.json_chunks(d)) for d in documents)
    _, whole_peak = _peak(lambda: [export.json_bytes(export.json_document([curve]))])
    assert size > 2_000_000 and peak_twice < 1.2 * peak and 4 * peak < whole_peak
    (size, peak), (_, peak_twice) = (
        _peak(lambda c=c: export.csv_chunks([c])) for c in (curve, twice)
    )
    assert size > 2_000_000 and peak_twice < 1.2 * peak


def test_write_atomic_takes_chunks_lazily(tmp_path) -> None:
    made: list[int] = []

    def chunks():
        for index in range(3):
            made.append(index)
            yield f"{index},".encode()

    target = tmp_path / "out.csv"
    write_atomic(target, chunks())
    assert target.read_bytes() == b"0,1,2," and made == [0, 1, 2]
