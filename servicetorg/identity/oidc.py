"""OpenID Connect client for ID-porten (and for TestID in the demo and the tests).

Authorization code flow with PKCE (S256), `state` and `nonce`. authlib keeps all three in the
server-side session of the browser that started the flow and verifies the ID token (signature
against the provider's JWKS, iss, aud, exp, iat, nonce). This module adds what ID-porten asks of
its clients: `acr_values` per service and a check of the `acr` that comes back.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from authlib.integrations.django_client.apps import DjangoOAuth2App
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import RSAKey

from servicetorg.identity import addresses, clock
from servicetorg.identity.assurance import acr_for, level_for_acr, meets
from servicetorg.identity.models import ResidentSession
from servicetorg.identity.refusals import refuse
from servicetorg.identity.residents import LOGIN_KEY, Resident, sign_in_resident
from servicetorg.lib.idnumbers import is_valid_fnr

log = logging.getLogger("servicetorg.identity")

CLIENT_NAME = "idporten"
LEEWAY_SECONDS = 30  # clock skew allowed on exp/iat; authlib's default (120 s) is generous
ASSERTION_SECONDS = 60  # ID-porten accepts client assertions that live at most 120 s
CLAIM_REASONS = {"aud": "audience", "azp": "audience", "iss": "issuer", "nonce": "nonce"}


@dataclass(frozen=True)
class ClientConfig:
    issuer: str
    client_id: str
    auth_method: str
    secret: str
    private_key_path: str
    private_key_id: str
    timeout: int
    scope: str = "openid"
    # authlib keeps each flow in the session under `_state_<name>_<state>`: one name per kind of
    # login, so a resident's callback never finds a staff member's flow and the other way round.
    name: str = CLIENT_NAME


def client_config(request: HttpRequest) -> ClientConfig:
    issuer = addresses.issuer(request)
    if not issuer or not settings.IDPORTEN_CLIENT_ID:
        raise ImproperlyConfigured("Set IDPORTEN_ISSUER and IDPORTEN_CLIENT_ID (or TESTID_ENABLED)")
    return ClientConfig(
        issuer=issuer,
        client_id=settings.IDPORTEN_CLIENT_ID,
        auth_method=settings.IDPORTEN_CLIENT_AUTH,
        secret=settings.IDPORTEN_CLIENT_SECRET,
        private_key_path=settings.IDPORTEN_PRIVATE_KEY_PATH,
        private_key_id=settings.IDPORTEN_PRIVATE_KEY_ID,
        timeout=settings.IDPORTEN_TIMEOUT_SECONDS,
    )


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """private_key_jwt with a fresh, short-lived assertion and the key's `kid` in the header."""

    def sign(self, auth: Any, token_endpoint: str) -> str:
        return private_key_jwt_sign(
            auth.client_secret,
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            header=dict(self.headers or {}),
            alg=self.alg,
            expires_in=ASSERTION_SECONDS,
        )


def read_private_key(path: str) -> RSAKey:
    """The client's private key from a PEM file or a JWK (JSON) file."""
    text = Path(path).read_text(encoding="utf-8")
    return RSAKey.import_key(json.loads(text) if text.lstrip().startswith("{") else text)


_clients: dict[ClientConfig, tuple[float, DjangoOAuth2App]] = {}


def get_client(config: ClientConfig) -> DjangoOAuth2App:
    """One client per configuration, rebuilt daily: discovery and JWKS are cached with it."""
    cached = _clients.get(config)
    if cached and clock.now() - cached[0] < settings.IDPORTEN_METADATA_CACHE_SECONDS:
        return cached[1]
    client = build_client(config)
    _clients[config] = (clock.now(), client)
    return client


def build_client(config: ClientConfig) -> DjangoOAuth2App:
    secret: str | RSAKey = config.secret
    auth_methods = None
    if config.auth_method == "private_key_jwt":
        secret = read_private_key(config.private_key_path)
        kid = config.private_key_id or secret.kid
        # ID-porten wants its issuer, not the token endpoint, as the assertion's audience.
        auth_methods = [
            ShortLivedPrivateKeyJWT(
                token_endpoint=config.issuer, headers={"kid": kid} if kid else None
            )
        ]
    oauth = OAuth()
    oauth.register(
        config.name,
        client_id=config.client_id,
        client_secret=secret,
        # OpenID Connect Discovery: an issuer's trailing slash is dropped before the path.
        server_metadata_url=f"{config.issuer.rstrip('/')}/.well-known/openid-configuration",
        client_auth_methods=auth_methods,
        client_kwargs={
            "scope": config.scope,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": config.auth_method,
            # A provider that does not answer must not hold a worker: fail fast, show a page.
            "default_timeout": config.timeout,
        },
    )
    return oauth.create_client(config.name)


