"""E-mail to the applicant through a real SMTP server: after commit, retried, never lost."""

import io
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from servicetorg.cases import notifications
from servicetorg.cases.constants import EventKind, NotificationStatus
from servicetorg.cases.deadline_actions import send_interim_reply
from servicetorg.cases.models import Case, CaseEvent, Message, Notification
from servicetorg.cases.notifications import backoff, send_due_notifications, send_notification
from servicetorg.cases.tests.conftest import case_url
from servicetorg.cases.tests.decision_helpers import case_in_progress, decide
from servicetorg.identity.population import ContactInfo
from servicetorg.identity.registers import RegisterUnavailable, contact_register

pytestmark = pytest.mark.django_db
QUESTION = "Kan du sende siste lønnsslipp?"


def ask(client, case, version: int = 1):
    data = {"version": version, "kind": "question", "body": QUESTION}
    return client.post(case_url(case, "melding/"), data)


def received(inbox) -> list:
    return [message_from_bytes(envelope.original_content) for envelope in inbox.messages]


def text_of(mail) -> str:
    return mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8")


def later(hours: int = 7):
    return timezone.now() + timedelta(hours=hours)


def test_it_emails_the_applicant_after_commit(
    sara_client, case, kari, smtp, django_capture_on_commit_callbacks
):
    case.language = "en"  # the notice goes out in the applicant's language
    case.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(sara_client, case)
    assert response.status_code == 302
    [envelope] = smtp.messages
    address = contact_register().contact(kari.pid).email
    assert envelope.rcpt_tos == [address]
    [mail] = received(smtp)
    body = text_of(mail)
    link = f"{django_settings.SITE_URL}/mine-saker/"
    assert (
        f"You have a new message about your case in Servicetorg. Log in to read it: {link}" in body
    )
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject == "New message about your case"
    for private in (kari.name, kari.pid, QUESTION, case.number, "Kari", "Test application"):
        assert private not in body and private not in subject
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)
    assert CaseEvent.objects.filter(kind=EventKind.APPLICANT_NOTIFIED).exists()


def english_mail(inbox) -> tuple[str, str]:
    [mail] = received(inbox)
    return str(make_header(decode_header(mail["Subject"]))), text_of(mail)


def test_it_tells_of_a_decision_in_its_own_words(sara, service, kari, smtp, settings):
    settings.NOTIFY_ON_COMMIT = False
    case = case_in_progress(service, kari)
    Case.objects.filter(pk=case.pk).update(language="en")
    decide(Case.objects.get(pk=case.pk), sara)
    assert send_due_notifications() == {"sent": 1}
    subject, body = english_mail(smtp)
    assert subject == "A decision has been made in your case"
    link = f"{django_settings.SITE_URL}/mine-saker/"
    assert f"Log in to read the decision letter: {link}" in body
    assert "new message" not in body
    for private in (kari.name, kari.pid, case.number, "barnehageplass", "Bekkestua"):
        assert private not in body and private not in subject


def test_it_tells_of_an_interim_reply_in_its_own_words(sara, case, kari, smtp, settings):
    settings.NOTIFY_ON_COMMIT = False
    case.language = "en"
    case.save(update_fields=["language"])
    later_on = timezone.localdate() + timedelta(days=60)
    send_interim_reply(case, reason=QUESTION, expected_by=later_on, version=1, actor=sara)
    assert send_due_notifications() == {"sent": 1}
    subject, body = english_mail(smtp)
    assert subject == "Your case is taking longer than expected"
    assert "when you can expect an answer" in body and "/mine-saker/" in body
    for private in (kari.name, kari.pid, case.number, QUESTION):
        assert private not in body and private not in subject


