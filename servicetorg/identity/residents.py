"""Who the resident is, for this session.

Every part of the code asks `current_resident(request)`; only the login code calls
`sign_in_resident`. The demo sign-in and, later, ID-porten's OpenID Connect flow both end there,
so the form code never changes when the login does.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "resident"


@dataclass(frozen=True)
class Resident:
    pid: str
    name: str


def current_resident(request: HttpRequest) -> Resident | None:
    data = request.session.get(SESSION_KEY)
    return Resident(pid=data["pid"], name=data["name"]) if data else None


def sign_in_resident(request: HttpRequest, resident: Resident) -> None:
    """Start a new session for the resident: a fresh session id, nothing carried over."""
    request.session.flush()
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"pid": resident.pid, "name": resident.name}


def sign_out(request: HttpRequest) -> None:
    request.session.flush()


def login_url(next_url: str) -> str:
    return f"{reverse('identity:login')}?{urlencode({'next': next_url})}"


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
