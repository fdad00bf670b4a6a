"""The caseworker writes to the applicant: a message, a question or a document request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicetorg.cases.constants import ActorKind, CaseStatus, EventKind, NotificationStatus
from servicetorg.cases.models import Case, CaseEvent, Message, Notification
from servicetorg.cases.tests.conftest import case_url, pdf_bytes

pytestmark = pytest.mark.django_db
QUESTION = "Kan du sende siste lønnsslipp?"


def send(client, case, kind="document_request", body=QUESTION, version=1, **files):
    data = {"version": version, "kind": kind, "body": body, **files}
    return client.post(case_url(case, "melding/"), data)


def test_it_sends_a_document_request_and_waits(sara, sara_client, case):
    response = send(sara_client, case)
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.author_kind, message.author_user, message.kind) == (
        ActorKind.STAFF,
        sara,
        "document_request",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.MESSAGE_SENT, EventKind.STATUS_CHANGED]
    notification = Notification.objects.get()
    assert (notification.case, notification.message, notification.status) == (
        case,
        message,
        NotificationStatus.PENDING,
    )


def test_it_sends_a_plain_message_without_changing_the_status(sara_client, case):
    send(sara_client, case, kind="message", body="Vi ser på saken.")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_the_applicant_sees_it_with_its_attachment(sara_client, kari_client, case):
    upload = SimpleUploadedFile("skjema.pdf", pdf_bytes(), "application/pdf")
    send(sara_client, case, files=upload)
    attachment = Message.objects.get().attachments.get()
    body = kari_client.get(f"/mine-saker/{case.pk}/").content.decode()
    assert QUESTION in body
    assert "Request for a document" in body
    assert "The caseworker is waiting for an answer from you." in body
    url = f"/mine-saker/{case.pk}/vedlegg/{attachment.pk}/"
    assert url in body
    download = kari_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == attachment.file.open("rb").read()
    assert Message.objects.get().read_by_resident_at is not None


def test_it_refuses_a_file_of_the_wrong_type(sara_client, case):
    upload = SimpleUploadedFile("evil.pdf", b"<html><script></script></html>", "application/pdf")
    response = send(sara_client, case, files=upload)
    assert response.status_code == 200
    assert "is not of an allowed type" in response.content.decode()
    assert not Message.objects.exists()


def test_it_refuses_a_message_on_a_finished_case(sara_client, case):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    send(sara_client, case)
    assert not Message.objects.exists()


def test_it_refuses_the_wrong_role(tone_client, case):
    assert send(tone_client, case).status_code == 404
    assert not Message.objects.exists()


def test_it_refuses_another_municipality(aud_client, case):
    assert send(aud_client, case).status_code == 404
    assert not Message.objects.exists()


def test_my_cases_tells_of_a_new_message_until_it_is_read(sara_client, kari_client, case):
    send(sara_client, case, kind="message", body="Vi ser på saken.")
    assert "New message" in kari_client.get("/mine-saker/").content.decode()
    kari_client.get(f"/mine-saker/{case.pk}/")
    assert "New message" not in kari_client.get("/mine-saker/").content.decode()
