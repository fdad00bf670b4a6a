"""Whole public pages kept in each worker's memory, for visitors who are not logged in.

A view whose page is the same for everyone who is not logged in (the catalog, a service page)
says so with `@public_page`. The first such visitor's response, with the headers every
middleware added, is kept in the worker; the next visitors get a copy without the request
reaching the database, the templates or any other middleware. The key is the address, the
language cookie and whether the browser takes gzip.

Nothing personal can be kept: only GET requests that carry no cookies other than the language
and CSRF cookies are looked up or kept, and a response is kept only if it set no cookie and
its page holds no CSRF token. The kept pages are forgotten when the catalog or a municipality
changes (lib/changes.py: at once in the worker that made the change, within
CHANGES_CHECK_SECONDS in the others), and expire after PAGE_CACHE_SECONDS in any case.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from servicetorg.lib import changes

ALLOWED_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}

Key = tuple[str, str, str, str, bool]


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's successful pages as the same for every visitor who is not logged in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.public_page = response.status_code == 200  # type: ignore[attr-defined]
        return response

    return wrapped


class Kept:
    """A response as it left the middleware, to be handed out again as a copy."""

    __slots__ = ("status", "content", "headers", "generation", "until")

    def __init__(self, response: HttpResponse, generation: int, until: float) -> None:
        self.status = response.status_code
        self.content = response.content
        self.headers = list(response.headers.items())
        self.generation = generation
        self.until = until

    def response(self) -> HttpResponse:
        copy = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            copy.headers[name] = value
        return copy


class Pages:
    """The worker's kept pages: the least recently used go first when there are too many.

    Locked, for servers that run several threads in a worker."""

    def __init__(self) -> None:
        self.kept: OrderedDict[Key, Kept] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Key, generation: int) -> Kept | None:
        with self.lock:
            kept = self.kept.get(key)
            if kept is None:
                return None
            if kept.generation != generation or kept.until < time.monotonic():
                del self.kept[key]
                return None
            self.kept.move_to_end(key)
            return kept

    def put(self, key: Key, kept: Kept) -> None:
        with self.lock:
            self.kept[key] = kept
            self.kept.move_to_end(key)
            while len(self.kept) > settings.PAGE_CACHE_ENTRIES:
                self.kept.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()


pages = Pages()


def lookup_key(request: HttpRequest) -> Key | None:
    """The key of a request that may be answered from the kept pages, or None."""
    if request.method != "GET" or not settings.PAGE_CACHE_ENTRIES:
        return None
    if any(name not in ALLOWED_COOKIES for name in request.COOKIES):
        return None
    return (
        request.scheme,
        request.META.get("HTTP_HOST", ""),
        request.get_full_path(),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""),
    )


def may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        getattr(response, "public_page", False)
        and not response.streaming
        and not response.cookies
        # The page holds a CSRF token (tied to this visitor's cookie): never hand it to others.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class PageCacheMiddleware:
    """Answer from the kept pages; keep the public pages that may be kept. Outermost."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = lookup_key(request)
        if key is None:
            return self.get_response(request)
        generation = changes.generation.current()
        kept = pages.get(key, generation)
        if kept is not None:
            return kept.response()
        response = self.get_response(request)
        if may_keep(request, response):
            until = time.monotonic() + settings.PAGE_CACHE_SECONDS
            pages.put(key, Kept(response, generation, until))
        return response
