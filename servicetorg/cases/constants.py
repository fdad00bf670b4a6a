from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the applicant")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


# Cases still being handled: they count against the deadline and take messages.
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING)

# The workflow: the statuses a case may move to from each status. Anything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.RECEIVED: (
        CaseStatus.IN_PROGRESS,
        CaseStatus.WAITING,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    ),
    CaseStatus.IN_PROGRESS: (
        CaseStatus.WAITING,
        CaseStatus.DECIDED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    ),
    CaseStatus.WAITING: (
        CaseStatus.IN_PROGRESS,
        CaseStatus.DECIDED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    ),
    CaseStatus.DECIDED: (CaseStatus.CLOSED,),
    CaseStatus.REJECTED: (CaseStatus.CLOSED,),
    CaseStatus.WITHDRAWN: (CaseStatus.CLOSED,),
    CaseStatus.CLOSED: (),
}


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Application received")
    ASSIGNED = "assigned", _("Assigned")
    STATUS_CHANGED = "status_changed", _("Status changed")
    NOTE_ADDED = "note_added", _("Internal note")
    MESSAGE_SENT = "message_sent", _("Message to the applicant")
    MESSAGE_RECEIVED = "message_received", _("Message from the applicant")
    APPLICANT_NOTIFIED = "applicant_notified", _("Applicant notified by e-mail")
    NOTIFICATION_SKIPPED = "notification_skipped", _("Applicant not notified by e-mail")
    INTERIM_REPLY_SENT = "interim_reply_sent", _("Interim reply sent")
    DECISION_SENT = "decision_sent", _("Decision sent")
    APPEAL_RECEIVED = "appeal_received", _("Appeal received")
    REGISTERED_BY_STAFF = "registered_by_staff", _("Registered by staff")
    ATTACHMENT_INFECTED = "attachment_infected", _("Virus found in an attachment")


# What the applicant sees of the timeline; the rest is for staff only.
RESIDENT_EVENTS = (
    EventKind.SUBMITTED,
    EventKind.STATUS_CHANGED,
    EventKind.MESSAGE_SENT,
    EventKind.MESSAGE_RECEIVED,
    EventKind.INTERIM_REPLY_SENT,
    EventKind.DECISION_SENT,
    EventKind.APPEAL_RECEIVED,
)


class ActorKind(models.TextChoices):
    RESIDENT = "resident", _("Applicant")
    STAFF = "staff", _("Caseworker")
    SYSTEM = "system", _("System")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed the case")
    DOWNLOAD = "download", _("Downloaded an attachment")
    CHANGE = "change", _("Changed the case")
    REFUSED = "refused", _("Was refused an attachment")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    QUESTION = "question", _("Question")
    DOCUMENT_REQUEST = "document_request", _("Request for a document")


# A question or a document request puts the case on hold until the applicant answers.
WAITING_KINDS = (MessageKind.QUESTION, MessageKind.DOCUMENT_REQUEST)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")
    FAILED = "failed", _("Failed")
