"""The builder's guards: plain-language problems that keep a working document unpublished."""

import copy

import pytest
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from servicetorg.catalog.builder.guards import (
    describe_condition,
    fill_fallback,
    missing_translations,
    problems,
)
from servicetorg.catalog.builder.tests.documents import (
    document,
    edited,
    field,
    options,
    starters,
    text,
)
from servicetorg.catalog.definitions import DefinitionError, validate_document

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parts(doc: dict, **kwargs) -> list[tuple]:
    return [(p.step, p.field, p.part) for p in problems(doc, **kwargs)]


def choice(key: str = "kind", **extra) -> dict:
    return field(key, "choice", options=options("full", "part"), **extra)


def test_it_finds_nothing_in_the_starter_services():
    for doc in starters():
        assert problems(doc) == [], doc["slug"]


def test_it_finds_duplicate_keys():
    doc = document([field("name")], [field("name")])
    [problem] = problems(doc)
    assert (problem.step, problem.field, problem.part) == (1, "name", "key")
    assert "another field already uses" in problem.message


def test_it_finds_duplicate_keys_inside_a_group():
    group = field("people", "group", fields=[field("name"), field("name")])
    assert parts(document([group])) == [(0, "people", "key")]


def test_it_finds_missing_and_badly_formed_keys():
    doc = document([{"type": "text", "label": text("Name")}, field("Name")])
    messages = [p.message for p in problems(doc)]
    assert "The field «Name» has no key." in messages
    assert any("small letters" in m for m in messages)


def test_it_finds_a_condition_on_a_missing_field():
    doc = document([field("name", show_if={"==": [{"var": "ghost"}, "x"]})])
    [problem] = problems(doc)
    assert problem.part == "show_if" and "does not exist" in problem.message


def test_it_finds_a_condition_on_a_later_step():
    doc = document([field("a", show_if={"==": [{"var": "b"}, "x"]})], [field("b")])
    [problem] = problems(doc)
    assert problem.message.startswith("The field «A» is shown depending on «B», which comes later")


def test_it_finds_a_condition_later_in_the_same_step():
    doc = document([field("a", show_if={"==": [{"var": "b"}, "x"]}), field("b")])
    assert parts(doc) == [(0, "a", "show_if")]


def test_it_allows_a_condition_earlier_in_the_same_step():
    doc = document([choice(), field("b", required=True, show_if={"==": [{"var": "kind"}, "part"]})])
    assert problems(doc) == []


def test_it_finds_a_condition_on_its_own_answer():
    doc = document([field("a", show_if={"==": [{"var": "a"}, "x"]})])
    [problem] = problems(doc)
    assert "its own answer" in problem.message


def test_it_finds_circular_conditions_once():
    doc = document(
        [
            field("a", show_if={"==": [{"var": "c"}, "x"]}),
            field("b", show_if={"==": [{"var": "a"}, "x"]}),
            field("c", show_if={"==": [{"var": "b"}, "x"]}),
        ]
    )
    [problem] = problems(doc)
    assert problem.message.startswith("The fields «A», «B», «C» are shown depending on each other")


def test_it_finds_an_empty_step_and_a_form_without_steps():
    assert parts(document([field("a")], [])) == [(1, None, "fields")]
    doc = document()
    assert [p.part for p in problems(doc)] == ["steps"]


def test_it_finds_a_choice_without_options():
    doc = document([field("kind", "choice")], [field("many", "multichoice", options=[])])
    assert parts(doc) == [(0, "kind", "options"), (1, "many", "options")]


def test_it_finds_duplicate_option_values():
    doc = document([field("kind", "choice", options=options("a", "a", "b"))])
    [problem] = problems(doc)
    assert "more than one option with the value “a”" in problem.message


def test_it_finds_a_required_field_compared_with_a_value_that_is_not_an_option():
    doc = document([choice(), field("b", required=True, show_if={"==": [{"var": "kind"}, "none"]})])
    [problem] = problems(doc)
    assert problem.message == (
        "The field «B» is required but can never be shown: its condition can never be met."
    )


def test_it_finds_a_field_that_depends_on_a_field_never_shown():
    never = {"==": [{"var": "kind"}, "none"]}
    doc = document(
        [choice(), field("b", show_if=never)],
        [field("c", required=True, show_if={"==": [{"var": "b"}, "yes"]})],
    )
    [problem] = problems(doc)
    assert (problem.step, problem.field) == (1, "c")
    assert "because it depends on «B», which is never shown" in problem.message


