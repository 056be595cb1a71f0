"""Encode many realised figures on two cores: the process and a forked child share the work.

Drawing is matplotlib work in Python (about 0.1 s a figure), so threads would not help; a
fork shares everything already computed without pickling it. Both processes take the next
figure index from one pipe, so a slow figure does not leave the other core idle. The child
only draws and encodes, sends its bytes back through a second pipe in a small framing of its
own, and leaves with os._exit. Whatever the child fails to deliver, the parent encodes
itself, so the result is the same bytes in the same order either way.
"""

from __future__ import annotations

import os
import struct
import warnings
from collections.abc import Iterator, Sequence
from typing import Protocol

#: Below this many figures a fork costs more than it saves.
MIN_FIGURES = 4
#: As many 4-byte indices as a pipe holds without a reader (64 KiB).
MAX_FIGURES = 16_384
_INDEX = struct.Struct(">I")  # one task: a figure index
_FRAME = struct.Struct(">IQ")  # one result: figure index, payload length
Encoded = dict[str, bytes]


class Encodable(Protocol):
    """What can be encoded: a realised figure (lrplot.pipeline.Rendered)."""

    def encode_many(self, formats: Sequence[str]) -> Encoded: ...


def encode_all(
    items: Sequence[Encodable], formats: Sequence[str], *, fork: bool = False
) -> list[Encoded]:
    """Each item's bytes per format, in order.

    With ``fork``, a child process shares the items when that pays off (enough items, two
    cores, an os.fork). Only the command line asks for it: it owns its process, while a
    library caller's process may hold threads and locks a child should not inherit.
    """
    if not (fork and worth_forking(len(items))):
        return [item.encode_many(formats) for item in items]
    import lrplot.render  # noqa: F401 - imported once here, not in both processes

    tasks = _task_pipe(len(items))
    results_read, results_write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads may deadlock the child.
        # torch's idle worker thread is such a thread; the child never calls into torch
        # (it only draws with matplotlib), as PyTorch's own DataLoader workers do.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
        os.close(results_read)
        _child(items, formats, tasks, results_write)
    os.close(results_write)
    results = {i: items[i].encode_many(formats) for i in _take(tasks)}
    os.close(tasks)
    with os.fdopen(results_read, "rb") as pipe:
        received = dict(_frames(pipe.read(), formats))
    _, status = os.waitpid(pid, 0)
    for i in range(len(items)):  # what a crashed or killed child did not deliver
        if i not in results:
            whole = status == 0 and i in received
            results[i] = received[i] if whole else items[i].encode_many(formats)
    return [results[i] for i in range(len(items))]


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
    items: Sequence[Encodable], formats: Sequence[str], tasks: int, results: int
) -> None:  # pragma: no cover - runs in the forked child
    status = 1
    try:
        frames = []
        for i in _take(tasks):
            for fmt, data in items[i].encode_many(formats).items():
                payload = fmt.encode() + b"\n" + data
                frames.append(_FRAME.pack(i, len(payload)) + payload)
        # Sent only at the end: the parent reads once its own share is done, and a child
        # writing as it goes would stall on the full pipe (64 KiB) until then.
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
