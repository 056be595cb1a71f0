"""A small, safe arithmetic language for --lr-lambda and --metric-expr, walked without eval.

This module parses and statically checks an expression; lrplot.spec.arithmetic evaluates it.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from lrplot.errors import InputError
from lrplot.spec import arithmetic
from lrplot.spec.arithmetic import number_text

MAX_LENGTH = 500  # characters
MAX_DEPTH = 30  # bracket nesting, checked before parsing so the parser never recurses deeply
MAX_NODES = 200  # syntax nodes, which also bounds the recursion of the checker and evaluator

_FIX = (
    "use numbers, + - * / // % **, comparisons, and/or/not, 'a if c else b', "
    + arithmetic.FUNCTION_LIST
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SHAPES = {ast.Subscript: "a subscript (a[i])", ast.JoinedStr: "an f-string"}


class _Refused(Exception):
    """Why an expression is refused; parse_expression turns it into an InputError."""

    def __init__(self, problem: str, fix: str = _FIX) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


@dataclass(frozen=True)
class Expression:
    """A checked expression of one variable; call it with the variable's value to get a float.

    Comparisons and ``not`` give 1.0 or 0.0. In the form ``lambda e: ...`` the parameter
    ``e`` hides the constant ``e`` (Euler's number); write ``exp(1)`` for it there.
    """

    source: str  # exactly as the user gave it
    variable: str
    _tree: ast.expr = field(repr=False, compare=False)
    _option: str = field(default="--lr-lambda", repr=False, compare=False)
    # Says where in the run a variable value falls (e.g. "epoch 0.5"), for error messages:
    # torch passes step counts or cycle numbers, which are not always the plotted epoch.
    _locate: Callable[[float], str] | None = field(default=None, repr=False, compare=False)

    def located(self, locate: Callable[[float], str]) -> Expression:
        """The same expression, whose errors also say ``locate(value)``."""
        return replace(self, _locate=locate)

    def __call__(self, value: float) -> float:
        at = f"at {self.variable}={number_text(value)}"
        if self._locate is not None:
            at += f" ({self._locate(value)})"
        try:
            result = arithmetic.evaluate(
                self._tree, {**arithmetic.CONSTANTS, self.variable: float(value)}
            )
        except ZeroDivisionError:
            guard = f"'a if {self.variable} > 0 else b'"
            problem, fix = f"divides by zero {at}", f"guard it, e.g. max(1e-8, ...) or {guard}"
        except OverflowError:
            problem, fix = f"overflows (too large for a float) {at}", "keep it below 1e308"
        except ValueError as exc:
            problem, fix = f"{exc} {at}", "guard the argument, e.g. log(max(1e-8, ...))"
        else:
            if math.isfinite(result):
                return result
            problem, fix = f"gives {result} {at}", "guard it, e.g. max(1e-8, ...)"
        raise InputError(self._option, self.source, problem, fix)


def parse_expression(
    text: str, *, option: str = "--lr-lambda", variable: str = "epoch"
) -> Expression:
    """Parse and statically check ``text``; raise InputError naming ``option`` if it is refused.

    Allowed: numbers, ``variable`` (or the parameter of a top-level one-parameter lambda),
    ``pi``, ``e``, ``+ - * / // % **``, unary ``+ - not``, ``and``/``or``, (chained)
    comparisons, ``a if c else b``, and positional calls to min/max (2+ arguments) and
    abs floor ceil exp log sqrt cos sin (1 argument). ``lambda e: ...`` hides the constant e.
    """
    if not variable.isidentifier() or variable in arithmetic.FUNCTIONS:
        raise ValueError(f"unusable expression variable {variable!r}")  # a programming error
    try:
        body, variable = _unwrap_lambda(_parse(text, variable).body, variable)
        _check(body, variable)
    except _Refused as refused:
        raise InputError(option, text, refused.problem, refused.fix) from None
    return Expression(text, variable, body, option)


def _parse(text: str, variable: str) -> ast.Expression:
    if not text.strip():
        raise _Refused("is empty", f"give an expression of {variable}, e.g. '0.95 ** {variable}'")
    if len(text) > MAX_LENGTH:
        raise _Refused(f"is {len(text)} characters long, over the limit of {MAX_LENGTH}", "")
    if _bracket_depth(text) > MAX_DEPTH:
        raise _Refused(f"nests brackets more than {MAX_DEPTH} deep", "")
    try:
        with warnings.catch_warnings():
            # Oddities such as bad string escapes only warn; they are refused below anyway.
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise _Refused(
            f"is not a valid expression ({exc.msg})", f"e.g. '0.95 ** {variable}'"
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. unencodable surrogates
        raise _Refused(f"is not a valid expression ({type(exc).__name__})", "") from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES:
        raise _Refused(f"is too complex ({nodes} syntax nodes, over {MAX_NODES})", "simplify it")
    return tree


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(0, depth - 1)
    return deepest


def _unwrap_lambda(node: ast.expr, variable: str) -> tuple[ast.expr, str]:
    if not isinstance(node, ast.Lambda):
        return node, variable
    args = node.args
    params = [*args.posonlyargs, *args.args]
    if len(params) != 1 or args.vararg or args.kwonlyargs or args.kwarg or args.defaults:
        raise _Refused(
            "a lambda must take exactly one parameter, without a default",
            "write it like 'lambda e: 0.1 ** (e // 30)'",
        )
    name = params[0].arg
    if name in arithmetic.FUNCTIONS:
        raise _Refused(f"the lambda parameter {name!r} hides a function", "call it e or epoch")
    return node.body, name


def _check(node: ast.expr, variable: str) -> None:
    if isinstance(node, ast.Constant):
        _check_number(node.value)
    elif isinstance(node, ast.Name):
        _check_name(node.id, variable)
    elif isinstance(node, ast.Call):
        _check_call(node, variable)
    elif isinstance(node, (ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp)):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                _check(child, variable)
            elif not isinstance(
                child,
                (
                    ast.expr_context,
                    *arithmetic.UNARY,
                    *arithmetic.BINARY,
                    *arithmetic.COMPARE,
                    ast.boolop,
                ),
            ):
                raise _Refused(f"the operator {type(child).__name__} is not allowed")
    elif isinstance(node, ast.Attribute):
        raise _Refused(f"attribute access (.{node.attr}) is not allowed")
    elif isinstance(node, ast.Lambda):
        raise _Refused("a lambda is allowed only as the whole expression")
    elif isinstance(node, ast.Starred):
        raise _Refused("a starred argument (*a) is not allowed")
    elif isinstance(node, ast.NamedExpr):
        raise _Refused("assignment (:=) is not allowed")
    elif isinstance(node, _COMPREHENSIONS):
        raise _Refused("a comprehension is not allowed")
    else:
        name = type(node).__name__.lower()
        what = _SHAPES.get(type(node), f"{'an' if name[0] in 'aeiou' else 'a'} {name}")
        raise _Refused(f"{what} is not allowed")


def _check_number(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        kinds = {str: "a string", bytes: "a bytes literal", complex: "a complex number"}
        what = kinds.get(type(value), repr(value))
        raise _Refused(f"{what} is not allowed, only numbers are", "write numbers like 0.5 or 1e-3")
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise _Refused("a number is too large for a float", "use numbers below 1e308")


def _check_name(name: str, variable: str) -> None:
    if name == variable or name in arithmetic.CONSTANTS:
        return
    if name in arithmetic.FUNCTIONS:
        raise _Refused(f"{name!r} is a function and must be called", f"e.g. {name}({variable})")
    constants = ", ".join(c for c in arithmetic.CONSTANTS if c != variable)
    raise _Refused(
        f"unknown name {name!r}: names other than {variable!r} are not allowed",
        f"use {variable}, {constants}, or one of {arithmetic.FUNCTION_LIST}",
    )


def _check_call(node: ast.Call, variable: str) -> None:
    if isinstance(node.func, ast.Lambda):
        raise _Refused("a lambda is allowed only as the whole expression")
    name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)[:40]
    if name not in arithmetic.FUNCTIONS:
        raise _Refused(f"calling {name!r} is not allowed", f"call only {arithmetic.FUNCTION_LIST}")
    if node.keywords:
        raise _Refused("keyword arguments are not allowed", f"pass them by position: {name}(a, b)")
    for arg in node.args:
        _check(arg, variable)  # first, so that min(*a) is refused as starred, not for its arity
    if name in arithmetic.MANY_ARGS and len(node.args) < 2:
        raise _Refused(f"{name} needs at least 2 arguments", f"e.g. {name}(0.1, {variable})")
    if name in arithmetic.ONE_ARG and len(node.args) != 1:
        raise _Refused(f"{name} takes exactly 1 argument", f"e.g. {name}({variable})")
