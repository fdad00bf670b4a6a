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


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Application received")


class ActorKind(models.TextChoices):
    RESIDENT = "resident", _("Applicant")
    STAFF = "staff", _("Caseworker")
    SYSTEM = "system", _("System")
