"""Export to and import from JSON and YAML files."""

import json

import pytest
import yaml
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from servicetorg.catalog.builder.tests.documents import edited, starter, starters
from servicetorg.catalog.builder.transfer import ImportProblems, export_document, import_document
from servicetorg.catalog.definitions import definition_problems

FAST = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(content, **kwargs) -> list[tuple[str, str]]:
    with pytest.raises(ImportProblems) as caught:
        import_document(content, **kwargs)
    return caught.value.problems


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_it_round_trips_every_starter_definition(fmt):
    for document in starters():
        text = export_document(document, fmt)
        assert import_document(text) == document
        assert import_document(text.encode("utf-8")) == document
        assert list(import_document(text)) == list(document)


def test_it_writes_yaml_like_the_starter_files():
    text = export_document(starter("barnehageplass"), "yaml")
    assert text.startswith("slug: barnehageplass\ncategory: family\ntitle:\n  nb: Søknad")
    assert "  nb: |-\n    Foreldre eller andre" in text
    assert "show_if: {==: [{var: child}, other]}" in text
    assert "label: {nb: Mor, nn: Mor, en: Mother}" in text
    assert "&" not in text and "*id" not in text


def test_it_writes_readable_json():
    text = export_document(starter("barnehageplass"), "json")
    assert text.startswith('{\n  "slug": "barnehageplass"') and "Søknad" in text


def test_it_writes_no_anchors_for_a_shared_value():
    shared = {"nb": "A", "nn": "A", "en": "A"}
    text = export_document({"title": shared, "summary": shared}, "yaml")
    assert "&" not in text and yaml.safe_load(text) == {"title": shared, "summary": shared}


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        export_document({}, "xml")


def test_it_refuses_a_file_too_large():
    [(path, message)] = refused("slug: x\n" * 100, max_bytes=100)
    assert path == "" and message.startswith("The file is too large")


def test_it_refuses_what_is_not_utf8():
    [(path, message)] = refused("slug: blåbær".encode("latin-1"))
    assert message == "The file is not UTF-8 text (byte 9)."


def test_it_reads_utf8_with_a_byte_order_mark():
    document = starter("sfo-plass")
    text = export_document(document, "yaml").encode("utf-8-sig")
    assert import_document(text) == document


def test_it_names_line_and_column_of_a_yaml_error():
    [(path, message)] = refused("slug: x\ntitle: {nb: [\n")
    assert path == "" and message.startswith("Line 3, column 1:")


def test_it_names_line_and_column_of_a_json_error():
    [(path, message)] = refused('{\n  "slug": "x",\n}')
    assert message.startswith("Line 3, column 1:")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\n",
        'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n',
        "a: &anchor 1\n",
    ],
)
def test_it_refuses_anchors_and_aliases(text):
    [(path, message)] = refused(text)
    assert "Anchors and aliases" in message


def test_it_refuses_python_tags():
    [(path, message)] = refused("slug: !!python/object/apply:os.system ['true']\n")
    assert message.startswith("Line 1, column 7:")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just words", "", "[1]", "null"])
def test_it_refuses_what_is_not_a_mapping(text):
    [(path, message)] = refused(text)
    assert "does not hold a service definition" in message


def test_it_refuses_json_constants_that_are_not_numbers():
    [(path, message)] = refused('{"handling_days": NaN}')
    assert "NaN" in message


def test_it_keeps_dates_as_strings():
    document = starter("barnehageplass")
    document["steps"][2]["fields"][0]["min"] = "2026-08-01"
    text = export_document(document, "yaml").replace("'2026-08-01'", "2026-08-01")
    assert "min: 2026-08-01" in text
    assert import_document(text) == document


def test_it_lists_every_schema_problem_with_its_path():
    document = starter("barnehageplass")
    document["handling_days"] = 0
    del document["steps"][1]["fields"][0]["label"]["nn"]
    problems = refused(json.dumps(document))
    assert problems == [
        ("handling_days", "0 is less than the minimum of 1"),
        ("steps/1/fields/0/label", "'nn' is a required property"),
    ]


def test_it_lists_reference_problems_with_their_path():
    document = starter("barnehageplass")
    document["steps"][0]["fields"][2]["show_if"] = {"==": [{"var": "nobody"}, "x"]}
    [(path, message)] = refused(export_document(document, "yaml"))
    assert path == "steps/0/fields/2/show_if" and "nobody" in message


@FAST
@given(edited(wild=True))
def test_it_round_trips_or_refuses_any_edited_document(document):
    for fmt in ("json", "yaml"):
        text = export_document(document, fmt)
        if definition_problems(document):
            with pytest.raises(ImportProblems):
                import_document(text)
        else:
            assert import_document(text) == document
