"""The house rules, read from the AST of every module: imports flow one way, heavy libraries
stay in their rooms, and modules and functions stay small enough to read."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lrplot"

#: Subpackages from the top of the house down; a module may import from its own subpackage
#: or from one further down, never up. The root modules errors.py and curve.py are the floor.
LAYERS = ("cli", "regress", "batch", "draw", "files", "simulation", "spec", "schedulers")
FLOOR = ("errors", "curve")
#: Where each heavy library may be imported (directly, at any depth of a function).
ROOMS = {
    "typer": {"cli"},
    "click": set(),  # Typer vendors Click: never import it
    "rich": {"cli"},
    "torch": {"simulation", "schedulers"},
    "matplotlib": {"draw", "regress"},
    "plotille": {"draw"},  # the --preview text chart, beside the figures
}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _imports(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(module, names) for every import anywhere in the file, lazy and TYPE_CHECKING ones too."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


def _room(module: str) -> str:
    """The subpackage (or floor module) of an lrplot module name; '' for the facade."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _targets(module: str, names: list[str]) -> list[str]:
    """The lrplot modules an import statement reaches (``from lrplot.spec import rules``)."""
    if module == "lrplot":
        return [f"lrplot.{n}" for n in names if n != "__version__"]
    found = [
        f"{module}.{n}"
        for n in names
        if (PACKAGE.parent / f"{module}.{n}".replace(".", "/")).with_suffix(".py").exists()
    ]
    return found or [module]


def _lrplot_edges() -> list[tuple[str, str]]:
    edges = []
    for path in _modules():
        for module, names in _imports(path):
            if module == "lrplot" or module.startswith("lrplot."):
                edges += [(_name(path), target) for target in _targets(module, names)]
    return edges


def _rank(room: str) -> int:
    if room in FLOOR:
        return -1
    return len(LAYERS) - LAYERS.index(room)


def test_the_house_has_the_documented_rooms() -> None:
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms == set(LAYERS)
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose == {"__init__", "__main__", *FLOOR}


@pytest.mark.parametrize("room", LAYERS)
def test_every_room_says_its_job(room: str) -> None:
    docstring = ast.get_docstring(_tree(PACKAGE / room / "__init__.py"))
    assert docstring and len(docstring.splitlines()) <= 2


def _upward(edges: list[tuple[str, str]]) -> list[str]:
    """The imports that go up the house (or into the facade)."""
    found = []
    for source, target in edges:
        here, there = _room(source), _room(target)
        if source in ("lrplot", "lrplot.__main__") or here == there:
            continue  # the facade may reach any room; a room's own imports are checked below
        if there == "" or _rank(there) >= _rank(here):
            found.append(f"{source} -> {target}")
    return found


def _circles(edges: list[tuple[str, str]]) -> list[str]:
    """Every module that can reach itself by following imports."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        if source != "lrplot" and target != "lrplot":
            graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for step in graph.get(start, ()):
            if step == goal or (step not in seen and reaches(step, goal, seen | {step})):
                return True
        return False

    return sorted(module for module in graph if reaches(module, module, {module}))


def test_imports_flow_one_way_between_rooms() -> None:
    assert _upward(_lrplot_edges()) == []


def test_no_circle_of_imports_anywhere() -> None:
    assert _circles(_lrplot_edges()) == []


def test_the_rules_catch_a_break() -> None:
    # The checks pass on this tree; they must also be able to fail.
    assert _upward([("lrplot.spec.build", "lrplot.simulation.record")]) == [
        "lrplot.spec.build -> lrplot.simulation.record"
    ]
    assert _upward([("lrplot.errors", "lrplot.spec.values")]) != []
    assert _upward([("lrplot.cli.app", "lrplot")]) != []  # only __version__ may come from there
    assert _upward([("lrplot.cli.app", "lrplot.errors")]) == []
    loop = [("lrplot.spec.a", "lrplot.spec.b"), ("lrplot.spec.b", "lrplot.spec.a")]
    assert _circles(loop) == ["lrplot.spec.a", "lrplot.spec.b"]
    assert _targets("lrplot.spec", ["rules"]) == ["lrplot.spec.rules"]
    assert _targets("lrplot", ["__version__"]) == []


def test_heavy_libraries_stay_in_their_rooms() -> None:
    strays = []
    for path in _modules():
        room = _room(_name(path))
        for module, _ in _imports(path):
            library = module.split(".")[0]
            if library in ROOMS and room not in ROOMS[library]:
                strays.append(f"{_name(path)} imports {module}")
    assert strays == []


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for path in _modules():
        lines = len(path.read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{_name(path)}: {lines} lines")
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{_name(path)}.{node.name}: {length} lines")
    assert too_long == []