def test_it_keeps_the_message_when_the_mail_server_is_down(
    sara_client, case, mailserver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(sara_client, case)
    assert response.status_code == 302  # the caseworker's request succeeds
    assert Message.objects.get().body == QUESTION
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "ConnectionRefusedError" in notification.last_error
    assert notification.next_attempt_at > timezone.now()

    inbox = mailserver.start().inbox
    assert send_due_notifications() == {}  # not due yet: the backoff is respected
    assert send_due_notifications(now=later()) == {"sent": 1}
    assert len(inbox.messages) == 1
    assert send_due_notifications(now=later(24)) == {}
    assert len(inbox.messages) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 2)


def test_the_command_delivers_what_is_due(sara, case, mailserver):
    from servicetorg.cases.actions import send_message

    send_message(case, "message", "Hei", [], actor=sara, version=1)
    inbox = mailserver.start().inbox
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "sent=1" in out.getvalue()
    assert len(inbox.messages) == 1
    call_command("send_notifications", stdout=io.StringIO())
    assert len(inbox.messages) == 1


def test_it_gives_up_after_the_last_attempt(sara, case, mailserver, settings):
    from servicetorg.cases.actions import send_message

    settings.NOTIFY_ON_COMMIT = False
    settings.NOTIFY_MAX_ATTEMPTS = 2
    send_message(case, "message", "Hei", [], actor=sara, version=1)
    assert send_due_notifications() == {"retry": 1}
    assert send_due_notifications(now=later()) == {"failed": 1}
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.FAILED
    event = CaseEvent.objects.get(kind=EventKind.NOTIFICATION_SKIPPED)
    assert "ConnectionRefusedError" in event.data["reason"]
    assert send_due_notifications(now=later(48)) == {}


@pytest.mark.parametrize(
    "contact, reason",
    [
        (None, "not in the contact register"),
        (ContactInfo(email="a@example.no", mobile=None, reserved=True), "reserved"),
        (ContactInfo(email=None, mobile="99999999", reserved=False), "no e-mail address"),
    ],
)
def test_it_skips_an_applicant_it_cannot_email(
    sara, case, smtp, monkeypatch, settings, contact, reason
):
    from servicetorg.cases.actions import send_message

    settings.NOTIFY_ON_COMMIT = False

    class Register:
        def contact(self, pid):
            return contact

    monkeypatch.setattr(notifications, "contact_register", Register)
    send_message(case, "message", "Hei", [], actor=sara, version=1)
    assert send_due_notifications() == {"skipped": 1}
    assert smtp.messages == []
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SKIPPED
    assert reason in notification.last_error
    assert reason in CaseEvent.objects.get(kind=EventKind.NOTIFICATION_SKIPPED).data["reason"]


def test_it_retries_when_the_contact_register_is_down(sara, case, smtp, monkeypatch, settings):
    from servicetorg.cases.actions import send_message

    settings.NOTIFY_ON_COMMIT = False

    class Down:
        def contact(self, pid):
            raise RegisterUnavailable("no answer")

    monkeypatch.setattr(notifications, "contact_register", Down)
    send_message(case, "message", "Hei", [], actor=sara, version=1)
    assert send_due_notifications() == {"retry": 1}
    monkeypatch.undo()
    assert send_due_notifications(now=later()) == {"sent": 1}
    assert len(smtp.messages) == 1


def test_it_never_raises_into_the_request(
    sara_client, case, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(notifications, "deliver", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(sara_client, case)
    assert response.status_code == 302
    assert Message.objects.exists()


def test_it_sends_a_claimed_notification_once(sara, case, smtp, settings):
    from servicetorg.cases.actions import send_message

    settings.NOTIFY_ON_COMMIT = False
    send_message(case, "message", "Hei", [], actor=sara, version=1)
    pk = Notification.objects.get().pk
    assert send_notification(pk) == "sent"
    assert send_notification(pk) is None
    assert len(smtp.messages) == 1


def test_it_waits_longer_after_each_failure(settings):
    settings.NOTIFY_RETRY_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == timedelta(hours=6)


def test_it_writes_nothing_to_send_when_nothing_is_said(sara_client, case):
    sara_client.post(case_url(case, "notat/"), {"version": 1, "body": "Internt"})
    assert not Notification.objects.exists()
