"""Encoding figures in two processes gives the same bytes, in order, whatever the child does."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from lrplot.batch import parallel
from lrplot.batch.manifest import load_manifest
from lrplot.batch.render import render

GUIDE = Path(__file__).resolve().parent.parent / "examples" / "document" / "figures.toml"
FORMATS = ("png", "json")
needs_fork = pytest.mark.skipif(
    not parallel.worth_forking(parallel.MIN_FIGURES), reason="needs os.fork and two cores"
)


class Item:
    """A stand-in figure: bytes that say which item, which format and (optionally) which process."""

    def __init__(self, index: int, *, size: int = 10, crash_in_child: bool = False) -> None:
        self.index, self.size, self.crash_in_child = index, size, crash_in_child
        self.parent = os.getpid()

    def encode_many(self, formats: Sequence[str]) -> dict[str, bytes]:
        if self.crash_in_child and os.getpid() != self.parent:
            os._exit(3)  # a child that dies mid-way
        return {fmt: f"{self.index}:{fmt}:".encode() * self.size for fmt in formats}


class PidItem(Item):
    def encode_many(self, formats: Sequence[str]) -> dict[str, bytes]:
        import time

        time.sleep(0.02)  # long enough that both processes take some items
        return {fmt: str(os.getpid()).encode() for fmt in formats}


def _expected(count: int, size: int = 10) -> list[dict[str, bytes]]:
    return [{fmt: f"{i}:{fmt}:".encode() * size for fmt in FORMATS} for i in range(count)]


@needs_fork
@pytest.mark.parametrize("size", [10, 20_000])  # 20,000 x ~8 bytes: frames beyond a pipe's 64 KiB
def test_forked_encoding_equals_serial(size: int) -> None:
    items = [Item(i, size=size) for i in range(9)]
    assert parallel.encode_all(items, FORMATS, fork=True) == _expected(9, size)
    assert parallel.encode_all(items, FORMATS, fork=False) == _expected(9, size)


@needs_fork
def test_both_processes_take_items() -> None:
    pids = {
        encoded["png"]
        for encoded in parallel.encode_all([PidItem(i) for i in range(12)], FORMATS, fork=True)
    }
    assert str(os.getpid()).encode() in pids and len(pids) == 2


@needs_fork
def test_a_crashed_child_loses_nothing() -> None:
    items = [Item(i, crash_in_child=True) for i in range(8)]
    assert parallel.encode_all(items, FORMATS, fork=True) == _expected(8)


def test_too_few_items_are_not_forked() -> None:
    assert not parallel.worth_forking(parallel.MIN_FIGURES - 1)
    assert not parallel.worth_forking(parallel.MAX_FIGURES + 1)
    pids = parallel.encode_all([PidItem(i) for i in range(3)], FORMATS, fork=True)
    assert {encoded["png"] for encoded in pids} == {str(os.getpid()).encode()}


def test_truncated_frames_are_dropped() -> None:
    def frame(index: int, fmt: str, body: bytes) -> bytes:
        payload = fmt.encode() + b"\n" + body
        return parallel._FRAME.pack(index, len(payload)) + payload

    data = frame(0, "png", b"P0") + frame(0, "json", b"J0") + frame(1, "png", b"P1")
    data += frame(1, "json", b"J1")[:-1]  # the child died while writing this one
    assert dict(parallel._frames(data, FORMATS)) == {0: {"png": b"P0", "json": b"J0"}}


@needs_fork
def test_the_guide_renders_to_the_same_bytes_forked_or_not(tmp_path: Path) -> None:
    figures = load_manifest(GUIDE)
    render(figures, tmp_path / "forked", FORMATS, parallel=True)
    render(figures, tmp_path / "serial", FORMATS, parallel=False)
    names = sorted(p.name for p in (tmp_path / "serial").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "forked").iterdir())
    assert len(names) == 2 * len(figures)
    for name in names:
        assert (tmp_path / "forked" / name).read_bytes() == (
            tmp_path / "serial" / name
        ).read_bytes()


@needs_fork
@pytest.mark.parametrize("crash", [False, True])
def test_done_is_reported_once_per_item_as_they_finish(crash: bool) -> None:
    finished: list[int] = []
    items = [Item(i, crash_in_child=crash) for i in range(10)]
    assert parallel.encode_all(items, FORMATS, fork=True, done=finished.append) == _expected(10)
    assert sorted(finished) == list(range(10))


def test_done_in_order_without_a_fork() -> None:
    finished: list[int] = []
    parallel.encode_all([Item(i) for i in range(5)], FORMATS, done=finished.append)
    assert finished == [0, 1, 2, 3, 4]


def test_render_progress_counts_every_figure(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    figures = load_manifest(GUIDE)
    render(figures, tmp_path, ("json",), parallel=True, progress=lambda *a: calls.append(a))
    assert [done for done, _, _ in calls] == list(range(1, len(figures) + 1))
    assert {name for _, _, name in calls} == {figure.name for figure in figures}
    assert {total for _, total, _ in calls} == {len(figures)}
