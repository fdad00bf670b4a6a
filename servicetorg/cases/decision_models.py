"""Decisions (vedtak): the letter sent to the applicant, stored as PDF/A with the case."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicetorg.cases.models import Case


class Outcome(models.TextChoices):
    # A context of their own: a rejected application (avslag) is not a dismissed one (avvist).
    APPROVE = "approve", pgettext_lazy("decision outcome", "Approved")
    REJECT = "reject", pgettext_lazy("decision outcome", "Rejected")
    PARTIAL = "partial", pgettext_lazy("decision outcome", "Partly approved")


def decision_letter_path(instance: "Decision", filename: str) -> str:
    # Server-generated name, outside any public path; served only by the access-checked views.
    return f"decisions/{instance.id.hex[:2]}/{instance.id.hex}.pdf"


class Decision(models.Model):
    """A decision as sent: the text the caseworker wrote and the letter made from it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="decisions", verbose_name=_("case"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("decision and grounds"), max_length=20000)
    language = models.CharField(_("language"), max_length=5)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    # The caseworker's name as printed in the letter; kept if the user is removed.
    sent_by_name = models.CharField(_("sent by name"), max_length=200)
    letter = models.FileField(_("letter"), upload_to=decision_letter_path, max_length=200)
    appeal_deadline = models.DateField(_("appeal deadline"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["sent_at"]
        # The insights' refresh reads the decisions sent on a range of days.
        indexes = [models.Index(fields=["sent_at"], name="decision_sent")]

    def __str__(self) -> str:
        return f"{self.case} {self.outcome}"

    @property
    def letter_filename(self) -> str:
        """The name the letter is downloaded under: `vedtak-2026-00042.pdf`."""
        return f"vedtak-{self.case.number.replace('/', '-')}.pdf"
