"""Read the metric a ReduceLROnPlateau curve reacts to: a file, a list, or an expression."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path, PurePath

from lrplot.errors import InputError
from lrplot.spec.expression import parse_expression
from lrplot.spec.parsing import parse_json
from lrplot.spec.reading import FileProblem, exists, read_text, shown
from lrplot.spec.values import to_float

#: Column names tried, in order, when a metrics CSV has a header.
CSV_COLUMNS = ("metric", "val_loss", "loss", "value")


def read_metrics(raw: object, where: str) -> tuple[float, ...]:
    """Metric values from a TOML list, ``v1,v2,...`` text, or a file path (``PATH[:COLUMN]``).

    Files: ``.json`` holds a list of numbers; ``.csv`` one column, or a header naming a
    column (``metric``, ``val_loss``, ``loss`` or ``value``, or the one after a colon);
    anything else one value per line.
    """
    if isinstance(raw, (list, tuple)):
        return _checked(list(raw), where, raw)
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(where, raw, "is neither a file nor a list of numbers", _FIX)
    # Decided from the text alone, before any file-system call: a text that reads as numbers
    # is a list (however long: no path probe can fail on it), anything else is a path.
    if _NUMBER_LIST.fullmatch(raw):
        values: list[object] = [part.strip() for part in raw.split(",")]
        return _checked(values, where, raw)
    path, column = _split_column(raw.strip())
    try:
        text = read_text(path)
    except FileProblem as problem:
        missing = problem.problem == "does not exist"
        wrong = "is neither an existing file nor a list of numbers" if missing else problem.problem
        raise InputError(where, shown(raw), wrong, _FIX) from None
    return _checked(_parse(text, path, column, where), where, raw)


_NUMBER = (  # what float() reads, nan and inf included (refused later, with their position)
    r"\s*[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|(?i:nan|inf(?:inity)?))\s*"
)
#: ``0.9,0.8,0.8``: what --metrics reads as values rather than as a file name.
_NUMBER_LIST = re.compile(rf"{_NUMBER}(?:,{_NUMBER})*")


_FIX = "give a file (one value per line, a CSV column or a JSON list) or e.g. 0.9,0.7,0.6"


def source_text(raw: object) -> str:
    """How a figure names given metrics: the file's name (and column), or "the given values".

    The name alone, not the path: the same manifest rendered from another folder, or in
    another checkout, must draw the same figure (``check`` and the pytest plugin compare it).
    """
    if isinstance(raw, str) and not _NUMBER_LIST.fullmatch(
        raw.strip().strip("[]").replace(" ", "")
    ):
        return PurePath(raw.strip()).name or raw.strip()
    return "the given values"


def metric_from_expression(
    text: str, rows: int, steps_per_epoch: int, where: str
) -> tuple[float, ...]:
    """The metric ``text`` gives at each recorded row (``epoch`` = row / steps_per_epoch)."""
    expression = parse_expression(text, option=where, variable="epoch")
    return tuple(expression(k / steps_per_epoch) for k in range(rows))


def _split_column(text: str) -> tuple[Path, str | None]:
    path = Path(text)
    if ":" in text and not exists(path):
        head, _, column = text.rpartition(":")
        if head and exists(Path(head)):
            return Path(head), column
    return path, None


def _parse(text: str, path: Path, column: str | None, where: str) -> list[object]:
    if path.suffix.lower() == ".json":
        return _from_json(text, path, where)
    if path.suffix.lower() == ".csv" or column is not None:
        return _from_csv(text, column, path, where)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _from_json(text: str, path: Path, where: str) -> list[object]:
    try:
        data = parse_json(text)
    except FileProblem as problem:
        raise InputError(where, shown(str(path)), problem.problem, problem.fix or _FIX) from None
    if isinstance(data, dict) and isinstance(data.get("series"), dict):
        data = data["series"].get("metric")  # an lrplot JSON file of a plateau curve
    if not isinstance(data, list):
        raise InputError(where, str(path), "must hold a JSON list of numbers", _FIX)
    return data


def _from_csv(text: str, column: str | None, path: Path, where: str) -> list[object]:
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    if not rows:
        raise InputError(where, str(path), "is empty", _FIX)
    header = [cell.strip() for cell in rows[0]]
    if column is None and all(_is_number(cell) for cell in header):
        if len(header) != 1:
            raise InputError(
                where,
                str(path),
                "has several columns and no header",
                "add a header row and name the column, e.g. metric",
            )
        return [row[0] for row in rows]
    wanted = [column] if column is not None else [c for c in CSV_COLUMNS if c in header]
    if not wanted or wanted[0] not in header:
        raise InputError(
            where,
            str(path),
            f"has no column {column or 'metric'} (columns: {', '.join(header)})",
            "name one as PATH:COLUMN",
        )
    index = header.index(wanted[0])
    return [row[index] if index < len(row) else "" for row in rows[1:]]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _checked(values: list[object], where: str, raw: object) -> tuple[float, ...]:
    if not values:
        raise InputError(where, _short(raw), "holds no values", _FIX)
    out = []
    for index, value in enumerate(values):
        number = to_float(value, f"{where} (value {index + 1})", example=0.5)
        out.append(number)
    if not all(math.isfinite(v) for v in out):  # pragma: no cover - to_float refuses them
        raise InputError(where, _short(raw), "holds NaN or inf", _FIX)
    return tuple(out)


def _short(raw: object) -> object:
    if isinstance(raw, str) and len(raw) > 60:
        return raw[:40] + f"... ({len(raw)} characters)"
    return f"list of {len(raw)}" if isinstance(raw, (list, tuple)) else raw
