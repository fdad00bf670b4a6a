"""Decision templates filled in from the case: the service's own, or generic ones from code."""

import pytest
from django.utils import timezone

from conftest import small_definition, text
from servicetorg.cases.decision_templates import fill_template, letter_language
from servicetorg.cases.tests.conftest import ANSWERS, make_case
from servicetorg.cases.tests.decision_helpers import SCRIPT, letter_date
from servicetorg.catalog.actions import publish_service

pytestmark = pytest.mark.django_db


def templates() -> dict:
    return {
        "approve": {
            "title": text(
                "Vedtak for {applicant_name}", "Vedtak for {applicant_name}", "For {applicant_name}"
            ),
            "body": text(
                "Sak {case_number} fra {received_date}: {answer:children} barn, {answer:has_children}. "
                "Husstand: {answer:members}. Dato {today}. {municipality_name}: {service_title}.",
                "Sak {case_number} frå {received_date}: {answer:children} born.",
                "Case {case_number} of {received_date}: {answer:children} children, "
                "{answer:has_children}. {answer:comment}",
            ),
        }
    }


@pytest.fixture
def templated_service(molde):
    definition = {**small_definition("med-vedtak"), "decision_templates": templates()}
    return publish_service(molde, definition).service


def test_it_fills_the_services_template(templated_service, kari):
    case = make_case(templated_service, kari)
    filled = fill_template(case, "approve", "nb")
    received = letter_date(timezone.localdate(case.received_at), "nb")
    today = letter_date(timezone.localdate(), "nb")
    assert filled.title == f"Vedtak for {kari.name}"
    assert filled.body == (
        f"Sak {case.number} fra {received}: 2 barn, Ja. Husstand: Per. Dato {today}. "
        "Molde: Søknad om test."
    )


def test_it_fills_in_the_letters_language(templated_service, kari):
    case = make_case(templated_service, kari)
    nn = fill_template(case, "approve", "nn")
    en = fill_template(case, "approve", "en")
    assert nn.body.startswith(f"Sak {case.number} frå ")
    assert en.title == f"For {kari.name}"
    assert en.body.endswith(": 2 children, Yes. Vi flytter i august.")


def test_it_leaves_an_unanswered_question_empty(templated_service, kari):
    case = make_case(templated_service, kari, answers={**ANSWERS, "comment": ""})
    assert fill_template(case, "approve", "en").body.endswith("Yes. ")


def test_it_keeps_markup_in_an_answer_as_text(templated_service, kari):
    case = make_case(templated_service, kari, answers={**ANSWERS, "comment": SCRIPT})
    assert fill_template(case, "approve", "en").body.endswith(SCRIPT)


def test_it_falls_back_to_a_generic_template(templated_service, service, kari):
    own = make_case(templated_service, kari)
    rejected = fill_template(own, "reject", "en")  # the service has only "approve"
    assert rejected.title == "Your application is rejected"
    plain = make_case(service, kari)
    for outcome in ("approve", "reject", "partial"):
        filled = fill_template(plain, outcome, "en")
        assert plain.number in filled.body
        assert "{" not in filled.body and "{" not in filled.title
        assert "Grounds:" in filled.body


def test_an_appeal_gets_the_generic_appeal_texts(templated_service, kari):
    appealed = make_case(templated_service, kari)
    appeal = make_case(templated_service, kari, appeal_of=appealed)
    filled = fill_template(appeal, "approve", "en")
    assert filled.title == "Your appeal is allowed"
    assert appealed.number in filled.body


def test_the_letter_is_in_the_applicants_language_or_the_municipalitys(service, kari):
    case = make_case(service, kari, language="en")
    assert letter_language(case) == "en"
    case.language = ""
    assert letter_language(case) == "nb"
