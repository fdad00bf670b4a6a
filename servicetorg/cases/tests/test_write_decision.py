"""The decision page: choose a template, edit the filled-in text, and preview the letter."""

import pytest

from conftest import small_definition, text
from servicetorg.cases.constants import AccessAction, CaseStatus
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseAccess, CaseEvent
from servicetorg.cases.tests.conftest import case_url, make_case
from servicetorg.cases.tests.decision_helpers import SCRIPT, case_in_progress, pdf_text
from servicetorg.catalog.actions import publish_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(service, kari) -> Case:
    return case_in_progress(service, kari)


def preview(client, case, **fields):
    data = {
        "version": 1,
        "outcome": "reject",
        "language": "en",
        "title": "Your application is rejected",
        "body": "No places left.",
        **fields,
    }
    return client.post(case_url(case, "vedtak/forhandsvis/"), data)


def test_it_offers_the_template_filled_in(sara_client, molde, kari):
    definition = small_definition("med-vedtak")
    definition["decision_templates"] = {
        "approve": {
            "title": text("Vedtak for {applicant_name}"),
            "body": text("{answer:children} barn. Kommentar: {answer:comment}"),
        }
    }
    service = publish_service(molde, definition).service
    case = case_in_progress(service, kari, answers={"children": 2, "comment": SCRIPT})
    response = sara_client.get(case_url(case, "vedtak/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="Vedtak for {kari.name}"' in body
    assert "2 barn. Kommentar: &lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in body
    assert 'name="version" value="1"' in body
    assert 'name="outcome" value="approve"' in body
    assert 'id="template_outcome-approve" name="outcome" value="approve" checked' in body


def test_it_changes_to_another_template_and_language(sara_client, ready):
    response = sara_client.get(case_url(ready, "vedtak/"), {"outcome": "partial", "language": "en"})
    body = response.content.decode()
    assert 'value="Your application is partly approved"' in body
    assert "What is not approved:" in body
    assert 'name="language" value="en"' in body
    assert 'value="partial" checked' in body


def test_it_ignores_a_bad_template_choice(sara_client, ready):
    response = sara_client.get(case_url(ready, "vedtak/"), {"outcome": "maybe"})
    assert response.status_code == 200
    assert 'name="outcome" value="approve"' in response.content.decode()


def test_it_logs_the_read(sara, sara_client, ready):
    sara_client.get(case_url(ready, "vedtak/"))
    assert CaseAccess.objects.filter(case=ready, action=AccessAction.VIEW, user=sara).exists()


def test_it_warns_when_the_case_cannot_be_decided_yet(sara_client, service, kari):
    case = make_case(service, kari)  # received: not taken up yet
    body = sara_client.get(case_url(case, "vedtak/")).content.decode()
    assert "A decision can be sent only while the case is in progress or waiting." in body
    assert "Send the decision" not in body
    assert "Preview the letter (PDF)" in body


def test_the_case_page_links_to_it_while_the_case_is_handled(sara_client, service, kari, ready):
    assert case_url(ready, "vedtak/") in sara_client.get(case_url(ready)).content.decode()
    received = make_case(service, kari)
    page = sara_client.get(case_url(received)).content.decode()
    assert case_url(received, "vedtak/") not in page
    assert "No decision yet." in page


def test_it_previews_the_letter_without_storing_anything(sara_client, ready, media):
    response = preview(sara_client, ready, body=f"Ingen plass. {SCRIPT}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = ready.number.replace("/", "-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="forhandsvisning-vedtak-{number}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Preview – not sent" in text
    assert f"Ingen plass. {SCRIPT}" in text
    assert ready.number in text
    assert not Decision.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file() and "decisions" in p.parts]
    case = Case.objects.get(pk=ready.pk)
    assert (case.status, case.version) == (CaseStatus.IN_PROGRESS, 1)
    assert not CaseEvent.objects.filter(case=case, kind="decision_sent").exists()


def test_it_shows_the_errors_instead_of_a_preview(sara_client, ready):
    response = preview(sara_client, ready, title="")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "This field is required." in response.content.decode()


def test_it_refuses_the_wrong_role(tone_client, ready):
    assert tone_client.get(case_url(ready, "vedtak/")).status_code == 404
    assert preview(tone_client, ready).status_code == 404


def test_it_refuses_another_municipality(aud_client, ready):
    assert aud_client.get(case_url(ready, "vedtak/")).status_code == 404
    assert preview(aud_client, ready).status_code == 404
    aukra_url = f"/aukra/saksbehandling/sak/{ready.pk}/vedtak/"
    assert aud_client.get(aukra_url).status_code == 404