def test_it_finds_contradictory_conditions():
    contradiction = {"and": [{">": [{"var": "age"}, 17]}, {"<": [{"var": "age"}, 10]}]}
    doc = document([field("age", "integer"), field("b", required=True, show_if=contradiction)])
    assert parts(doc) == [(0, "b", "show_if")]
    yes_and_no = {"and": [{"==": [{"var": "ok"}, True]}, {"==": [{"var": "ok"}, False]}]}
    doc = document([field("ok", "yesno"), field("c", required=True, show_if=yes_and_no)])
    assert parts(doc) == [(0, "c", "show_if")]


@pytest.mark.parametrize(
    "condition",
    [
        {"!=": [{"var": "kind"}, "none"]},
        {"in": [{"var": "kind"}, ["part", "none"]]},
        {">": [{"var": "age"}, 17]},
        {"and": [{">=": [{"var": "age"}, 10]}, {"<=": [{"var": "age"}, 10]}]},
        {"==": [{"var": "name"}, "Ola"]},
        {"in": ["b", {"var": "many"}]},
        {"!": {"==": [{"var": "ok"}, True]}},
        {"==": [{"var": "kind"}, None]},
    ],
)
def test_it_accepts_conditions_that_can_hold(condition):
    doc = document(
        [
            choice(),
            field("age", "integer"),
            field("name"),
            field("ok", "yesno"),
            field("many", "multichoice", options=options("a", "b")),
            field("shown", required=True, show_if=condition),
        ]
    )
    assert problems(doc) == []


def test_it_trusts_a_choice_filled_from_the_register():
    children = choice("child", prefill="household.children")
    doc = document([children, field("b", required=True, show_if={"==": [{"var": "child"}, "x"]})])
    assert problems(doc) == []


def test_it_finds_an_invalid_pattern():
    doc = document([field("code", pattern="[0-9")])
    [problem] = problems(doc)
    assert problem.part == "pattern" and "not a valid pattern" in problem.message


def test_it_finds_an_invalid_pattern_inside_a_group():
    doc = document([field("people", "group", fields=[field("code", pattern="(")])])
    assert parts(doc) == [(0, "people", "pattern")]


@override_settings(UPLOAD_MAX_MB=20)
def test_it_finds_a_file_size_above_the_installation_maximum():
    doc = document([field("proof", "file", max_size_mb=25)])
    [problem] = problems(doc)
    assert "at most 20 MB" in problem.message
    assert problems(doc, max_upload_mb=30) == []


def test_it_finds_missing_translations():
    doc = document([field("a")])
    del doc["steps"][0]["fields"][0]["label"]["nn"]
    doc["summary"]["en"] = " "
    found = problems(doc)
    assert [(p.field, p.part) for p in found] == [(None, "language:en"), ("a", "language:nn")]
    assert found[1].message == "The label of the field «A» is missing in nynorsk."


def test_it_needs_only_the_municipality_language_with_fallback():
    doc = document([field("a")])
    doc["steps"][0]["fields"][0]["label"] = {"nn": "Namn"}
    assert parts(doc, allow_fallback=True, language="nn") == []
    assert parts(doc, allow_fallback=True, language="nb") == [(0, "a", "language:nb")]
    validate_document(fill_fallback(doc, "nn"))


def test_it_finds_empty_texts():
    doc = document([field("a", help={"nb": ""})])
    doc["title"] = {"nb": "", "nn": "", "en": ""}
    doc["steps"][0]["fields"][0]["label"] = {}
    messages = [p.message for p in problems(doc)]
    assert messages == [
        "The title of the service is empty.",
        "The label of the field «a» is empty.",
        "The help text of the field «a» is empty. Write it or remove it.",
    ]


def test_it_finds_missing_settings():
    doc = document([field("a")])
    del doc["department"]
    assert [p.part for p in problems(doc)] == ["department"]


def test_it_words_placeholder_problems_for_people():
    doc = document([field("name")])
    body = {"nb": "{answer:navn} {oops}", "nn": "{answer:navn}", "en": "x {"}
    doc["decision_templates"] = {"approve": {"title": text("Vedtak"), "body": body}}
    messages = [p.message for p in problems(doc)]
    assert messages == [
        "The text of the decision letter “approved” (bokmål, nynorsk) refers to the answer to "
        "“navn”, but the form has no field with that key.",
        "The text of the decision letter “approved” (bokmål) uses {oops}, which is not a "
        "placeholder that can be filled in.",
        "The text of the decision letter “approved” (English) has a lone “{”. Write a placeholder "
        "as {name}.",
    ]


