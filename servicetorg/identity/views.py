"""Log in and out with OpenID Connect: ID-porten, or this installation's TestID in the demo."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from servicetorg.identity import addresses, oidc
from servicetorg.identity.assurance import clean_level
from servicetorg.identity.middleware import ENDED_KEY
from servicetorg.identity.models import ResidentSession
from servicetorg.identity.residents import LOGIN_KEY, login_url, sign_out
from servicetorg.lib.ratelimits import ratelimit

log = logging.getLogger("servicetorg.identity")


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return reverse("cases:mine")


@require_GET
@ratelimit("login", "resident-start")
def login(request: HttpRequest) -> HttpResponse:
    """Start the OpenID Connect login; first say why, when the last session was ended."""
    level = clean_level(request.GET.get("level"))
    ended = request.session.pop(ENDED_KEY, None)
    if ended:
        again = login_url(safe_next(request), level)
        return render(request, "identity/login.html", {"ended": ended, "again": again})
    return oidc.start_login(request, safe_next(request), level)


@require_GET
@ratelimit("login", "resident-callback")
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with `code` and `state`."""
    return oidc.finish_login(request)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End this site's session first, then the provider's (single logout)."""
    login = request.session.get(LOGIN_KEY)
    sign_out(request)
    log.info("resident logout")
    if login and login.get("id_token"):
        return oidc.logout_redirect(request, login)
    return HttpResponseRedirect(reverse("home"))


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser after its logout."""
    return render(request, "identity/logged_out.html")


@require_GET
@xframe_options_exempt
def frontchannel_logout(request: HttpRequest) -> HttpResponse:
    """The provider ended its session (maybe in another tab or service): end ours with that sid.

    Loaded in an invisible frame on the provider's logout page, from any browser: the session is
    found by the provider's `sid`, not by this request's cookie.
    """
    issuer, sid = request.GET.get("iss", ""), request.GET.get("sid", "")
    if not sid or issuer != addresses.issuer(request):
        log.warning("resident frontchannel logout refused reason=unknown-issuer-or-sid")
        return no_store(
            HttpResponse("Unknown issuer or sid", status=400, content_type="text/plain")
        )
    ended = ResidentSession.objects.end(issuer=issuer, sid=sid)
    log.info("resident frontchannel logout sessions=%d", ended)
    response = no_store(HttpResponse("", content_type="text/plain"))
    # Only the provider's logout page may frame this answer.
    response._csp_replace = {"frame-ancestors": [addresses.origin(issuer)]}  # type: ignore[attr-defined]
    return response


@require_GET
def keepalive(request: HttpRequest) -> HttpResponse:
    """Touched by the idle warning's "Stay logged in": the middleware records the activity."""
    return no_store(HttpResponse(status=204))


def no_store(response: HttpResponse) -> HttpResponse:
    response.headers["Cache-Control"] = "no-store"
    return response
