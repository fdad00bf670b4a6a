"""Cases, their numbers, timelines, messages, notes, access log and e-mail outbox."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.constants import (
    OPEN_STATUSES,
    AccessAction,
    ActorKind,
    CaseStatus,
    EventKind,
    MessageKind,
    NotificationStatus,
)
from servicetorg.catalog.models import Service
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import ScannedFile, Submission

# What the inbox's counts read of an open case, stored in its indexes (PostgreSQL only).
INBOX_COLUMNS = ["id", "status", "service", "assignee", "staff_unread", "channel", "answered_at"]


class CaseNumberSequence(models.Model):
    """The last case number used, per municipality and year; locked while a number is taken."""

    municipality = models.ForeignKey(Municipality, models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, models.PROTECT, verbose_name=_("municipality"))
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    service = models.ForeignKey(Service, models.PROTECT, verbose_name=_("service"))
    # The service definition's department, copied here so caseworkers are scoped in SQL.
    department = models.CharField(_("department"), max_length=100, blank=True)
    submission = models.OneToOneField(
        Submission, models.PROTECT, related_name="case", verbose_name=_("submission")
    )
    applicant_pid = models.CharField(_("applicant"), max_length=11, db_index=True)
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    # The language the applicant used; their e-mails are written in it.
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caseworker"),
    )
    # True while a message from the applicant is unread by staff.
    staff_unread = models.BooleanField(_("unread"), default=False)
    # Copied from the submission, like the department, so the inbox never joins submissions.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.DIGITAL
    )
    # When an interim reply or a decision was last sent: the inbox's "needs an interim reply"
    # reads this instead of searching the timeline.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Raised by every change; a form carries the version it was shown with (optimistic locking).
    version = models.PositiveIntegerField(_("version"), default=1)
    received_at = models.DateTimeField(_("received"))
    due_date = models.DateField(_("due date"))
    # An appeal (klage) is a case of its own, linked to the case whose decision it appeals.
    appeal_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("appeal of"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "sequence"], name="case_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "due_date"], name="case_inbox"),
            models.Index(
                fields=["municipality", "department", "status", "due_date"],
                name="case_inbox_department",
            ),
            models.Index(fields=["municipality", "assignee", "status"], name="case_assignee"),
            # The open cases in the inbox's order, carrying what its counts read (index-only).
            models.Index(
                fields=["municipality", "due_date", "received_at", "sequence"],
                include=INBOX_COLUMNS,
                condition=models.Q(status__in=OPEN_STATUSES),
                name="case_inbox_open",
            ),
            models.Index(
                fields=["municipality", "department", "due_date", "received_at", "sequence"],
                include=INBOX_COLUMNS,
                condition=models.Q(status__in=OPEN_STATUSES),
                name="case_inbox_open_department",
            ),
            # Every status in the inbox's orders, so a page of "All" reads just its rows.
            models.Index(
                fields=["municipality", "due_date", "received_at", "sequence"], name="case_due"
            ),
            models.Index(fields=["municipality", "received_at"], name="case_received"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.year}/{self.sequence:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_date


class CaseEvent(models.Model):
    """An entry on the case's timeline; written in the same transaction as the change."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    actor_kind = models.CharField(_("by"), max_length=10, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by user"),
    )
    actor_name = models.CharField(_("by name"), max_length=200, blank=True)
    # The case's version after the change: "what changed since version n" on a conflict.
    case_version = models.PositiveIntegerField(_("case version"), default=1)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        # The insights' refresh reads who did what on a range of days.
        indexes = [models.Index(fields=["at"], name="case_event_at")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class Note(models.Model):
    """An internal note: staff only, never shown to the applicant."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("by name"), max_length=200)
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} note {self.pk}"


class Message(models.Model):
    """A message between the applicant and the caseworkers on one case."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="messages")
    author_kind = models.CharField(_("from"), max_length=10, choices=ActorKind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("from name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MessageKind.choices, default=MessageKind.MESSAGE
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_by_staff_at = models.DateTimeField(_("read by staff"), null=True, blank=True)
    read_by_resident_at = models.DateTimeField(_("read by the applicant"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        # The insights' refresh reads the messages written on a range of days.
        indexes = [models.Index(fields=["created_at"], name="message_created")]

    def __str__(self) -> str:
        return f"{self.case} message {self.pk}"

    @property
    def from_staff(self) -> bool:
        return self.author_kind == ActorKind.STAFF


def message_attachment_path(instance: "MessageAttachment", filename: str) -> str:
    # Server-generated name; the person's file name is kept only as data.
    return f"messages/{instance.id.hex[:2]}/{instance.id.hex}"


class MessageAttachment(ScannedFile):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to=message_attachment_path, max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        ordering = ["created_at", "name"]
        indexes = [
            models.Index(fields=["scan_status", "scan_next_at"], name="message_attachment_scan_due")
        ]

    def __str__(self) -> str:
        return self.name


class CaseAccess(models.Model):
    """Who looked at or changed a case, and when: the case's access log (append only)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="accesses")
    municipality = models.ForeignKey(Municipality, models.PROTECT, related_name="+")
    actor_kind = models.CharField(_("by"), max_length=10, choices=ActorKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    # An attachment id or an event kind; never personal data.
    target = models.CharField(_("what"), max_length=64, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="case_access_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An e-mail to the applicant waiting to be sent: the outbox row, written with the change.

    Sent after commit; a failure leaves the row pending with a later `next_attempt_at`, and
    `send_notifications` tries again until it is sent or has used up its attempts.
    """

    case = models.ForeignKey(Case, models.CASCADE, related_name="notifications")
    message = models.ForeignKey(Message, models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


from servicetorg.cases.decision_models import Decision  # noqa: E402, F401
from servicetorg.cases.registration_models import StaffRegistration  # noqa: E402, F401
