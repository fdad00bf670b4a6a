"""The applicant answers the caseworker, or writes first, from "Mine saker"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicetorg.cases.actions import send_message
from servicetorg.cases.constants import AccessAction, ActorKind, CaseStatus, EventKind
from servicetorg.cases.forms import MESSAGE_FILES
from servicetorg.cases.models import Case, CaseAccess, CaseEvent, Message
from servicetorg.cases.tests.conftest import case_url, make_case, png_bytes
from servicetorg.submissions.uploads import check_upload

pytestmark = pytest.mark.django_db
ANSWER = "Her er lønnsslippen."


def mine(case, tail: str = "") -> str:
    return f"/mine-saker/{case.pk}/{tail}"


def test_it_answers_a_question_and_the_case_comes_back(sara, sara_client, kari_client, case):
    send_message(case, "question", "Når flytter dere?", [], actor=sara, version=1)
    upload = SimpleUploadedFile("slipp.png", png_bytes(), "image/png")
    response = kari_client.post(mine(case, "melding/"), {"body": ANSWER, "files": upload})
    assert response.status_code == 302
    assert response["Location"] == mine(case)
    reply = Message.objects.get(author_kind=ActorKind.RESIDENT)
    assert reply.body == ANSWER
    assert reply.attachments.get().name == "slipp.png"
    case.refresh_from_db()
    assert case.staff_unread
    assert case.status == CaseStatus.IN_PROGRESS
    assert CaseEvent.objects.filter(kind=EventKind.MESSAGE_RECEIVED).exists()
    inbox = sara_client.get("/molde/saksbehandling/", {"unread": "on"}).content.decode()
    assert case.number in inbox
    page = sara_client.get(case_url(case)).content.decode()
    assert ANSWER in page
    assert "Message from the applicant" in page
    attachment = reply.attachments.get()
    download = sara_client.get(case_url(case, f"meldingsvedlegg/{attachment.pk}/"))
    assert download.status_code == 200
    assert CaseAccess.objects.filter(
        action=AccessAction.DOWNLOAD, target=str(attachment.pk)
    ).exists()


def test_it_lets_the_applicant_write_first(kari_client, case):
    body = kari_client.get(mine(case)).content.decode()
    assert "Write to the caseworker" in body
    kari_client.post(mine(case, "melding/"), {"body": "Jeg har et spørsmål."})
    case.refresh_from_db()
    assert case.staff_unread
    assert case.status == CaseStatus.RECEIVED


def test_it_refuses_a_message_on_a_finished_case(kari_client, case):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DECIDED)
    assert "Write to the caseworker" not in kari_client.get(mine(case)).content.decode()
    kari_client.post(mine(case, "melding/"), {"body": "Hallo?"})
    assert not Message.objects.exists()


def test_it_refuses_an_empty_message(kari_client, case):
    response = kari_client.post(mine(case, "melding/"), {"body": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Message.objects.exists()


def test_it_refuses_another_residents_case(ola_client, case):
    assert ola_client.post(mine(case, "melding/"), {"body": "Hei"}).status_code == 404
    assert ola_client.get(mine(case)).status_code == 404
    assert not Message.objects.exists()


def test_it_hides_other_residents_messages(sara, kari_client, ola_client, case, service, ola):
    send_message(case, "message", "Til Kari", [], actor=sara, version=1)
    olas = make_case(service, ola)
    send_message(olas, "message", "Til Ola", [], actor=sara, version=1)
    kari_page = kari_client.get(mine(case)).content.decode()
    ola_page = ola_client.get(mine(olas)).content.decode()
    assert "Til Kari" in kari_page and "Til Ola" not in kari_page
    assert "Til Ola" in ola_page and "Til Kari" not in ola_page


def test_it_hides_another_cases_attachment(sara, kari_client, case, service, ola):
    olas = make_case(service, ola)
    upload = SimpleUploadedFile("x.png", png_bytes(), "image/png")

    send_message(
        olas, "message", "Til Ola", [check_upload(upload, MESSAGE_FILES)], actor=sara, version=1
    )
    foreign = Message.objects.get().attachments.get()
    assert kari_client.get(mine(case, f"vedlegg/{foreign.pk}/")).status_code == 404


def test_it_shows_the_applicant_only_their_part_of_the_timeline(
    sara, sara_client, kari_client, case
):
    sara_client.post(case_url(case, "ta/"), {"version": 1})
    sara_client.post(case_url(case, "status/"), {"version": 2, "status": "in_progress"})
    body = kari_client.get(mine(case)).content.decode()
    assert "Status changed from Received to In progress" in body
    assert "Assigned" not in body
    assert sara.get_full_name() not in body


def test_it_logs_the_applicants_view(kari, kari_client, case):
    kari_client.get(mine(case))
    access = CaseAccess.objects.get()
    assert (access.action, access.actor_kind, access.user) == (
        AccessAction.VIEW,
        ActorKind.RESIDENT,
        None,
    )


def test_it_sends_the_logged_out_to_the_login(client, case):
    response = client.post(mine(case, "melding/"), {"body": "Hei"})
    assert response.status_code == 302
    assert not Message.objects.exists()
