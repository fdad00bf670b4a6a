"""Decision templates in a service definition: their shape, and the placeholders they may use."""

import pytest
import yaml

from servicetorg.catalog.definitions import definition_problems, load_file, starter_paths
from servicetorg.catalog.placeholders import OUTCOMES, fill
from servicetorg.catalog.tests.test_starter_definitions import minimal

WITH_TEMPLATES = [
    "barnehageplass",
    "kommunal-bolig",
    "skjenkebevilling-enkeltanledning",
    "parkeringstillatelse-forflytningshemmede",
    "melding-om-feil",
]


def text(value: str) -> dict:
    return {"nb": value, "nn": value, "en": value}


def with_templates(body: str = "Hei {applicant_name}.", **more) -> dict:
    document = minimal()
    document["decision_templates"] = {
        "approve": {"title": text("Vedtak i sak {case_number}"), "body": text(body)},
        **more,
    }
    return document


# --- filling ----------------------------------------------------------------------------------


def test_it_fills_the_known_placeholders() -> None:
    values = {"applicant_name": "Kari Nordmann", "answer:child_name": "Per"}
    assert fill("Til {applicant_name}: {answer:child_name} har fått plass.", values) == (
        "Til Kari Nordmann: Per har fått plass."
    )


def test_it_leaves_everything_else_as_it_is() -> None:
    text = "Vi {ukjent} {answer:nothing} {Applicant_name} { } } {"
    assert fill(text, {"applicant_name": "Kari"}) == text


def test_it_never_fills_a_value_that_looks_like_a_placeholder() -> None:
    values = {"applicant_name": "{case_number}", "case_number": "2026/00001"}
    assert fill("{applicant_name} {case_number}", values) == "{case_number} 2026/00001"


def test_it_inserts_markup_as_plain_text() -> None:
    # Escaping is the template's job: the filled text keeps exactly what was typed.
    assert fill("{applicant_name}", {"applicant_name": "<b>Kari</b>"}) == "<b>Kari</b>"


# --- validation -------------------------------------------------------------------------------


def test_it_accepts_templates_with_known_placeholders() -> None:
    body = "{applicant_name} {case_number} {received_date} {today} {answer:child_name}"
    assert definition_problems(with_templates(body)) == []


def test_it_refuses_an_unknown_placeholder_with_its_place() -> None:
    problems = definition_problems(with_templates("Hei {navn}."))
    assert problems == [
        f"decision_templates/approve/body/{lang}: unknown placeholder {{navn}}"
        for lang in ("nb", "nn", "en")
    ]


def test_it_refuses_an_answer_of_no_field() -> None:
    problems = definition_problems(with_templates("Barnet {answer:kid_name}."))
    assert problems[0] == (
        "decision_templates/approve/body/nb: "
        "placeholder {answer:kid_name} refers to 'kid_name', not a field"
    )


def test_it_refuses_a_lone_brace() -> None:
    problems = definition_problems(with_templates("Hei {applicant_name."))
    assert problems[0].startswith("decision_templates/approve/body/nb: lone '{'")


def test_it_checks_the_title_too() -> None:
    document = with_templates()
    document["decision_templates"]["approve"]["title"]["en"] = "Decision {date}"
    assert definition_problems(document) == [
        "decision_templates/approve/title/en: unknown placeholder {date}"
    ]


def test_it_refuses_an_unknown_outcome() -> None:
    document = with_templates(accept={"title": text("T"), "body": text("B")})
    problems = definition_problems(document)
    assert len(problems) == 1 and problems[0].startswith("decision_templates: ")


def test_it_refuses_a_template_without_nynorsk() -> None:
    document = with_templates()
    del document["decision_templates"]["approve"]["body"]["nn"]
    assert definition_problems(document) == [
        "decision_templates/approve/body: 'nn' is a required property"
    ]


def test_it_refuses_empty_templates() -> None:
    document = minimal()
    document["decision_templates"] = {}
    assert [p.split(":")[0] for p in definition_problems(document)] == ["decision_templates"]


# --- the starter services ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", WITH_TEMPLATES)
def test_it_ships_templates_for_every_outcome_and_language(slug: str) -> None:
    [path] = [p for p in starter_paths() if p.stem == slug]
    templates = load_file(path).data["decision_templates"]
    assert sorted(templates) == sorted(OUTCOMES)
    for template in templates.values():
        assert sorted(template["body"]) == ["en", "nb", "nn"]
        assert len({template["body"][lang] for lang in ("nb", "nn", "en")}) == 3


@pytest.mark.parametrize("path", starter_paths(), ids=lambda p: p.stem)
def test_every_starter_template_uses_known_placeholders(path) -> None:
    assert definition_problems(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
