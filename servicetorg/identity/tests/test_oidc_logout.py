"""Logout: this site's session first, then the provider's; and front-channel logout from it."""

from servicetorg.identity.models import ResidentSession
from servicetorg.identity.residents import LOGIN_KEY, SESSION_KEY
from servicetorg.identity.tests.conftest import Browser


def log_out(browser: Browser):
    page = browser.get("/")
    token = page.form_fields("/logg-ut/")["csrfmiddlewaretoken"]
    return browser.post("/logg-ut/", {"csrfmiddlewaretoken": token})


def test_it_logs_out_here_and_at_the_provider(browser, kari_pid, caplog):
    browser.log_in(kari_pid)
    id_token = browser.session()[LOGIN_KEY]["id_token"]
    to_provider = log_out(browser)
    assert SESSION_KEY not in browser.session()
    assert to_provider.location.startswith(f"{browser.base}/testid/logout?")
    query = to_provider.query()
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == f"{browser.base}/logg-ut/ferdig/"
    back = browser.follow(to_provider)
    assert back.location.startswith(f"{browser.base}/logg-ut/ferdig/?state=")
    assert browser.follow(back).status == 200
    assert browser.get("/mine-saker/").status == 302
    assert "resident logout" in caplog.text
    assert id_token not in caplog.text and kari_pid not in caplog.text


def test_it_forgets_the_provider_session_at_logout(browser, kari_pid):
    browser.log_in(kari_pid)
    assert ResidentSession.objects.count() == 1
    log_out(browser)
    assert ResidentSession.objects.count() == 0


def test_it_ends_the_session_with_the_providers_sid_from_another_browser(browser, kari_pid):
    browser.log_in(kari_pid)
    login = browser.session()[LOGIN_KEY]
    other = Browser(browser.base)
    answer = other.get("/logg-ut/frontkanal/", iss=login["issuer"], sid=login["sid"])
    assert answer.status == 200
    assert answer.response.headers["Cache-Control"] == "no-store"
    policy = answer.response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {browser.base}" in policy  # only the provider's page may frame it
    assert browser.session() == {}
    assert browser.get("/mine-saker/").status == 302


def test_it_ignores_a_frontchannel_logout_from_another_issuer(browser, kari_pid):
    browser.log_in(kari_pid)
    sid = browser.session()[LOGIN_KEY]["sid"]
    answer = browser.get("/logg-ut/frontkanal/", iss="https://idporten.invalid", sid=sid)
    assert answer.status == 400
    assert SESSION_KEY in browser.session()


def test_it_refuses_a_provider_logout_without_a_valid_id_token_hint(browser):
    page = browser.get(
        "/testid/logout",
        id_token_hint="not.a.token",
        post_logout_redirect_uri=f"{browser.base}/logg-ut/ferdig/",
    )
    assert page.status == 400 and not page.location


def test_it_does_not_redirect_to_an_unregistered_post_logout_address(browser, kari_pid):
    browser.log_in(kari_pid)
    id_token = browser.session()[LOGIN_KEY]["id_token"]
    page = browser.get(
        "/testid/logout", id_token_hint=id_token, post_logout_redirect_uri="https://evil.example/"
    )
    assert page.status == 200 and not page.location
