"""Evaluate `show_if` conditions: a small subset of JsonLogic (docs/service-definition.md)."""

from decimal import Decimal, InvalidOperation
from typing import Any

EMPTY = (None, "", [])


def holds(condition: Any, answers: dict[str, Any]) -> bool:
    """Whether a field with this condition is shown; no condition means always."""
    if condition is None:
        return True
    return bool(evaluate(condition, answers))


def evaluate(node: Any, answers: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [evaluate(item, answers) for item in node]
    if not isinstance(node, dict):
        return node
    (op, arg), *rest = node.items()
    if rest:
        raise ValueError("A condition has exactly one operator")
    if op == "var":
        name = arg[0] if isinstance(arg, list) else arg
        return answers.get(name)
    if op not in OPERATORS:
        raise ValueError(f"Unknown condition operator {op!r}")
    return OPERATORS[op](arg, answers)


def _pair(arg: Any, answers: dict[str, Any]) -> tuple[Any, Any]:
    left, right = evaluate(arg, answers)
    return left, right


def _number(value: Any) -> Decimal | None:
    if value in EMPTY or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _compare(test):
    def run(arg: Any, answers: dict[str, Any]) -> bool:
        left, right = (_number(v) for v in _pair(arg, answers))
        return left is not None and right is not None and test(left, right)

    return run


def _equals(arg: Any, answers: dict[str, Any]) -> bool:
    left, right = _pair(arg, answers)
    return _same(left, right)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if _number(left) is not None and _number(right) is not None:
        return _number(left) == _number(right)
    return left == right


def _in(arg: Any, answers: dict[str, Any]) -> bool:
    needle, haystack = _pair(arg, answers)
    if not isinstance(haystack, list):
        return False
    return any(_same(needle, item) for item in haystack)


OPERATORS = {
    "==": _equals,
    "!=": lambda arg, answers: not _equals(arg, answers),
    ">": _compare(lambda a, b: a > b),
    ">=": _compare(lambda a, b: a >= b),
    "<": _compare(lambda a, b: a < b),
    "<=": _compare(lambda a, b: a <= b),
    "in": _in,
    "and": lambda arg, answers: all(holds(c, answers) for c in arg),
    "or": lambda arg, answers: any(holds(c, answers) for c in arg),
    "!": lambda arg, answers: not holds(arg[0] if isinstance(arg, list) else arg, answers),
}
