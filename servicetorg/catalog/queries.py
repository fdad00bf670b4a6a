"""Reads of the catalog: only published services of the municipality asked for."""

from django.db.models import QuerySet
from django.http import Http404

from servicetorg.catalog.definitions import fold
from servicetorg.catalog.models import Service
from servicetorg.municipalities.models import Municipality


def _published(municipality: Municipality) -> QuerySet[Service]:
    return (
        Service.objects.filter(municipality=municipality, published_version__isnull=False)
        .select_related("published_version", "municipality")
        .defer("published_version__document")
    )


def list_services_for_public(municipality: Municipality) -> list[Service]:
    return list(_published(municipality))


def search_services_for_public(municipality: Municipality, query: str) -> list[Service]:
    """Services whose title, summary or keywords hold every word, forgiving case and æøå."""
    services = _published(municipality)
    for word in fold(query).split()[:8]:
        services = services.filter(search_text__contains=word)
    return list(services)


def get_service_for_public(municipality: Municipality, slug: str) -> Service:
    try:
        return _published(municipality).get(slug=slug)
    except Service.DoesNotExist:
        raise Http404("No such service") from None
