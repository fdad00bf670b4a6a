"""Reads of the service builder, scoped to the staff member's municipality."""

from django.db.models import QuerySet
from django.http import Http404

from servicetorg.catalog.models import Service, ServiceVersion
from servicetorg.municipalities.models import Municipality


def list_services_for_builder(municipality: Municipality) -> list[Service]:
    services = Service.objects.filter(municipality=municipality).select_related(
        "published_version", "builder_draft", "origin__municipality"
    )
    return sorted(services, key=lambda s: s.working_title.lower())


def get_service_for_builder(municipality: Municipality, slug: str) -> Service:
    """A service of this municipality; 404 for one that is missing or another's."""
    try:
        return Service.objects.select_related(
            "published_version", "municipality", "origin__municipality", "origin__published_version"
        ).get(municipality=municipality, slug=slug)
    except Service.DoesNotExist:
        raise Http404("No such service") from None


def list_versions(service: Service) -> QuerySet[ServiceVersion]:
    return service.versions.select_related("published_by").order_by("-number")


def get_version(service: Service, number: int) -> ServiceVersion:
    try:
        return service.versions.get(number=number)
    except ServiceVersion.DoesNotExist:
        raise Http404("No such version") from None


def list_library(municipality: Municipality) -> list[Service]:
    """Published services other municipalities offer to share."""
    services = (
        Service.objects.filter(shared=True, published_version__isnull=False)
        .exclude(municipality=municipality)
        .select_related("published_version", "municipality")
    )
    return sorted(services, key=lambda s: (s.title.lower(), s.municipality.name))


def get_shared_service(service_id: int) -> Service:
    """A service in the shared library, by id (its existence is public to staff)."""
    try:
        return Service.objects.select_related("published_version", "municipality").get(
            pk=service_id, shared=True, published_version__isnull=False
        )
    except Service.DoesNotExist:
        raise Http404("No such shared service") from None
