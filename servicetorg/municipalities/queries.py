"""Reads of municipalities."""

import copy

from django.http import Http404

from servicetorg.lib import changes
from servicetorg.municipalities.models import Municipality

MAX_HOSTS = 1000
NOT_KEPT = object()


class Known:
    """The active municipalities, read once per catalog generation (lib/changes.py).

    Every request needs its municipality, and most come with a host name that is not one;
    both answers are kept in the worker until a municipality changes.
    """

    def __init__(self) -> None:
        self.generation: int | None = None
        self.by_slug: dict[str, Municipality] = {}
        self.by_host: dict[str, str | None] = {}

    def fresh(self) -> "Known":
        current = changes.generation.current()
        if current != self.generation:
            self.forget()
            self.generation = current
        return self

    def forget(self) -> None:
        self.generation = None
        self.by_slug.clear()
        self.by_host.clear()


known = Known()


def get_municipality_by_slug(slug: str) -> Municipality:
    """Return the active municipality with this URL name, or 404."""
    kept = known.fresh().by_slug
    found = kept.get(slug)
    if found is None:
        found = Municipality.objects.filter(slug=slug, active=True).first()
        if found is None:  # not kept: any address can be asked for
            raise Http404("No such municipality")
        kept[slug] = found
    # A copy: a view may change its municipality (a form that fails) without the next seeing it.
    return copy.copy(found)


def get_municipality_slug_for_host(host: str) -> str | None:
    """Return the slug of the municipality served alone on this host name."""
    if not host:
        return None
    kept = known.fresh().by_host
    slug = kept.get(host, NOT_KEPT)
    if slug is NOT_KEPT:
        found = (
            Municipality.objects.filter(host=host, active=True)
            .order_by()  # host is unique
            .values_list("slug", flat=True)[:1]
        )
        if len(kept) >= MAX_HOSTS:  # the host header is the client's word
            kept.clear()
        slug = kept[host] = found[0] if found else None
    return slug


def list_municipalities() -> list[Municipality]:
    return list(Municipality.objects.filter(active=True))
