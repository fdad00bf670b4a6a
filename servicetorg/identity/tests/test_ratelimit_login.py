"""Rate limits on the resident's login: start, the provider's callback, and TestID's page."""

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponseRedirect

from servicetorg.identity import views
from servicetorg.identity.testid import people
from servicetorg.lib.tests.ratelimit_helpers import assert_limited, set_limits, travel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings, client, monkeypatch):
    set_limits(settings, "login", ip="2/m", person="2/m")
    settings.TESTID_ENABLED = True
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    # The provider is not part of what is counted here (the login itself: test_oidc_*.py).
    monkeypatch.setattr(views.oidc, "start_login", lambda *a: HttpResponseRedirect("/testid/"))
    monkeypatch.setattr(views.oidc, "finish_login", lambda *a: HttpResponseRedirect("/"))


def test_it_limits_the_login_start_and_resets(client, monkeypatch):
    assert [client.get("/logg-inn/").status_code for _ in range(2)] == [302, 302]
    response = client.get("/logg-inn/")
    assert_limited(response, within=60)
    assert "Too many attempts" in response.content.decode()
    assert client.get("/logg-inn/", REMOTE_ADDR="10.0.0.9").status_code == 302
    travel(monkeypatch, 61)
    assert client.get("/logg-inn/").status_code == 302


def test_it_limits_the_callback(client):
    for _ in range(2):
        assert client.get("/logg-inn/ferdig/", {"state": "x"}).status_code == 302
    assert_limited(client.get("/logg-inn/ferdig/", {"state": "x"}), within=60)


def test_it_answers_in_the_persons_language(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nn"
    for _ in range(3):
        response = client.get("/logg-inn/")
    assert response.status_code == 429
    assert response.wsgi_request.LANGUAGE_CODE == "nn"


def test_testid_keeps_the_typed_number_when_limited(client, monkeypatch):
    pid = people.testid_people()[0].pid
    data = {
        "client_id": django_settings.IDPORTEN_CLIENT_ID,
        "redirect_uri": "http://testserver/logg-inn/ferdig/",
        "response_type": "code",
        "scope": "openid",
        "state": "s" * 20,
        "nonce": "n" * 20,
        "code_challenge": "c" * 43,
        "code_challenge_method": "S256",
        "pid": pid,
    }
    for _ in range(2):
        assert client.post("/testid/authorize", data).status_code == 302
    response = client.post("/testid/authorize", data)
    assert_limited(response, within=60)
    assert f'value="{pid}"' in response.content.decode()
    travel(monkeypatch, 61)
    assert client.post("/testid/authorize", data).status_code == 302
