"""Installation-wide response rules."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("servicetorg.security")


class NoStoreMiddleware:
    """Pages may hold personal data: never cache them unless a view says otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers and not request.path.startswith(
            settings.STATIC_URL
        ):
            response.headers["Cache-Control"] = "no-store"
        return response


class BodySizeMiddleware:
    """Refuse request bodies larger than any form can need, before they are read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = (settings.UPLOAD_MAX_MB * 5 + 1) * 1024 * 1024

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            log.warning("request body refused size=%d path=%s", length, request.path)
            return HttpResponse("Request body too large", status=413, content_type="text/plain")
        return self.get_response(request)
