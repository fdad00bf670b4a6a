"""E-mail to applicants: an outbox row written with the change, sent after commit, retried.

The e-mail carries no name, no case content and no identity number: only a link to log in.
A row is claimed before it is sent (its next attempt pushed forward), so the request's
after-commit send and `manage.py send_notifications` never send the same row at once.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from servicetorg.cases.constants import ActorKind, EventKind, NotificationStatus
from servicetorg.cases.models import Case, CaseEvent, Message, Notification
from servicetorg.identity.population import ContactInfo
from servicetorg.identity.registers import RegisterUnavailable, contact_register

log = logging.getLogger("servicetorg.cases.notifications")
# Longer than one send can take (connect and send timeouts), so a claim outlives its sender.
CLAIM_SECONDS = 300
LONGEST_WAIT = timedelta(hours=6)
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def queue_notification(case: Case, message: Message | None = None) -> Notification:
    """Write the outbox row in the caller's transaction; try to send it once that commits.

    Without a message the notice is of a decision (see `notice_kind`).
    """
    notification = Notification.objects.create(case=case, message=message)
    if settings.NOTIFY_ON_COMMIT:
        transaction.on_commit(partial(send_notification, notification.pk))
    return notification


def send_due_notifications(now: datetime | None = None) -> dict[str, int]:
    """Try every pending notification whose time has come; count the outcomes."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at")
    outcomes: dict[str, int] = {}
    for pk in list(due.values_list("pk", flat=True)[:1000]):
        outcome = send_notification(pk, now=now) or "busy"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def send_notification(pk: int, now: datetime | None = None) -> str | None:
    """Try to send one notification. Never raises: the caseworker's request must not fail."""
    try:
        return _send(pk, now or timezone.now())
    except Exception:
        log.exception("notification failed unexpectedly notification=%s", pk)
        return None


def _send(pk: int, now: datetime) -> str | None:
    notification = _claim(pk, now)
    if notification is None:
        return None  # sent, given up, not due yet, or another sender has it
    try:
        contact = contact_register().contact(notification.case.applicant_pid)
    except RegisterUnavailable:
        return _retry(notification, now, "contact register did not answer")
    reason = skip_reason(contact)
    if reason:
        return _finish(notification, NotificationStatus.SKIPPED, reason)
    assert contact is not None and contact.email
    try:
        deliver(notification.case, contact.email, notice_kind(notification))
    except (OSError, smtplib.SMTPException) as error:
        return _retry(notification, now, describe(error))
    return _finish(notification, NotificationStatus.SENT)


def _claim(pk: int, now: datetime) -> Notification | None:
    claimed = Notification.objects.filter(
        pk=pk, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    return Notification.objects.select_related("case__municipality").get(pk=pk)


def skip_reason(contact: ContactInfo | None) -> str:
    """Why the applicant cannot be e-mailed, or "" when they can."""
    if contact is None:
        return "not in the contact register"
    if contact.reserved:
        return "reserved against digital contact"
    if not contact.email:
        return "no e-mail address"
    return ""


def notice_kind(notification: Notification) -> str:
    """What the notice is about: a decision, an interim reply, or any other message.

    Told from what the row points at: a decision has no message, and an interim reply is
    the message its timeline event names.
    """
    if notification.message_id is None:
        return "decision"
    interim = CaseEvent.objects.filter(
        case_id=notification.case_id,
        kind=EventKind.INTERIM_REPLY_SENT,
        data__message=notification.message_id,
    )
    return "interim_reply" if interim.exists() else "new_message"


def deliver(case: Case, address: str, kind: str = "new_message") -> None:
    """Send the e-mail in the applicant's language: a link to log in, nothing else."""
    language = case.language if case.language in LANGUAGES else None
    with translation.override(language or case.municipality.default_language):
        context = {"url": settings.SITE_URL.rstrip("/") + reverse("cases:mine")}
        subject = render_to_string(f"cases/emails/{kind}_subject.txt", context).strip()
        body = render_to_string(f"cases/emails/{kind}_body.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()


def describe(error: Exception) -> str:
    """The error without the address: SMTP answers often repeat the recipient."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … times the base wait, at most six hours."""
    wait = timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_WAIT)


def _retry(notification: Notification, now: datetime, error: str) -> str:
    log.warning(
        "notification not sent notification=%s attempt=%d error=%s",
        notification.pk,
        notification.attempts,
        error,
    )
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        return _finish(notification, NotificationStatus.FAILED, error)
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=now + backoff(notification.attempts), last_error=error
    )
    return "retry"


@transaction.atomic
def _finish(notification: Notification, status: str, reason: str = "") -> str:
    """Record the outcome on the row and on the case's timeline, together."""
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        status=status, last_error=reason, sent_at=now if status == NotificationStatus.SENT else None
    )
    case = notification.case
    sent = status == NotificationStatus.SENT
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.APPLICANT_NOTIFIED if sent else EventKind.NOTIFICATION_SKIPPED,
        at=now,
        actor_kind=ActorKind.SYSTEM,
        # Not a change of the case: its version stays, so no caseworker's form goes stale.
        case_version=Case.objects.filter(pk=case.pk).values_list("version", flat=True)[0],
        data={"reason": reason} if reason else {},
    )
    log.info("notification %s notification=%s", status, notification.pk)
    return str(status)