def test_it_reports_what_the_schema_still_refuses_in_plain_words():
    doc = document([field("a")])
    doc["handling_days"] = 0
    [problem] = problems(doc)
    assert (
        problem.message == "The setting “handling_days” is not filled in correctly (handling_days)."
    )
    doc = document([field("a", "integer", max="ten")])
    [problem] = problems(doc)
    assert problem.message.startswith("The field «A» in the step «Step 0» is not filled in")
    assert (problem.step, problem.field) == (0, "a")


def test_it_names_steps_and_fields_in_the_active_language():
    doc = document([field("a")])
    doc["steps"][0]["title"] = {"nb": "Barnet", "nn": "Barnet", "en": "The child"}
    doc["steps"][0]["fields"] = []
    assert "«The child»" in problems(doc)[0].message
    with translation.override("nb"):
        assert "«Barnet»" in problems(doc)[0].message


@pytest.mark.parametrize("junk", [None, [], "text", {"steps": "x"}, {"steps": [1, {"fields": 3}]}])
def test_it_does_not_raise_on_junk(junk):
    assert problems(junk)
    missing_translations(junk if isinstance(junk, dict) else {})


def test_it_lists_missing_translations_for_an_overview():
    doc = document([field("kind", "choice", options=options("a"))])
    del doc["steps"][0]["fields"][0]["options"][0]["label"]["en"]
    doc["keywords"]["nn"] = []
    assert missing_translations(doc) == [
        ("The list of search words", None, None, "nn"),
        ("The option «A» of the field «Kind»", 0, "kind", "en"),
    ]


def test_it_describes_conditions():
    doc = document(
        [
            field("place", "choice", options=options("full", "part_time")),
            field("ok", "yesno"),
            field("age", "integer"),
            field("many", "multichoice", options=options("a", "b")),
        ]
    )
    doc["steps"][0]["fields"][0]["label"] = text("Type of place")
    doc["steps"][0]["fields"][0]["options"][1]["label"] = text("Part time")
    place, ok, age = {"var": "place"}, {"var": "ok"}, {"var": "age"}
    cases = [
        (None, "always shown"),
        ({"==": [place, "part_time"]}, "shown when «Type of place» is «Part time»"),
        (
            {"in": [place, ["full", "part_time"]]},
            "shown when «Type of place» is one of «Full», «Part time»",
        ),
        ({"==": [ok, True]}, "shown when «Ok» is answered yes"),
        ({"!=": [ok, True]}, "shown when «Ok» is answered no"),
        ({">": [age, 5]}, "shown when «Age» is more than 5"),
        ({"in": ["b", {"var": "many"}]}, "shown when «Many» includes «B»"),
        (
            {"or": [{"and": [{"<=": [age, 3]}, {"==": [ok, False]}]}, {"!": {"==": [ok, True]}}]},
            "shown when («Age» is at most 3 and «Ok» is answered no) or not («Ok» is answered yes)",
        ),
    ]
    for condition, sentence in cases:
        assert describe_condition(condition, doc, "en") == sentence


def test_it_describes_a_condition_in_the_language_asked_for():
    doc = document([field("ok", "yesno", label={"nb": "Greit", "nn": "Greitt", "en": "Fine"})])
    assert "«Greitt»" in describe_condition({"==": [{"var": "ok"}, True]}, doc, "nn")


def _assert_valid_when_clean(doc: dict, **kwargs) -> None:
    found = problems(doc, **kwargs)
    if not found:
        checked = fill_fallback(doc, kwargs.get("language", "nb")) if kwargs else doc
        validate_document(checked)
    for problem in found:
        assert problem.message and "{" not in problem.message.split("{name}")[0][:1]


@FAST
@given(edited())
def test_no_problems_means_the_definition_validates(doc):
    _assert_valid_when_clean(doc)


@pytest.mark.parametrize("steps", [1, "steg", {"key": "a"}, None, [1, "x"]])
def test_it_reports_steps_that_are_not_a_list_of_steps(steps):
    # Found by the property test below: an imported document with "steps": 1.
    doc = {**document([field("name", "text")]), "steps": steps}
    assert problems(doc), f"steps={steps!r} passed the guards"


@FAST
@given(edited(wild=True, most=4))
def test_it_never_raises_and_stays_sound_on_wild_edits(doc):
    _assert_valid_when_clean(doc)
    _assert_valid_when_clean(doc, allow_fallback=True, language="nn")
    missing_translations(doc)


@FAST
@given(edited())
def test_every_problem_points_at_a_real_step(doc):
    for problem in problems(doc):
        assert problem.step is None or 0 <= problem.step < len(doc["steps"])


def test_the_schema_refusal_is_never_silent():
    doc = copy.deepcopy(starters()[0])
    doc["retention_years"] = "ten"
    with pytest.raises(DefinitionError):
        validate_document(doc)
    assert problems(doc)
