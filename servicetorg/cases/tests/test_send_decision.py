"""The caseworker sends the decision: a PDF/A letter, the case decided, the applicant told."""

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.utils import timezone

from servicetorg.cases import decision_actions
from servicetorg.cases.actions import CaseConflict, add_note
from servicetorg.cases.constants import AccessAction, CaseStatus, EventKind, NotificationStatus
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseAccess, CaseEvent, Notification
from servicetorg.cases.tests.conftest import case_url, make_case
from servicetorg.cases.tests.decision_helpers import (
    BODY,
    SCRIPT,
    case_in_progress,
    decide,
    is_pdf_a_2b,
    letter_date,
    pdf_text,
)
from servicetorg.municipalities.models import Municipality

pytestmark = pytest.mark.django_db
TITLE = "Du har fått barnehageplass"


@pytest.fixture
def ready(service, kari) -> Case:
    return case_in_progress(service, kari)


def send(client, case, version: int = 1, **fields):
    data = {
        "version": version,
        "outcome": "approve",
        "language": "nb",
        "title": TITLE,
        "body": BODY,
        **fields,
    }
    return client.post(case_url(case, "vedtak/send/"), data)


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file() and "decisions" in p.parts]


def test_it_sends_the_decision_as_a_pdf_a_letter(sara, sara_client, ready):
    response = send(sara_client, ready)
    assert response.status_code == 302
    assert response["Location"] == case_url(ready)
    decision = Decision.objects.get()
    assert (decision.case, decision.outcome, decision.title) == (ready, "approve", TITLE)
    assert (decision.sent_by, decision.sent_by_name, decision.language) == (
        sara,
        "Sara Testesen",
        "nb",
    )
    content = decision.letter.open("rb").read()
    assert content.startswith(b"%PDF-")
    assert decision.letter.name.startswith("decisions/")
    assert decision.letter.name.endswith(f"{decision.pk.hex}.pdf")
    text = pdf_text(content)
    assert ready.number in text
    assert letter_date(decision.appeal_deadline, "nb") in text
    assert "klage" in text.lower()
    assert "Kari får plass i Bekkestua barnehage." in text
    assert "forvaltningsloven § 18" in text
    assert is_pdf_a_2b(content)


def test_it_gives_three_weeks_to_appeal_or_what_the_municipality_says(sara, ready, ola):
    decision = decide(ready, sara)
    assert (decision.appeal_deadline - timezone.localdate(decision.sent_at)).days == 21
    Municipality.objects.filter(pk=ready.municipality_id).update(appeal_days=28)
    other = decide(Case.objects.get(pk=case_in_progress(ready.service, ola).pk), sara)
    assert (other.appeal_deadline - timezone.localdate(other.sent_at)).days == 28
    assert letter_date(other.appeal_deadline, "nb") in pdf_text(other.letter.open("rb").read())
    decision.refresh_from_db()
    assert (decision.appeal_deadline - timezone.localdate(decision.sent_at)).days == 21


def test_the_appeal_check_follows_the_municipalitys_days(sara, ready):
    Municipality.objects.filter(pk=ready.municipality_id).update(appeal_days=7)
    case = Case.objects.get(pk=ready.pk)
    decision = decide(case, sara)
    case.refresh_from_db()
    sent = timezone.localdate(decision.sent_at)
    assert decision_actions.can_appeal(case, decision, sent + timedelta(days=7))
    assert not decision_actions.can_appeal(case, decision, sent + timedelta(days=8))


def test_it_decides_the_case_and_records_it(sara, sara_client, ready):
    send(sara_client, ready)
    case = Case.objects.get(pk=ready.pk)
    assert case.status == CaseStatus.DECIDED
    assert case.version == 3
    decision = Decision.objects.get()
    events = CaseEvent.objects.filter(case=case).order_by("at", "id")
    kinds = list(events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.DECISION_SENT, EventKind.STATUS_CHANGED]
    sent = events.get(kind=EventKind.DECISION_SENT)
    assert sent.data == {"decision": str(decision.pk), "outcome": "approve"}
    assert sent.actor_user == sara
    assert CaseAccess.objects.filter(
        case=case, action=AccessAction.CHANGE, target=EventKind.DECISION_SENT, user=sara
    ).exists()


def test_it_queues_a_notice_to_the_applicant(sara, ready):
    decide(ready, sara)
    notification = Notification.objects.get()
    assert (notification.case_id, notification.message, notification.status) == (
        ready.pk,
        None,
        NotificationStatus.PENDING,
    )


