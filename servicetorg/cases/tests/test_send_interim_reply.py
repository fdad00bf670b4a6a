"""The interim reply action: a message, a timeline entry, an access row, an e-mail and a new due date."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from servicetorg.cases.actions import CaseConflict, CaseNotOpen
from servicetorg.cases.constants import AccessAction, ActorKind, CaseStatus, EventKind
from servicetorg.cases.deadline_actions import ExpectedDateNotLater, send_interim_reply
from servicetorg.cases.models import Case, CaseAccess, CaseEvent, Message, Notification

pytestmark = pytest.mark.django_db
REASON = "Vi venter på uttalelse fra politiet."


def later(days: int = 30):
    return timezone.localdate() + timedelta(days=days)


def test_it_writes_the_message_event_access_and_notification(sara, case):
    expected_by = later()
    message = send_interim_reply(
        case, reason=REASON, expected_by=expected_by, version=1, actor=sara
    )
    assert (message.kind, message.author_kind, message.author_user) == (
        "message",
        ActorKind.STAFF,
        sara,
    )
    assert REASON in message.body
    assert case.number in message.body
    event = CaseEvent.objects.get(case=case, kind=EventKind.INTERIM_REPLY_SENT)
    assert (event.actor_user, event.case_version) == (sara, 2)
    assert event.data == {
        "message": message.pk,
        "expected_by": expected_by.isoformat(),
        "due_before": case.due_date.isoformat(),
    }
    access = CaseAccess.objects.get(case=case, action=AccessAction.CHANGE)
    assert (access.target, access.user) == (EventKind.INTERIM_REPLY_SENT, sara)
    notification = Notification.objects.get()
    assert (notification.case_id, notification.message) == (case.pk, message)


def test_it_moves_the_due_date(sara, case):
    send_interim_reply(case, reason=REASON, expected_by=later(60), version=1, actor=sara)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.due_date, stored.version, stored.status) == (later(60), 2, CaseStatus.RECEIVED)


def test_it_writes_in_the_applicants_language(sara, case):
    Case.objects.filter(pk=case.pk).update(language="nb")
    expected_by = timezone.localdate().replace(day=1) + timedelta(days=70)
    with translation.override("en"):  # the caseworker's language does not matter
        send_interim_reply(case, reason=REASON, expected_by=expected_by, version=1, actor=sara)
    months = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "desember"]  # fmt: skip
    body = Message.objects.get().body
    assert f"{expected_by.day}. {months[expected_by.month - 1]} {expected_by.year}" in body


def test_it_refuses_a_stale_version(sara, case):
    with pytest.raises(CaseConflict):
        send_interim_reply(case, reason=REASON, expected_by=later(), version=7, actor=sara)
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.INTERIM_REPLY_SENT).exists()
    assert not Notification.objects.exists()
    assert Case.objects.get(pk=case.pk).due_date == case.due_date


def test_it_refuses_a_finished_case(sara, case):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DECIDED)
    with pytest.raises(CaseNotOpen):
        send_interim_reply(case, reason=REASON, expected_by=later(), version=1, actor=sara)
    assert not Message.objects.exists()


def test_it_refuses_a_date_that_is_not_after_today(sara, case):
    with pytest.raises(ExpectedDateNotLater):
        send_interim_reply(
            case, reason=REASON, expected_by=timezone.localdate(), version=1, actor=sara
        )
    assert not Message.objects.exists()


def test_it_marks_the_case_answered(sara, case):
    send_interim_reply(case, reason=REASON, expected_by=later(), version=1, actor=sara)
    sent = CaseEvent.objects.get(kind=EventKind.INTERIM_REPLY_SENT).at
    assert abs(Case.objects.get(pk=case.pk).answered_at - sent) < timedelta(seconds=5)
