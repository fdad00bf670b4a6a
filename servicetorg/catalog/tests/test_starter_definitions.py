"""The JSON Schema for service definitions, and the starter services that must follow it."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

CATALOG = Path(__file__).resolve().parent.parent
SCHEMA_PATH = CATALOG / "schema" / "service-definition.schema.json"
STARTER_DIR = CATALOG / "starter"
OFFERINGS_PATH = STARTER_DIR / "offerings.yaml"
STARTER_PATHS = sorted(p for p in STARTER_DIR.glob("*.yaml") if p != OFFERINGS_PATH)
MUNICIPALITIES = ["molde", "hustadvika", "rauma", "vestnes", "aukra"]


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema())


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def problems(document: Any) -> list[tuple[str, str]]:
    """Return (place, message) for every schema error, as the catalog reports them."""
    errors = validator().iter_errors(document)
    return sorted(("/".join(str(p) for p in e.path), e.message) for e in errors)


def top_fields(definition: dict) -> Iterator[dict]:
    for step in definition["steps"]:
        yield from step["fields"]


def condition_vars(condition: Any) -> Iterator[str]:
    if isinstance(condition, dict):
        for op, arg in condition.items():
            if op == "var":
                yield arg
            else:
                yield from condition_vars(arg)
    elif isinstance(condition, list):
        for item in condition:
            yield from condition_vars(item)


def compared_literals(condition: Any) -> Iterator[tuple[str, Any]]:
    """Yield (key, constant) for every `==`, `!=` or `in` that compares an answer with constants."""
    if isinstance(condition, list):
        for item in condition:
            yield from compared_literals(item)
    elif isinstance(condition, dict):
        for op, arg in condition.items():
            if op in ("==", "!=", "in"):
                yield from _var_constant_pairs(op, *arg)
            elif op != "var":
                yield from compared_literals(arg)


def _var_constant_pairs(op: str, left: Any, right: Any) -> Iterator[tuple[str, Any]]:
    if op == "in" and isinstance(left, dict) and isinstance(right, list):
        yield from ((left["var"], constant) for constant in right)
    elif isinstance(left, dict) and not isinstance(right, dict):
        yield left["var"], right
    elif isinstance(right, dict) and not isinstance(left, dict):
        yield right["var"], left


def minimal() -> dict:
    """A small valid definition for the negative tests to break, one thing at a time."""
    text = {"nb": "Tekst", "nn": "Tekst", "en": "Text"}
    return {
        "slug": "test-service",
        "category": "family",
        "title": dict(text),
        "summary": dict(text),
        "who_can_apply": dict(text),
        "what_you_need": dict(text),
        "what_happens_next": dict(text),
        "keywords": {"nb": ["ord"], "nn": ["ord"], "en": ["word"]},
        "handling_days": 30,
        "department": "Oppvekst",
        "retention_years": 10,
        "steps": [
            {
                "key": "first",
                "title": dict(text),
                "fields": [
                    {"key": "child_name", "type": "text", "label": dict(text), "required": True},
                    {
                        "key": "reason",
                        "type": "choice",
                        "label": dict(text),
                        "options": [
                            {"value": "moving", "label": dict(text)},
                            {"value": "other", "label": dict(text)},
                        ],
                    },
                    {
                        "key": "reason_other",
                        "type": "textarea",
                        "label": dict(text),
                        "show_if": {"==": [{"var": "reason"}, "other"]},
                    },
                ],
            }
        ],
    }


def with_field(field: dict) -> dict:
    document = minimal()
    document["steps"][0]["fields"].append(field)
    return document


LABEL = {"nb": "Tekst", "nn": "Tekst", "en": "Text"}


# --- the schema itself ----------------------------------------------------------------------


def test_it_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_it_accepts_the_minimal_definition() -> None:
    assert problems(minimal()) == []


# --- the starter services -------------------------------------------------------------------


def test_it_has_at_least_eleven_starter_services() -> None:
    assert len(STARTER_PATHS) >= 11


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_validates_the_starter_service(path: Path) -> None:
    found = problems(load(path))
    assert found == [], "\n".join(f"{place}: {message}" for place, message in found)


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_names_the_file_after_the_slug(path: Path) -> None:
    assert load(path)["slug"] == path.stem


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_has_unique_field_keys(path: Path) -> None:
    definition = load(path)
    keys = [field["key"] for field in top_fields(definition)]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    step_keys = [step["key"] for step in definition["steps"]]
    assert len(step_keys) == len(set(step_keys))
    for field in top_fields(definition):
        if field["type"] == "group":
            item_keys = [item["key"] for item in field["fields"]]
            assert len(item_keys) == len(set(item_keys)), field["key"]
            assert not set(item_keys) & set(keys), field["key"]


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_refers_only_to_earlier_fields_in_conditions(path: Path) -> None:
    seen: set[str] = set()
    for field in top_fields(load(path)):
        for name in condition_vars(field.get("show_if")):
            assert name in seen, f"{field['key']} refers to {name!r}, not an earlier field"
        seen.add(field["key"])


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_compares_choices_only_with_their_options(path: Path) -> None:
    fields = {field["key"]: field for field in top_fields(load(path))}
    for field in fields.values():
        for name, constant in compared_literals(field.get("show_if")):
            target = fields[name]
            if target["type"] in ("choice", "multichoice"):
                values = [option["value"] for option in target["options"]]
                assert constant in values, f"{field['key']}: {constant!r} is no option of {name}"
            elif target["type"] in ("yesno", "consent"):
                assert isinstance(constant, bool), f"{field['key']}: compare {name} with a bool"


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_has_unique_option_values(path: Path) -> None:
    definition = load(path)
    items = [item for f in top_fields(definition) if f["type"] == "group" for item in f["fields"]]
    for field in [*top_fields(definition), *items]:
        values = [option["value"] for option in field.get("options", [])]
        assert len(values) == len(set(values)), field["key"]


@pytest.mark.parametrize("path", STARTER_PATHS, ids=lambda p: p.stem)
def test_it_ends_with_a_required_consent(path: Path) -> None:
    last_step = load(path)["steps"][-1]
    assert any(f["type"] == "consent" and f.get("required") for f in last_step["fields"])


def test_it_offers_at_least_nine_services_in_every_municipality() -> None:
    not_offered = load(OFFERINGS_PATH)["not_offered"]
    slugs = {path.stem for path in STARTER_PATHS}
    assert sorted(not_offered) == sorted(MUNICIPALITIES)
    for municipality, missing in not_offered.items():
        assert set(missing) <= slugs, municipality
        assert len(slugs - set(missing)) >= 9, municipality
    assert len({frozenset(missing) for missing in not_offered.values()}) > 1


# --- what the schema refuses ----------------------------------------------------------------


def test_it_refuses_a_missing_nynorsk_text() -> None:
    document = minimal()
    del document["steps"][0]["fields"][0]["label"]["nn"]
    assert problems(document) == [("steps/0/fields/0/label", "'nn' is a required property")]


def test_it_refuses_an_empty_text() -> None:
    document = minimal()
    document["title"]["en"] = " "
    assert [place for place, _ in problems(document)] == ["title/en"]


def test_it_refuses_an_unknown_field_type() -> None:
    document = with_field({"key": "colour", "type": "colour", "label": LABEL})
    found = problems(document)
    assert len(found) == 1
    assert found[0][0] == "steps/0/fields/3/type"
    assert "'colour' is not one of" in found[0][1]


def test_it_refuses_an_unknown_key_on_a_field() -> None:
    document = with_field({"key": "age", "type": "integer", "label": LABEL, "max_length": 3})
    assert problems(document) == [
        ("steps/0/fields/3", "Additional properties are not allowed ('max_length' was unexpected)")
    ]


def test_it_refuses_a_key_that_belongs_to_another_type() -> None:
    document = with_field({"key": "name", "type": "text", "label": LABEL, "options": []})
    assert [place for place, _ in problems(document)] == ["steps/0/fields/3"]


def test_it_refuses_a_choice_without_options() -> None:
    document = with_field({"key": "size", "type": "choice", "label": LABEL})
    assert problems(document) == [("steps/0/fields/3", "'options' is a required property")]


def test_it_refuses_an_option_without_a_label() -> None:
    document = with_field(
        {"key": "size", "type": "choice", "label": LABEL, "options": [{"value": "big"}]}
    )
    assert problems(document) == [("steps/0/fields/3/options/0", "'label' is a required property")]


@pytest.mark.parametrize("key", ["Child_name", "1st", "child-name", "_name", ""])
def test_it_refuses_a_bad_field_key(key: str) -> None:
    document = minimal()
    document["steps"][0]["fields"][0]["key"] = key
    assert [place for place, _ in problems(document)] == ["steps/0/fields/0/key"]


@pytest.mark.parametrize("slug", ["Barnehage", "barne_hage", "barnehage plass"])
def test_it_refuses_a_bad_slug(slug: str) -> None:
    document = minimal()
    document["slug"] = slug
    assert [place for place, _ in problems(document)] == ["slug"]


def test_it_refuses_a_missing_required_top_level_key() -> None:
    document = minimal()
    del document["retention_years"]
    assert problems(document) == [("", "'retention_years' is a required property")]


def test_it_refuses_an_unknown_top_level_key() -> None:
    document = minimal()
    document["colour"] = "blue"
    assert [place for place, _ in problems(document)] == [""]


def test_it_refuses_a_step_without_fields() -> None:
    document = minimal()
    document["steps"][0]["fields"] = []
    assert [place for place, _ in problems(document)] == ["steps/0/fields"]


def test_it_refuses_a_definition_without_steps() -> None:
    document = minimal()
    document["steps"] = []
    assert [place for place, _ in problems(document)] == ["steps"]


def test_it_refuses_a_fee_without_text() -> None:
    document = minimal()
    document["fee"] = {"amount_nok": 430}
    assert problems(document) == [("fee", "'text' is a required property")]


def test_it_accepts_a_free_service_without_fee_text() -> None:
    document = minimal()
    document["fee"] = {"amount_nok": 0}
    assert problems(document) == []


@pytest.mark.parametrize("item_type", ["file", "group", "info"])
def test_it_refuses_a_group_with_a_complex_field(item_type: str) -> None:
    item = {"key": "inner", "type": item_type, "label": LABEL}
    document = with_field({"key": "members", "type": "group", "label": LABEL, "fields": [item]})
    assert [place for place, _ in problems(document)] == ["steps/0/fields/3/fields/0/type"]


def test_it_refuses_a_condition_inside_a_group() -> None:
    item = {"key": "inner", "type": "text", "label": LABEL, "show_if": {"var": "reason"}}
    document = with_field({"key": "members", "type": "group", "label": LABEL, "fields": [item]})
    assert problems(document) == [
        (
            "steps/0/fields/3/fields/0",
            "Additional properties are not allowed ('show_if' was unexpected)",
        )
    ]


def test_it_accepts_a_group_of_simple_fields() -> None:
    items = [
        {"key": "member_name", "type": "text", "label": LABEL, "required": True},
        {"key": "member_fnr", "type": "fnr", "label": LABEL},
        {
            "key": "member_relation",
            "type": "choice",
            "label": LABEL,
            "options": [{"value": "child", "label": LABEL}],
        },
    ]
    group = {
        "key": "members",
        "type": "group",
        "label": LABEL,
        "fields": items,
        "max_items": 10,
        "item_label": LABEL,
        "prefill": "household.children",
    }
    assert problems(with_field(group)) == []


def test_it_refuses_an_info_block_without_body() -> None:
    document = with_field({"key": "note", "type": "info", "label": LABEL})
    assert problems(document) == [("steps/0/fields/3", "'body' is a required property")]


@pytest.mark.parametrize(
    "condition",
    [
        {"===": [{"var": "reason"}, "other"]},
        {"==": [{"var": "reason"}, "other"], "!=": [{"var": "reason"}, "moving"]},
        {"==": [{"var": "reason"}]},
        {"==": [{"var": "Reason"}, "other"]},
        {"and": []},
        {"!": "other"},
        {"in": ["other", "reason"]},
    ],
)
def test_it_refuses_a_malformed_condition(condition: dict) -> None:
    document = minimal()
    document["steps"][0]["fields"][2]["show_if"] = condition
    found = problems(document)
    assert found, condition
    assert all(place.startswith("steps/0/fields/2/show_if") for place, _ in found)


@pytest.mark.parametrize(
    "condition",
    [
        {"var": "reason"},
        {"!=": [{"var": "reason"}, None]},
        {">=": [{"var": "reason"}, 3]},
        {"in": [{"var": "reason"}, ["moving", "other"]]},
        {"in": ["other", {"var": "reason"}]},
        {"and": [{"!": {"var": "child_name"}}, {"or": [{"<": [{"var": "reason"}, 2.5]}]}]},
    ],
)
def test_it_accepts_each_condition_form(condition: dict) -> None:
    document = minimal()
    document["steps"][0]["fields"][2]["show_if"] = condition
    assert problems(document) == []


def test_it_refuses_a_bad_date_bound() -> None:
    field = {"key": "start", "type": "date", "label": LABEL, "min": "tomorrow"}
    assert [place for place, _ in problems(with_field(field))] == ["steps/0/fields/3/min"]


def test_it_refuses_an_unknown_file_format() -> None:
    field = {"key": "plan", "type": "file", "label": LABEL, "accept": ["pdf", "docx"]}
    assert [place for place, _ in problems(with_field(field))] == ["steps/0/fields/3/accept/1"]
