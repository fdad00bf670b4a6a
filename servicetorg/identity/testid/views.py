"""TestID: a small OpenID Connect provider with synthetic people, shaped like ID-porten.

A staff client (the demo's staff login, clients.py) is offered the demo staff instead, and gets
e-mail and name instead of an identity number, as from Ansattporten or a municipality's Entra ID.

For the demo, development and tests only: every view is a 404 unless TESTID_ENABLED, and the
settings refuse TESTID_ENABLED outside the demo.
"""

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps

from authlib.common.urls import add_params_to_uri
from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicetorg.accounts.demo import list_demo_staff
from servicetorg.identity import clock
from servicetorg.identity.addresses import testid_issuer
from servicetorg.identity.assurance import ACR_VALUES, SUBSTANTIAL
from servicetorg.identity.testid import tokens
from servicetorg.identity.testid.clients import get_client, uri_allowed
from servicetorg.identity.testid.keys import public_jwks
from servicetorg.identity.testid.models import AuthorizationCode
from servicetorg.identity.testid.people import find_person, find_staff, search_people
from servicetorg.lib.idnumbers import is_synthetic_fnr, is_valid_fnr
from servicetorg.lib.ratelimits import hit, mark_limited, say_limited

log = logging.getLogger("servicetorg.identity")

CODE_SECONDS = 60
PEOPLE_SHOWN = 12
AUTH_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "ui_locales",
)
ACRS = tuple(ACR_VALUES.values())


def testid_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Disabled means 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.TESTID_ENABLED:
            raise Http404("TestID is off")
        return view(request, *args, **kwargs)

    return wrapper


def now_utc() -> datetime:
    return datetime.fromtimestamp(clock.now(), tz=UTC)


@require_GET
@testid_only
def discovery(request: HttpRequest) -> HttpResponse:
    issuer = testid_issuer(request)
    document = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/jwks",
        "end_session_endpoint": f"{issuer}/logout",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "profile", "email"],
        "claims_supported": [
            "iss",
            "aud",
            "sub",
            "pid",
            "acr",
            "amr",
            "nonce",
            "sid",
            "locale",
            "name",
            "email",
            "email_verified",
        ],
        "acr_values_supported": list(ACRS),
        "ui_locales_supported": ["nb", "nn", "en", "se"],
        "frontchannel_logout_supported": True,
        "frontchannel_logout_session_supported": True,
    }
    return public_json(document)


@require_GET
@testid_only
def jwks(request: HttpRequest) -> HttpResponse:
    return public_json(public_jwks())


def public_json(data: dict) -> HttpResponse:
    response = JsonResponse(data)
    response.headers["Cache-Control"] = "public, max-age=600"
    return response


def request_problem(data: QueryDict) -> str | None:
    """What is wrong with an authorization request, once client and redirect_uri are known."""
    if data.get("response_type") != "code":
        return "response_type must be code"
    if "openid" not in data.get("scope", "").split():
        return "scope must include openid"
    if not data.get("state") or not data.get("nonce"):
        return "state and nonce are required"
    if data.get("code_challenge_method") != "S256" or len(data.get("code_challenge", "")) != 43:
        return "PKCE with S256 is required"
    if not set(data.get("acr_values", "").split()) <= set(ACRS):
        return "unknown acr_values"
    return None


def error_redirect(data: QueryDict, error: str, description: str) -> HttpResponse:
    params = [("error", error), ("error_description", description), ("state", data["state"])]
    return HttpResponseRedirect(add_params_to_uri(data["redirect_uri"], params))


@require_http_methods(["GET", "POST"])
@testid_only
def authorize(request: HttpRequest) -> HttpResponse:
    """The login page: pick or type a synthetic person, choose the assurance level."""
    data = request.POST if request.method == "POST" else request.GET
    client = get_client(data.get("client_id", ""), request)
    if client is None or not uri_allowed(data.get("redirect_uri", ""), client.redirect_uris):
        # Never redirect to an address the client did not register.
        log.warning("testid authorize refused reason=unknown-client-or-redirect-uri")
        return render(request, "testid/error.html", status=400)
    problem = request_problem(data)
    if problem:
        log.warning("testid authorize refused reason=invalid-request")
        return error_redirect(data, "invalid_request", problem)
    if request.method == "GET":
        return staff_page(request, data) if client.staff else login_page(request, data)
    if "cancel" in data:
        return error_redirect(data, "access_denied", "The person cancelled the login")
    if limited := hit(request, "login", "testid"):
        # The page again, with the person picked or typed still there.
        say_limited(request, limited)
        page = staff_page if client.staff else login_page
        return mark_limited(page(request, data), limited)
    return log_in_staff(request, data) if client.staff else log_in(request, data)


def page_context(data: QueryDict, error: str) -> dict:
    """What both login pages carry: the request's parameters and the assurance level."""
    requested = [acr for acr in data.get("acr_values", "").split() if acr in ACRS]
    return {
        "params": [(name, data[name]) for name in AUTH_PARAMS if data.get(name)],
        "acrs": ACRS,
        "chosen_acr": data.get("acr") or (requested[0] if requested else ACR_VALUES[SUBSTANTIAL]),
        "error": error,
    }


def login_page(
    request: HttpRequest, data: QueryDict, error: str = "", status: int = 200
) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    context = {
        **page_context(data, error),
        "people": search_people(query, PEOPLE_SHOWN),
        "query": query,
        "typed": data.get("pid", ""),
    }
    return render(request, "testid/authorize.html", context, status=status)


