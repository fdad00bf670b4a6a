"""OpenID Connect login for staff, through the provider a municipality set up (StaffLoginProvider).

The machinery is the residents' (identity/oidc.py): authlib with PKCE (S256), `state` and `nonce`
in the session of the browser that started the flow, the ID token verified against the provider's
JWKS (iss, aud, exp, iat, nonce). What differs is who logs in: the staff account linked to the
provider identity before (issuer + sub), else the one account with a role in the provider's
municipality that has the provider's verified e-mail address. Logging in never creates an
account or a role: an administrator adds people first.

A staff member with an authenticator app is not asked for its code here: the provider does the
strong authentication, and `acr_values` on the provider can demand a level of it.
"""

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import DjangoIntegration
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from servicetorg.accounts.actions import link_staff_identity
from servicetorg.accounts.models import StaffLoginProvider
from servicetorg.accounts.queries import (
    get_identity_for_login,
    get_login_provider_for_login,
    get_staff_user_for_email,
    get_staff_user_for_login,
)
from servicetorg.identity import addresses
from servicetorg.identity.oidc import ClientConfig, fetch_verified_token, get_client, reason_for
from servicetorg.identity.refusals import REASONS, Reason

log = logging.getLogger("servicetorg.accounts")

CLIENT_NAME = "staff"
LOGIN_KEY = "staff_login"  # {"method": "oidc", "provider": id, "id_token": …, "logout_origin": …}
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Reads the flows authlib keeps in the session, before the flow tells which provider it is.
flows = DjangoIntegration(CLIENT_NAME)

REFUSALS = {
    **REASONS,
    "assurance": Reason(
        403,
        _("The login needs a higher security level"),
        _("The login service did not confirm the security level this site asks for."),
    ),
    "unknown-person": Reason(
        403,
        _("You cannot log in here yet"),
        _(
            "Your administrator must add you first: there is no staff account with a role in "
            "this municipality for the person the login service confirmed."
        ),
    ),
    "email": Reason(
        403,
        _("You cannot log in here yet"),
        _(
            "The login service did not confirm your e-mail address, so it cannot be matched to "
            "a staff account. Your administrator must add you first."
        ),
    ),
}


def client_config(request: HttpRequest, provider: StaffLoginProvider) -> ClientConfig:
    return ClientConfig(
        issuer=provider.issuer_for(request),
        client_id=provider.client_id,
        auth_method=provider.client_auth,
        secret=provider.client_secret,
        private_key_path="",
        private_key_id="",
        timeout=settings.IDPORTEN_TIMEOUT_SECONDS,
        scope=provider.scope,
        name=CLIENT_NAME,
    )


def callback_uri(request: HttpRequest) -> str:
    return addresses.installation_url(request) + reverse("accounts:oidc_callback")


def post_logout_uri(request: HttpRequest) -> str:
    return addresses.installation_url(request) + reverse("accounts:logged_out")


def refuse(
    request: HttpRequest,
    reason: str,
    provider: StaffLoginProvider | None = None,
    next_url: str = "",
) -> HttpResponse:
    """One log line (no tokens, no e-mail addresses) and a page that says what to do."""
    log.warning(
        "staff login refused method=oidc provider=%s reason=%s",
        provider.pk if provider else "-",
        reason,
    )
    found = REFUSALS[reason]
    retry = reverse("accounts:login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    context = {
        "reason": reason,
        "title": found.title,
        "text": found.text,
        "retry_url": retry,
    }
    return render(request, "accounts/oidc_refused.html", context, status=found.status)


def start_login(request: HttpRequest, provider: StaffLoginProvider, next_url: str) -> HttpResponse:
    """Send the browser to the provider; remember state, nonce, verifier, provider and next."""
    extra = {"ui_locales": get_language()}
    if provider.acr_values:
        extra["acr_values"] = provider.acr_values
    try:
        client = get_client(client_config(request, provider))
        redirect_uri = callback_uri(request)
        flow = client.create_authorization_url(redirect_uri, **extra)
    except (requests.RequestException, RuntimeError):
        return refuse(request, "unavailable", provider, next_url)
    client.save_authorize_data(
        request, redirect_uri=redirect_uri, provider=provider.pk, next=next_url, **flow
    )
    return HttpResponseRedirect(flow["url"])


