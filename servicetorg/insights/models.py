"""Daily figures per municipality and service, kept current from the cases, and the gain settings.

The dashboard reads only these tables, never the cases themselves, so it stays fast with millions
of cases. Each row is recomputed from the cases of its day (`aggregation.refresh_day`), so a
row is never "incremented" and can always be rebuilt.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.models import Service
from servicetorg.municipalities.models import Municipality


class FigureCounts(models.Model):
    """The counts of what happened in a stretch of days; shared by the daily and monthly rows."""

    # Applications received, by channel.
    received_digital = models.PositiveIntegerField(default=0)
    received_paper = models.PositiveIntegerField(default=0)
    received_email = models.PositiveIntegerField(default=0)
    received_phone = models.PositiveIntegerField(default=0)
    # Cases whose first decision was sent.
    decided = models.PositiveIntegerField(default=0)
    decided_in_time = models.PositiveIntegerField(default=0)  # on or before the case's due date
    # Days from receipt to decision of the cases decided: {"<days>": count}.
    decision_days = models.JSONField(default=dict)
    # Of the cases decided: how many the caseworker had asked for more information.
    needed_information = models.PositiveIntegerField(default=0)
    # Of the cases decided: the messages exchanged on them, both ways (messages per case).
    decided_messages = models.PositiveIntegerField(default=0)
    # Of the cases decided: how many needed an interim reply, and got one in time.
    interim_needed = models.PositiveIntegerField(default=0)
    interim_in_time = models.PositiveIntegerField(default=0)
    # Messages sent, each way.
    messages_from_staff = models.PositiveIntegerField(default=0)
    messages_from_applicants = models.PositiveIntegerField(default=0)
    # Decision letters delivered digitally (instead of printed and posted).
    letters_digital = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("refreshed"), auto_now=True)

    class Meta:
        abstract = True


class DailyFigures(FigureCounts):
    """What happened on one day (Europe/Oslo) for one service in one municipality."""

    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    service = models.ForeignKey(Service, models.CASCADE, verbose_name=_("service"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "service", "day"], name="daily_figures_unique"
            )
        ]
        indexes = [models.Index(fields=["municipality", "day"], name="daily_figures_day")]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.service_id} {self.day}"


class MonthlyFigures(FigureCounts):
    """One municipality's daily figures summed over a calendar month, all services together.

    Rebuilt from the daily rows by the same refresh (`aggregation.refresh_months`), so comparing
    every municipality of the installation reads a dozen rows each, not thousands (neighbours).
    """

    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    month = models.DateField(_("month"))  # its first day

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="monthly_figures_unique")
        ]
        indexes = [models.Index(fields=["month"], name="monthly_figures_month")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.month}"


class DailyStaffWork(models.Model):
    """Which staff member handled how many cases on one day (a change, note, message or decision)."""

    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("user"))
    day = models.DateField(_("day"))
    cases = models.PositiveIntegerField(_("cases handled"), default=0)

    class Meta:
        verbose_name = _("daily staff work")
        verbose_name_plural = _("daily staff work")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user", "day"], name="daily_staff_work_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.user_id} {self.day}: {self.cases}"


class PendingRefresh(models.Model):
    """A day whose figures a case action changed, written in the action's own transaction and
    rebuilt by `refresh_insights` (every minute with --loop 60). Rows are only ever appended and
    then deleted up to the id a refresh started from, so a mark made during a refresh is kept
    for the next one."""

    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("day to refresh")
        verbose_name_plural = _("days to refresh")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}"


class MunicipalityGains(models.Model):
    """A municipality's cost figures for the gains; defaults in settings.INSIGHTS_DEFAULTS."""

    municipality = models.OneToOneField(
        Municipality, models.CASCADE, related_name="gains", verbose_name=_("municipality")
    )
    hourly_cost_nok = models.PositiveIntegerField(_("cost of one working hour (NOK)"))
    letter_cost_nok = models.DecimalField(
        _("cost of one printed and posted letter (NOK)"), max_digits=8, decimal_places=2
    )

    class Meta:
        verbose_name = _("gain settings")
        verbose_name_plural = _("gain settings")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.hourly_cost_nok} NOK/h"


class ServiceGains(models.Model):
    """Estimated handling minutes of one application of a service, per channel."""

    service = models.OneToOneField(
        Service, models.CASCADE, related_name="gains", verbose_name=_("service")
    )
    minutes_digital = models.PositiveIntegerField(_("minutes, digital"))
    minutes_paper = models.PositiveIntegerField(_("minutes, paper"))
    minutes_email = models.PositiveIntegerField(_("minutes, e-mail"))
    minutes_phone = models.PositiveIntegerField(_("minutes, phone"))

    class Meta:
        verbose_name = _("service gain settings")
        verbose_name_plural = _("service gain settings")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.minutes_paper}/{self.minutes_digital} min"
