"""End a resident's session after RESIDENT_IDLE_MINUTES idle or SESSION_COOKIE_AGE in all.

Django only has the absolute lifetime, and even that slides forward whenever the session is
saved; both limits are kept here from the times recorded at login. Signing out only ends the
session: drafts are rows in the database and stay.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from servicetorg.identity import clock
from servicetorg.identity.residents import ACTIVITY_KEY, SESSION_KEY, sign_out

log = logging.getLogger("servicetorg.identity")

ENDED_KEY = "resident_ended"  # why the last session ended, for the login page
TOUCH_EVERY_SECONDS = 60  # save the session at most once a minute, not on every request


def ended_reason(activity: dict, now: float) -> str | None:
    if now - activity.get("since", 0) > settings.SESSION_COOKIE_AGE:
        return "lifetime"
    if now - activity.get("seen", 0) > settings.RESIDENT_IDLE_MINUTES * 60:
        return "idle"
    return None


class ResidentSessionMiddleware:
    """Sign out a resident who has been away too long; otherwise note that they were here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        now = clock.now()
        activity = request.session.get(ACTIVITY_KEY) or {}
        reason = ended_reason(activity, now)
        if reason:
            sign_out(request)
            request.session[ENDED_KEY] = reason
            log.info("resident session ended reason=%s", reason)
        elif now - activity["seen"] >= TOUCH_EVERY_SECONDS:
            request.session[ACTIVITY_KEY] = {**activity, "seen": now}
