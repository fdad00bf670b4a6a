"""Applications that came on paper, by e-mail or by phone, as a caseworker enters them."""

import uuid
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.models import Service, ServiceVersion
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.prefill import with_prefill

# Channels a caseworker registers; digital applications come through the resident's own path.
STAFF_CHANNELS = (Channel.PAPER, Channel.EMAIL, Channel.PHONE)
# A paper form or an e-mail is archived as it came: the registration needs its scan.
SCAN_REQUIRED = (Channel.PAPER, Channel.EMAIL)
# The attachments' field key for the scan: no service field can have it (keys start a-z).
SCAN_KEY = "_scan"


def default_expiry():
    return timezone.now() + timedelta(days=settings.DRAFT_LIFETIME_DAYS)


class StaffRegistration(models.Model):
    """A caseworker's unfinished entry of someone else's application: the staff side's draft.

    Kept apart from the resident's Draft, so it never shows in the applicant's "Mine saker";
    the submission and case it becomes are the applicant's, found by their identity number.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    service = models.ForeignKey(Service, models.CASCADE, verbose_name=_("service"))
    service_version = models.ForeignKey(
        ServiceVersion, models.PROTECT, verbose_name=_("service version")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        verbose_name=_("registered by"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    applicant_pid = models.CharField(_("applicant"), max_length=11)
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    # The applicant's language: the case's letters and e-mails are written in it.
    language = models.CharField(_("language"), max_length=5)
    # The day the application reached the municipality: the deadlines run from it.
    received_on = models.DateField(_("received"))
    answers = models.JSONField(_("answers"), default=dict)
    # What the registers answered for the applicant when the registration started (prefill.py).
    prefill = models.JSONField(_("prefilled"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("furthest step"), default=0)
    # The scan of the paper form or the e-mail: [{id, name}], like a file field's answer.
    scan = models.JSONField(_("scan"), default=list, blank=True)
    # Every attachment stored for it, so an abandoned registration leaves no file behind.
    attachment_ids = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff registration")
        verbose_name_plural = _("staff registrations")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["municipality", "staff", "-updated_at"], name="registration_staff")
        ]

    def __str__(self) -> str:
        return str(self.id)

    @cached_property
    def definition(self) -> Definition:
        return with_prefill(self.service_version.definition, self.prefill)

    @property
    def needs_scan(self) -> bool:
        return self.channel in SCAN_REQUIRED

    @property
    def scan_step(self) -> int:
        """The index of the scan page: after the service's own steps."""
        return len(self.definition.steps)

    def touch(self) -> None:
        """Saving a step moves the expiry forward."""
        self.expires_at = default_expiry()
