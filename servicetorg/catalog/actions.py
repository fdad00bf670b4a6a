"""Writes to the catalog."""

from django.db import transaction
from django.db.models import Max

from servicetorg.catalog.definitions import validate_document
from servicetorg.catalog.models import Service, ServiceVersion
from servicetorg.municipalities.models import Municipality


@transaction.atomic
def publish_service(municipality: Municipality, document: dict, *, actor=None) -> ServiceVersion:
    """Publish a definition as the service's next version; an unchanged one is not republished."""
    definition = validate_document(document)
    service, _ = Service.objects.select_for_update().get_or_create(
        municipality=municipality,
        slug=document["slug"],
        defaults={"category": document["category"]},
    )
    current = service.published_version
    if current is not None and current.document == document:
        return current
    number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ServiceVersion.objects.create(
        service=service, number=number, document=document, published_by=actor
    )
    service.published_version = version
    service.category = document["category"]
    service.search_text = definition.search_text()
    service.save(update_fields=["published_version", "category", "search_text"])
    return version
