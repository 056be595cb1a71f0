"""Read a TOML manifest of named figures into FigureSpecs, checking every field.

Schema (documented in README "Manifests")::

    [defaults]              # optional: common and style keys for every figure
    epochs = 100

    [[figure]]
    name = "steplr"         # file stem: letters, digits, '.', '_' and '-'
    scheduler = "step"      # one curve: a scheduler and its options, named as on the CLI
    step-size = 10

    [[figure]]
    name = "modes"
    layout = "panels"       # or "overlay" (default)
    curves = [{ spec = "cyclic:mode=triangular", label = "triangular" }, ...]

    [[figure]]
    name = "learning-rate-effect"
    kind = "descent"
    lr = [0.1, 0.5, 1.05]
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lrplot.batch.names import check_unique, figure_name, table_fields
from lrplot.batch.pipeline import DescentSpec, FigureSpec
from lrplot.batch.reproduce import curve_command, descent_command
from lrplot.errors import InputError
from lrplot.schedulers.entry import AT_LEAST_ONE, POSITIVE
from lrplot.schedulers.registry import SCHEDULERS, find, imports_allowed, is_import_path
from lrplot.spec.build import RUN_KEYS, build_spec, spec_from_string
from lrplot.spec.curve_spec import CurveSpec
from lrplot.spec.parsing import parse_toml
from lrplot.spec.reading import FileProblem, exists, read_text, shown
from lrplot.spec.style import STYLE_KEYS, style_from
from lrplot.spec.values import to_float, to_int

COMMON_KEYS = RUN_KEYS
CURVE_KEYS = ("scheduler", "spec", "label", *COMMON_KEYS)
FIGURE_KEYS = ("name", "kind", "curves", "description", *STYLE_KEYS)
DESCENT_KEYS = ("name", "kind", "description", "lr", "steps", "start", *STYLE_KEYS)
DEFAULT_KEYS = (*COMMON_KEYS, *STYLE_KEYS, "steps", "start")
MAX_FIGURES = 1000

Namer = Callable[[str], str]


def load_manifest(path: Path | str, *, allow_import: Sequence[str] = ()) -> list[FigureSpec]:
    """Every figure of the manifest at ``path``, checked; errors name file, figure, field.

    A scheduler by import path outside torch is refused unless ``allow_import`` names its
    top-level package: a manifest is data, and reading it runs no code it names.
    """
    with imports_allowed(_packages(allow_import)):
        return _load(Path(path))


def _packages(names: Sequence[str]) -> list[str]:
    for name in names:
        if not name.isidentifier():
            raise InputError(
                "--allow-import",
                name,
                "is not a top-level package name",
                "give the first part only, e.g. --allow-import "
                + (name.strip().split(".")[0] if name.strip()[:1].isidentifier() else "mypkg"),
            )
    return list(names)


def _load(path: Path) -> list[FigureSpec]:
    table = _read_toml(path)
    unknown = sorted(set(table) - {"defaults", "figure"})
    if unknown:
        raise InputError(
            f"{path}: table '{unknown[0]}'",
            None,
            "is not part of a manifest",
            "use [defaults] and [[figure]] tables",
        )
    defaults = _defaults(table.get("defaults", {}), path)
    figures = table.get("figure", [])
    if not isinstance(figures, list) or not figures:
        raise InputError(str(path), None, "has no [[figure]] tables", "add at least one figure")
    if len(figures) > MAX_FIGURES:
        raise InputError(str(path), None, f"has more than {MAX_FIGURES} figures", "split it")
    specs: list[FigureSpec] = []
    for index, raw in enumerate(figures):
        spec = _figure(raw, index, defaults, path)
        check_unique(spec.name, [s.name for s in specs], f"{path}: figure '{spec.name}'")
        specs.append(spec)
    return specs


def _read_toml(path: Path) -> dict[str, Any]:
    """The manifest's TOML: a regular UTF-8 file under the size cap, parsed within limits."""
    try:
        text = read_text(path)
    except FileProblem as problem:
        fix = "give the .toml file" if problem.problem == "is a folder" else problem.fix
        raise InputError("MANIFEST", shown(str(path)), problem.problem, fix) from None
    try:
        return parse_toml(text)
    except FileProblem as problem:
        raise InputError(str(path), None, problem.problem, problem.fix) from None


def _defaults(raw: object, path: Path) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise InputError(f"{path}: [defaults]", raw, "must be a table", "write [defaults]")
    out = table_fields(raw, lambda k: f"{path}: [defaults]: field '{k}'")
    _refuse_unknown(out, DEFAULT_KEYS, lambda k: f"{path}: [defaults]: field '{k}'")
    return out


def _figure(raw: object, index: int, defaults: Mapping[str, object], path: Path) -> FigureSpec:
    if not isinstance(raw, dict):
        raise InputError(f"{path}: figure #{index + 1}", raw, "must be a table", "use [[figure]]")
    name = figure_name(raw.get("name"), f"{path}: figure #{index + 1}: field 'name'")
    place = f"{path}: figure '{name}'"
    fields = table_fields(raw, lambda key: f"{place}: field '{key}'")

    def namer(key: str) -> str:
        return f"{place}: field '{key}'"

    merged = {k: v for k, v in defaults.items()} | fields
    style = style_from({k: merged[k] for k in STYLE_KEYS if k in merged}, namer)
    kind = fields.get("kind", "curves")
    if kind == "descent":
        _refuse_unknown(fields, DESCENT_KEYS, namer)
        descent = _descent(merged, namer)
        command = descent_command(descent.lrs, descent.steps, descent.start, style)
        return FigureSpec(name, style=style, descent=descent, command=command, where=place)
    if kind != "curves":
        raise InputError(namer("kind"), kind, "must be curves or descent", 'e.g. kind = "descent"')
    curves = _curves(fields, merged, path, name, namer)
    command = curve_command(curves, style)
    return FigureSpec(name, curves=curves, style=style, command=command, where=place)


