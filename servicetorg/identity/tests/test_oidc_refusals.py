"""Every refused login gets a clear page and a log line, never a session."""

import socket

import pytest
import requests

from servicetorg.identity.residents import SESSION_KEY


def refused(browser, page, reason: str, caplog, status: int = 400, signed_in: bool = False) -> None:
    assert page.status == status, page.response.text[:300]
    assert page.reason() == reason
    assert (SESSION_KEY in browser.session()) is signed_in
    assert f"resident login refused method=oidc reason={reason}" in caplog.text


def test_it_refuses_a_tampered_state(browser, kari_pid, caplog):
    back = browser.choose(browser.start(), kari_pid)
    tampered = back.location.replace("state=", "state=x")
    refused(browser, browser.get(tampered), "state", caplog)


def test_it_refuses_a_missing_state(browser, kari_pid, caplog):
    back = browser.choose(browser.start(), kari_pid)
    refused(browser, browser.get("/logg-inn/ferdig/", code=back.query()["code"]), "state", caplog)


def test_it_refuses_an_answer_that_reaches_another_browser(browser, kari_pid, caplog):
    from servicetorg.identity.tests.conftest import Browser

    back = browser.choose(browser.start(), kari_pid)
    other = Browser(browser.base)
    refused(other, other.get(back.location), "state", caplog)


def test_it_refuses_the_same_callback_twice(browser, kari_pid, caplog):
    back = browser.choose(browser.start(), kari_pid)
    assert browser.follow(back).status == 302
    key = browser.session_key
    # The first answer used up the state; the replay changes nothing.
    refused(browser, browser.get(back.location), "state", caplog, signed_in=True)
    assert browser.session_key == key


def test_it_refuses_a_code_that_was_used_before(browser, oidc, kari_pid, caplog):
    back = browser.choose(browser.start(), kari_pid)
    first = {"grant_type": "authorization_code", "code": back.query()["code"]}
    auth = (oidc.IDPORTEN_CLIENT_ID, oidc.IDPORTEN_CLIENT_SECRET)
    used = requests.post(f"{browser.base}/testid/token", data=first, auth=auth, timeout=10)
    assert used.json() == {"error": "invalid_grant"}  # no PKCE verifier, but the code is spent
    refused(browser, browser.follow(back), "code", caplog)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("wrong-key", "signature"),
        ("wrong-audience", "audience"),
        ("wrong-issuer", "issuer"),
        ("expired", "expired"),
        ("wrong-nonce", "nonce"),
        ("no-nonce", "nonce"),
    ],
)
def test_it_refuses_a_faulty_id_token(browser, oidc, kari_pid, caplog, fault, reason):
    back = browser.choose(browser.start(), kari_pid)
    oidc.TESTID_FAULT = fault
    refused(browser, browser.follow(back), reason, caplog)


def test_it_refuses_a_provider_error(browser, caplog):
    browser.start()
    state = browser.session()
    key = next(k for k in state if k.startswith("_state_"))
    page = browser.get("/logg-inn/ferdig/", state=key.rsplit("_", 1)[1], error="server_error")
    refused(browser, page, "provider", caplog)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_shows_a_clear_page_when_the_provider_refuses_connections(browser, oidc, caplog):
    oidc.IDPORTEN_ISSUER = f"http://127.0.0.1:{closed_port()}/idporten"
    refused(browser, browser.get("/logg-inn/", next="/"), "unavailable", caplog, status=503)


def test_it_shows_a_clear_page_when_the_provider_does_not_answer(browser, oidc, caplog):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    oidc.IDPORTEN_ISSUER = f"http://127.0.0.1:{silent.getsockname()[1]}/idporten"
    oidc.IDPORTEN_TIMEOUT_SECONDS = 1
    try:
        page = browser.get("/logg-inn/", next="/")
    finally:
        silent.close()
    refused(browser, page, "unavailable", caplog, status=503)


def test_it_shows_a_clear_page_when_the_token_endpoint_is_down(browser, kari_pid, caplog):
    from servicetorg.identity import oidc as client

    client._clients.clear()
    back = browser.choose(browser.start(), kari_pid)
    (cached,) = [app for _time, app in client._clients.values()]
    cached.server_metadata["token_endpoint"] = f"http://127.0.0.1:{closed_port()}/token"
    try:
        refused(browser, browser.follow(back), "unavailable", caplog, status=503)
    finally:
        client._clients.clear()


def test_it_explains_a_refusal_in_the_persons_language(browser, kari_pid, caplog):
    browser.http.cookies.set("servicetorg_language", "nn")
    back = browser.choose(browser.start(), kari_pid)
    page = browser.get(back.location.replace("state=", "state=x"))
    assert page.status == 400 and "Innlogginga kunne ikkje fullførast" in page.response.text
