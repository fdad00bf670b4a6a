"""Services and their immutable published versions."""

import threading
from collections import OrderedDict
from collections.abc import Callable

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
    # Offered in the installation's shared library for other municipalities to adopt.
    shared = models.BooleanField(_("offered to other municipalities"), default=False)
    # An adopted service points at the service it was copied from, and at the origin's version
    # it last took over: the common base when the origin publishes a new version.
    origin = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    origin_number = models.PositiveIntegerField(_("origin version taken"), null=True, blank=True)
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

    @property
    def working_title(self) -> str:
        """The title of the published version, or of the draft before the first publication."""
        if self.published_version_id:
            return self.title
        draft = getattr(self, "builder_draft", None)
        document = draft.document if draft else {}
        return Definition.text(document.get("title"), get_language()) or self.slug


class DefinitionCache:
    """The parsed definitions of published versions, shared by one process's requests.

    A published version never changes (ServiceVersion.save refuses), so its parsed definition
    can be kept by id and publication time: the catalog, the service page and every form step then skip fetching and
    decoding the whole document (its JSON is most of what they read). Bounded, least recently
    used first out, so a worker's memory stays flat however many services the installation has.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple, Definition] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, version_id: tuple, load: Callable[[], dict]) -> Definition:
        with self.lock:
            found = self.items.get(version_id)
            if found is not None:
                self.items.move_to_end(version_id)
                return found
        found = Definition(load())
        with self.lock:
            self.items[version_id] = found
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return found


DEFINITIONS = DefinitionCache(size=512)


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
        """Queries that only need the definition defer `document` (`WITHOUT_DOCUMENT`): it is
        read from the database only the first time a process needs this version."""
        cached = getattr(self, "_definition", None)
        if cached is None:
            if self.pk is None:
                cached = Definition(self.document)
            else:
                # With the time it was published: an id a rolled-back publish used can be
                # used again (SQLite), a (id, time) pair cannot.
                key = (self.pk, self.published_at)
                cached = DEFINITIONS.get(key, lambda: self.document)
            self._definition = cached
        return cached


class ServiceDraft(models.Model):
    """The service owner's working copy. Publishing copies it into a new, immutable version.

    `history` holds earlier documents for undo, newest last. `revision` grows with every change,
    so a form posted against an older revision is refused instead of overwriting a colleague.
    """

    HISTORY_LENGTH = 30

    service = models.OneToOneField(
        Service, models.CASCADE, related_name="builder_draft", verbose_name=_("service")
    )
    document = models.JSONField(_("definition"))
    history = models.JSONField(_("earlier drafts"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("service draft")
        verbose_name_plural = _("service drafts")

    def __str__(self) -> str:
        return f"{self.service} draft r{self.revision}"
