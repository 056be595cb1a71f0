"""The vocabulary and the evaluator of the expression language: numbers, operators, functions.

Every operation returns a float or raises (ZeroDivisionError, OverflowError, ValueError with a
readable message); nothing here knows about options or error messages for users.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
MANY_ARGS: dict[str, Callable[[list[float]], float]] = {"min": min, "max": max}
ONE_ARG: dict[str, Callable[[float], float]] = {
    "abs": math.fabs,
    "floor": lambda x: float(math.floor(x)),
    "ceil": lambda x: float(math.ceil(x)),
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "cos": math.cos,
    "sin": math.sin,
}
FUNCTIONS = frozenset([*MANY_ARGS, *ONE_ARG])
FUNCTION_LIST = " ".join([*MANY_ARGS, *ONE_ARG])


def _power(base: float, exponent: float) -> float:
    if base == 0.0 and exponent < 0.0:
        raise ZeroDivisionError  # math.pow calls this a domain error, which would mislead
    try:
        return math.pow(base, exponent)  # unlike **, never returns a complex number
    except ValueError:
        raise ValueError(
            f"math domain error: ({number_text(base)}) ** {number_text(exponent)}"
        ) from None


BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
}
COMPARE: dict[type[ast.cmpop], Callable[[float, float], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
UNARY = (ast.UAdd, ast.USub, ast.Not)


def evaluate(node: ast.expr, env: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)  # even ints, so that 9 ** 9 ** 9 overflows instead of growing
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        value = evaluate(node.operand, env)
        if isinstance(node.op, ast.Not):
            return 0.0 if value else 1.0
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        result = BINARY[type(node.op)](evaluate(node.left, env), evaluate(node.right, env))
        if math.isinf(result):
            raise OverflowError  # float + and * give inf silently; report it where it happens
        return result
    if isinstance(node, ast.BoolOp):
        return _boolean(node, env)
    if isinstance(node, ast.Compare):
        return _compare(node, env)
    if isinstance(node, ast.IfExp):
        return evaluate(node.body if evaluate(node.test, env) else node.orelse, env)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(node.func.id, [evaluate(arg, env) for arg in node.args])
    raise AssertionError(f"unchecked node {type(node).__name__}")


def _boolean(node: ast.BoolOp, env: Mapping[str, float]) -> float:
    # Short-circuit like Python so that guards such as 'e > 0 and 1 / e' work.
    value = 0.0
    for operand in node.values:
        value = evaluate(operand, env)
        if bool(value) != isinstance(node.op, ast.And):
            break
    return value


def _compare(node: ast.Compare, env: Mapping[str, float]) -> float:
    left = evaluate(node.left, env)
    for op, comparator in zip(node.ops, node.comparators, strict=True):
        right = evaluate(comparator, env)
        if not COMPARE[type(op)](left, right):
            return 0.0
        left = right
    return 1.0


def _call(name: str, args: list[float]) -> float:
    if name in MANY_ARGS:
        return MANY_ARGS[name](args)
    try:
        return ONE_ARG[name](args[0])
    except ValueError:
        raise ValueError(f"math domain error: {name}({number_text(args[0])})") from None


def number_text(value: float) -> str:
    """A number as people write it: 3 rather than 3.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)
