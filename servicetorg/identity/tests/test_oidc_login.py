"""Logging in through OpenID Connect with the real TestID provider over HTTP."""

from urllib.parse import parse_qs, urlsplit

from servicetorg.identity.residents import LOGIN_KEY, SESSION_KEY
from servicetorg.identity.tests.conftest import CALLBACK


def test_it_sends_the_browser_to_the_provider_with_pkce_state_nonce_and_acr(browser):
    to_provider = browser.get("/logg-inn/", next="/mine-saker/", level="high")
    query = {k: v[0] for k, v in parse_qs(urlsplit(to_provider.location).query).items()}
    assert to_provider.location.startswith(f"{browser.base}/testid/authorize?")
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["state"] and query["nonce"]
    assert query["acr_values"] == "idporten-loa-high"
    assert query["ui_locales"] == "nb"
    assert query["redirect_uri"] == f"{browser.base}{CALLBACK}"


def test_it_logs_in_with_a_new_session_key(browser, kari_pid):
    login_page = browser.start()
    key_before = browser.session_key
    done = browser.follow(browser.choose(login_page, kari_pid))
    assert done.status == 302 and done.location == "/mine-saker/"
    assert browser.session_key and browser.session_key != key_before
    session = browser.session()
    assert session[SESSION_KEY]["pid"] == kari_pid
    assert session[SESSION_KEY]["level"] == "substantial"
    assert session[LOGIN_KEY]["acr"] == "idporten-loa-substantial"
    assert session[LOGIN_KEY]["sub"] and session[LOGIN_KEY]["sid"]
    assert browser.get("/mine-saker/").status == 200


def test_it_returns_the_acr_and_level_the_person_chose(browser, kari_pid):
    back = browser.choose(browser.start(level="high"), kari_pid, acr="idporten-loa-high")
    assert browser.follow(back).status == 302
    assert browser.session()[SESSION_KEY]["level"] == "high"


def test_it_refuses_an_acr_too_low_for_a_high_service(browser, kari_pid, caplog):
    back = browser.choose(browser.start(level="high"), kari_pid, acr="idporten-loa-substantial")
    refused = browser.follow(back)
    assert refused.status == 403 and refused.reason() == "assurance"
    assert SESSION_KEY not in browser.session()
    assert "reason=assurance" in caplog.text and kari_pid not in caplog.text


def test_it_logs_in_with_a_typed_synthetic_number(browser):
    login_page = browser.start()
    fields = login_page.form_fields("/testid/authorize")
    typed = "45840375084"  # a synthetic D-number (NORWAY.md)
    back = browser.post("/testid/authorize", {**fields, "pid": typed, "action": "number"})
    assert browser.follow(back).status == 302
    assert browser.session()[SESSION_KEY]["pid"] == typed


def test_it_refuses_a_typed_real_looking_number_at_testid(browser):
    fields = browser.start().form_fields("/testid/authorize")
    page = browser.post("/testid/authorize", {**fields, "pid": "02013299997", "action": "number"})
    assert page.status == 400 and 'role="alert"' in page.response.text


def test_it_filters_the_people_by_name(browser):
    from servicetorg.identity.testid.people import testid_people

    wanted = testid_people()[3]
    login_page = browser.start()
    fields = {
        k: v
        for k, v in login_page.form_fields("/testid/authorize").items()
        if k != "csrfmiddlewaretoken"
    }
    found = browser.get("/testid/authorize", **fields, q=wanted.name)
    assert found.status == 200
    assert f'value="{wanted.pid}">{wanted.name}</button>' in found.response.text.replace(
        "&#x27;", "'"
    )


def test_it_shows_a_clear_page_when_the_person_cancels(browser):
    fields = browser.start().form_fields("/testid/authorize")
    refused = browser.follow(browser.post("/testid/authorize", {**fields, "cancel": "1"}))
    assert refused.status == 400 and refused.reason() == "cancelled"


def test_it_returns_to_the_page_the_person_came_from(browser, kari_pid):
    done = browser.log_in(kari_pid, next_url="/molde/")
    assert done.location == "/molde/"


def test_it_refuses_a_next_address_on_another_site(browser, kari_pid):
    done = browser.log_in(kari_pid, next_url="https://evil.example/")
    assert done.location == "/mine-saker/"


def test_it_asks_for_the_language_the_person_reads(browser):
    browser.http.cookies.set("servicetorg_language", "nn")
    to_provider = browser.get("/logg-inn/", next="/")
    assert "ui_locales=nn" in to_provider.location
