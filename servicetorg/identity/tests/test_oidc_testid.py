"""TestID, the provider: discovery, keys, the login page's checks, and one-time codes."""

import json
import secrets

import pytest
import requests
from joserfc.jwk import RSAKey

from servicetorg.identity import clock
from servicetorg.identity.residents import SESSION_KEY
from servicetorg.identity.testid.tokens import s256
from servicetorg.identity.tests.conftest import CALLBACK, Browser


def authorize_params(browser: Browser, verifier: str, **extra: str) -> dict:
    return {
        "client_id": "servicetorg-testid",
        "redirect_uri": f"{browser.base}{CALLBACK}",
        "response_type": "code",
        "scope": "openid",
        "state": "s" * 20,
        "nonce": "n" * 20,
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
        **extra,
    }


def code_for(browser: Browser, pid: str, verifier: str) -> str:
    page = browser.get("/testid/authorize", **authorize_params(browser, verifier))
    back = browser.post(
        "/testid/authorize", {**page.form_fields("/testid/authorize"), "person": pid}
    )
    return back.query()["code"]


def exchange(
    browser: Browser, code: str, verifier: str, auth=("servicetorg-testid", None)
) -> requests.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": f"{browser.base}{CALLBACK}",
    }
    secret = auth[1] or "testid-demo-secret-not-for-production"
    return requests.post(
        f"{browser.base}/testid/token", data=data, auth=(auth[0], secret), timeout=10
    )


def test_it_publishes_discovery_and_a_key_with_a_kid(browser):
    document = browser.get("/testid/.well-known/openid-configuration").response.json()
    assert document["issuer"] == f"{browser.base}/testid"
    assert document["code_challenge_methods_supported"] == ["S256"]
    keys = requests.get(document["jwks_uri"], timeout=10).json()["keys"]
    assert keys[0]["kid"] and keys[0]["kty"] == "RSA" and "d" not in keys[0]


def test_it_gives_each_code_once(browser, kari_pid):
    verifier = secrets.token_urlsafe(48)
    code = code_for(browser, kari_pid, verifier)
    assert "id_token" in exchange(browser, code, verifier).json()
    second = exchange(browser, code, verifier)
    assert second.status_code == 400 and second.json() == {"error": "invalid_grant"}


def test_it_refuses_a_code_older_than_60_seconds(browser, kari_pid, monkeypatch):
    verifier = secrets.token_urlsafe(48)
    code = code_for(browser, kari_pid, verifier)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + 61)
    assert exchange(browser, code, verifier).json() == {"error": "invalid_grant"}


def test_it_refuses_a_wrong_pkce_verifier(browser, kari_pid):
    code = code_for(browser, kari_pid, secrets.token_urlsafe(48))
    assert exchange(browser, code, secrets.token_urlsafe(48)).json() == {"error": "invalid_grant"}


def test_it_refuses_a_wrong_client_secret(browser, kari_pid):
    verifier = secrets.token_urlsafe(48)
    code = code_for(browser, kari_pid, verifier)
    answer = exchange(browser, code, verifier, auth=("servicetorg-testid", "guess"))
    assert answer.status_code == 401 and answer.json() == {"error": "invalid_client"}


def test_it_never_redirects_to_an_unregistered_address(browser):
    params = authorize_params(browser, "v" * 43, redirect_uri="https://evil.example/callback")
    page = browser.get("/testid/authorize", **params)
    assert page.status == 400 and not page.location


@pytest.mark.parametrize(
    "change",
    [
        {"code_challenge_method": "plain"},
        {"response_type": "token"},
        {"state": ""},
        {"nonce": ""},
        {"scope": "profile"},
        {"acr_values": "Level4"},
    ],
)
def test_it_sends_back_an_error_for_a_bad_request(browser, change):
    page = browser.get("/testid/authorize", **authorize_params(browser, "v" * 43, **change))
    assert page.status == 302 and page.query()["error"] == "invalid_request"


def test_it_gives_a_pairwise_sub(browser, kari_pid, settings):
    from servicetorg.identity.testid.tokens import pairwise_sub

    assert pairwise_sub(kari_pid, "a") != pairwise_sub(kari_pid, "b")
    assert pairwise_sub(kari_pid, "a") == pairwise_sub(kari_pid, "a")


def test_it_is_a_404_when_testid_is_off(browser, oidc):
    oidc.TESTID_ENABLED = False
    assert browser.get("/testid/.well-known/openid-configuration").status == 404
    assert browser.get("/testid/jwks").status == 404


def test_it_logs_in_with_client_secret_post(browser, oidc, kari_pid):
    oidc.IDPORTEN_CLIENT_AUTH = "client_secret_post"
    browser.log_in(kari_pid)
    assert browser.session()[SESSION_KEY]["pid"] == kari_pid


def test_it_logs_in_with_private_key_jwt(browser, oidc, kari_pid, tmp_path):
    key = RSAKey.generate_key(2048, private=True)
    path = tmp_path / "client.pem"
    path.write_bytes(key.as_pem(private=True))
    oidc.IDPORTEN_CLIENT_AUTH = "private_key_jwt"
    oidc.IDPORTEN_PRIVATE_KEY_PATH = str(path)
    oidc.IDPORTEN_PRIVATE_KEY_ID = "servicetorg-2026"
    oidc.IDPORTEN_CLIENT_SECRET = ""
    browser.log_in(kari_pid)
    assert browser.session()[SESSION_KEY]["pid"] == kari_pid


def test_it_refuses_a_secret_from_a_private_key_jwt_client(browser, oidc, kari_pid, tmp_path):
    path = tmp_path / "client.json"
    path.write_text(json.dumps(RSAKey.generate_key(2048, private=True).as_dict(private=True)))
    oidc.IDPORTEN_CLIENT_AUTH = "private_key_jwt"
    oidc.IDPORTEN_PRIVATE_KEY_PATH = str(path)
    verifier = secrets.token_urlsafe(48)
    code = code_for(browser, kari_pid, verifier)
    assert exchange(browser, code, verifier).status_code == 401
