"""Three-way merge of an adopted service with the origin's new version."""

import copy

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from servicetorg.catalog.builder.merge import Conflict, merge
from servicetorg.catalog.builder.tests.documents import edited, field, starter, text
from servicetorg.catalog.definitions import validate_document

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def base() -> dict:
    return starter("barnehageplass")


@pytest.fixture
def theirs(base) -> dict:
    return copy.deepcopy(base)


@pytest.fixture
def ours(base) -> dict:
    return copy.deepcopy(base)


def fields(document: dict) -> dict:
    return {f["key"]: f for s in document["steps"] for f in s["fields"]}


def keys(document: dict) -> list[list[str]]:
    return [[f["key"] for f in s["fields"]] for s in document["steps"]]


def well_formed(document: dict) -> None:
    all_keys = [k for step in keys(document) for k in step]
    assert len(all_keys) == len(set(all_keys))
    steps = [s["key"] for s in document["steps"]]
    assert len(steps) == len(set(steps))


def test_it_keeps_local_adjustments_and_takes_the_origins_changes(base, theirs, ours):
    ours.update(department="Skule", fee={"amount_nok": 300, "text": text("Gebyr")})
    fields(ours)["child_name"]["label"]["nn"] = "Namnet til barnet"
    theirs["steps"].append(
        {"key": "extra", "title": text("Extra"), "fields": [field("extra_question")]}
    )
    fields(theirs)["applicant_email"]["label"]["en"] = "Email address"
    result = merge(base, theirs, ours)
    document = result.document
    validate_document(document)
    assert document["department"] == "Skule" and document["fee"]["amount_nok"] == 300
    assert fields(document)["child_name"]["label"]["nn"] == "Namnet til barnet"
    assert fields(document)["applicant_email"]["label"]["en"] == "Email address"
    assert document["steps"][-1]["key"] == "extra"
    assert result.conflicts == []
    assert "The service › Department" in result.kept
    assert "Field «Email» › Label › English" in result.taken
    assert "Step «Extra»: added" in result.taken


def test_it_reports_a_conflict_and_keeps_ours(base, theirs, ours):
    fields(theirs)["child_name"]["label"]["en"] = "Name of the child"
    fields(ours)["child_name"]["label"]["en"] = "The child's name"
    result = merge(base, theirs, ours)
    assert fields(result.document)["child_name"]["label"]["en"] == "The child's name"
    assert result.conflicts == [
        Conflict(
            "Field «The child's name»",
            "Label › English",
            "Child's full name",
            "Name of the child",
            "The child's name",
        )
    ]


def test_it_takes_other_languages_of_the_same_text(base, theirs, ours):
    fields(theirs)["child_name"]["label"]["nb"] = "Barnets navn"
    fields(ours)["child_name"]["label"]["en"] = "The child's name"
    label = fields(merge(base, theirs, ours).document)["child_name"]["label"]
    assert label == {"nb": "Barnets navn", "nn": "Fullt namn på barnet", "en": "The child's name"}


def test_it_keeps_fields_added_on_both_sides(base, theirs, ours):
    theirs["steps"][0]["fields"].append(field("from_origin"))
    ours["steps"][0]["fields"].insert(0, field("local"))
    document = merge(base, theirs, ours).document
    assert keys(document)[0][0] == "local" and keys(document)[0][-1] == "from_origin"
    validate_document(document)


def test_it_follows_a_field_the_origin_moved_while_keeping_our_label(base, theirs, ours):
    theirs["steps"][1]["fields"].append(theirs["steps"][0]["fields"].pop(4))
    fields(ours)["child_language"]["label"]["en"] = "Mother tongue"
    document = merge(base, theirs, ours).document
    assert keys(document)[1][-1] == "child_language"
    assert "child_language" not in keys(document)[0]
    assert fields(document)["child_language"]["label"]["en"] == "Mother tongue"


def test_it_removes_a_field_the_origin_removed_and_we_left_alone(base, theirs, ours):
    theirs["steps"][2]["fields"].pop(3)  # kindergarten_third
    ours["department"] = "Skule"
    result = merge(base, theirs, ours)
    assert "kindergarten_third" not in fields(result.document)
    assert result.conflicts == []


