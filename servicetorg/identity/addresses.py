"""Addresses the login needs: this site, the callback, and the provider (issuer)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

TESTID_PATH = "/testid"


def installation_url(request: HttpRequest | None = None) -> str:
    """SITE_URL; in the demo, the address the browser used when it is another one.

    A demo is often reached at several addresses (localhost, 127.0.0.1, a test server on a free
    port); the login must come back to the address that holds the browser's session cookie.
    """
    site = settings.SITE_URL.rstrip("/")
    if request is None or not settings.DEMO or urlsplit(site).netloc == request.get_host():
        return site
    return f"{request.scheme}://{request.get_host()}"


def callback_uri(request: HttpRequest) -> str:
    return settings.IDPORTEN_REDIRECT_URI or installation_url(request) + reverse(
        "identity:callback"
    )


def post_logout_uri(request: HttpRequest) -> str:
    return settings.IDPORTEN_POST_LOGOUT_REDIRECT_URI or installation_url(request) + reverse(
        "identity:logged_out"
    )


def testid_issuer(request: HttpRequest | None = None) -> str:
    return installation_url(request) + TESTID_PATH


def issuer(request: HttpRequest | None = None) -> str:
    """The configured provider; with TestID on and none configured, this installation's TestID."""
    if settings.IDPORTEN_ISSUER:
        return settings.IDPORTEN_ISSUER
    return testid_issuer(request) if settings.TESTID_ENABLED else ""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