def finish_login(request: HttpRequest) -> HttpResponse:
    """Check the provider's answer, find the staff member, log them in with a new session id."""
    state = request.GET.get("state")
    flow = flows.get_state_data(request.session, state)
    if not flow:
        return refuse(request, "state")
    provider = get_login_provider_for_login(flow["provider"])  # disabled since: 404
    next_url = flow.get("next") or reverse("accounts:home")
    if request.GET.get("error"):
        flows.clear_state_data(request.session, state)
        reason = "cancelled" if request.GET["error"] == "access_denied" else "provider"
        return refuse(request, reason, provider, next_url)
    config = client_config(request, provider)
    client = get_client(config)
    try:
        token = fetch_verified_token(request, client, config)
    except (OAuthError, JoseError, requests.RequestException) as error:
        return refuse(request, reason_for(error), provider, next_url)
    end_session = client.server_metadata.get("end_session_endpoint") or ""
    return log_in_from_token(request, provider, token, next_url, end_session)


def log_in_from_token(
    request: HttpRequest,
    provider: StaffLoginProvider,
    token: dict,
    next_url: str,
    end_session: str = "",
) -> HttpResponse:
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        return refuse(request, "claims", provider, next_url)
    if provider.acr_values and claims.get("acr") not in provider.acr_list():
        return refuse(request, "assurance", provider, next_url)
    user, reason = find_staff_user(provider, claims)
    if user is None:
        return refuse(request, reason, provider, next_url)
    login(request, user, backend=MODEL_BACKEND)  # a new session id; the old one is gone
    request.session[LOGIN_KEY] = {
        "method": "oidc",
        "provider": provider.pk,
        "id_token": token.get("id_token", ""),  # id_token_hint at logout
        "logout_origin": addresses.origin(end_session) if end_session else "",
    }
    log.info("staff login method=oidc provider=%s user=%s", provider.pk, user.pk)
    return HttpResponseRedirect(next_url)


def find_staff_user(
    provider: StaffLoginProvider, claims: dict
) -> tuple[AbstractBaseUser | None, str]:
    """The staff member these claims stand for, or None and the reason to refuse.

    An identity linked before wins, even when the e-mail address has changed since; it still
    needs an active account with a role in this municipality. Otherwise a verified e-mail address
    finds the account, and the identity is linked for next time.
    """
    issuer, subject = provider.identity_issuer(), str(claims["sub"])
    identity = get_identity_for_login(issuer, subject)
    if identity is not None:
        user = get_staff_user_for_login(provider.municipality, identity.user_id)
        return (user, "") if user else (None, "unknown-person")
    if "email_verified" in claims and claims["email_verified"] not in (True, "true"):
        return None, "email"
    user = get_staff_user_for_email(provider.municipality, str(claims.get("email") or ""))
    if user is None:
        return None, "unknown-person"
    link_staff_identity(user, issuer=issuer, subject=subject)
    return user, ""


def current_provider(request: HttpRequest) -> StaffLoginProvider | None:
    """The provider this session logged in with, if it did through OpenID Connect."""
    login_data = request.session.get(LOGIN_KEY) or {}
    if login_data.get("method") != "oidc":
        return None
    return StaffLoginProvider.objects.filter(pk=login_data.get("provider")).first()


def logout_redirect(
    request: HttpRequest, provider: StaffLoginProvider, id_token: str
) -> HttpResponse:
    """RP-initiated logout at the provider, when it has an end_session_endpoint."""
    try:
        client = get_client(client_config(request, provider))
        return client.logout_redirect(
            request,
            post_logout_redirect_uri=post_logout_uri(request),
            id_token_hint=id_token or None,
            ui_locales=get_language(),
        )
    except (requests.RequestException, RuntimeError):
        # No end_session_endpoint, or the provider is down: this site's session is over anyway.
        log.info("staff logout at provider skipped provider=%s", provider.pk)
        return HttpResponseRedirect(reverse("accounts:login"))


def allow_logout_redirect(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Let a page's logout form go on to the provider: Chromium applies form-action to redirects.

    The provider's logout address was noted at login, so no page waits for the provider.
    """
    login_data = request.session.get(LOGIN_KEY) or {}
    if login_data.get("method") == "oidc" and login_data.get("logout_origin"):
        response._csp_update = {"form-action": [login_data["logout_origin"]]}  # type: ignore[attr-defined]
    return response