def test_it_keeps_a_field_the_origin_removed_but_we_changed(base, theirs, ours):
    theirs["steps"][2]["fields"].pop(3)
    fields(ours)["kindergarten_third"]["required"] = True
    result = merge(base, theirs, ours)
    assert fields(result.document)["kindergarten_third"]["required"] is True
    [conflict] = result.conflicts
    assert (conflict.where, conflict.theirs) == ("Field «Third choice»", "(not there)")


def test_it_keeps_a_step_the_origin_removed_while_it_holds_our_field(base, theirs, ours):
    theirs["steps"].pop(3)
    ours["steps"][3]["fields"].append(field("local"))
    result = merge(base, theirs, ours)
    assert keys(result.document)[-1] == ["local"]
    assert [c.what for c in result.conflicts] == ["Step"]
    well_formed(result.document)


def test_it_merges_options_by_value(base, theirs, ours):
    fields(theirs)["place_size"]["options"].append({"value": "two_days", "label": text("Two")})
    fields(ours)["place_size"]["options"].pop(1)
    options = fields(merge(base, theirs, ours).document)["place_size"]["options"]
    assert [o["value"] for o in options] == ["full_time", "three_days", "two_days"]


def test_it_takes_a_reordering_when_we_kept_the_order(base, theirs, ours):
    theirs["steps"].reverse()
    ours["steps"][0]["fields"].append(field("local"))
    document = merge(base, theirs, ours).document
    assert [s["key"] for s in document["steps"]] == ["priority", "place", "family", "child"]
    assert keys(document)[-1][-1] == "local"


def test_it_reports_a_conflicting_order(base, theirs, ours):
    theirs["steps"].reverse()
    ours["steps"].insert(0, ours["steps"].pop(2))
    result = merge(base, theirs, ours)
    assert [s["key"] for s in result.document["steps"]] == [s["key"] for s in ours["steps"]]
    assert [c.what for c in result.conflicts] == ["Order of the steps"]


def test_it_treats_a_condition_as_one_value(base, theirs, ours):
    fields(theirs)["child_name"]["show_if"] = {"==": [{"var": "child"}, "none"]}
    fields(ours)["child_name"]["show_if"] = {"!=": [{"var": "child"}, "other"]}
    result = merge(base, theirs, ours)
    assert fields(result.document)["child_name"]["show_if"] == {"!=": [{"var": "child"}, "other"]}
    [conflict] = result.conflicts
    assert conflict.ours == "shown when «Which child are you applying for?» is not «Another child»"


def test_it_merges_documents_it_cannot_match_by_key_as_a_whole(base, theirs, ours):
    theirs["steps"] = "junk"
    ours["department"] = "Skule"
    result = merge(base, theirs, ours)
    assert result.document["steps"] == "junk" and result.document["department"] == "Skule"


@FAST
@given(edited(), edited())
def test_it_takes_theirs_when_we_changed_nothing(base, theirs):
    assert merge(base, theirs, copy.deepcopy(base)).document == theirs


@FAST
@given(edited(), edited())
def test_it_keeps_ours_when_the_origin_changed_nothing(base, ours):
    assert merge(base, copy.deepcopy(base), ours).document == ours


@FAST
@given(edited(), edited())
def test_it_agrees_with_itself(base, both):
    result = merge(base, both, copy.deepcopy(both))
    assert result.document == both and result.conflicts == []


@FAST
@given(edited(most=2), edited(most=2), edited(most=2))
def test_it_always_gives_a_well_formed_document(base, theirs, ours):
    result = merge(base, theirs, ours)
    if all(_matchable(d) for d in (base, theirs, ours)):
        well_formed(result.document)
        origin = {f["key"] for d in (theirs, ours) for s in d["steps"] for f in s["fields"]}
        assert set(fields(result.document)) <= origin


def _matchable(document: dict) -> bool:
    try:
        well_formed(document)
    except (AssertionError, TypeError, KeyError):
        return False
    return True
