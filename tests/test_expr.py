"""The expression language (lrplot.spec.expression): what it accepts, refuses, and how it fails."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrplot.errors import InputError
from lrplot.spec import arithmetic, expression
from lrplot.spec.expression import Expression, parse_expression

# (text, value of the variable, expected result), the expectation computed by plain Python.
ACCEPTED = [
    ("0.95 ** epoch", 3, 0.95**3),
    ("lambda e: 0.1 ** (e // 30)", 61, 0.1**2),
    ("lambda e: 0.1 ** (e // 30)", 29, 1.0),
    ("lambda epoch: epoch * 2", 4, 8.0),
    ("lambda e: e", 7, 7.0),  # the parameter hides the constant e
    ("max(0.1, 1 - epoch / 100)", 95, 0.1),
    ("max(0.1, 1 - epoch / 100)", 50, 0.5),
    ("min(5, epoch, 6)", 4, 4.0),
    ("max(1, 2, epoch)", 0, 2.0),
    ("1 if epoch < 5 else 0.5", 7, 0.5),
    ("1 if epoch < 5 else 0.5", 4, 1.0),
    ("floor(epoch / 10)", 25, 2.0),
    ("ceil(epoch / 10)", 25, 3.0),
    ("cos(pi * epoch / 100)", 50, math.cos(math.pi / 2)),
    ("0.5 * (1 + cos(pi * epoch / 10))", 10, 0.5 * (1 + math.cos(math.pi))),
    ("e ** 0", 5, 1.0),
    ("e", 0, math.e),
    ("pi", 0, math.pi),
    ("abs(-epoch)", 3, 3.0),
    ("exp(0) + log(1) + sqrt(16)", 0, 5.0),
    ("log(e ** 2)", 0, 2.0),
    ("sin(pi / 2)", 0, 1.0),
    ("not epoch", 0, 1.0),
    ("not epoch", 2, 0.0),
    ("epoch > 2 and 0.5", 3, 0.5),
    ("epoch > 2 and 0.5", 1, 0.0),
    ("epoch < 2 or 0.25", 5, 0.25),
    ("epoch < 2 or 0.25", 1, 1.0),
    ("epoch > 0 and 1 / epoch", 0, 0.0),  # and short-circuits, so no division by zero
    ("0 < epoch <= 10", 10, 1.0),
    ("0 < epoch <= 10", 11, 0.0),
    ("0 < epoch <= 10", 0, 0.0),
    ("epoch == 3", 3, 1.0),
    ("epoch != 3", 3, 0.0),
    ("epoch >= 3", 2, 0.0),
    ("(epoch < 3) + 1", 1, 2.0),
    ("-epoch + +2", 5, -3.0),
    ("epoch % 7", 23, 2.0),
    ("-7 // 2", 0, -4.0),
    ("2 ** -1", 0, 0.5),
    ("(-2) ** 3", 0, -8.0),
    ("2 ** 3 ** 2", 0, 512.0),
    ("1e-3", 0, 0.001),
    ("  0.5 * epoch  ", 3, 1.5),
    ("((((epoch))))", 9, 9.0),
    ("epoch / 4", 2.5, 0.625),
]


@pytest.mark.parametrize(("text", "value", "expected"), ACCEPTED)
def test_accepted_expressions_evaluate_to_floats(text: str, value: float, expected: float) -> None:
    result = parse_expression(text)(value)
    assert type(result) is float
    assert math.isclose(result, expected, rel_tol=1e-12, abs_tol=1e-12)


def test_exact_results_are_exact() -> None:
    assert parse_expression("0.95 ** epoch")(3) == 0.95**3
    assert parse_expression("lambda e: 0.1 ** (e // 30)")(61) == 0.1**2
    assert parse_expression("floor(epoch / 10)")(25) == 2.0


# (text, a fragment the message must contain)
REFUSED = [
    ("__import__('os')", "calling '__import__' is not allowed"),
    ("().__class__", "attribute access (.__class__)"),
    ("(1).real", "attribute access (.real)"),
    ("epoch.real", "attribute access (.real)"),
    ("open('x')", "calling 'open' is not allowed"),
    ("epoch(1)", "calling 'epoch' is not allowed"),
    ("'abc'", "a string is not allowed"),
    ("'\\d'", "a string is not allowed"),  # bad escape: warns while parsing, must not leak
    ("b'abc'", "bytes"),
    ("True", "True is not allowed"),
    ("None", "None is not allowed"),
    ("1j", "complex number"),
    ("1e999", "too large for a float"),
    ("1" + "0" * 400, "too large for a float"),
    ("[1,2][0]", "subscript"),
    ("[1, 2]", "a list is not allowed"),
    ("(1, 2)", "a tuple is not allowed"),
    ("{1: 2}", "a dict is not allowed"),
    ("{1}", "a set is not allowed"),
    ("x + 1", "names other than 'epoch' are not allowed"),
    ("x + 1", "unknown name 'x'"),
    ("min", "'min' is a function"),
    ("lambda e: epoch", "names other than 'e' are not allowed"),
    ("lambda a, b: a", "exactly one parameter"),
    ("lambda: 1", "exactly one parameter"),
    ("lambda e=1: e", "exactly one parameter"),
    ("lambda *a: 1", "exactly one parameter"),
    ("lambda min: 1", "hides a function"),
    ("min(epoch)", "min needs at least 2 arguments"),
    ("max()", "max needs at least 2 arguments"),
    ("exp(1, 2)", "exp takes exactly 1 argument"),
    ("sqrt()", "sqrt takes exactly 1 argument"),
    ("max(a=1)", "keyword arguments are not allowed"),
    ("max(*[1, 2])", "starred argument"),
    ("(lambda e: e)(1)", "lambda is allowed only as the whole expression"),
    ("1 + (lambda e: e)", "lambda is allowed only as the whole expression"),
    ("lambda e: lambda f: f", "lambda is allowed only as the whole expression"),
    ("1 +", "is not a valid expression"),
    ("1 if epoch else", "is not a valid expression"),
    ("epoch = 1", "is not a valid expression"),
    ("epoch\x00", "is not a valid expression"),
    ("\ud800", "is not a valid expression"),
    ("", "is empty"),
    ("   ", "is empty"),
    ("1" * 501, "501 characters long"),
    ("(" * 40 + "1" + ")" * 40, "nests brackets more than 30 deep"),
    ("(" * 100000, "100000 characters long"),
    ("[" * 31, "nests brackets"),
    ("+".join(["e"] * 80), "too complex"),  # short, but 319 syntax nodes
    ("-" * 300 + "1", "too complex"),
    ("[x for x in ()]", "comprehension"),
    ("(x for x in ())", "comprehension"),
    ('f"{epoch}"', "f-string"),
    ("(y := 1)", "assignment (:=)"),
    ("epoch @ 2", "operator MatMult"),
    ("~epoch", "operator Invert"),
    ("epoch << 2", "operator LShift"),
    ("epoch is 1", "operator Is"),
    ("epoch in 1", "operator In"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED)
def test_refused_expressions_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_expression(text)
    message = str(caught.value)
    assert message.startswith("--lr-lambda")
    assert fragment in message
    assert caught.value.where == "--lr-lambda"
    assert caught.value.value == text


def test_the_option_name_appears_in_messages() -> None:
    with pytest.raises(InputError, match=r"^--metric-expr 'x': unknown name 'x'"):
        parse_expression("x", option="--metric-expr")
    expression = parse_expression("1 / epoch", option="--metric-expr")
    with pytest.raises(InputError, match=r"^--metric-expr '1 / epoch': divides by zero"):
        expression(0)


def test_unknown_names_are_told_what_is_allowed() -> None:
    with pytest.raises(InputError) as caught:
        parse_expression("x + 1")
    assert "use epoch, pi, e, or one of min max abs floor ceil exp log sqrt cos sin" in str(
        caught.value
    )


def test_a_custom_variable_is_the_only_name() -> None:
    expression = parse_expression("0.5 * x", variable="x")
    assert expression.variable == "x"
    assert expression(3) == 1.5
    with pytest.raises(InputError, match="names other than 'x' are not allowed"):
        parse_expression("epoch", variable="x")


def test_a_variable_that_is_not_a_plain_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unusable"):
        parse_expression("1", variable="min")
    with pytest.raises(ValueError, match="unusable"):
        parse_expression("1", variable="two words")


def test_expression_keeps_source_and_variable() -> None:
    text = "  lambda step:  0.9 ** step "
    expression = parse_expression(text)
    assert expression.source == text
    assert expression.variable == "step"
    assert parse_expression("0.95 ** epoch").variable == "epoch"
    assert parse_expression("lambda e: e").variable == "e"
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.source = "1"  # type: ignore[misc]


def test_huge_powers_are_refused_at_call_time_and_quickly() -> None:
    expression = parse_expression("9**9**9")  # statically fine: overflow depends on the values
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        expression(0)
    assert time.perf_counter() - start < 1.0
    message = str(caught.value)
    assert "too large" in message or "overflow" in message


# (text, value, a fragment the message must contain)
FAILING = [
    ("1 / (epoch - 3)", 3, "divides by zero at epoch=3"),
    ("epoch % 0", 5, "divides by zero at epoch=5"),
    ("epoch // 0", 5, "divides by zero at epoch=5"),
    ("0 ** -1", 0, "divides by zero at epoch=0"),
    ("lambda e: 1 / e", 0, "divides by zero at e=0"),
    ("1 / (epoch - 2.5)", 2.5, "divides by zero at epoch=2.5"),
    ("log(epoch)", 0, "math domain error: log(0) at epoch=0"),
    ("sqrt(-1)", 0, "math domain error: sqrt(-1)"),
    ("(-8) ** (1 / 3)", 0, "math domain error"),
    ("10.0 ** 400", 0, "overflows"),
    ("exp(1000)", 0, "overflows"),
    ("1e308 * 10", 0, "overflows"),
    ("1e308 + 1e308 - 1e308", 0, "overflows"),
    ("epoch", math.nan, "gives nan at epoch=nan"),
    ("epoch", math.inf, "gives inf at epoch=inf"),
]


@pytest.mark.parametrize(("text", "value", "fragment"), FAILING)
def test_evaluation_errors_say_where(text: str, value: float, fragment: str) -> None:
    expression = parse_expression(text)
    with pytest.raises(InputError) as caught:
        expression(value)
    message = str(caught.value)
    assert message.startswith(f"--lr-lambda {text!r}")
    assert fragment in message


def test_a_guarded_expression_works_where_the_bare_one_fails() -> None:
    assert parse_expression("1 / (epoch - 3)")(4) == 1.0
    assert parse_expression("log(max(1e-8, epoch))")(0) == math.log(1e-8)
    assert parse_expression("1 if epoch == 0 else 1 / epoch")(0) == 1.0


def test_the_module_never_evaluates_python() -> None:
    source = inspect.getsource(expression) + inspect.getsource(arithmetic)
    called = {
        node.func.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}


TOKENS = [
    *("epoch", "e", "pi", "0", "1", "2.5", "1e308", "-1", "lambda e:", "lambda a, b:"),
    *("+", "-", "*", "/", "//", "%", "**", "(", ")", ",", "<", "==", "<="),
    *("and", "or", "not", "if", "else", "min(", "max(", "log(", "exp(", "sqrt(", "floor("),
    *("x", ".real", "[0]", "'s'", ":=", "=", "*", "~"),
]
TEXTS = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join),
)
ATOMS = st.one_of(
    st.sampled_from(["epoch", "e", "pi"]),
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "<", "<=", "==", "!=", "and", "or"]
FUNCTIONS = ["abs", "floor", "ceil", "exp", "log", "sqrt", "cos", "sin"]


def _compose(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("({} {} {})".format, inner, st.sampled_from(OPERATORS), inner),
        st.builds("({}{})".format, st.sampled_from(["-", "+", "not "]), inner),
        st.builds("{}({})".format, st.sampled_from(FUNCTIONS), inner),
        st.builds("{}({}, {})".format, st.sampled_from(["min", "max"]), inner, inner),
        st.builds("({} if {} else {})".format, inner, inner, inner),
    )


# Well-formed by construction, so most of them reach the evaluator.
WELL_FORMED = st.recursive(ATOMS, _compose, max_leaves=15)


def _evaluates_or_refuses(expression: Expression) -> None:
    for value in (0, 1, 3, 0.5, 100):
        try:
            result = expression(value)
        except InputError:
            continue
        assert type(result) is float
        assert math.isfinite(result)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_anything_is_parsed_or_refused_with_an_input_error(text: str) -> None:
    try:
        expression = parse_expression(text)
    except InputError:
        return
    assert isinstance(expression, Expression)
    _evaluates_or_refuses(expression)


@settings(max_examples=300, deadline=None)
@given(WELL_FORMED)
def test_well_formed_expressions_parse_unless_over_a_limit(text: str) -> None:
    try:
        expression = parse_expression(text)
    except InputError as error:
        assert any(limit in error.problem for limit in ("long", "nests", "complex"))
        return
    _evaluates_or_refuses(expression)
