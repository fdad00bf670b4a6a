"""Cases, their numbers and their timelines."""

import uuid
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.constants import ActorKind, CaseStatus, EventKind
from servicetorg.catalog.models import Service
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.models import Submission


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
    submission = models.OneToOneField(
        Submission, models.PROTECT, related_name="case", verbose_name=_("submission")
    )
    applicant_pid = models.CharField(_("applicant"), max_length=11, db_index=True)
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received"))
    due_date = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "sequence"], name="case_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.year}/{self.sequence:05d}"

    @property
    def is_open(self) -> bool:
        return self.status not in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN, CaseStatus.DECIDED)

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_date


class CaseEvent(models.Model):
    """An entry on the case's timeline; written in the same transaction as the change."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    actor_kind = models.CharField(_("by"), max_length=10, choices=ActorKind.choices)
    actor_name = models.CharField(_("by name"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"