def _curves(
    fields: dict[str, Any], merged: dict[str, Any], path: Path, name: str, namer: Namer
) -> tuple[CurveSpec, ...]:
    shared = {k: merged[k] for k in COMMON_KEYS if k in merged}
    if "curves" in fields:
        extra = sorted(set(fields) - set(FIGURE_KEYS) - set(COMMON_KEYS))
        if extra:
            raise InputError(
                namer(extra[0]),
                fields[extra[0]],
                "is not a field of a figure with curves (a scheduler option belongs inside "
                "curves = [...])",
                f"move it into each curve if it is one; the figure's fields: "
                f"{', '.join(sorted(k.replace('_', '-') for k in {*FIGURE_KEYS, *COMMON_KEYS}))}",
            )
        items = fields["curves"]
        if not isinstance(items, list) or not items:
            raise InputError(
                namer("curves"),
                items,
                "must be a non-empty array of tables",
                'e.g. curves = [{ spec = "step" }]',
            )
        curves = []
        for i, item in enumerate(items):
            namer_i = _item_namer(f"{path}: figure '{name}': curves[{i}]")
            curves.append(_curve(item, shared, path, namer_i, folder=path.parent))
            # As in compare: one lr for every curve, the first curve's scheduler's unless
            # the figure sets it; a curve's own lr still wins for that curve.
            shared = {"lr": [curves[0].scheduler.lr], **shared}
        return tuple(curves)
    own = {k: v for k, v in fields.items() if k not in FIGURE_KEYS}
    return (_curve(own, shared, path, namer, folder=path.parent),)


def _item_namer(prefix: str) -> Namer:
    return lambda key: f"{prefix}.{key}"


def _curve(
    raw: object, shared: Mapping[str, object], path: Path, namer: Namer, folder: Path
) -> CurveSpec:
    if not isinstance(raw, dict):
        raise InputError(namer("curve"), raw, "must be a table", '{ scheduler = "step" }')
    fields: dict[str, Any] = table_fields(raw, namer)
    common = dict(shared) | {k: fields.pop(k) for k in COMMON_KEYS if k in fields}
    if isinstance(common.get("metrics"), str):
        common["metrics"] = _relative(common["metrics"], folder)  # type: ignore[arg-type]
    label = fields.pop("label", None)
    if label is not None and not isinstance(label, str):
        raise InputError(namer("label"), label, "must be text", 'label = "warm-up"')
    if "spec" in fields:
        if "scheduler" in fields or fields.keys() - {"spec"}:
            other = sorted(fields.keys() - {"spec"})[0]
            raise InputError(
                namer(other),
                fields[other],
                "cannot be given with spec",
                "put the option inside the SPEC string",
            )
        text = fields["spec"]
        if not isinstance(text, str):
            raise InputError(namer("spec"), text, "must be a SPEC string", '"cosine:T_max=95"')
        return spec_from_string(text, where=namer("spec"), label=label or text, **common)
    command = fields.pop("scheduler", None)
    if not isinstance(command, str):
        raise InputError(
            namer("scheduler"),
            command,
            "is missing or not text",
            'e.g. scheduler = "step" (or spec = "step:gamma=0.5")',
        )
    if not is_import_path(command) and find(command) is not None:
        fields = _composite_aliases(fields)
    return build_spec(
        command, fields, label=label, namer=namer, command_where=namer("scheduler"), **common
    )


def _composite_aliases(fields: dict[str, Any]) -> dict[str, Any]:
    # The CLI spells SequentialLR's children --schedule; accept `schedule` in manifests too.
    if "schedule" in fields and "schedulers" not in fields:
        fields = dict(fields)
        fields["schedulers"] = fields.pop("schedule")
    return fields


def _relative(text: str, folder: Path) -> str:
    candidate = folder / text
    return str(candidate) if not Path(text).is_absolute() and exists(candidate) else text


def _descent(merged: Mapping[str, object], namer: Namer) -> DescentSpec:
    from lrplot.simulation import descent as defaults

    raw = merged.get("lr", list(defaults.DEFAULT_LRS))
    items = raw if isinstance(raw, list) else [raw]
    lrs = tuple(to_float(v, namer("lr"), POSITIVE, 0.5) for v in items)
    steps = to_int(merged.get("steps", defaults.DEFAULT_STEPS), namer("steps"), AT_LEAST_ONE, 20)
    start = to_float(merged.get("start", defaults.DEFAULT_START), namer("start"), None, 4.0)
    return DescentSpec(lrs, steps, start)


def _refuse_unknown(fields: Mapping[str, object], allowed: tuple[str, ...], namer: Namer) -> None:
    for key in fields:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise InputError(
                namer(key),
                fields[key],
                "is not a field here",
                hint + f"fields: {', '.join(allowed)}",
            )


def all_schedulers() -> list[FigureSpec]:
    """``render --all``: one figure per registered scheduler, with its defaults."""
    figures = []
    for entry in SCHEDULERS:
        spec = build_spec(entry.command)
        figures.append(FigureSpec(entry.command, curves=(spec,), command=("lrplot", entry.command)))
    return figures
