"""Reads of municipalities."""

from django.http import Http404

from servicetorg.municipalities.models import Municipality


def get_municipality_by_slug(slug: str) -> Municipality:
    """Return the active municipality with this URL name, or 404."""
    try:
        return Municipality.objects.get(slug=slug, active=True)
    except Municipality.DoesNotExist:
        raise Http404("No such municipality") from None


def get_municipality_slug_for_host(host: str) -> str | None:
    """Return the slug of the municipality served alone on this host name."""
    if not host:
        return None
    found = (
        Municipality.objects.filter(host=host, active=True)
        .order_by()  # host is unique: no ORDER BY to build on every request
        .values_list("slug", flat=True)[:1]
    )
    return found[0] if found else None


def list_municipalities() -> list[Municipality]:
    return list(Municipality.objects.filter(active=True))
