"""The readable difference between two versions of a service."""

import copy

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from servicetorg.catalog.builder.diff import Change, compare
from servicetorg.catalog.builder.tests.documents import edited, starter, starters, text

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def old() -> dict:
    return starter("barnehageplass")


@pytest.fixture
def new(old) -> dict:
    return copy.deepcopy(old)


def fields(document: dict) -> dict:
    return {f["key"]: f for s in document["steps"] for f in s["fields"]}


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def test_it_finds_no_changes_between_equal_versions():
    for document in starters():
        assert compare(document, copy.deepcopy(document), "en") == []


def test_it_reports_a_text_changed_in_one_language(old, new):
    new["title"]["nn"] = "Søk barnehageplass"
    change = only(compare(old, new, "en"))
    assert change == Change(
        "changed",
        "service",
        "The service",
        "Title (nynorsk)",
        old["title"]["nn"],
        "Søk barnehageplass",
    )


def test_it_words_changes_in_the_language_asked_for(old, new):
    new["department"] = "Skule"
    with translation.override("en"):
        assert only(compare(old, new, "nb")).what != "Department"


def test_it_reports_handling_days_fee_and_department(old, new):
    new.update(handling_days=30, department="Skule", fee={"amount_nok": 250, "text": text("Fee")})
    whats = [(c.what, c.before, c.after) for c in compare(old, new, "en")]
    assert ("Handling time in days", "45", "30") in whats
    assert ("Department", "Oppvekst", "Skule") in whats
    assert ("Fee in kroner", "0", "250") in whats
    assert ("Fee text (English)", "", "Fee") in whats


def test_it_reports_an_added_and_a_removed_field(old, new):
    removed = new["steps"][2]["fields"].pop(2)
    new["steps"][0]["fields"].append({"key": "school", "type": "text", "label": text("School")})
    changes = compare(old, new, "en")
    assert (
        Change(
            "removed",
            "field",
            f"Step «The place you want» › field «{removed['label']['en']}»",
            "Field",
            removed["label"]["en"],
            "",
        )
        in changes
    )
    assert (
        Change("added", "field", "Step «The child» › field «School»", "Field", "", "School")
        in changes
    )


def test_it_reports_a_field_moved_to_another_step(old, new):
    moved = new["steps"][0]["fields"].pop(4)
    new["steps"][1]["fields"].insert(0, moved)
    change = only(compare(old, new, "en"))
    assert (change.kind, change.what, change.before, change.after) == (
        "moved",
        "Step",
        "The child",
        "Parents and family",
    )


def test_it_reports_a_field_moved_within_its_step(old, new):
    step = new["steps"][2]["fields"]
    step.insert(0, step.pop(4))
    change = only(compare(old, new, "en"))
    assert (change.kind, change.what, change.before, change.after) == (
        "moved",
        "Place in the step",
        "5",
        "1",
    )
    assert change.where == "Step «The place you want» › field «How large a place do you need?»"


def test_it_reports_moved_steps(old, new):
    new["steps"].insert(0, new["steps"].pop(3))
    change = only(compare(old, new, "en"))
    assert (change.area, change.kind, change.before, change.after) == ("step", "moved", "4", "1")


def test_it_reports_added_and_removed_steps(old, new):
    new["steps"].pop()
    new["steps"].append({"key": "extra", "title": text("Extra"), "fields": []})
    kinds = [(c.kind, c.area, c.where) for c in compare(old, new, "en") if c.area == "step"]
    assert kinds == [
        ("removed", "step", "Step «Priority and attachments»"),
        ("added", "step", "Step «Extra»"),
    ]


def test_it_reports_field_settings(old, new):
    field = fields(new)["child_welfare_documentation"]
    field.update(required=False, accept=["pdf", "png"], max_size_mb=5)
    whats = {c.what: (c.before, c.after) for c in compare(old, new, "en")}
    assert whats == {
        "Required": ("yes", "no"),
        "File types": ("pdf", "pdf, png"),
        "Largest file in MB": ("not set", "5"),
    }


def test_it_reports_options_added_removed_relabelled_and_reordered(old, new):
    options = fields(new)["place_size"]["options"]
    options[0]["label"]["en"] = "Full time"
    options.pop(1)
    options.insert(0, {"value": "two_days", "label": text("Two days")})
    options.reverse()
    changes = [(c.kind, c.what, c.before, c.after) for c in compare(old, new, "en")]
    assert changes == [
        ("removed", "Option", "80 per cent, 4 days a week", ""),
        ("changed", "Option «Full time» (English)", "Full time, 5 days a week", "Full time"),
        ("added", "Option", "", "Two days"),
        (
            "moved",
            "Order of the options",
            "Full time, 5 days a week, 60 per cent, 3 days a week",
            "60 per cent, 3 days a week, Full time",
        ),
    ]


def test_it_reports_conditions_in_words(old, new):
    field = fields(new)["child_language"]
    field["show_if"] = {"==": [{"var": "child"}, "other"]}
    fields(new)["special_needs_description"].pop("show_if")
    changes = [(c.kind, c.area, c.before, c.after) for c in compare(old, new, "en")]
    assert changes == [
        (
            "added",
            "rule",
            "always shown",
            "shown when «Which child are you applying for?» is «Another child»",
        ),
        (
            "removed",
            "rule",
            "shown when «Does the child have a disability?» is answered yes",
            "always shown",
        ),
    ]


def test_it_reports_changes_inside_a_group(old, new):
    group = fields(new)["siblings"]
    group["fields"][0]["label"]["en"] = "Full name"
    group["fields"].pop()
    whats = [(c.kind, c.where, c.what) for c in compare(old, new, "en")]
    assert whats == [
        ("removed", "Step «Parents and family» › field «Siblings»", "Field in the group"),
        (
            "changed",
            "Step «Parents and family» › field «Siblings» › field «Full name»",
            "Label (English)",
        ),
    ]


def test_it_reports_decision_templates(old, new):
    new["decision_templates"]["approve"]["body"]["nb"] = "Innvilget."
    new["decision_templates"].pop("partial")
    changes = [(c.kind, c.area, c.where, c.what) for c in compare(old, new, "en")]
    assert changes == [
        ("changed", "decision", "Decision letter “approved”", "Text (bokmål)"),
        ("removed", "decision", "Decision letter “partly approved”", "Decision letter"),
    ]


def test_it_never_names_a_json_path(old, new):
    new["steps"][1]["fields"][0]["label"]["nn"] = "Namn"
    for change in compare(old, new, "en"):
        assert "steps/" not in change.where + change.what


@FAST
@given(edited(), edited())
def test_it_compares_any_two_edited_documents(a, b):
    changes = compare(a, b, "en")
    assert all(c.kind in {"added", "removed", "changed", "moved"} for c in changes)
    assert all(c.area in {"service", "step", "field", "rule", "decision"} for c in changes)
    assert compare(a, copy.deepcopy(a), "en") == []
