"""Load shedding: a database that does not answer gives a friendly 503, not a 500.

Django turns an exception raised in a middleware or view into a 500 response at the layer
where it happened, so an outer middleware never sees it raised. The `got_request_exception`
signal fires while the exception is being handled; the receiver marks the request, and the
middleware swaps the 500 for this page on the way out. The page is rendered without the
request (no context processors, no session, no municipality lookup): nothing on it may touch
the database.

A resident's posted form step comes back as hidden fields in a form that posts to the same
address, so nothing typed is lost. A saved step is one UPDATE and a submit one transaction
(submit_application), so either all of it is written or nothing, and what was saved before
stays in the draft.

Recovery needs no restart: a broken connection is dropped after the failing request (Django
closes connections that errored), and PostgreSQL connections are checked before reuse
(CONN_HEALTH_CHECKS).
"""

import logging
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils import translation

log = logging.getLogger("servicetorg.availability")

RETRY_AFTER_SECONDS = 30
MARK = "_servicetorg_unavailable"
# The resident's form pages whose posted answers are offered back (URL names).
FORM_VIEWS = {"submissions:step", "submissions:review"}
CSRF_FIELD = "csrfmiddlewaretoken"
# Never written back into a page, whatever form posted them.
SECRET_NAME = re.compile(r"pass|otp|secret|token", re.IGNORECASE)
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
# SQLite's generic error is a bug in a query ("no such table"), not an outage.
SQLITE_BUGS = {"SQLITE_ERROR"}

try:  # PostgreSQL's driver, when installed: its errors can surface outside Django's wrapper.
    import psycopg

    DRIVER_ERRORS: tuple[type[Exception], ...] = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover
    DRIVER_ERRORS = ()


@dataclass(frozen=True)
class KnownMunicipality:
    """What the page's header needs about a municipality, remembered from earlier requests."""

    name: str
    default_language: str
    logo: str


# slug → municipality, filled by this process's successful requests (one per municipality).
KNOWN: dict[str, KnownMunicipality] = {}


class SessionNotSaved(Exception):
    """The session could not be saved because the database did not answer."""


def is_unavailable(exc: BaseException | None) -> bool:
    """True for errors that mean the database cannot be reached or is too busy to answer.

    The chain is followed: Django reports a failed session save as another error.
    """
    for _depth in range(8):
        if exc is None:
            return False
        if _is_outage(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _is_outage(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError)):
        cause = exc.__cause__
        if isinstance(cause, sqlite3.Error):
            return getattr(cause, "sqlite_errorname", "") not in SQLITE_BUGS
        return True
    return isinstance(exc, DRIVER_ERRORS)


def _mark_request(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Called while Django handles an exception: note a database outage on the request."""
    exc = sys.exc_info()[1]
    if request is not None and is_unavailable(exc):
        setattr(request, MARK, exc)


got_request_exception.connect(_mark_request, dispatch_uid="servicetorg.unavailable")


class UnavailableMiddleware:
    """Answer 503 with a "try again" page when the database failed anywhere below."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception as exc:  # only raised when DEBUG_PROPAGATE_EXCEPTIONS is on
            if not is_unavailable(exc):
                raise
            return unavailable_response(request, exc)
        exc = getattr(request, MARK, None)
        if exc is not None:
            return unavailable_response(request, exc)
        remember_municipality(request)
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a session the database could not save is an outage.

    Django reports any failed save of an existing session as an interrupted session (400,
    "the user may have logged out"); the person would lose the page without a word.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except SessionInterrupted as exc:
            if is_unavailable(exc):
                raise SessionNotSaved() from exc
            raise


def remember_municipality(request: HttpRequest) -> None:
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return
    known = KNOWN.get(municipality.slug)
    if known is None or (known.name, known.default_language) != (
        municipality.name,
        municipality.default_language,
    ):
        KNOWN[municipality.slug] = KnownMunicipality(
            municipality.name, municipality.default_language, municipality.logo_static_path
        )


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    view_name = _view_name(request)
    log.warning(
        "database unavailable method=%s view=%s error=%s code=%s",
        request.method,
        view_name or "-",
        type(exc.__cause__ or exc).__name__,
        _error_code(exc),
    )
    remember_municipality(request)  # already loaded when the view itself failed
    municipality = _municipality(request)
    language = choose_language(request, municipality)
    retry = _retry_form(request, view_name)
    context = {
        "municipality": municipality,
        "retry": retry,
        "files_dropped": retry is not None and bool(request.FILES),
        "again_url": request.get_full_path(),
        "was_get": request.method in ("GET", "HEAD"),
        "home_url": _home_url(request),
        "LANG": language,
    }
    with translation.override(language):
        html = get_template("unavailable.html").render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # The page can hold what the person typed: never keep it in any cache.
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


def _error_code(exc: BaseException) -> str:
    """SQLite's error name or PostgreSQL's SQLSTATE: says what failed, holds no personal data."""
    cause = exc.__cause__ or exc
    return (
        getattr(cause, "sqlite_errorname", None)
        or getattr(getattr(cause, "diag", None), "sqlstate", None)
        or "-"
    )


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
    return match.view_name


def _slug(request: HttpRequest) -> str:
    return request.path_info.strip("/").split("/", 1)[0]


def _municipality(request: HttpRequest) -> KnownMunicipality | None:
    """The municipality of the address, as this process last saw it; None if never seen."""
    return KNOWN.get(_slug(request))


def choose_language(request: HttpRequest, municipality: KnownMunicipality | None) -> str:
    """The person's choice, else the municipality's language form, else the browser's, else nb."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in LANGUAGE_CODES:
        return chosen
    if municipality is not None:
        return municipality.default_language
    accepted = translation.get_language_from_request(request)
    return accepted if accepted in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _home_url(request: HttpRequest) -> str:
    slug = _slug(request)
    return f"/{slug}/" if slug in KNOWN else "/"


def _retry_form(request: HttpRequest, view_name: str) -> list[tuple[str, str]] | None:
    """The posted fields to send again, or None when there is no resident's form to repeat."""
    if request.method != "POST" or view_name not in FORM_VIEWS:
        return None
    try:
        posted = request.POST
    except Exception:  # the body could not be read again: offer the page, not the form
        return None
    token = posted.get(CSRF_FIELD)
    if not token:
        return None
    fields = [
        (name, value)
        for name, values in posted.lists()
        if name != CSRF_FIELD and not SECRET_NAME.search(name)
        for value in values
    ]
    return [(CSRF_FIELD, token), *fields]
