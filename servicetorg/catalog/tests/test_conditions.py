"""The `show_if` condition language: the JsonLogic subset of docs/service-definition.md."""

import pytest

from servicetorg.catalog.conditions import evaluate, holds


def var(name: str) -> dict:
    return {"var": name}


def test_it_shows_a_field_without_a_condition():
    assert holds(None, {}) is True


def test_it_reads_an_answer_with_var():
    assert evaluate(var("reason"), {"reason": "other"}) == "other"
    assert evaluate({"var": ["reason"]}, {"reason": "other"}) == "other"


def test_it_reads_a_missing_answer_as_empty():
    assert evaluate(var("reason"), {}) is None
    assert holds(var("reason"), {}) is False
    assert holds({"==": [var("reason"), "other"]}, {}) is False
    assert holds({"!=": [var("reason"), "other"]}, {}) is True


def test_it_compares_equal():
    assert holds({"==": [var("reason"), "other"]}, {"reason": "other"}) is True
    assert holds({"==": [var("reason"), "other"]}, {"reason": "moving"}) is False


def test_it_compares_not_equal():
    assert holds({"!=": [var("reason"), "other"]}, {"reason": "moving"}) is True
    assert holds({"!=": [var("reason"), "other"]}, {"reason": "other"}) is False


def test_it_compares_numeric_strings_as_numbers():
    assert holds({"==": [var("count"), 12]}, {"count": "12"}) is True
    assert holds({"==": [var("count"), "12.0"]}, {"count": 12}) is True
    assert holds({"!=": [var("count"), 12]}, {"count": "12"}) is False
    # As numbers 10 > 9, although "10" < "9" as strings.
    assert holds({">": [var("count"), "9"]}, {"count": "10"}) is True


def test_it_keeps_booleans_apart_from_numbers():
    assert holds({"==": [var("has_children"), True]}, {"has_children": True}) is True
    assert holds({"==": [var("has_children"), True]}, {"has_children": 1}) is False
    assert holds({"==": [var("has_children"), False]}, {"has_children": 0}) is False
    assert holds({"==": [var("count"), 1]}, {"count": True}) is False
    assert holds({"!=": [var("has_children"), True]}, {"has_children": 1}) is True


def test_it_compares_greater_than():
    assert holds({">": [var("age"), 17]}, {"age": 18}) is True
    assert holds({">": [var("age"), 18]}, {"age": 18}) is False


def test_it_compares_greater_than_or_equal():
    assert holds({">=": [var("age"), 18]}, {"age": 18}) is True
    assert holds({">=": [var("age"), 18]}, {"age": 17}) is False


def test_it_compares_less_than():
    assert holds({"<": [var("age"), 18]}, {"age": 17}) is True
    assert holds({"<": [var("age"), 18]}, {"age": 18}) is False


def test_it_compares_less_than_or_equal():
    assert holds({"<=": [var("age"), 18]}, {"age": 18}) is True
    assert holds({"<=": [var("age"), 18]}, {"age": 19}) is False


@pytest.mark.parametrize("op", [">", ">=", "<", "<="])
def test_it_makes_a_numeric_comparison_with_an_empty_side_false(op):
    assert holds({op: [var("age"), 0]}, {}) is False
    assert holds({op: [var("age"), 0]}, {"age": ""}) is False
    assert holds({op: [0, var("age")]}, {"age": None}) is False


@pytest.mark.parametrize("op", [">", ">=", "<", "<="])
def test_it_makes_a_numeric_comparison_with_a_non_number_false(op):
    assert holds({op: [var("age"), 0]}, {"age": "many"}) is False
    assert holds({op: [var("flag"), 0]}, {"flag": True}) is False


def test_it_finds_a_value_in_a_list():
    condition = {"in": [var("reason"), ["moving", "other"]]}
    assert holds(condition, {"reason": "other"}) is True
    assert holds(condition, {"reason": "sickness"}) is False
    assert holds(condition, {}) is False


def test_it_finds_a_value_among_multichoice_answers():
    condition = {"in": ["dog", var("pets")]}
    assert holds(condition, {"pets": ["cat", "dog"]}) is True
    assert holds(condition, {"pets": ["cat"]}) is False
    assert holds(condition, {"pets": []}) is False
    assert holds(condition, {}) is False


def test_it_does_not_treat_a_string_as_a_list():
    assert holds({"in": ["og", var("name")]}, {"name": "dog"}) is False


def test_it_combines_with_and():
    condition = {"and": [{"==": [var("a"), 1]}, {"==": [var("b"), 2]}]}
    assert holds(condition, {"a": 1, "b": 2}) is True
    assert holds(condition, {"a": 1, "b": 3}) is False
    assert holds({"and": []}, {}) is True


def test_it_combines_with_or():
    condition = {"or": [{"==": [var("a"), 1]}, {"==": [var("b"), 2]}]}
    assert holds(condition, {"a": 0, "b": 2}) is True
    assert holds(condition, {"a": 0, "b": 0}) is False
    assert holds({"or": []}, {}) is False


def test_it_negates_with_not():
    assert holds({"!": {"==": [var("a"), 1]}}, {"a": 1}) is False
    assert holds({"!": [{"==": [var("a"), 1]}]}, {"a": 2}) is True
    assert holds({"!": var("a")}, {}) is True
    assert holds({"!": [var("a")]}, {"a": "x"}) is False


def test_it_nests_conditions():
    condition = {
        "and": [
            {"==": [var("has_children"), True]},
            {"or": [{">=": [var("children"), 3]}, {"in": ["disabled", var("needs")]}]},
        ]
    }
    assert holds(condition, {"has_children": True, "children": 3}) is True
    assert holds(condition, {"has_children": True, "children": 1, "needs": ["disabled"]}) is True
    assert holds(condition, {"has_children": True, "children": 1, "needs": []}) is False
    assert holds(condition, {"has_children": False, "children": 5}) is False


def test_it_refuses_an_unknown_operator():
    with pytest.raises(ValueError, match="Unknown condition operator 'xor'"):
        holds({"xor": [1, 2]}, {})


def test_it_refuses_an_unknown_operator_deep_inside():
    with pytest.raises(ValueError, match="Unknown condition operator 'if'"):
        holds({"and": [{"==": [1, 1]}, {"if": [True, 1, 2]}]}, {})


def test_it_refuses_two_operators_in_one_node():
    with pytest.raises(ValueError, match="exactly one operator"):
        holds({"==": [1, 1], "!=": [1, 2]}, {})
