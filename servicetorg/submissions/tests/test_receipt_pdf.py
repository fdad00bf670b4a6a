"""The receipt as PDF/A: readable, with the case number and the answers as plain text."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from servicetorg.submissions.models import Draft, Submission

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def english(kari_client, ola_client):
    for client in (kari_client, ola_client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def submit(client: Client, service, comment: str = "Takk for hjelpen") -> Submission:
    client.post(f"/molde/tjenester/{service.slug}/start/")
    draft = Draft.objects.get()
    client.post(
        f"/molde/soknad/{draft.id}/steg/1/",
        {
            "_shown": "name,email,has_children,children",
            "name": "Kari Nordmann",
            "email": "kari@example.no",
            "has_children": "yes",
            "children": "2",
        },
    )
    client.post(
        f"/molde/soknad/{draft.id}/steg/2/",
        {
            "_shown": "members,document,comment,confirm",
            "members-count": "1",
            "members-0-member_name": "Per Nordmann",
            "comment": comment,
            "confirm": "yes",
        },
    )
    response = client.post(f"/molde/soknad/{draft.id}/oppsummering/")
    assert response.status_code == 302
    return Submission.objects.get()


def get_pdf(client: Client, submission: Submission):
    return client.get(f"/molde/kvittering/{submission.id}/pdf/")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_it_sends_the_receipt_as_a_pdf(kari_client, service):
    submission = submit(kari_client, service)
    response = get_pdf(kari_client, submission)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = submission.case.number
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="kvittering-{number.replace("/", "-")}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 1


def test_it_puts_the_case_number_and_the_answers_in_the_pdf(kari_client, service):
    submission = submit(kari_client, service)
    text = pdf_text(get_pdf(kari_client, submission).content)
    assert submission.case.number in text
    assert "Kari Nordmann" in text
    assert "kari@example.no" in text
    assert "Takk for hjelpen" in text
    assert "Per Nordmann" in text
    assert "Test application" in text


def test_it_prints_markup_in_an_answer_as_text(kari_client, service):
    submission = submit(kari_client, service, comment=SCRIPT)
    text = pdf_text(get_pdf(kari_client, submission).content)
    assert SCRIPT in text
    assert "&lt;" not in text


def test_it_declares_pdf_a(kari_client, service):
    content = get_pdf(kari_client, submit(kari_client, service)).content
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert re.search(r"pdfaid:part(=\"|>)2", raw)
    assert re.search(r"pdfaid:conformance(=\"|>)B", raw)


def test_it_sends_the_pdf_only_to_the_applicant(kari_client, ola_client, service, aukra):
    submission = submit(kari_client, service)
    assert get_pdf(ola_client, submission).status_code == 404
    assert kari_client.get(f"/aukra/kvittering/{submission.id}/pdf/").status_code == 404
