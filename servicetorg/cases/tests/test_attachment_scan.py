"""Downloads wait for the virus check: infected files are refused, pending ones "being checked"."""

import logging

import pytest

from servicetorg.cases.actions import send_message, write_to_caseworker
from servicetorg.cases.constants import AccessAction, ActorKind, EventKind
from servicetorg.cases.models import CaseAccess, CaseEvent, MessageAttachment
from servicetorg.cases.tests.conftest import case_url, pdf_bytes
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.models import Attachment
from servicetorg.submissions.scanners import EICAR
from servicetorg.submissions.uploads import CheckedFile

pytestmark = pytest.mark.django_db


def mark(found, status: str) -> None:
    type(found).objects.filter(pk=found.pk).update(scan_status=status)


def download_url(case, attachment) -> str:
    return case_url(case, f"vedlegg/{attachment.pk}/")


def test_it_refuses_an_infected_attachment_and_logs_the_attempt(sara, sara_client, case, caplog):
    attachment = case.submission.attachments.get()
    mark(attachment, ScanStatus.INFECTED)
    with caplog.at_level(logging.WARNING, "servicetorg.security"):
        response = sara_client.get(download_url(case, attachment))
    assert response.status_code == 403
    assert "Content-Disposition" not in response
    body = response.content.decode()
    assert "The file is held back" in body
    assert "A virus was found in the file vedtak.pdf" in body
    assert f"attachment held back file={attachment.pk} status=infected" in caplog.text
    logged = CaseAccess.objects.get()
    assert (logged.action, logged.user, logged.target) == (
        AccessAction.REFUSED,
        sara,
        str(attachment.pk),
    )
    history = sara_client.get(case_url(case)).content.decode()
    assert "Was refused vedtak.pdf: not cleared by the virus check" in history
    assert "Downloaded vedtak.pdf" not in history


@pytest.mark.parametrize("status", [ScanStatus.PENDING, ScanStatus.FAILED])
def test_it_answers_409_while_a_file_is_not_cleared(sara_client, case, status):
    attachment = case.submission.attachments.get()
    mark(attachment, status)
    response = sara_client.get(download_url(case, attachment))
    assert response.status_code == 409
    expected = {
        ScanStatus.PENDING: "The file is being checked for viruses",
        ScanStatus.FAILED: "The file could not be checked for viruses",
    }[status]
    assert expected in response.content.decode()


@pytest.mark.parametrize("status", [ScanStatus.CLEAN, ScanStatus.UNSCANNED])
def test_it_hands_out_clean_and_unscanned_files(sara_client, case, status):
    attachment = case.submission.attachments.get()
    mark(attachment, status)
    response = sara_client.get(download_url(case, attachment))
    assert response.status_code == 200
    assert CaseAccess.objects.get().action == AccessAction.DOWNLOAD


def test_the_case_page_shows_each_files_status(sara, sara_client, case):
    attachment = case.submission.attachments.get()
    mark(attachment, ScanStatus.PENDING)
    letter = CheckedFile("brev.pdf", "application/pdf", pdf_bytes())
    send_message(case, "message", "Se vedlegg.", [letter], actor=sara, version=1)
    page = sara_client.get(case_url(case)).content.decode()
    assert "Being checked for viruses" in page
    assert "Not checked for viruses" in page  # the demo's scanner passed the letter
    assert download_url(case, attachment) not in page  # no link while it is pending
    mark(attachment, ScanStatus.CLEAN)
    page = sara_client.get(case_url(case)).content.decode()
    assert "No virus found" in page
    assert download_url(case, attachment) in page


def test_an_infected_message_file_is_refused_and_on_the_timeline(sara_client, case, kari, settings):
    settings.ATTACHMENT_SCANNER = "demo"  # the EICAR check runs at once, in the upload
    reply = CheckedFile("svar.pdf", "application/pdf", b"%PDF-1.7\n" + EICAR + b"\n%%EOF")
    write_to_caseworker(case, "Her er svaret.", [reply], actor=kari)
    found = MessageAttachment.objects.get()
    assert found.scan_status == ScanStatus.INFECTED
    event = CaseEvent.objects.get(kind=EventKind.ATTACHMENT_INFECTED)
    assert event.actor_kind == ActorKind.SYSTEM
    response = sara_client.get(case_url(case, f"meldingsvedlegg/{found.pk}/"))
    assert response.status_code == 403
    page = sara_client.get(case_url(case)).content.decode()
    assert "Virus found in an attachment (Eicar-Test-Signature): the file is held back" in page
    assert "Virus found: held back" in page


def test_the_applicant_waits_for_a_caseworkers_file_too(sara, kari_client, case):
    letter = CheckedFile("brev.pdf", "application/pdf", pdf_bytes())
    send_message(case, "message", "Se vedlegg.", [letter], actor=sara, version=1)
    found = MessageAttachment.objects.get()
    mark(found, ScanStatus.PENDING)
    response = kari_client.get(f"/mine-saker/{case.pk}/vedlegg/{found.pk}/")
    assert response.status_code == 409
    assert "The file is being checked for viruses" in response.content.decode()
    refused = CaseAccess.objects.get(action=AccessAction.REFUSED)
    assert (refused.actor_kind, refused.target) == (ActorKind.RESIDENT, str(found.pk))
    assert (
        "Being checked for viruses" in kari_client.get(f"/mine-saker/{case.pk}/").content.decode()
    )


def test_the_applicant_cannot_fetch_their_own_infected_upload(kari_client, case):
    attachment = case.submission.attachments.get()
    mark(attachment, ScanStatus.INFECTED)
    response = kari_client.get(f"/vedlegg/{attachment.pk}/")
    assert response.status_code == 403
    assert "A virus was found in the file vedtak.pdf" in response.content.decode()
    mark(attachment, ScanStatus.CLEAN)
    assert kari_client.get(f"/vedlegg/{attachment.pk}/").status_code == 200


def test_a_refusal_still_hides_other_peoples_files(ola_client, aud_client, case):
    attachment = case.submission.attachments.get()
    mark(attachment, ScanStatus.INFECTED)
    assert ola_client.get(f"/vedlegg/{attachment.pk}/").status_code == 404
    assert aud_client.get(download_url(case, attachment)).status_code == 404
    assert Attachment.objects.get(pk=attachment.pk).file  # kept, quarantined in place
    assert not CaseAccess.objects.exists()
