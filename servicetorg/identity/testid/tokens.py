"""What TestID's token endpoint checks and signs. Crypto comes from joserfc, never by hand."""

import base64
import hashlib
import hmac
import json
import secrets
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from servicetorg.identity.testid.clients import RegisteredClient, get_client
from servicetorg.identity.testid.keys import new_rsa_key, public_jwks, signing_key
from servicetorg.identity.testid.models import AuthorizationCode
from servicetorg.identity.testid.people import find_staff

ID_TOKEN_SECONDS = 120
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def pkce_ok(verifier: str, challenge: str) -> bool:
    """RFC 7636: 43-128 unreserved characters whose S256 hash is the challenge."""
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    if not 43 <= len(verifier) <= 128 or not set(verifier) <= allowed:
        return False
    return hmac.compare_digest(s256(verifier), challenge)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def new_code() -> tuple[str, str]:
    """A code for the browser and the hash kept in the database."""
    code = secrets.token_urlsafe(32)
    return code, hash_code(code)


def pairwise_sub(pid: str, client_id: str) -> str:
    """The same person gets a different, stable `sub` at every client (as in ID-porten).

    `pid` is a resident's identity number, or "staff:<user name>" for a demo staff member.
    """
    digest = salted_hmac("testid.pairwise-sub", f"{client_id}|{pid}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authenticate_client(
    request: HttpRequest, token_endpoint: str, issuer: str
) -> RegisteredClient | None:
    """The client by its registered method: secret (basic or post) or private_key_jwt."""
    if request.POST.get("client_assertion_type") == ASSERTION_TYPE:
        return _by_assertion(request, token_endpoint, issuer)
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        return _by_basic(request, header[6:])
    return _by_secret(
        request,
        request.POST.get("client_id", ""),
        request.POST.get("client_secret", ""),
        "client_secret_post",
    )


def _by_basic(request: HttpRequest, encoded: str) -> RegisteredClient | None:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except ValueError:
        return None
    client_id, _, secret = decoded.partition(":")
    return _by_secret(request, unquote(client_id), unquote(secret), "client_secret_basic")


def _by_secret(
    request: HttpRequest, client_id: str, secret: str, method: str
) -> RegisteredClient | None:
    client = get_client(client_id, request)
    if client is None or client.auth_method != method or not client.secret:
        return None
    if not hmac.compare_digest(secret.encode(), client.secret.encode()):
        return None
    return client


def _by_assertion(
    request: HttpRequest, token_endpoint: str, issuer: str
) -> RegisteredClient | None:
    """RFC 7523: a JWT signed with the client's key; iss = sub = client_id, aud = us."""
    assertion = request.POST.get("client_assertion", "")
    client_id = request.POST.get("client_id") or _unverified_issuer(assertion)
    client = get_client(client_id, request)
    if client is None or client.auth_method != "private_key_jwt":
        return None
    try:
        token = jwt.decode(assertion, client.public_keys(), algorithms=["RS256", "ES256", "PS256"])
        JWTClaimsRegistry(
            leeway=10,
            iss={"essential": True, "value": client_id},
            sub={"essential": True, "value": client_id},
            aud={"essential": True, "values": [issuer, token_endpoint]},
            exp={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError):
        return None
    return client


def _unverified_issuer(assertion: str) -> str:
    """Only to find whose keys to check the signature with; nothing else is trusted yet."""
    try:
        payload = assertion.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    return str(data.get("iss", "")) if isinstance(data, dict) else ""


def person_claims(code: AuthorizationCode) -> dict | None:
    """Who logged in: a resident's `pid`, or a staff member's e-mail and name (no `pid`).

    None when the staff member is gone since the code was issued.
    """
    if not code.staff_username:
        return {"sub": pairwise_sub(code.pid, code.client_id), "pid": code.pid}
    person = find_staff(code.staff_username)
    if person is None:
        return None
    claims = {"sub": pairwise_sub(f"staff:{person.username}", code.client_id), "name": person.name}
    if person.email:
        claims.update(email=person.email, email_verified=True)
    return claims


def id_token_claims(code: AuthorizationCode, now: int, person: dict) -> dict:
    claims = {
        "iss": code.issuer,
        "aud": code.client_id,
        **person,
        "acr": code.acr,
        "amr": ["TestID"],
        "nonce": code.nonce,
        "iat": now,
        "auth_time": now,
        "exp": now + ID_TOKEN_SECONDS,
        "sid": code.sid,
        "locale": code.locale,
        "jti": secrets.token_urlsafe(16),
    }
    return apply_fault(claims, settings.TESTID_FAULT)


def apply_fault(claims: dict, fault: str) -> dict:
    """Tests only (TESTID_FAULT): spoil one thing the client must check."""
    if fault == "expired":
        claims.update(
            iat=claims["iat"] - 600, auth_time=claims["iat"] - 600, exp=claims["iat"] - 480
        )
    elif fault == "wrong-audience":
        claims["aud"] = "another-client"
    elif fault == "wrong-issuer":
        claims["iss"] = "https://issuer.invalid"
    elif fault == "wrong-nonce":
        claims["nonce"] = "not-the-nonce-of-this-login"
    elif fault == "no-nonce":
        del claims["nonce"]
    return claims


def sign(claims: dict) -> str:
    key = signing_key()
    if settings.TESTID_FAULT == "wrong-key":
        # Same kid, other key: the client must check the signature, not just find the kid.
        other = new_rsa_key()
        return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, other)
    return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)


def verify_own_token(token: str, issuer: str) -> dict | None:
    """Claims of an ID token TestID signed (for id_token_hint: an expired one is fine)."""
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(public_jwks()), algorithms=["RS256"])
        JWTClaimsRegistry(
            iss={"essential": True, "value": issuer}, aud={"essential": True}
        ).validate({k: v for k, v in decoded.claims.items() if k not in ("exp", "nbf")})
    except (JoseError, ValueError):
        return None
    return decoded.claims
