"""The decision letter: its contents, and the caseworker's download of it."""

from pathlib import Path

import pytest

from conftest import small_definition, text
from servicetorg.cases.constants import AccessAction
from servicetorg.cases.models import CaseAccess
from servicetorg.cases.tests.conftest import ANSWERS, case_url
from servicetorg.cases.tests.decision_helpers import case_in_progress, decide, pdf_text
from servicetorg.catalog.actions import publish_service
from servicetorg.documents.letters import address_lines, decision_letter_html, logo_uri

pytestmark = pytest.mark.django_db
ADDRESS = {"street": "Storgata 1", "postal_code": "6413", "place": "Molde"}


@pytest.fixture
def decision(service, kari, sara):
    return decide(case_in_progress(service, kari), sara)


def letter_url(decision) -> str:
    return case_url(decision.case, f"vedtak/brev/{decision.pk}/")


def with_address(molde):
    definition = small_definition("med-adresse")
    definition["steps"][0]["fields"].append(
        {"key": "home", "type": "address", "label": text("Adresse", "Adresse", "Address")}
    )
    return publish_service(molde, definition).service


def test_it_addresses_the_applicant(molde, kari, sara):
    case = case_in_progress(with_address(molde), kari, answers={**ANSWERS, "home": ADDRESS})
    assert address_lines(case.submission) == ["Storgata 1", "6413 Molde"]
    text_ = pdf_text(decide(case, sara).letter.open("rb").read())
    assert f"{kari.name} Storgata 1 6413 Molde" in text_


def test_it_has_only_the_name_without_an_address(decision):
    assert address_lines(decision.case.submission) == []


def test_it_puts_the_municipalitys_logo_on_the_letterhead(decision):
    logo = logo_uri(decision.case.municipality)
    assert logo is not None and logo.startswith("file://") and logo.endswith(".svg")
    assert Path(logo.removeprefix("file://")).is_file()
    html = decision_letter_html(decision)
    assert f'<img src="{logo}" alt="">' in html
    assert "Molde" in pdf_text(decision.letter.open("rb").read())


def test_it_falls_back_to_the_name_without_a_logo(decision, monkeypatch):
    from servicetorg.documents import letters

    monkeypatch.setattr(letters.finders, "find", lambda path: None)
    monkeypatch.setattr(letters.settings, "STATIC_ROOT", None)
    html = decision_letter_html(decision)
    assert "<img" not in html
    assert '<span class="name">Molde' in html


def test_it_is_written_in_the_decisions_language(service, kari, sara):
    decision = decide(case_in_progress(service, kari), sara, language="en")
    text_ = pdf_text(decision.letter.open("rb").read())
    assert "You have the right to appeal (klage)" in text_
    assert "You have the right to see the case documents" in text_
    assert "Molde municipality" in text_


def test_the_caseworker_downloads_it_and_the_download_is_logged(sara, sara_client, decision):
    response = sara_client.get(letter_url(decision))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    number = decision.case.number.replace("/", "-")
    assert response["Content-Disposition"] == f'attachment; filename="vedtak-{number}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert CaseAccess.objects.filter(
        action=AccessAction.DOWNLOAD, target=str(decision.pk), user=sara
    ).exists()
    history = sara_client.get(case_url(decision.case)).content.decode()
    assert f"Downloaded vedtak-{number}.pdf" in history


def test_the_case_page_lists_the_decision(sara_client, decision):
    body = sara_client.get(case_url(decision.case)).content.decode()
    assert letter_url(decision) in body
    assert "Du har fått barnehageplass" in body
    assert "Approved" in body


def test_it_refuses_the_wrong_role(tone_client, decision):
    assert tone_client.get(letter_url(decision)).status_code == 404


def test_it_refuses_another_municipality(aud_client, decision):
    assert aud_client.get(letter_url(decision)).status_code == 404
    aukra = f"/aukra/saksbehandling/sak/{decision.case.pk}/vedtak/brev/{decision.pk}/"
    assert aud_client.get(aukra).status_code == 404


def test_it_refuses_a_decision_of_another_case(sara_client, decision, service, ola, sara):
    other = case_in_progress(service, ola)
    assert sara_client.get(case_url(other, f"vedtak/brev/{decision.pk}/")).status_code == 404
    assert sara_client.get(case_url(other, "vedtak/brev/not-a-uuid/")).status_code == 404