def test_the_notice_is_delivered_and_tells_nothing_of_the_decision(
    sara_client, ready, kari, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send(sara_client, ready).status_code == 302
    [envelope] = smtp.messages
    mail = message_from_bytes(envelope.original_content)
    body = mail.get_payload(decode=True).decode()
    assert "/mine-saker/" in body
    for private in (ready.number, TITLE, kari.name, kari.pid, "Bekkestua"):
        assert private not in body and private not in mail["Subject"]
    assert Notification.objects.get().status == NotificationStatus.SENT
    assert CaseEvent.objects.filter(kind=EventKind.APPLICANT_NOTIFIED).exists()


def test_it_refuses_a_stale_form_and_keeps_the_text(sara, sara_client, ready):
    add_note(ready, "Ringte søker.", actor=sara, version=1)
    response = send(sara_client, ready, version=1, body="Min egen tekst.")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed the case" in body
    assert "Min egen tekst." in body
    assert 'name="version" value="2"' in body
    assert "Internal note" in body  # what changed
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=ready.pk).status == CaseStatus.IN_PROGRESS


def test_the_action_refuses_a_stale_version(sara, ready):
    with pytest.raises(CaseConflict):
        decision_actions.send_decision(
            ready, outcome="approve", title=TITLE, body=BODY, version=7, actor=sara
        )
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "status", [CaseStatus.RECEIVED, CaseStatus.DECIDED, CaseStatus.CLOSED, CaseStatus.REJECTED]
)
def test_it_refuses_a_case_not_in_progress_or_waiting(sara, sara_client, service, kari, status):
    case = make_case(service, kari, status=status)
    response = send(sara_client, case)
    assert response.status_code == 200
    assert "A decision can be sent only while the case is in progress or waiting" in (
        response.content.decode()
    )
    with pytest.raises(decision_actions.NotDecidable):
        decide(case, sara)
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).status == status


def test_it_decides_a_waiting_case(sara, service, kari):
    case = make_case(service, kari, status=CaseStatus.WAITING)
    decide(case, sara, outcome="partial")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_a_failed_rendering_leaves_nothing(sara, ready, media, monkeypatch):
    def broken(decision, preview=False):
        raise OSError("no fonts")

    monkeypatch.setattr(decision_actions, "decision_letter_pdf", broken)
    with pytest.raises(OSError):
        decide(ready, sara)
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=ready.pk).status == CaseStatus.IN_PROGRESS
    assert not Notification.objects.exists()
    assert stored_files(media) == []


def test_a_failure_after_the_letter_is_stored_removes_it(sara, ready, media, monkeypatch):
    def broken(case, message=None):
        raise RuntimeError("outbox full")

    monkeypatch.setattr(decision_actions, "queue_notification", broken)
    with pytest.raises(RuntimeError):
        decide(ready, sara)
    assert not Decision.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.DECISION_SENT).exists()
    assert Case.objects.get(pk=ready.pk).version == 1
    assert stored_files(media) == []


def test_it_refuses_an_empty_decision(sara_client, ready):
    response = send(sara_client, ready, body="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Decision.objects.exists()


def test_it_refuses_an_unknown_outcome(sara_client, ready):
    assert send(sara_client, ready, outcome="maybe").status_code == 200
    assert not Decision.objects.exists()


def test_it_prints_markup_as_text_in_the_letter_and_on_the_pages(sara_client, kari_client, ready):
    send(sara_client, ready, title=f"Vedtak {SCRIPT}", body=f"Teksten {SCRIPT} slutt.")
    decision = Decision.objects.get()
    text = pdf_text(decision.letter.open("rb").read())
    assert f"Teksten {SCRIPT} slutt." in text
    assert f"Vedtak {SCRIPT}" in text
    assert "&lt;" not in text
    staff_page = sara_client.get(case_url(ready)).content.decode()
    mine_page = kari_client.get(f"/mine-saker/{ready.pk}/").content.decode()
    for page in (staff_page, mine_page):
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_refuses_the_wrong_role(tone_client, ready):
    assert send(tone_client, ready).status_code == 404
    assert not Decision.objects.exists()


def test_it_refuses_a_caseworker_of_another_department(tor_client, ready):
    assert send(tor_client, ready).status_code == 404
    assert not Decision.objects.exists()


def test_it_refuses_another_municipality(aud_client, ready):
    assert send(aud_client, ready).status_code == 404
    assert (
        aud_client.post(
            f"/aukra/saksbehandling/sak/{ready.pk}/vedtak/send/",
            {"version": 1, "outcome": "approve", "language": "nb", "title": TITLE, "body": BODY},
        ).status_code
        == 404
    )
    assert not Decision.objects.exists()


def test_it_sends_the_logged_out_to_the_login(client, ready):
    assert send(client, ready).status_code == 302
    assert not Decision.objects.exists()
