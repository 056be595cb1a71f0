"""Fuzzing with Hypothesis: the expression language, the command line, SPEC strings, manifests.

Every run is derandomized and keeps no example database, so CI sees the same examples each
time. Properties: only lrplot's own errors escape; the expression language imports nothing,
runs nothing and touches no attributes, within fixed caps on text, nesting and work; every
command line ends in exit 0 or 2 (never an internal error, never a traceback).
"""

from __future__ import annotations

import ast
import contextlib
import io
import math
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lrplot.batch.manifest import load_manifest
from lrplot.cli.app import app, main
from lrplot.errors import LrplotError
from lrplot.schedulers.registry import SCHEDULERS
from lrplot.spec import arithmetic
from lrplot.spec.build import spec_from_string
from lrplot.spec.expression import MAX_DEPTH, MAX_LENGTH, MAX_NODES, parse_expression
from lrplot.spec.grammar import parse_spec

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(examples: int) -> settings:
    """The fixed, database-less settings with ``examples`` examples."""
    return settings(FUZZ, max_examples=examples)


# --- Watching what the code under test does ---------------------------------------------

# Audit events that mean "ran or imported something"; ast.parse's own "compile" is fine.
_FORBIDDEN_EVENTS = ("import", "exec", "open", "os.", "subprocess.", "ctypes.", "socket.")
_seen: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _seen is not None and event.startswith(_FORBIDDEN_EVENTS):
        _seen.append(event)


sys.addaudithook(_audit)  # hooks cannot be removed; it records only inside _watched()


@contextlib.contextmanager
def _watched() -> Iterator[list[str]]:
    """Record forbidden audit events and modules newly imported inside the block."""
    global _seen
    events: list[str] = []
    modules = set(sys.modules)
    _seen = events
    try:
        yield events
    finally:
        _seen = None
        events.extend(f"new module {name}" for name in set(sys.modules) - modules)


def test_the_watch_sees_imports_and_exec() -> None:
    sys.modules.pop("colorsys", None)  # so that the import below really imports
    with _watched() as events:
        exec("import colorsys")
    assert "exec" in events and "import" in events and "new module colorsys" in events


def _parse_and_run(text: str) -> None:
    """Parse ``text`` and evaluate it at a few values; only InputError may escape."""
    try:
        expression = parse_expression(text)
    except LrplotError:
        return
    for value in (0, 1, 3, 0.5, 250, -1):
        try:
            result = expression(value)
        except LrplotError:
            continue
        assert type(result) is float and math.isfinite(result)


# --- (a) the expression language --------------------------------------------------------

TOKENS = [
    *("epoch", "e", "pi", "x", "0", "1", "2.5", "1e308", "9", "-", "lambda e:", "__import__"),
    *("+", "*", "/", "//", "%", "**", "(", ")", ",", "<", "==", "and", "or", "not", "if"),
    *("else", "min(", "max(", "log(", "exp(", "sqrt(", ".", "__class__", "[", "]", "'s'"),
    *(":=", "=", "~", "@", "os", "system", "eval(", "open(", "getattr(", "{", "}", "\\", "\n"),
]


@fuzz(250)
@given(
    st.one_of(st.text(max_size=700), st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
)
def test_any_text_is_refused_or_evaluated_and_runs_nothing(text: str) -> None:
    with _watched() as events:
        _parse_and_run(text)
    assert events == []


_NAMES = ["epoch", "e", "pi", "x", "min", "max", "log", "sqrt", "abs"]
_DANGEROUS = ["__import__", "eval", "exec", "open", "getattr", "os", "sys", "__builtins__"]
_ALLOWED_NAMES = {"epoch", "e", "pi"}
_ALLOWED_CALLS = set(arithmetic.FUNCTIONS)
_OPERATORS = [cls() for cls in ast.operator.__subclasses__()]
_UNARY = [ast.UAdd(), ast.USub(), ast.Not(), ast.Invert()]
_COMPARE = [cls() for cls in ast.cmpop.__subclasses__()]
_ATTRIBUTES = ["real", "__class__", "__globals__", "system", "__subclasses__", "__dict__"]

_CONSTANTS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["s", b"b", None, True, False, 1j, ...]),
)
_LEAVES = st.one_of(
    _CONSTANTS.map(lambda v: ast.Constant(value=v)),
    st.sampled_from(_NAMES + _DANGEROUS).map(lambda n: ast.Name(id=n, ctx=ast.Load())),
)


