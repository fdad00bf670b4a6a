"""The form engine: reading one step, conditions, repeating groups and the summaries."""

import copy

import pytest
from django.http import QueryDict
from django.utils import translation

from conftest import small_definition
from servicetorg.catalog.definitions import Definition, validate_document
from servicetorg.catalog.engine import (
    answer_rows,
    first_incomplete_step,
    prune,
    read_step,
)

STEP_ONE = "name,email,has_children,children"
STEP_TWO = "members,document,comment,confirm"
COMPLETE = {
    "name": "Kari",
    "email": "kari@example.no",
    "has_children": True,
    "children": 2,
    "confirm": True,
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def definition() -> Definition:
    return validate_document(small_definition())


def posted(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def members(*names: str, **extra) -> QueryDict:
    data = posted(_shown=STEP_TWO, confirm="yes", **extra)
    data["members-count"] = str(len(names))
    for i, name in enumerate(names):
        data[f"members-{i}-member_name"] = name
    return data


def with_group(**group) -> Definition:
    document = copy.deepcopy(small_definition())
    document["steps"][1]["fields"][0].update(group)
    return validate_document(document)


def test_it_cleans_a_valid_step(definition):
    data = posted(
        _shown=STEP_ONE, name=" Kari ", email="kari@example.no", has_children="yes", children="2"
    )
    result = read_step(definition, 0, {}, data)
    assert result.errors == {}
    assert result.appeared == []
    assert result.valid
    assert result.answers == {
        "name": "Kari",
        "email": "kari@example.no",
        "has_children": True,
        "children": 2,
    }


def test_it_neither_validates_nor_stores_a_hidden_field(definition):
    data = posted(
        _shown=STEP_ONE, name="Kari", email="kari@example.no", has_children="no", children="999"
    )
    result = read_step(definition, 0, {}, data)
    assert result.valid
    assert "children" not in result.errors
    assert "children" not in result.raw
    assert result.answers == {"name": "Kari", "email": "kari@example.no", "has_children": False}


def test_it_drops_a_stored_answer_when_its_condition_turns_false(definition):
    before = {"name": "Kari", "email": "kari@example.no", "has_children": True, "children": 2}
    data = posted(_shown=STEP_ONE, name="Kari", email="kari@example.no", has_children="no")
    result = read_step(definition, 0, before, data)
    assert result.valid
    assert "children" not in result.answers
    assert before["children"] == 2  # the answers passed in are not changed


def test_it_lets_a_field_appear_when_a_same_step_answer_opens_it(definition):
    data = posted(
        _shown="name,email,has_children", name="Kari", email="kari@example.no", has_children="yes"
    )
    result = read_step(definition, 0, {}, data)
    assert result.appeared == ["children"]
    assert not result.valid
    assert result.answers == {"name": "Kari", "email": "kari@example.no", "has_children": True}


def test_it_validates_a_shown_conditional_field(definition):
    data = posted(
        _shown=STEP_ONE, name="Kari", email="kari@example.no", has_children="yes", children="0"
    )
    result = read_step(definition, 0, {}, data)
    assert result.appeared == []
    assert result.errors == {"children": "The number must be at least 1."}
    assert "children" not in result.answers


def test_it_reports_every_error_of_a_step(definition):
    data = posted(_shown=STEP_ONE, name="", email="not-an-address", has_children="")
    result = read_step(definition, 0, {"name": "Kari"}, data)
    assert result.errors == {
        "name": "Fill in this field.",
        "email": "Write an e-mail address like name@example.no.",
        "has_children": "Choose one of the options.",
    }
    assert result.answers == {}
    assert result.raw["email"] == "not-an-address"


def test_it_cleans_group_rows_into_a_list_of_dicts(definition):
    result = read_step(definition, 1, {}, members("Kari", " Per "))
    assert result.errors == {}
    assert result.answers["members"] == [{"member_name": "Kari"}, {"member_name": "Per"}]


def test_it_drops_blank_group_rows(definition):
    result = read_step(definition, 1, {}, members("", "Kari", "  "))
    assert result.errors == {}
    assert result.answers["members"] == [{"member_name": "Kari"}]
    assert result.raw["members"] == [{"member_name": "Kari"}]


def test_it_stores_no_answer_for_a_group_without_rows(definition):
    result = read_step(definition, 1, {"members": [{"member_name": "Old"}]}, members("", ""))
    assert result.errors == {}
    assert "members" not in result.answers


def test_it_names_an_error_in_a_group_row_by_row_and_field(definition):
    result = read_step(definition, 1, {}, members("Kari", "x" * 201))
    assert result.errors == {"members-1-member_name": "Use at most 200 characters (you used 201)."}


def test_it_enforces_min_items_of_a_group():
    definition = with_group(min_items=2)
    result = read_step(definition, 1, {}, members("Kari", ""))
    assert result.errors == {"members": "Add at least 2."}
    assert "members" not in result.answers
    assert read_step(definition, 1, {}, members("Kari", "Per")).errors == {}


def test_it_asks_for_one_row_of_a_required_group():
    definition = with_group(required=True)
    assert read_step(definition, 1, {}, members()).errors == {"members": "Add at least 1."}


def test_it_never_stores_more_rows_than_max_items(definition):
    result = read_step(definition, 1, {}, members("A", "B", "C", "D"))
    assert len(result.answers["members"]) <= 3
    assert result.answers["members"] == [
        {"member_name": "A"},
        {"member_name": "B"},
        {"member_name": "C"},
    ]


def test_it_reads_a_forged_row_count_as_zero(definition):
    data = members("Kari")
    data["members-count"] = "many"
    result = read_step(definition, 1, {}, data)
    assert "members" not in result.answers


def test_it_asks_for_a_required_consent(definition):
    data = members()
    del data["confirm"]
    result = read_step(definition, 1, {}, data)
    assert result.errors == {"confirm": "You must confirm this to continue."}


def test_it_keeps_the_attachments_given_for_a_file_field(definition):
    files = {"document": [{"id": "abc", "name": "a.pdf"}]}
    result = read_step(definition, 1, {}, members(), files)
    assert result.answers["document"] == [{"id": "abc", "name": "a.pdf"}]


def test_it_prunes_the_answers_of_hidden_fields(definition):
    answers = {**COMPLETE, "has_children": False, "stray": "x"}
    assert prune(definition, answers) == {
        "name": "Kari",
        "email": "kari@example.no",
        "has_children": False,
        "confirm": True,
    }
    assert prune(definition, COMPLETE) == COMPLETE


def test_it_finds_no_incomplete_step_when_all_is_answered(definition):
    assert first_incomplete_step(definition, COMPLETE) is None


def test_it_finds_the_step_with_a_missing_required_answer(definition):
    assert first_incomplete_step(definition, {**COMPLETE, "email": ""}) == 0
    without_consent = {k: v for k, v in COMPLETE.items() if k != "confirm"}
    assert first_incomplete_step(definition, without_consent) == 1
    without_children = {k: v for k, v in COMPLETE.items() if k != "children"}
    assert first_incomplete_step(definition, without_children) == 0


def test_it_does_not_ask_for_a_hidden_required_field():
    document = copy.deepcopy(small_definition())
    document["steps"][0]["fields"][2]["required"] = False
    definition = validate_document(document)
    answers = {k: v for k, v in COMPLETE.items() if k not in ("has_children", "children")}
    assert first_incomplete_step(definition, answers) is None
    assert first_incomplete_step(definition, {**answers, "has_children": True}) == 0


def test_it_accepts_no_as_an_answer_to_a_required_yes_no_question(definition):
    answers = {"name": "Kari", "email": "kari@example.no", "has_children": False, "confirm": True}
    assert first_incomplete_step(definition, answers) is None


def test_it_accepts_zero_as_an_answer_to_a_required_number():
    document = copy.deepcopy(small_definition())
    document["steps"][0]["fields"][3].update(min=0)
    definition = validate_document(document)
    assert first_incomplete_step(definition, {**COMPLETE, "children": 0}) is None


def test_it_lists_labels_and_displayed_values(definition):
    rows = answer_rows(definition, 0, COMPLETE, "en")
    assert [(r["label"], r["value"]) for r in rows] == [
        ("Name", "Kari"),
        ("E-mail", "kari@example.no"),
        ("Do you have children?", "Yes"),
        ("Number of children", "2"),
    ]


def test_it_leaves_hidden_fields_out_of_the_answer_rows(definition):
    rows = answer_rows(definition, 0, {**COMPLETE, "has_children": False}, "nb")
    assert [r["label"] for r in rows] == ["Navn", "E-post", "Har du barn?"]
    assert rows[2]["value"] == "No"


def test_it_lists_group_items_and_files(definition):
    answers = {
        **COMPLETE,
        "members": [{"member_name": "Kari"}, {"member_name": "Per"}],
        "document": [{"id": "1", "name": "bilde.png"}],
        "comment": "Hei",
    }
    rows = answer_rows(definition, 1, answers, "en")
    assert rows[0] == {
        "label": "Household",
        "value": "",
        "key": "members",
        "entries": ["Kari", "Per"],
    }
    assert [(r["label"], r["value"]) for r in rows[1:]] == [
        ("Attachment", "bilde.png"),
        ("Comment", "Hei"),
        ("I confirm", "Confirmed"),
    ]
