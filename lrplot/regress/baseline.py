"""Reading ``check``'s baseline files: regular files under a size cap, lrplot's JSON, whole PNGs.

Whatever is in the baseline folder is input: a file lrplot did not write (a truncated PNG, a
JSON of another program, a named pipe) is refused with one line naming it, never a crash or
a hang. Nothing here decodes pixels: a PNG's size comes from its header, its integrity from
the chunks' checksums, so a header claiming a billion pixels costs nothing.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import zlib
from pathlib import Path
from typing import Any

from lrplot.errors import InputError
from lrplot.spec import reading
from lrplot.spec.parsing import unique_keys

#: Larger than any JSON lrplot writes for a figure within its row limit that fits in memory.
MAX_JSON_BYTES = 1 << 30
#: lrplot's figures are compressed line art: far below this even at the pixel budget.
MAX_PNG_BYTES = 256 << 20
SCHEMA = 1  # lrplot.files.export.SCHEMA, the only one this version reads
FIX = "run lrplot check --update to rewrite it, or delete it"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHUNK = struct.Struct(">I4s")


class Broken(InputError):
    """A baseline file lrplot cannot use; ``--update`` may rewrite it (a regular file)."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__("--baseline", str(path), problem, FIX)


def present(path: Path) -> bool:
    """Whether a baseline file exists; anything there but a regular file is refused.

    A named pipe would hang the read and a device never ends; a folder cannot be rewritten.
    ``--update`` does not replace these either: someone put them there on purpose.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as error:
        raise InputError(
            "--baseline", str(path), f"cannot be read ({error.strerror})", "check the path"
        ) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a special file (a pipe or device)"
        raise InputError("--baseline", str(path), f"is {kind}, not a file", "move it away")
    return True


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular baseline file of at most ``limit`` bytes (lrplot.spec.reading:
    opened without blocking, so a pipe swapped in after :func:`present` cannot hang it)."""
    try:
        return reading.read_bytes(path, cap=limit)
    except reading.FileProblem as error:
        if error.problem.startswith("is larger than"):  # --update may rewrite it
            raise Broken(path, f"{error.problem}, more than lrplot writes") from None
        raise InputError("--baseline", str(path), error.problem, error.fix) from None


def read_document(path: Path) -> dict[str, Any]:
    """A baseline JSON, checked to be lrplot's curve (or descent) document of numbers."""
    data = read_bytes(path, MAX_JSON_BYTES)
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=unique_keys)
    except reading.FileProblem as twice:  # a key given twice: lrplot never writes one
        raise Broken(path, twice.problem) from None
    except RecursionError:
        raise Broken(path, "is nested too deeply to be lrplot's JSON") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise Broken(path, f"is not valid JSON ({str(error)[:80]})") from None
    if not isinstance(document, dict) or "schema" not in document:
        raise Broken(path, "is not an lrplot JSON document (no 'schema')")
    if document["schema"] != SCHEMA:
        raise Broken(path, f"has schema {document['schema']!r}; this lrplot reads {SCHEMA}")
    problem = _shape_problem(document)
    if problem:
        raise Broken(path, problem)
    return document


def _shape_problem(document: dict[str, Any]) -> str:
    """What keeps ``document`` from being compared column by column ('' when nothing)."""
    if "runs" in document:
        runs = document["runs"]
        if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
            return "has 'runs' that is not a list of objects"
        for i, run in enumerate(runs):
            if not _number(run.get("lr")):
                return f"has runs[{i}].lr that is not a number"
            problem = _columns_problem({"x": run.get("x"), "loss": run.get("loss")}, f"runs[{i}]")
            if problem:
                return problem
        return ""
    if "curves" in document:
        curves = document["curves"]
        if not isinstance(curves, list) or not all(isinstance(c, dict) for c in curves):
            return "has 'curves' that is not a list of objects"
        for i, curve in enumerate(curves):
            if not isinstance(curve.get("label"), (str, type(None))):
                return f"has curves[{i}].label that is not text"
            problem = _columns_problem(curve.get("series"), f"curves[{i}].series")
            if problem:
                return problem
        return ""
    return _columns_problem(document.get("series"), "series")


def _columns_problem(columns: object, where: str) -> str:
    if not isinstance(columns, dict):
        return f"has no {where} object"
    for name, column in columns.items():
        if not isinstance(column, list):
            return f"has {where}.{name} that is not a list"
        for row, value in enumerate(column):
            if not _number(value):
                return f"has {where}.{name}[{row}] = {json.dumps(value)[:20]}, not a number"
    return ""


def _number(value: object) -> bool:
    # json.loads also accepts NaN and Infinity: they are numbers here, and differ from
    # every obtained value in the comparison (lrplot itself never writes them).
    # An integer beyond float range would overflow the tolerance arithmetic: not lrplot's.
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < 2**1023
    return isinstance(value, float)


def read_png(path: Path) -> tuple[bytes, tuple[int, int]]:
    """A baseline PNG's bytes and (width, height), its chunks checked but not decoded."""
    data = read_bytes(path, MAX_PNG_BYTES)
    return data, png_size(data, path)


def png_size(data: bytes, path: Path) -> tuple[int, int]:
    """(width, height) from the header, once every chunk's length and CRC-32 add up."""
    if not data.startswith(_SIGNATURE):
        raise Broken(path, "is not a PNG (no PNG signature)")
    offset, kinds, size = len(_SIGNATURE), [], (0, 0)
    while offset + _CHUNK.size <= len(data):
        length, kind = _CHUNK.unpack_from(data, offset)
        body = data[offset + 8 : offset + 8 + length]
        crc = data[offset + 8 + length : offset + 12 + length]
        if len(body) < length or len(crc) < 4:
            break
        if zlib.crc32(kind + body) != int.from_bytes(crc, "big"):
            raise Broken(path, f"is a damaged PNG (bad checksum of chunk {kind!r})")
        if kind == b"IHDR" and length >= 8:
            size = struct.unpack(">II", body[:8])
        kinds.append(kind)
        offset += 12 + length
        if kind == b"IEND":
            if offset != len(data):  # something appended: not the file lrplot wrote
                extra = len(data) - offset
                raise Broken(path, f"has {extra:,} bytes after its end (the IEND chunk)")
            return _checked(size, kinds, path)
    raise Broken(path, "is a truncated PNG (it ends before its IEND chunk)")


def _checked(size: tuple[int, int], kinds: list[bytes], path: Path) -> tuple[int, int]:
    if kinds[0] != b"IHDR" or b"IDAT" not in kinds or 0 in size:
        raise Broken(path, "is not a well-formed PNG (no header or no image data)")
    return size
