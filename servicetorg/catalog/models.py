"""Services and their immutable published versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.constants import Category
from servicetorg.catalog.definitions import Definition
from servicetorg.municipalities.models import Municipality


class Service(models.Model):
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="services", verbose_name=_("municipality")
    )
    slug = models.SlugField(_("URL name"), max_length=80)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    published_version = models.ForeignKey(
        "ServiceVersion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    # Folded words of every language's title, summary and keywords, for search.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="service_slug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality.slug}/{self.slug}"

    @property
    def definition(self) -> Definition:
        assert self.published_version is not None
        return self.published_version.definition

    @property
    def title(self) -> str:
        return self.definition.text(self.definition.data["title"], get_language())


class ServiceVersion(models.Model):
    """A published definition. It never changes once saved; a new version is a new row."""

    service = models.ForeignKey(
        Service, models.CASCADE, related_name="versions", verbose_name=_("service")
    )
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("definition"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("A published service version never changes; publish a new one.")
        super().save(*args, **kwargs)

    @property
    def definition(self) -> Definition:
        cached = getattr(self, "_definition", None)
        if cached is None:
            cached = self._definition = Definition(self.document)
        return cached
