"""The login page starts OpenID Connect with this installation's TestID in the demo."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_starts_openid_connect(client, settings, live_server):
    settings.SITE_URL = live_server.url
    response = client.get(
        "/logg-inn/", {"next": "/mine-saker/"}, HTTP_HOST=live_server.url.split("//")[1]
    )
    assert response.status_code == 302
    assert response.url.startswith(f"{live_server.url}/testid/authorize?")


def test_it_has_no_demo_sign_in(client, kari):
    assert client.post("/logg-inn/", {"person": kari.pid, "next": "/"}).status_code == 405
