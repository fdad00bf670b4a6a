"""Staff downloads of the application's attachments: logged, and only within the scope."""

import pytest

from servicetorg.cases.constants import AccessAction
from servicetorg.cases.models import CaseAccess
from servicetorg.cases.tests.conftest import case_url, make_case, pdf_bytes

pytestmark = pytest.mark.django_db


def download_url(case, attachment) -> str:
    return case_url(case, f"vedlegg/{attachment.pk}/")


def test_it_downloads_the_file_and_logs_it(sara, sara_client, case):
    attachment = case.submission.attachments.get()
    response = sara_client.get(download_url(case, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="vedtak.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    logged = CaseAccess.objects.get(action=AccessAction.DOWNLOAD)
    assert (logged.case, logged.user, logged.target) == (case, sara, str(attachment.pk))
    assert logged.municipality_id == case.municipality_id


def test_it_shows_the_download_in_the_history(sara_client, case):
    attachment = case.submission.attachments.get()
    sara_client.get(download_url(case, attachment))
    body = sara_client.get(case_url(case)).content.decode()
    assert "Downloaded vedtak.pdf" in body


def test_it_refuses_another_municipality(aud_client, case):
    attachment = case.submission.attachments.get()
    assert aud_client.get(download_url(case, attachment)).status_code == 404
    url = f"/aukra/saksbehandling/sak/{case.pk}/vedlegg/{attachment.pk}/"
    assert aud_client.get(url).status_code == 404
    assert not CaseAccess.objects.exists()


def test_it_refuses_the_wrong_role(tone_client, case):
    attachment = case.submission.attachments.get()
    assert tone_client.get(download_url(case, attachment)).status_code == 404


def test_it_refuses_another_department(tor_client, case):
    attachment = case.submission.attachments.get()
    assert tor_client.get(download_url(case, attachment)).status_code == 404


def test_it_refuses_an_attachment_of_another_case(sara_client, case, service, ola):
    other = make_case(service, ola, files=[("annen.pdf", pdf_bytes(), "application/pdf")])
    foreign = other.submission.attachments.get()
    assert sara_client.get(download_url(case, foreign)).status_code == 404
    assert sara_client.get(case_url(case, "vedlegg/nonsense/")).status_code == 404
    assert not CaseAccess.objects.filter(action=AccessAction.DOWNLOAD).exists()
