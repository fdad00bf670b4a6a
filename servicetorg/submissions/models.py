"""Drafts the resident is filling in, the frozen submissions, and their attachments."""

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
from servicetorg.submissions.constants import SERVED_STATUSES, Channel, ScanStatus
from servicetorg.submissions.prefill import with_prefill


def default_expiry():
    return timezone.now() + timedelta(days=settings.DRAFT_LIFETIME_DAYS)


class Draft(models.Model):
    """An unfinished application, resumable from "Mine saker" until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    service = models.ForeignKey(Service, models.CASCADE, verbose_name=_("service"))
    service_version = models.ForeignKey(
        ServiceVersion, models.PROTECT, verbose_name=_("service version")
    )
    owner_pid = models.CharField(_("owner"), max_length=11, db_index=True)
    answers = models.JSONField(_("answers"), default=dict)
    # What the registers answered when the draft started (see prefill.py).
    prefill = models.JSONField(_("prefilled"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("furthest step"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.id)

    @cached_property
    def definition(self) -> Definition:
        return with_prefill(self.service_version.definition, self.prefill)

    def touch(self) -> None:
        """Saving a step moves the expiry forward."""
        self.expires_at = default_expiry()


class Submission(models.Model):
    """A completed form, frozen as submitted, pinned to the service version it was filled in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One draft gives at most one submission, however often it is submitted.
    draft_key = models.UUIDField(_("draft"), unique=True, null=True, blank=True)
    municipality = models.ForeignKey(Municipality, models.PROTECT, verbose_name=_("municipality"))
    service = models.ForeignKey(Service, models.PROTECT, verbose_name=_("service"))
    service_version = models.ForeignKey(
        ServiceVersion, models.PROTECT, verbose_name=_("service version")
    )
    applicant_pid = models.CharField(_("applicant"), max_length=11, db_index=True)
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    answers = models.JSONField(_("answers"))
    prefill = models.JSONField(_("prefilled"), default=dict, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.DIGITAL
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return str(self.id)

    @cached_property
    def definition(self) -> Definition:
        return with_prefill(self.service_version.definition, self.prefill)


class ScannedFile(models.Model):
    """An uploaded file's standing with the virus scanner, and the scanner's outbox fields.

    A new file is pending until the scanner has answered (see scanning.py); only clean and
    unscanned files are handed out. An infected file stays stored, never served (quarantine).
    """

    scan_status = models.CharField(
        _("virus check"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    scanned_at = models.DateTimeField(_("checked for viruses"), null=True, blank=True)
    # The signature found, or why the check failed; never the file's content.
    scan_result = models.CharField(_("virus check result"), max_length=200, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(_("virus check attempts"), default=0)
    scan_next_at = models.DateTimeField(_("next virus check"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def may_be_served(self) -> bool:
        return self.scan_status in SERVED_STATUSES


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Server-generated name; the person's file name is kept only as data.
    return f"attachments/{instance.id.hex[:2]}/{instance.id.hex}"


class Attachment(ScannedFile):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(
        Draft, models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    submission = models.ForeignKey(
        Submission, models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    # Whose it is: who may fetch it at /vedlegg/. Empty while only staff may (a registration).
    owner_pid = models.CharField(_("owner"), max_length=11, db_index=True)
    field_key = models.CharField(_("field"), max_length=100)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["scan_status", "scan_next_at"], name="attachment_scan_due")]

    def __str__(self) -> str:
        return self.name

    def as_answer(self) -> dict:
        return {"id": str(self.id), "name": self.name}