def start_login(request: HttpRequest, next_url: str, level: str) -> HttpResponse:
    """Send the browser to the provider; remember state, nonce, verifier, next and level."""
    try:
        client = get_client(client_config(request))
        redirect_uri = addresses.callback_uri(request)
        flow = client.create_authorization_url(
            redirect_uri, acr_values=acr_for(level), ui_locales=get_language()
        )
    except requests.RequestException:
        return refuse(request, "unavailable", next_url=next_url, level=level)
    # authlib stores the flow in request.session under the state: this browser only.
    client.save_authorize_data(
        request, redirect_uri=redirect_uri, next=next_url, level=level, **flow
    )
    return HttpResponseRedirect(flow["url"])


def finish_login(request: HttpRequest) -> HttpResponse:
    """Check the provider's answer, then sign the resident in with a new session."""
    config = client_config(request)
    client = get_client(config)
    flow = client.framework.get_state_data(request.session, request.GET.get("state"))
    if not flow:
        return refuse(request, "state")
    next_url, level = flow.get("next") or "/", flow.get("level")
    if request.GET.get("error"):
        client.framework.clear_state_data(request.session, request.GET.get("state"))
        reason = "cancelled" if request.GET["error"] == "access_denied" else "provider"
        return refuse(request, reason, next_url=next_url, level=level)
    try:
        token = fetch_verified_token(request, client, config)
    except (OAuthError, JoseError, requests.RequestException) as error:
        return refuse(request, reason_for(error), next_url=next_url, level=level)
    return sign_in_from_token(request, config, token, next_url=next_url, level=level)


def fetch_verified_token(
    request: HttpRequest, client: DjangoOAuth2App, config: ClientConfig
) -> dict:
    """Exchange the code (one use, PKCE) and verify the ID token; the state is used up here."""
    # Spelled out: without an `aud` option authlib would only compare `azp` with the client id.
    claims_options = {
        "iss": {"essential": True, "value": config.issuer},
        "aud": {"essential": True, "value": config.client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }
    return client.authorize_access_token(
        request, claims_options=claims_options, leeway=LEEWAY_SECONDS
    )


def reason_for(error: Exception) -> str:
    """Which refusal an error from authlib, joserfc or requests stands for."""
    if isinstance(error, MismatchingStateError):
        return "state"
    if isinstance(error, OAuthError):
        return "code" if error.error == "invalid_grant" else "provider"
    if isinstance(error, requests.RequestException):
        return "unavailable"
    if isinstance(error, ExpiredTokenError):
        return "expired"
    if isinstance(error, ClaimError):
        return CLAIM_REASONS.get(error.claim, "claims")
    # What is left (bad signature, unknown kid, not a JWT) means it was not the provider's.
    return "signature"


def sign_in_from_token(
    request: HttpRequest, config: ClientConfig, token: dict, *, next_url: str, level: str
) -> HttpResponse:
    claims = token.get("userinfo")
    if not claims:
        return refuse(request, "claims", next_url=next_url, level=level)
    got = level_for_acr(claims.get("acr"))
    if not meets(got, level):
        return refuse(request, "assurance", next_url=next_url, level=level)
    pid = claims.get("pid") or ""
    if not is_valid_fnr(pid, allow_synthetic=settings.ALLOW_SYNTHETIC_IDS):
        return refuse(request, "claims", next_url=next_url, level=level)
    sign_in_resident(request, Resident(pid=pid, name=name_for(pid)), level=got)
    remember_login(request, config, claims, token["id_token"])
    log.info("resident login method=oidc acr=%s", claims["acr"])
    return HttpResponseRedirect(next_url)


def remember_login(request: HttpRequest, config: ClientConfig, claims: dict, id_token: str) -> None:
    """Keep what logout needs: the ID token (id_token_hint) and the provider's session id."""
    sid = claims.get("sid") or ""
    request.session[LOGIN_KEY] = {
        "issuer": config.issuer,
        "sub": claims["sub"],
        "sid": sid,
        "acr": claims["acr"],
        "id_token": id_token,
    }
    if sid:
        request.session.save()  # the key must exist before the mapping points at it
        ResidentSession.objects.remember(
            issuer=config.issuer, sid=sid, session_key=request.session.session_key
        )


def name_for(pid: str) -> str:
    """A display name: synthetic people have one; ID-porten sends none (Folkeregisteret does)."""
    if not settings.ALLOW_SYNTHETIC_IDS:
        return ""
    from servicetorg.identity.testid.people import find_person

    person = find_person(pid)
    return person.name if person else ""


def logout_redirect(request: HttpRequest, login: dict) -> HttpResponse:
    """RP-initiated logout at the provider; the app's own session is already gone."""
    try:
        client = get_client(client_config(request))
        return client.logout_redirect(
            request,
            post_logout_redirect_uri=addresses.post_logout_uri(request),
            id_token_hint=login["id_token"],
            ui_locales=get_language(),
        )
    except (requests.RequestException, RuntimeError):
        log.warning("resident logout at provider skipped reason=unavailable")
        return HttpResponseRedirect(addresses.post_logout_uri(request))
