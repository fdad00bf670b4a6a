"""Who the resident is, for this session.

Every part of the code asks `current_resident(request)`; only the login code calls
`sign_in_resident`. The demo sign-in and ID-porten's OpenID Connect flow both end there, so the
form code never changes when the login does.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from servicetorg.identity import clock
from servicetorg.identity.assurance import SUBSTANTIAL, clean_level, meets

SESSION_KEY = "resident"
ACTIVITY_KEY = "resident_activity"  # {"since": first request, "seen": latest request}
LOGIN_KEY = "resident_login"  # OpenID Connect details: sub, sid, acr, id_token, issuer


@dataclass(frozen=True)
class Resident:
    pid: str
    name: str


def current_resident(request: HttpRequest) -> Resident | None:
    data = request.session.get(SESSION_KEY)
    return Resident(pid=data["pid"], name=data["name"]) if data else None


def current_level(request: HttpRequest) -> str | None:
    """The assurance level of this session's login, or None when nobody is logged in."""
    data = request.session.get(SESSION_KEY)
    return clean_level(data.get("level")) if data else None


def sign_in_resident(request: HttpRequest, resident: Resident, *, level: str = SUBSTANTIAL) -> None:
    """Start a new session for the resident: a fresh session id, nothing carried over."""
    request.session.flush()
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "pid": resident.pid,
        "name": resident.name,
        "level": clean_level(level),
    }
    now = clock.now()
    request.session[ACTIVITY_KEY] = {"since": now, "seen": now}


def sign_out(request: HttpRequest) -> None:
    """End the session on the server; the provider's session is the login code's business."""
    from servicetorg.identity.models import ResidentSession

    ResidentSession.objects.forget(request.session.session_key)
    request.session.flush()


def login_url(next_url: str, level: str = SUBSTANTIAL) -> str:
    params = {"next": next_url}
    if clean_level(level) != SUBSTANTIAL:
        params["level"] = clean_level(level)
    return f"{reverse('identity:login')}?{urlencode(params)}"


def require_level(request: HttpRequest, level: str) -> HttpResponse | None:
    """Send a resident whose login is weaker than `level` to log in again; None when it is enough.

    A view for a service that needs `high` calls this first:
    `if (response := require_level(request, level_for_service(service.definition))): return response`.
    """
    if current_resident(request) is not None and meets(current_level(request), level):
        return None
    return HttpResponseRedirect(login_url(request.get_full_path(), level=level))


def resident_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a resident who is not signed in to the login page, and back afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        resident = current_resident(request)
        if resident is None:
            return HttpResponseRedirect(login_url(request.get_full_path()))
        request.resident = resident  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
