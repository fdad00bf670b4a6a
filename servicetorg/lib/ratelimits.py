"""Rate limits against automation (ASVS 2.4.1): login, submit, upload and messages.

Counters live in the shared cache (Redis or the database table, see settings.CACHES), so every
app server counts the same requests. Each endpoint counts per client address and, where someone
is logged in, per person; the limits per family come from settings.RATELIMITS.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

log = logging.getLogger("servicetorg.ratelimits")


@dataclass(frozen=True)
class Limited:
    """A limit was passed: the request may be tried again after `retry_after` seconds."""

    family: str
    retry_after: int

    def retry_at(self) -> datetime.datetime:
        return timezone.localtime() + datetime.timedelta(seconds=self.retry_after)

    def message(self) -> str:
        when = formats.time_format(self.retry_at(), "H:i")
        return _("You have tried this many times in a short while. Try again at %(time)s.") % {
            "time": when
        }


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the last entry of the proxy's header if set.

    The last entry is the one the installation's own proxy added; earlier ones are the client's
    word and can be anything.
    """
    header = settings.RATELIMIT_IP_HEADER
    if header:
        meta = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(meta, "").split(",")[-1].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def person_key(request: HttpRequest) -> str:
    """Who is logged in (resident or staff), keyed without the identity number; "" for nobody."""
    from servicetorg.identity.residents import current_resident

    resident = getattr(request, "resident", None)
    if resident is None and hasattr(request, "session"):
        resident = current_resident(request)
    if resident is not None:
        return "resident:" + salted_hmac("ratelimit", resident.pid).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"staff:{user.pk}"
    return ""


def hit(request: HttpRequest, family: str, endpoint: str, person: str = "") -> Limited | None:
    """Count one request to `endpoint`; say how long to wait when a limit of `family` is passed."""
    rates = settings.RATELIMITS[family]
    person = person or person_key(request)
    keys: list[tuple[str, str | Callable]] = [("ip", "ip")]
    if person and rates.get("person"):
        keys.append(("person", lambda group, request: person))
    waits = []
    for scope, key in keys:
        group = f"{family}:{endpoint}:{scope}"
        usage = get_usage(request, group=group, key=key, rate=rates[scope], increment=True)
        if usage and usage["should_limit"]:
            waits.append((scope, max(usage["time_left"], 1)))
    if not waits:
        return None
    retry_after = max(wait for _scope, wait in waits)
    scopes = ",".join(scope for scope, _wait in waits)
    log.warning(
        "rate limit reached family=%s endpoint=%s per=%s retry_after=%d",
        family,
        endpoint,
        scopes,
        retry_after,
    )
    return Limited(family, retry_after)


def mark_limited(response: HttpResponse, limited: Limited) -> HttpResponse:
    """Turn a re-rendered page (the person's input kept) into a 429 with Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(limited.retry_after)
    return response


def too_many(request: HttpRequest, limited: Limited) -> HttpResponse:
    """The friendly page for a request with nothing typed in it to keep."""
    context = {"message": limited.message(), "retry_at": limited.retry_at()}
    return mark_limited(render(request, "ratelimited.html", context), limited)


def ratelimit(family: str, endpoint: str) -> Callable:
    """Limit a view whose request carries nothing typed: answer with the friendly page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if limited := hit(request, family, endpoint):
                return too_many(request, limited)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def say_limited(request: HttpRequest, limited: Limited) -> None:
    """Tell the person on the page that is re-rendered with what they typed."""
    messages.error(request, limited.message())


def hit_message(request: HttpRequest, endpoint: str) -> Limited | None:
    """Count a message; one with files counts as an upload too."""
    limited = hit(request, "message", endpoint)
    if limited is None and request.FILES:
        limited = hit(request, "upload", endpoint)
    return limited
