"""The clients TestID accepts: this installation itself (residents' and staff login), plus any in
TESTID_CLIENTS.

A staff client is offered the demo staff (accounts/demo.py) instead of synthetic residents, and
gets e-mail, name and `sub` in its ID tokens instead of `pid`.

TESTID_CLIENTS = {"other-app": {
    "auth_method": "client_secret_basic" | "client_secret_post" | "private_key_jwt",
    "secret": "...",                       # for the client_secret_* methods
    "jwks": {"keys": [...]},               # public keys, for private_key_jwt
    "redirect_uris": ["https://.../callback"],
    "post_logout_redirect_uris": ["https://.../logged-out"],
    "staff": False,                        # True: log in demo staff, not residents
}}
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from joserfc.jwk import KeySet

from servicetorg.identity import addresses
from servicetorg.identity.oidc import read_private_key

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
STAFF_CLIENT_ID = "servicetorg-staff-testid"  # the demo's "TestID (demo)" staff login providers


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    auth_method: str
    secret: str = ""
    jwks: dict = field(default_factory=dict)
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    staff: bool = False

    def public_keys(self) -> KeySet:
        return KeySet.import_key_set(self.jwks or {"keys": []})


def get_client(client_id: str, request: HttpRequest) -> RegisteredClient | None:
    if client_id and client_id == settings.IDPORTEN_CLIENT_ID:
        return own_client(request)
    if client_id == STAFF_CLIENT_ID:
        return own_staff_client(request)
    data = settings.TESTID_CLIENTS.get(client_id) if client_id else None
    if data is None:
        return None
    return RegisteredClient(
        client_id=client_id,
        auth_method=data.get("auth_method", "client_secret_basic"),
        secret=data.get("secret", ""),
        jwks=data.get("jwks", {}),
        redirect_uris=tuple(data.get("redirect_uris", ())),
        post_logout_redirect_uris=tuple(data.get("post_logout_redirect_uris", ())),
        staff=bool(data.get("staff", False)),
    )


def own_client(request: HttpRequest) -> RegisteredClient:
    """This installation, registered with the addresses it is reached at."""
    bases = {settings.SITE_URL.rstrip("/"), addresses.installation_url(request)}
    callback, logged_out = reverse("identity:callback"), reverse("identity:logged_out")
    return RegisteredClient(
        client_id=settings.IDPORTEN_CLIENT_ID,
        auth_method=settings.IDPORTEN_CLIENT_AUTH,
        secret=settings.IDPORTEN_CLIENT_SECRET,
        jwks=own_public_jwks(),
        redirect_uris=tuple(
            [settings.IDPORTEN_REDIRECT_URI] if settings.IDPORTEN_REDIRECT_URI else []
        )
        + tuple(base + callback for base in sorted(bases)),
        post_logout_redirect_uris=tuple(
            [settings.IDPORTEN_POST_LOGOUT_REDIRECT_URI]
            if settings.IDPORTEN_POST_LOGOUT_REDIRECT_URI
            else []
        )
        + tuple(base + logged_out for base in sorted(bases)),
    )


def own_staff_client(request: HttpRequest) -> RegisteredClient:
    """This installation's staff login, with the demo secret, at the addresses it is reached at."""
    bases = sorted({settings.SITE_URL.rstrip("/"), addresses.installation_url(request)})
    callback, logged_out = reverse("accounts:oidc_callback"), reverse("accounts:logged_out")
    return RegisteredClient(
        client_id=STAFF_CLIENT_ID,
        auth_method="client_secret_basic",
        secret=settings.TESTID_DEMO_SECRET,
        redirect_uris=tuple(base + callback for base in bases),
        post_logout_redirect_uris=tuple(base + logged_out for base in bases),
        staff=True,
    )


def own_public_jwks() -> dict:
    """The public half of the installation's own private_key_jwt key, when it uses one."""
    if settings.IDPORTEN_CLIENT_AUTH != "private_key_jwt" or not settings.IDPORTEN_PRIVATE_KEY_PATH:
        return {}
    public = read_private_key(settings.IDPORTEN_PRIVATE_KEY_PATH).as_dict(private=False)
    if settings.IDPORTEN_PRIVATE_KEY_ID:
        public["kid"] = settings.IDPORTEN_PRIVATE_KEY_ID
    return {"keys": [public]}


def uri_allowed(uri: str, registered: tuple[str, ...]) -> bool:
    """Exact match; in the demo also http on a loopback address at any port, same path.

    Test servers listen on free ports, so their callback addresses are not known in advance.
    """
    if uri in registered:
        return True
    if not settings.DEMO:
        return False
    parts = urlsplit(uri)
    paths = {urlsplit(r).path for r in registered}
    return (
        parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and parts.path in paths
        and not parts.query
        and not parts.fragment
    )
