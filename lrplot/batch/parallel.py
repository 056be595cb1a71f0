"""Encode many realised figures on two cores: the process and a forked child share the work.

Drawing is matplotlib work in Python (about 0.1 s a figure), so threads would not help; a
fork shares everything already computed without pickling it. Both processes take the next
figure index from one pipe, so a slow figure does not leave the other core idle. The child
only draws and encodes, says which figure it finished on a second pipe (for the progress
bar), sends its bytes back through a third in a small framing of its own, and leaves with
os._exit. Whatever the child fails to deliver, the parent encodes
itself, so the result is the same bytes in the same order either way.
"""

from __future__ import annotations

import os
import struct
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

#: Below this many figures a fork costs more than it saves.
MIN_FIGURES = 4
#: As many 4-byte indices as a pipe holds without a reader (64 KiB).
MAX_FIGURES = 16_384
_INDEX = struct.Struct(">I")  # one task: a figure index
_FRAME = struct.Struct(">IQ")  # one result: figure index, payload length
Encoded = dict[str, bytes]


class Encodable(Protocol):
    """What can be encoded: a realised figure (lrplot.batch.pipeline.Rendered)."""

    def encode_many(self, formats: Sequence[str]) -> Encoded: ...


def encode_all(
    items: Sequence[Encodable],
    formats: Sequence[str],
    *,
    fork: bool = False,
    done: Callable[[int], None] | None = None,
) -> list[Encoded]:
    """Each item's bytes per format, in order; ``done(index)`` as each item is finished.

    With ``fork``, a child process shares the items when that pays off (enough items, two
    cores, an os.fork). Only the command line asks for it: it owns its process, while a
    library caller's process may hold threads and locks a child should not inherit.
    """
    reported: set[int] = set()

    def report(index: int) -> None:  # once per item, wherever it was encoded
        if done is not None and index not in reported:
            reported.add(index)
            done(index)

    if not (fork and worth_forking(len(items))):
        return [_encode(items, i, formats, report) for i in range(len(items))]
    import lrplot.draw.figure  # noqa: F401 - imported once here, not in both processes

    return _shared(items, formats, report)


def _encode(
    items: Sequence[Encodable], index: int, formats: Sequence[str], report: Callable[[int], None]
) -> Encoded:
    encoded = items[index].encode_many(formats)
    report(index)
    return encoded


def _shared(
    items: Sequence[Encodable], formats: Sequence[str], report: Callable[[int], None]
) -> list[Encoded]:
    """Encode with a forked child; the child's progress arrives on a pipe as it goes."""
    tasks = _task_pipe(len(items))
    progress_read, progress_write = os.pipe()
    results_read, results_write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads may deadlock the child.
        # torch's idle worker thread is such a thread; the child never calls into torch
        # (it only draws with matplotlib), as PyTorch's own DataLoader workers do.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
        os.close(progress_read)
        os.close(results_read)
        _child(items, formats, tasks, progress_write, results_write)
    os.close(progress_write)
    os.close(results_write)
    os.set_blocking(progress_read, False)
    results: dict[int, Encoded] = {}
    for i in _take(tasks):
        results[i] = _encode(items, i, formats, report)
        _drain(progress_read, report)
    os.close(tasks)
    os.set_blocking(progress_read, True)
    _drain(progress_read, report)  # until the child closes it: finished, or dead
    os.close(progress_read)
    with os.fdopen(results_read, "rb") as pipe:
        received = dict(_frames(pipe.read(), formats))
    _, status = os.waitpid(pid, 0)
    for i in range(len(items)):  # what a crashed or killed child did not deliver
        if i not in results:
            whole = status == 0 and i in received
            results[i] = received[i] if whole else _encode(items, i, formats, report)
    return [results[i] for i in range(len(items))]


def _drain(progress: int, report: Callable[[int], None]) -> None:
    """Report every index the child has finished so far (or, blocking, until it closes)."""
    while True:
        try:
            record = os.read(progress, _INDEX.size)  # whole records: written 4 bytes at once
        except BlockingIOError:
            return
        if not record:
            return
        report(_INDEX.unpack(record)[0])


def worth_forking(count: int) -> bool:
    """Whether splitting ``count`` figures with a child can pay off on this machine."""
    if not MIN_FIGURES <= count <= MAX_FIGURES or not hasattr(os, "fork"):
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) >= 2


def _task_pipe(count: int) -> int:
    """A pipe holding every index, its writing end closed: readers get each index once.

    A pipe read of 4 bytes, with whole 4-byte records already in it, is atomic, so the two
    processes never split or share a record (MAX_FIGURES keeps them within the pipe).
    """
    read_end, write_end = os.pipe()
    os.write(write_end, b"".join(_INDEX.pack(i) for i in range(count)))
    os.close(write_end)
    return read_end


def _take(tasks: int) -> Iterator[int]:
    """The next figure index from the shared pipe, until it is empty."""
    while record := os.read(tasks, _INDEX.size):
        yield _INDEX.unpack(record)[0]


def _child(
    items: Sequence[Encodable], formats: Sequence[str], tasks: int, progress: int, results: int
) -> None:  # pragma: no cover - runs in the forked child
    status = 1
    try:
        frames = []
        for i in _take(tasks):
            for fmt, data in items[i].encode_many(formats).items():
                payload = fmt.encode() + b"\n" + data
                frames.append(_FRAME.pack(i, len(payload)) + payload)
            os.write(progress, _INDEX.pack(i))
        # Closed before the results are sent: the parent waits for this end first. The
        # results go at the end, as the parent reads them only once its own share is done.
        os.close(progress)
        with os.fdopen(results, "wb") as pipe:
            pipe.write(b"".join(frames))
        status = 0
    finally:
        os._exit(status)  # never run the parent's exit handlers or flush its buffers twice


def _frames(data: bytes, formats: Sequence[str]) -> Iterator[tuple[int, Encoded]]:
    """Decode the child's frames; a truncated tail (the child died mid-write) is dropped."""
    figures: dict[int, Encoded] = {}
    offset = 0
    while offset + _FRAME.size <= len(data):
        index, length = _FRAME.unpack_from(data, offset)
        start = offset + _FRAME.size
        if start + length > len(data):
            break
        fmt, _, body = data[start : start + length].partition(b"\n")
        figures.setdefault(index, {})[fmt.decode()] = body
        offset = start + length
    for index, encoded in figures.items():
        if list(encoded) == list(formats):  # only whole figures count
            yield index, encoded