def staff_page(
    request: HttpRequest, data: QueryDict, error: str = "", status: int = 200
) -> HttpResponse:
    """The demo staff of every municipality, grouped by municipality."""
    context = {**page_context(data, error), "staff": list_demo_staff()}
    return render(request, "testid/authorize_staff.html", context, status=status)


def chosen_pid(data: QueryDict) -> str | None:
    """The person picked from the list, or a valid synthetic number typed in."""
    if data.get("person"):
        person = find_person(data["person"])
        return person.pid if person else None
    typed = data.get("pid", "").strip().replace(" ", "")
    if is_synthetic_fnr(typed) and is_valid_fnr(typed, allow_synthetic=True):
        return typed
    return None


def log_in(request: HttpRequest, data: QueryDict) -> HttpResponse:
    pid = chosen_pid(data)
    acr = data.get("acr", ACR_VALUES[SUBSTANTIAL])
    if pid is None or acr not in ACRS:
        return login_page(request, data, error="person", status=400)
    return issue_code(request, data, acr, pid=pid)


def log_in_staff(request: HttpRequest, data: QueryDict) -> HttpResponse:
    person = find_staff(data.get("staff", ""))
    acr = data.get("acr", ACR_VALUES[SUBSTANTIAL])
    if person is None or acr not in ACRS:
        return staff_page(request, data, error="person", status=400)
    return issue_code(request, data, acr, staff_username=person.username)


def issue_code(
    request: HttpRequest, data: QueryDict, acr: str, *, pid: str = "", staff_username: str = ""
) -> HttpResponse:
    """A one-time code for the person chosen, sent back to the client's redirect URI."""
    code, code_hash = tokens.new_code()
    now = now_utc()
    AuthorizationCode.objects.filter(created_at__lt=now - timedelta(hours=1)).delete()
    AuthorizationCode.objects.create(
        code_hash=code_hash,
        client_id=data["client_id"],
        redirect_uri=data["redirect_uri"],
        code_challenge=data["code_challenge"],
        nonce=data["nonce"],
        issuer=testid_issuer(request),
        pid=pid,
        staff_username=staff_username,
        acr=acr,
        sid=secrets.token_urlsafe(16),
        locale=(data.get("ui_locales", "nb").split() or ["nb"])[0],
        created_at=now,
    )
    log.info("testid login acr=%s", acr)
    params = [("code", code), ("state", data["state"])]
    return HttpResponseRedirect(add_params_to_uri(data["redirect_uri"], params))


def oauth_error(error: str, status: int = 400) -> HttpResponse:
    log.warning("testid token refused reason=%s", error)
    response = JsonResponse({"error": error}, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # called server to server with client authentication; no browser, no cookie
@require_POST
@testid_only
def token(request: HttpRequest) -> HttpResponse:
    """Exchange a one-time code (60 s, PKCE-bound) for an ID token."""
    issuer = testid_issuer(request)
    client = tokens.authenticate_client(request, f"{issuer}/token", issuer)
    if client is None:
        return oauth_error("invalid_client", status=401)
    if request.POST.get("grant_type") != "authorization_code":
        return oauth_error("unsupported_grant_type")
    now = now_utc()
    code = AuthorizationCode.objects.use(
        tokens.hash_code(request.POST.get("code", "")),
        issued_after=now - timedelta(seconds=CODE_SECONDS),
        now=now,
    )
    if not grant_ok(request, code, client.client_id):
        return oauth_error("invalid_grant")
    person = tokens.person_claims(code)
    if person is None:
        return oauth_error("invalid_grant")
    id_token = tokens.sign(tokens.id_token_claims(code, int(now.timestamp()), person))
    answer = {
        "access_token": secrets.token_urlsafe(32),
        "token_type": "Bearer",
        "expires_in": tokens.ID_TOKEN_SECONDS,
        "scope": "openid",
        "id_token": id_token,
    }
    response = JsonResponse(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


def grant_ok(request: HttpRequest, code: AuthorizationCode | None, client_id: str) -> bool:
    """The code is fresh and unused, and was issued to this client, redirect URI and verifier."""
    return (
        code is not None
        and code.client_id == client_id
        and code.redirect_uri == request.POST.get("redirect_uri")
        and tokens.pkce_ok(request.POST.get("code_verifier", ""), code.code_challenge)
    )


@require_GET
@testid_only
def logout(request: HttpRequest) -> HttpResponse:
    """End session: check id_token_hint and post_logout_redirect_uri, then send the browser back."""
    hint = tokens.verify_own_token(request.GET.get("id_token_hint", ""), testid_issuer(request))
    target = request.GET.get("post_logout_redirect_uri", "")
    if hint is None:
        log.warning("testid logout refused reason=invalid-id-token-hint")
        return render(request, "testid/logged_out.html", {"refused": True}, status=400)
    client = get_client(str(hint.get("aud", "")), request)
    if client is None or not target or not uri_allowed(target, client.post_logout_redirect_uris):
        log.warning("testid logout without redirect reason=unregistered-post-logout-uri")
        return render(request, "testid/logged_out.html")
    log.info("testid logout")
    state = request.GET.get("state")
    return HttpResponseRedirect(add_params_to_uri(target, [("state", state)] if state else []))
