"""CSV and JSON encodings of curves, and the atomic file write every output goes through."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lrplot.curve import Curve

SCHEMA = 1


def csv_bytes(curves: Sequence[Curve]) -> bytes:
    """``step,epoch,lr[,lr_1...][,momentum][,metric]`` with shortest round-trip floats.

    Several curves (``compare``) share ``step,epoch`` and get one column group each,
    named ``LABEL:lr``, ``LABEL:momentum`` ...
    """
    columns = _table(curves)
    text_columns = [_as_text(column) for column in columns.values()]
    lines = [",".join(columns)]
    lines.extend(",".join(row) for row in zip(*text_columns, strict=True))
    return ("\n".join(lines) + "\n").encode("utf-8")


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


def _as_text(column: np.ndarray) -> list[str]:
    # float.__repr__ is the shortest text that reads back bit-identical.
    if column.dtype.kind in "iu":
        return list(map(str, column.tolist()))
    return list(map(repr, column.tolist()))


def json_document(curves: Sequence[Curve], command: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON document of DESIGN.md section 4; several curves go under ``curves``."""
    first = curves[0]
    document = header(command, first.torch_version)
    if len(curves) == 1:
        return document | _curve_fields(first)
    document["epochs"] = first.epochs
    document["steps_per_epoch"] = first.steps_per_epoch
    labels = curve_labels(curves)
    document["curves"] = [
        _curve_fields(curve) | {"label": label} for curve, label in zip(curves, labels, strict=True)
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


def _curve_fields(curve: Curve) -> dict[str, Any]:
    return {
        "scheduler": curve.scheduler,
        "params": dict(curve.params),
        "optimizer": dict(curve.optimizer),
        "epochs": curve.epochs,
        "steps_per_epoch": curve.steps_per_epoch,
        "label": curve.label,
        "series": {name: column.tolist() for name, column in curve.series.items()},
    }


def json_bytes(document: dict[str, Any]) -> bytes:
    """Compact, key-order-stable JSON (floats via repr, so they read back identical)."""
    return (json.dumps(document, allow_nan=False, separators=(",", ":")) + "\n").encode()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A failure at any point leaves ``path`` as it was and no temporary file behind. A path
    that exists but is not a regular file (``/dev/stdout``, a named pipe) is written in
    place: renaming over it would replace the device with a file.
    """
    if path.exists() and not path.is_file():
        with path.open("wb") as stream:
            stream.write(data)
        return
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _file_mode())  # mkstemp makes 0600; outputs follow the umask
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
