"""Writes of the service builder: drafts, undo, publishing, restoring, sharing and adopting.

A draft is changed only through `change_draft`, which locks the row, refuses a form that was
shown with an older revision (a colleague changed the draft in between), and keeps the old
document for undo. Publishing goes through catalog.actions.publish_service, so a published
version is created the same way for the starter services and for the builder.
"""

import copy
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from servicetorg.catalog.actions import publish_service
from servicetorg.catalog.builder import edits, guards, merge
from servicetorg.catalog.models import Service, ServiceDraft, ServiceVersion
from servicetorg.municipalities.models import Municipality

log = logging.getLogger("servicetorg.builder")


# Paths of the builder itself, never a service's URL name.
RESERVED_SLUGS = {"ny", "bibliotek", "importer"}


class DraftConflict(Exception):
    """The draft changed after the form was shown."""


class NotPublishable(Exception):
    """The guards found problems; `problems` lists them."""

    def __init__(self, problems: list) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class SlugTaken(Exception):
    """The municipality already has a service with this URL name."""


def draft_for(service: Service) -> ServiceDraft:
    """The service's draft, started from its published version when there is none."""
    draft = ServiceDraft.objects.filter(service=service).first()
    if draft is None:
        assert service.published_version is not None
        document = copy.deepcopy(service.published_version.document)
        draft, _created = ServiceDraft.objects.get_or_create(
            service=service, defaults={"document": document}
        )
    return draft


def _locked_draft(service: Service) -> ServiceDraft:
    """The draft, created if needed and locked until the transaction ends."""
    return ServiceDraft.objects.select_for_update().get(pk=draft_for(service).pk)


@transaction.atomic
def create_service(
    municipality: Municipality, *, title: dict, category: str, department: str, actor
) -> Service:
    """A new, unpublished service with one empty step."""
    taken = set(municipality.services.values_list("slug", flat=True)) | RESERVED_SLUGS
    name = title.get("nb") or title.get("nn") or title.get("en") or "tjeneste"
    keys = {slug.replace("-", "_") for slug in taken}
    slug = edits.make_key(name, keys, "tjeneste").replace("_", "-")
    service = Service.objects.create(municipality=municipality, slug=slug, category=category)
    document = edits.blank_document(slug, title, category, department)
    ServiceDraft.objects.create(service=service, document=document, updated_by=actor)
    log.info("service created municipality=%s service=%s by=%s", municipality.slug, slug, actor.pk)
    return service


@transaction.atomic
def change_draft(
    service: Service, revision: int, edit: Callable[[dict], dict], *, actor: AbstractUser
) -> ServiceDraft:
    """Apply one edit to the draft; the old document goes onto the undo history."""
    draft = _locked_draft(service)
    if draft.revision != revision:
        raise DraftConflict()
    new = edit(draft.document)
    if new == draft.document:
        return draft
    draft.history = [*draft.history, draft.document][-ServiceDraft.HISTORY_LENGTH :]
    return _save(draft, new, actor)


def _save(draft: ServiceDraft, document: dict, actor) -> ServiceDraft:
    draft.document = document
    draft.revision += 1
    draft.updated_by = actor
    draft.save()
    return draft


@transaction.atomic
def undo(service: Service, revision: int, *, actor: AbstractUser) -> ServiceDraft:
    draft = _locked_draft(service)
    if draft.revision != revision:
        raise DraftConflict()
    if not draft.history:
        return draft
    *rest, previous = draft.history
    draft.history = rest
    return _save(draft, previous, actor)


def publish_problems(service: Service, document: dict) -> list:
    municipality = service.municipality
    return guards.problems(
        document,
        allow_fallback=settings.BUILDER_ALLOW_LANGUAGE_FALLBACK,
        language=municipality.default_language,
    )


@transaction.atomic
def publish(service: Service, revision: int, *, actor: AbstractUser) -> ServiceVersion:
    """Publish the draft as the next immutable version, if the guards find nothing."""
    draft = _locked_draft(service)
    if draft.revision != revision:
        raise DraftConflict()
    document = {**draft.document, "slug": service.slug}
    found = publish_problems(service, document)
    if found:
        raise NotPublishable(found)
    if settings.BUILDER_ALLOW_LANGUAGE_FALLBACK:
        document = guards.fill_fallback(document, service.municipality.default_language)
    version = publish_service(service.municipality, document, actor=actor)
    log.info(
        "service published municipality=%s service=%s version=%s by=%s",
        service.municipality.slug,
        service.slug,
        version.number,
        actor.pk,
    )
    return version


def restore_version(service: Service, number: int, revision: int, *, actor) -> ServiceDraft:
    """Make an older version the draft again; publishing it creates a new version."""
    old = service.versions.get(number=number).document
    return change_draft(service, revision, lambda _doc: copy.deepcopy(old), actor=actor)


@transaction.atomic
def set_shared(service: Service, shared: bool, *, actor) -> None:
    Service.objects.filter(pk=service.pk).update(shared=shared)
    log.info("service shared=%s service=%s by=%s", shared, service.pk, actor.pk)


@transaction.atomic
def adopt(origin: Service, municipality: Municipality, *, actor) -> Service:
    """Copy a shared service into another municipality, linked to its origin."""
    assert origin.shared and origin.published_version is not None
    if municipality.services.filter(slug=origin.slug).exists():
        raise SlugTaken(origin.slug)
    version = origin.published_version
    service = Service.objects.create(
        municipality=municipality,
        slug=origin.slug,
        category=origin.category,
        origin=origin,
        origin_number=version.number,
    )
    ServiceDraft.objects.create(
        service=service, document=copy.deepcopy(version.document), updated_by=actor
    )
    log.info(
        "service adopted origin=%s municipality=%s by=%s", origin.pk, municipality.slug, actor.pk
    )
    return service


def upstream_version(service: Service) -> ServiceVersion | None:
    """The origin's published version, when it is newer than the one this service took."""
    origin = service.origin
    if origin is None or origin.published_version is None:
        return None
    latest = origin.published_version
    return latest if latest.number != service.origin_number else None


@transaction.atomic
def take_upstream(service: Service, revision: int, *, actor) -> merge.MergeResult:
    """Merge the origin's newest version into the draft, keeping local adjustments."""
    latest = upstream_version(service)
    assert latest is not None
    base = service.origin.versions.get(number=service.origin_number).document
    holder: dict = {}

    def apply(document: dict) -> dict:
        holder["result"] = merge.merge(base, latest.document, document)
        return holder["result"].document

    change_draft(service, revision, apply, actor=actor)
    Service.objects.filter(pk=service.pk).update(origin_number=latest.number)
    log.info(
        "upstream taken service=%s origin_version=%s by=%s", service.pk, latest.number, actor.pk
    )
    return holder["result"]


@transaction.atomic
def import_service(municipality: Municipality, document: dict, *, actor) -> Service:
    """A new unpublished service from an imported definition."""
    slug = document["slug"]
    if municipality.services.filter(slug=slug).exists():
        raise SlugTaken(slug)
    service = Service.objects.create(
        municipality=municipality, slug=slug, category=document["category"]
    )
    ServiceDraft.objects.create(service=service, document=document, updated_by=actor)
    log.info("service imported municipality=%s service=%s by=%s", municipality.slug, slug, actor.pk)
    return service
