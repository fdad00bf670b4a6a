"""`{% idle_warning %}`: the idle-logout warning for a logged-in resident (in base.html)."""

from django import template
from django.conf import settings

from servicetorg.identity import clock
from servicetorg.identity.residents import ACTIVITY_KEY, SESSION_KEY

register = template.Library()

WARN_SECONDS = 120


@register.inclusion_tag("identity/_idle_warning.html", takes_context=True)
def idle_warning(context: template.Context) -> dict:
    """Seconds until the warning shows, counted from the server's record of the last request."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return {"show": False}
    seen = (session.get(ACTIVITY_KEY) or {}).get("seen", clock.now())
    remaining = seen + settings.RESIDENT_IDLE_MINUTES * 60 - clock.now()
    return {
        "show": True,
        "warn_in": max(int(remaining) - WARN_SECONDS, 0),
        "full_wait": settings.RESIDENT_IDLE_MINUTES * 60 - WARN_SECONDS,
        "request": request,
    }
