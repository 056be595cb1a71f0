"""CSV and JSON encodings of curves (files are written by lrplot.files.atomic)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from lrplot.curve import Curve

SCHEMA = 1
#: Rows encoded at a time: bounds the strings alive at once (every row of a 1,000,000-row
#: curve as Python strings would take several hundred MB).
CSV_CHUNK_ROWS = 1 << 16


def csv_bytes(curves: Sequence[Curve]) -> bytes:
    """``step,epoch,lr[,lr_1...][,momentum|beta1...][,metric]``, shortest round-trip floats.

    Several curves (``compare``) share ``step,epoch`` and get one column group each,
    named ``LABEL:lr``, ``LABEL:momentum`` ...
    """
    return b"".join(csv_chunks(curves))


def csv_chunks(curves: Sequence[Curve]) -> Iterator[bytes]:
    """The bytes of :func:`csv_bytes`, made ``CSV_CHUNK_ROWS`` rows at a time."""
    table = _table(curves)
    rows = len(next(iter(table.values())))
    yield (",".join(table) + "\n").encode("utf-8")
    for start in range(0, rows, CSV_CHUNK_ROWS):
        texts = [_as_text(column[start : start + CSV_CHUNK_ROWS]) for column in table.values()]
        # map, zip and join run in C: no Python code runs per row or per value.
        lines = map(",".join, zip(*texts, strict=True))
        yield ("\n".join(lines) + "\n").encode("utf-8")


def _table(curves: Sequence[Curve]) -> dict[str, np.ndarray]:
    if len(curves) == 1:
        return dict(curves[0].series)
    table = {"step": curves[0].series["step"], "epoch": curves[0].series["epoch"]}
    for label, curve in zip(curve_labels(curves), curves, strict=True):
        for name, column in curve.series.items():
            if name not in ("step", "epoch"):
                table[f"{label}:{name}"] = column
    return table


def curve_labels(curves: Sequence[Curve]) -> list[str]:
    """A distinct label per curve: its own label, else its command, numbered if repeated."""
    labels = [curve.label or curve.command for curve in curves]
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if labels.count(label) == 1 else f"{label}#{seen[label]}")
    return out


def _as_text(column: np.ndarray) -> Iterator[str]:
    # float.__repr__ is the shortest text that reads back bit-identical.
    return map(str if column.dtype.kind in "iu" else repr, column.tolist())


def json_document(
    curves: Sequence[Curve], command: Sequence[str] | None = None, *, arrays: bool = False
) -> dict[str, Any]:
    """The JSON document of DESIGN.md section 4; several curves go under ``curves``.

    Series are lists, or with ``arrays`` the curves' own numpy arrays (for json_chunks).
    """
    first = curves[0]
    document = header(command, first.torch_version)
    if len(curves) == 1:
        return document | _curve_fields(first, arrays)
    document["epochs"] = first.epochs
    document["steps_per_epoch"] = first.steps_per_epoch
    labels = curve_labels(curves)
    document["curves"] = [
        _curve_fields(curve, arrays) | {"label": label}
        for curve, label in zip(curves, labels, strict=True)
    ]
    return document


def header(command: Sequence[str] | None, torch_version: str) -> dict[str, Any]:
    """The fields every lrplot JSON document opens with."""
    from lrplot import __version__

    return {
        "schema": SCHEMA,
        "lrplot_version": __version__,
        "torch_version": torch_version,
        "command": list(command) if command is not None else None,
    }


def _curve_fields(curve: Curve, arrays: bool) -> dict[str, Any]:
    resumed = {} if curve.resume is None else {"resume": dict(curve.resume)}
    return resumed | {
        "scheduler": curve.scheduler,
        "params": dict(curve.params),
        "optimizer": dict(curve.optimizer),
        "epochs": curve.epochs,
        "steps_per_epoch": curve.steps_per_epoch,
        "label": curve.label,
        "series": {
            name: column if arrays else column.tolist() for name, column in curve.series.items()
        },
    }


def json_bytes(document: dict[str, Any]) -> bytes:
    """Compact, key-order-stable JSON (floats via repr, so they read back identical)."""
    return (json.dumps(document, allow_nan=False, separators=(",", ":")) + "\n").encode()


def json_chunks(document: Any) -> Iterator[bytes]:
    """The bytes of :func:`json_bytes`, with numpy arrays written ``CSV_CHUNK_ROWS`` at a time.

    No array becomes a Python list as a whole: a 1,000,000-row series stays one array.
    """
    pending: list[str] = []
    for part in _json_parts(document):
        pending.append(part)
        if len(part) > 4096:  # an array chunk: hand it on with what came before it
            yield "".join(pending).encode()
            pending = []
    pending.append("\n")
    yield "".join(pending).encode()


def _json_parts(value: Any) -> Iterator[str]:
    """Text pieces of ``value`` exactly as ``json.dumps(separators=(",", ":"))`` writes it."""
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + json.dumps(key) + ":"
            yield from _json_parts(item)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from _json_parts(item)
        yield "]"
    elif isinstance(value, np.ndarray):
        yield from _array_parts(value)
    else:
        yield json.dumps(value, allow_nan=False)


def _array_parts(column: np.ndarray) -> Iterator[str]:
    if column.dtype.kind == "f" and not np.isfinite(column).all():
        raise ValueError("Out of range float values are not JSON compliant")  # as json.dumps
    yield "["
    for start in range(0, len(column), CSV_CHUNK_ROWS):
        yield ("," if start else "") + ",".join(_as_text(column[start : start + CSV_CHUNK_ROWS]))
    yield "]"
