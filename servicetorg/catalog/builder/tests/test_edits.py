"""Edits of a working document: each returns a new document and leaves the old one alone."""

import copy

import pytest
import yaml

from servicetorg.catalog.builder import edits
from servicetorg.catalog.definitions import starter_paths


@pytest.fixture
def doc() -> dict:
    document = edits.blank_document("fiske", {"nb": "Fiske"}, "nature", "Teknisk")
    document, _ = edits.add_field(document, "step_1", "text", {"nb": "Fullt navn"})
    document, _ = edits.add_field(document, "step_1", "choice", {"nb": "Type kort"})
    document = edits.add_step(document, {"nb": "Vedlegg"})
    return document


def keys(document: dict, step: int = 0) -> list[str]:
    return [f["key"] for f in document["steps"][step]["fields"]]


def test_keys_come_from_labels_and_stay_unique(doc):
    assert keys(doc) == ["fullt_navn", "type_kort"]
    doc, key = edits.add_field(doc, "step_1", "text", {"nb": "Fullt navn"})
    assert key == "fullt_navn_2"
    assert edits.make_key("Ærlig østers på å", set()) == "aerlig_osters_pa_a"
    assert edits.make_key("123", set()) == "field_123"
    assert doc["steps"][1]["key"] == "vedlegg"


def test_edits_never_change_the_document_they_are_given(doc):
    before = copy.deepcopy(doc)
    edits.move_field(doc, "type_kort", -1)
    edits.remove_field(doc, "fullt_navn")
    edits.duplicate_field(doc, "type_kort")
    edits.update_field(doc, "fullt_navn", {"required": True})
    edits.move_field_to_step(doc, "type_kort", "vedlegg")
    assert doc == before


def test_move_duplicate_and_move_to_another_step(doc):
    doc = edits.move_field(doc, "type_kort", -1)
    assert keys(doc) == ["type_kort", "fullt_navn"]
    with pytest.raises(edits.EditError):
        edits.move_field(doc, "type_kort", -1)
    doc, twin = edits.duplicate_field(doc, "type_kort")
    assert keys(doc) == ["type_kort", "type_kort_2", "fullt_navn"] and twin == "type_kort_2"
    doc = edits.move_field_to_step(doc, "fullt_navn", "vedlegg")
    assert keys(doc, 1) == ["fullt_navn"]


def test_renaming_a_key_renames_the_conditions_that_read_it(doc):
    doc = edits.set_options(doc, "type_kort", [{"value": "dag", "label": {"nb": "Dag"}}])
    doc = edits.set_condition(doc, "fullt_navn", {"==": [{"var": "type_kort"}, "dag"]})
    doc = edits.rename_key(doc, "type_kort", "kort")
    assert edits.find_field(doc, "fullt_navn")["show_if"] == {"==": [{"var": "kort"}, "dag"]}


def test_update_field_refuses_settings_of_another_type(doc):
    with pytest.raises(edits.EditError):
        edits.update_field(doc, "fullt_navn", {"max_files": 3})
    doc = edits.update_field(doc, "fullt_navn", {"max_length": 80, "required": True, "help": None})
    field = edits.find_field(doc, "fullt_navn")
    assert field["max_length"] == 80 and field["required"] is True and "help" not in field
    doc = edits.update_field(doc, "fullt_navn", {"required": False})
    assert "required" not in edits.find_field(doc, "fullt_navn")


def test_groups_hold_their_own_fields_and_duplicates_get_new_keys(doc):
    doc, group = edits.add_field(doc, "step_1", "group", {"nb": "Personer"})
    doc, inner = edits.add_field(doc, "step_1", "text", {"nb": "Navn"}, group=group)
    with pytest.raises(edits.EditError):
        edits.add_field(doc, "step_1", "file", {"nb": "Fil"}, group=group)
    with pytest.raises(edits.EditError):
        edits.move_field_to_step(doc, inner, "vedlegg")
    doc, twin = edits.duplicate_field(doc, group)
    assert len(edits.all_keys(doc)) == len(list(edits._walk(doc)))


def test_the_last_step_cannot_be_removed(doc):
    doc = edits.remove_step(doc, "vedlegg")
    with pytest.raises(edits.EditError):
        edits.remove_step(doc, "step_1")


def test_decision_templates_are_set_and_removed(doc):
    doc = edits.set_decision_template(doc, "approve", {"nb": "Innvilget"}, {"nb": "Du får."})
    assert doc["decision_templates"]["approve"]["title"] == {"nb": "Innvilget"}
    doc = edits.set_decision_template(doc, "approve", {}, {})
    assert "decision_templates" not in doc


@pytest.mark.parametrize("path", starter_paths(), ids=lambda p: p.stem)
def test_every_field_of_the_starter_services_can_be_found_and_moved_back(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in edits.all_keys(document):
        fields, i = edits.locate(document, key)
        if len(fields) > 1:
            delta = 1 if i == 0 else -1
            moved = edits.move_field(edits.move_field(document, key, delta), key, -delta)
            assert moved == document
