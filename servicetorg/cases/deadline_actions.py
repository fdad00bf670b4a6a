"""Deadline actions: the interim reply (foreløpig svar) of forvaltningsloven § 11 a."""

import logging
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from servicetorg.cases.actions import (
    CaseNotOpen,
    create_message,
    lock_case,
    record_change,
    save_case,
)
from servicetorg.cases.constants import EventKind, MessageKind
from servicetorg.cases.deadlines import interim_reply_body
from servicetorg.cases.models import Case, Message
from servicetorg.cases.notifications import queue_notification
from servicetorg.insights.aggregation import mark_for_refresh

log = logging.getLogger("servicetorg.cases")


class ExpectedDateNotLater(ValueError):
    """The expected answer date must lie after today."""


@transaction.atomic
def send_interim_reply(
    case: Case, *, reason: str, expected_by: date, version: int, actor: AbstractUser
) -> Message:
    """Tell the applicant why the answer takes longer and when it can be expected.

    The reply is a message on the case (the applicant is e-mailed to log in and read it), the
    timeline shows it to the applicant, and the case's due date becomes the date promised.
    """
    case = lock_case(case, version)
    if not case.is_open:
        raise CaseNotOpen(case.status)
    if expected_by <= timezone.localdate():
        raise ExpectedDateNotLater(expected_by)
    body = interim_reply_body(case, reason, expected_by)
    message = create_message(case, actor, body, [], kind=MessageKind.MESSAGE)
    due_before = case.due_date
    save_case(case, due_date=expected_by, answered_at=timezone.now())
    data = {
        "message": message.pk,
        "expected_by": expected_by.isoformat(),
        "due_before": due_before.isoformat(),
    }
    record_change(case, EventKind.INTERIM_REPLY_SENT, actor, data)
    queue_notification(case, message)
    mark_for_refresh(case)
    log.info("interim reply sent case=%s expected_by=%s", case.pk, expected_by)
    return message
