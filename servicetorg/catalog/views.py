"""The public catalog: the installation's front page, a municipality's services, one service."""

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from servicetorg.catalog.constants import Category
from servicetorg.catalog.queries import (
    get_service_for_public,
    list_services_for_public,
    search_services_for_public,
)
from servicetorg.lib.pagecache import public_page
from servicetorg.municipalities.queries import list_municipalities


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {"municipalities": list_municipalities()})


def by_category(services: list) -> list[tuple[str, list]]:
    order = {value: i for i, value in enumerate(Category.values)}
    ordered = sorted(services, key=lambda s: (order.get(s.category, 99), s.title))
    return [
        (Category(category).label, list(group))
        for category, group in groupby(ordered, key=lambda s: s.category)
    ]


@require_GET
@public_page
def front(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    municipality = request.municipality  # type: ignore[attr-defined]
    if query:
        results = search_services_for_public(municipality, query)
        context = {"query": query, "results": results}
    else:
        context = {"categories": by_category(list_services_for_public(municipality))}
    return render(request, "catalog/front.html", context)


@require_GET
@public_page
def service(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_service_for_public(request.municipality, slug)  # type: ignore[attr-defined]
    definition = found.definition
    lang = get_language()
    texts = {
        name: definition.t(name, lang)
        for name in ("title", "summary", "who_can_apply", "what_you_need", "what_happens_next")
    }
    fee = definition.data.get("fee") or {}
    context = {
        "service": found,
        "texts": texts,
        "fee_text": definition.text(fee.get("text"), lang),
        "definition": definition,
        "step_titles": [definition.text(s["title"], lang) for s in definition.steps],
    }
    return render(request, "catalog/service.html", context)


@require_GET
@cache_control(max_age=3600, public=True)
def theme(request: HttpRequest) -> HttpResponse:
    """The municipality's accent colour, as a stylesheet (no inline styles under the CSP)."""
    color = request.municipality.accent_color  # type: ignore[attr-defined]
    css = f":root{{--st-accent:{color};}}\n"
    return HttpResponse(css, content_type="text/css")