def _lambda(body: ast.expr) -> ast.expr:
    params = ast.arguments(
        posonlyargs=[], args=[ast.arg(arg="e")], kwonlyargs=[], kw_defaults=[], defaults=[]
    )
    return ast.Lambda(args=params, body=body)


def _call(name: str, args: list[ast.expr], keyword: ast.expr | None) -> ast.expr:
    keywords = [ast.keyword(arg="k", value=keyword)] if keyword is not None else []
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=keywords)


def _extend(inner: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    pair = st.tuples(inner, inner)
    load = ast.Load()
    return st.one_of(
        st.builds(ast.BinOp, inner, st.sampled_from(_OPERATORS), inner),
        st.builds(ast.UnaryOp, st.sampled_from(_UNARY), inner),
        pair.map(lambda p: ast.BoolOp(op=ast.And(), values=list(p))),
        st.builds(
            lambda a, op, b: ast.Compare(a, [op], [b]), inner, st.sampled_from(_COMPARE), inner
        ),
        st.builds(ast.IfExp, inner, inner, inner),
        st.builds(
            _call,
            st.sampled_from(sorted(_ALLOWED_CALLS) + _DANGEROUS),
            st.lists(inner, max_size=3),
            st.none() | inner,
        ),
        st.builds(lambda v, a: ast.Attribute(v, a, load), inner, st.sampled_from(_ATTRIBUTES)),
        pair.map(lambda p: ast.Subscript(p[0], p[1], load)),
        inner.map(_lambda),
        st.lists(inner, max_size=3).map(lambda xs: ast.Tuple(xs, load)),
        st.lists(inner, max_size=3).map(lambda xs: ast.List(xs, load)),
        inner.map(lambda v: ast.NamedExpr(ast.Name("y", ast.Store()), v)),
        pair.map(
            lambda p: ast.ListComp(
                p[0], [ast.comprehension(ast.Name("i", ast.Store()), p[1], [], 0)]
            )
        ),
    )


TREES = st.recursive(_LEAVES, _extend, max_leaves=12)


def _must_be_refused(tree: ast.AST) -> bool:
    """An independent oracle: constructs that can reach Python objects are never allowed."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.NamedExpr, ast.ListComp)):
            return True
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            return True
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _ALLOWED_CALLS
        ):
            return True
        if isinstance(node, ast.Name) and node.id in _DANGEROUS:
            return True
    return False


@fuzz(250)
@given(TREES)
def test_generated_syntax_trees_never_reach_python(tree: ast.expr) -> None:
    try:
        text = ast.unparse(ast.fix_missing_locations(ast.Expression(tree)))
    except (ValueError, TypeError, AttributeError):  # a tree unparse cannot write
        assume(False)
        return
    with _watched() as events:
        try:
            expression = parse_expression(text)
        except LrplotError:
            expression = None
        if expression is not None:
            assert not _must_be_refused(tree), text
            _parse_and_run(text)
    assert events == []


def test_bracket_depth_and_length_are_capped_before_parsing(monkeypatch) -> None:
    parsed: list[str] = []
    real_parse = ast.parse
    monkeypatch.setattr(
        ast, "parse", lambda text, **kw: parsed.append(text) or real_parse(text, **kw)
    )
    deep = "(" * 10_000 + "1" + ")" * 10_000
    for text, message in [
        (deep, "characters long"),
        ("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1), "nests brackets"),
        ("[" * (MAX_DEPTH + 1), "nests brackets"),
        ("1+" * MAX_LENGTH + "1", "characters long"),
        ("x" * 10**6, "characters long"),
    ]:
        with pytest.raises(LrplotError, match=message):
            parse_expression(text)
    assert parsed == []
    parse_expression("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH)  # the cap itself is allowed
    assert len(parsed) == 1


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per node the expression evaluator visits (it is patched to count)."""
    visited: list[int] = []
    real_evaluate = arithmetic.evaluate

    def counting(node: ast.expr, env: Any) -> float:
        visited.append(1)
        return real_evaluate(node, env)

    monkeypatch.setattr(arithmetic, "evaluate", counting)
    return visited


@pytest.mark.parametrize(
    "text",
    ["9**9**9", "10**10**10", "2**-2**30", "-(9**9**9)", "(9**9)**(9**9)", "2**2**2**2**2**2"],
)
def test_towers_of_powers_use_bounded_work_and_memory(text: str, evaluations: list[int]) -> None:
    expression = parse_expression(text)
    tracemalloc.start()
    try:
        try:
            result = expression(1)
        except LrplotError as error:
            assert "overflows" in str(error)
        else:
            assert math.isfinite(result)  # 2**-2**30 underflows to 0.0
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # Floats all the way: no giant integers (9**9**9 as an int would be 370 MB of digits).
    assert peak < 100_000
    assert len(evaluations) <= MAX_NODES


def test_evaluation_visits_each_node_at_most_once(evaluations: list[int]) -> None:
    text = "+".join(["min(epoch, 1)"] * 20)
    parse_expression(text)(2)
    assert len(evaluations) == 20 * 3 + 19  # per term: the call, epoch and 1; 19 additions


# --- (b) the command line ---------------------------------------------------------------

_VALUES = [
    *("0", "1", "-1", "2.5", "0.5", "nan", "inf", "-inf", "1e308", "1e-300", "abc", "", "3"),
    *("30,80", "[1,2", "1,,2", "true", "none", "10", "100000", "1/(epoch-3)", "x", "e"),
    *("__import__('os')", "cos", "linear", "triangular", "exp_range", "min", "max", "8x4.5"),
]


def _options_of(command: str) -> list[tuple[str, bool]]:
    """Each option of ``command`` as (flag, takes_a_value), read from the real CLI."""
    group = typer.main.get_command(app)
    click_command = group.commands[command]  # type: ignore[attr-defined]
    found = []
    for param in click_command.params:
        if param.param_type_name != "option" or "--output" in param.opts:
            continue
        for flag in [*param.opts, *param.secondary_opts]:
            if flag not in ("--help", "-h"):
                found.append((flag, not param.is_flag))
    return found


def _argv_strategy(
    command: str, outputs: st.SearchStrategy[list[str]]
) -> st.SearchStrategy[list[str]]:
    def one(option: tuple[str, bool]) -> st.SearchStrategy[list[str]]:
        flag, takes_value = option
        return st.sampled_from(_VALUES).map(lambda v: [flag, v]) if takes_value else st.just([flag])

    options = st.lists(st.sampled_from(_options_of(command)).flatmap(one), max_size=4)
    return st.builds(
        lambda opts, out: [command, *(a for o in opts for a in o), *out], options, outputs
    )


# Relative to a scratch current folder; data formats mostly, as PNG costs more.
OUTPUTS = st.sampled_from(
    [
        ["-o", "o.csv"],
        ["-o", "o.json"],
        ["-o", "-", "--format", "csv"],
        ["-o", "missing/o.csv"],
        ["-o", "o.gif"],
        ["-o", "o.svg"],
        ["-o", "o.csv", "-o", "o.json"],
    ]
)


def _run(argv: list[str]) -> tuple[int, str, str]:
    """``lrplot ARGV`` in-process in a scratch folder, with a low row limit."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.StringIO()
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("LRPLOT_MAX_ROWS", "3000")  # keeps every run small, and tests the limit
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        code = main(argv)
        stdout.flush()
        written = [line for line in stdout.buffer.getvalue().decode().splitlines()]  # type: ignore[attr-defined]
        if code == 0 and "-" not in argv and argv[0] != "list":
            assert all(Path(p).is_file() for p in written), written
        assert not list(Path(folder).rglob("*.lrplot-tmp"))
    return code, "\n".join(written), stderr.getvalue()


def _assert_clean_exit(argv: list[str], code: int, err: str) -> None:
    assert "Traceback" not in err, (argv, err)
    assert code in (0, 2), (argv, code, err)
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("lrplot: error: "), (argv, err)


SCHEDULER_COMMANDS = [s.command for s in SCHEDULERS]


@pytest.mark.parametrize("command", [*SCHEDULER_COMMANDS, "descent", "list"])
def test_random_option_lists_exit_0_or_2(command: str) -> None:
    outputs = st.just([]) if command == "list" else OUTPUTS

    @fuzz(20)
    @given(_argv_strategy(command, outputs))
    def check(argv: list[str]) -> None:
        code, _, err = _run(argv)
        _assert_clean_exit(argv, code, err)

    check()


# --- (c) SPEC strings and manifests ------------------------------------------------------

SPEC_PARTS = [
    *(s.command for s in SCHEDULERS),
    *("StepLR", "os.system", "torch.optim.lr_scheduler.StepLR", "__class__", "builtins.eval"),
    *(":", "=", ",", "[", "]", "(", ")", "T_max", "gamma", "step_size", "milestones", "lr_lambda"),
    *("0", "0.5", "nan", "30,80", "max(0.1, 0.95 ** epoch)", "__import__('os')", "mode", "x"),
]
SPECS = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SPEC_PARTS), min_size=1, max_size=8).map("".join),
    st.builds(
        "{}:{}={}".format,
        st.sampled_from(SPEC_PARTS[:20]),
        st.sampled_from(SPEC_PARTS),
        st.sampled_from(_VALUES),
    ),
)


@fuzz(300)
@given(SPECS)
def test_spec_strings_build_or_refuse(text: str) -> None:
    with _watched() as events:
        try:
            parse_spec(text)
            spec_from_string(text, epochs=20)
        except LrplotError as error:
            assert error.exit_status == 2
    assert [e for e in events if not e.startswith("new module")] == []


@pytest.mark.parametrize("command", ["compare", "sequential", "chained"])
def test_random_specs_on_the_command_line_exit_0_or_2(command: str) -> None:
    def argv(specs: list[str], out: list[str]) -> list[str]:
        if command == "compare":
            return ["compare", *specs, "-n", "20", *out]
        children = [a for s in specs for a in ("--schedule", s)]
        milestones = ",".join(str(5 * (i + 1)) for i in range(len(specs) - 1))
        extra = ["--milestones", milestones] if command == "sequential" and milestones else []
        return [command, *children, *extra, "-n", "20", *out]

    @fuzz(20)
    @given(st.builds(argv, st.lists(SPECS, min_size=1, max_size=3), OUTPUTS))
    def check(args: list[str]) -> None:
        code, _, err = _run(args)
        _assert_clean_exit(args, code, err)

    check()


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


MANIFEST_KEYS = [
    *("name", "scheduler", "spec", "kind", "curves", "label", "epochs", "lr", "gamma", "step-size"),
    *("T_max", "metrics", "metric-expr", "annotate", "dpi", "size", "log-y", "layout", "steps"),
    *("__class__", "os.system", "lr-lambda", "milestones", "title", "start", "momentum"),
]
SCALARS = st.one_of(
    st.sampled_from(_VALUES + SPEC_PARTS + ["descent", "curves", "s", "a-b"]),
    st.integers(-5, 300),
    st.floats(),
    st.booleans(),
)
TOML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(MANIFEST_KEYS), inner, max_size=3),
    ),
    max_leaves=6,
)
FIGURES = st.dictionaries(st.sampled_from(MANIFEST_KEYS), TOML_VALUES, max_size=5).map(
    lambda d: {"name": "f", "scheduler": "step", "epochs": 5} | d
)


def _manifest(figures: list[dict[str, object]], defaults: dict[str, object]) -> str:
    lines = ["[defaults]", *(f'"{k}" = {_toml_value(v)}' for k, v in defaults.items())]
    for figure in figures:
        lines += ["", "[[figure]]", *(f'"{k}" = {_toml_value(v)}' for k, v in figure.items())]
    return "\n".join(lines) + "\n"


MANIFESTS = st.one_of(
    st.builds(
        _manifest,
        st.lists(FIGURES, min_size=1, max_size=3),
        st.dictionaries(st.sampled_from(MANIFEST_KEYS), SCALARS, max_size=2),
    ),
    st.text(max_size=200),
)


@fuzz(150)
@given(MANIFESTS)
def test_manifests_load_or_refuse(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_manifest(path)
        except LrplotError as error:
            assert error.exit_status == 2
            assert "\n" not in str(error)


@fuzz(15)
@given(MANIFESTS)
def test_render_of_random_manifests_exits_0_or_2(text: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        manifest = Path(scratch) / "m.toml"
        manifest.write_text(text, encoding="utf-8", errors="surrogatepass")
        argv = ["render", str(manifest), "-d", str(Path(scratch) / "out"), "--format", "csv", "-q"]
        code, _, err = _run(argv)
    _assert_clean_exit(argv, code, err)
