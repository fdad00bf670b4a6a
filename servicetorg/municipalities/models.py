"""The municipality: the tenant every other row belongs to."""

import functools

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicetorg.municipalities.constants import LanguageForm


def default_appeal_days() -> int:
    return settings.APPEAL_DAYS


class Municipality(models.Model):
    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("URL name"), max_length=50, unique=True)
    host = models.CharField(
        _("host name"), max_length=200, blank=True, help_text=_("Serves this municipality alone.")
    )
    default_language = models.CharField(
        _("default language"), max_length=2, choices=LanguageForm.choices, default=LanguageForm.NB
    )
    accent_color = models.CharField(_("accent colour"), max_length=7, default="#1E5AA0")
    population = models.PositiveIntegerField(_("population"), default=0)
    predecessors = models.CharField(_("predecessors"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Counted from the day a decision is sent: in "Mine saker" it arrives that day.
    appeal_days = models.PositiveSmallIntegerField(
        _("days to appeal"),
        default=default_appeal_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "How long the applicant has to appeal a decision, counted from the day it is sent. "
            "The Public Administration Act (§ 29) gives three weeks."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_static_path(self) -> str:
        return logo_static_path(self.slug)


@functools.lru_cache(maxsize=1024)
def logo_static_path(slug: str) -> str:
    """The municipality's logo among the static files, else the default one. Static files
    change only with a deployment (a new process), so the answer is kept: no file system
    lookup on every page."""
    path = f"municipalities/logos/{slug}.svg"
    return path if staticfiles_storage.exists(path) else "municipalities/logos/default.svg"
