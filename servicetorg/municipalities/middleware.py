"""Resolve the municipality once per request and choose the language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from servicetorg.municipalities.actions import RESERVED_SLUGS
from servicetorg.municipalities.queries import (
    get_municipality_by_slug,
    get_municipality_slug_for_host,
)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class MunicipalityMiddleware:
    """Set `request.municipality` from the URL prefix (`/molde/…`) or the host name.

    A municipality with its own host name is served at `/`: the path is rewritten to the
    prefixed form so that one URL configuration serves both.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = None  # type: ignore[attr-defined]
        host_slug = get_municipality_slug_for_host(request.get_host().split(":")[0])
        first = request.path_info.strip("/").split("/", 1)[0]
        # The installation's own pages and already-prefixed links are left as they are.
        if host_slug and first not in RESERVED_SLUGS and first != host_slug:
            request.path_info = f"/{host_slug}{request.path_info}"
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: dict[str, Any]
    ) -> None:
        slug = kwargs.pop("municipality", None)
        if slug is not None:
            request.municipality = get_municipality_by_slug(slug)  # type: ignore[attr-defined]


def choose_language(request: HttpRequest) -> str:
    """The person's choice, else the municipality's language form, else bokmål."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in LANGUAGE_CODES:
        return chosen
    municipality = getattr(request, "municipality", None)
    if municipality is not None:
        return municipality.default_language
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activate the language once the municipality is known (after URL resolution)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Start from the person's choice or the default, so nothing carries over between requests.
        translation.activate(choose_language(request))
        try:
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
        finally:
            translation.deactivate()
        return response

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: dict[str, Any]
    ) -> None:
        language = choose_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
