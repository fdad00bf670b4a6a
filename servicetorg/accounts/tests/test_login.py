import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicetorg.accounts.constants import Role
from servicetorg.accounts.demo import create_demo_staff, demo_password
from servicetorg.accounts.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(molde):
    create_demo_staff(molde)
    return get_user_model().objects.get(username="saksbehandler.molde")


def log_in(client, password: str, username: str = "saksbehandler.molde"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(
        "/ansatt/logg-inn/", {"username": username, "password": password, "next": "/ansatt/"}
    )


def test_it_logs_in_with_the_right_password(client, staff):
    response = log_in(client, demo_password("molde"))
    assert response.status_code == 302
    assert response["Location"] == "/ansatt/"
    assert client.get("/ansatt/").context["user"] == staff
    assert Membership.objects.filter(user=staff, role=Role.CASEWORKER).exists()


def test_it_refuses_a_wrong_password(client, staff):
    response = log_in(client, "wrong")
    assert response.status_code == 200
    assert "Login failed" in response.content.decode()
    assert not client.get("/ansatt/").wsgi_request.user.is_authenticated


def test_it_locks_the_account_after_repeated_failures(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    response = log_in(client, demo_password("molde"))
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert not client.get("/ansatt/").wsgi_request.user.is_authenticated


def test_it_asks_for_the_code_when_a_second_factor_is_set_up(client, staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows down retries after a wrong code
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    response = log_in(client, demo_password("molde"))
    assert response["Location"].startswith("/ansatt/logg-inn/kode/")
    assert not client.get("/ansatt/").wsgi_request.user.is_authenticated
    refused = client.post("/ansatt/logg-inn/kode/", {"token": "000000", "next": "/ansatt/"})
    assert refused.status_code == 200
    assert not client.get("/ansatt/").wsgi_request.user.is_authenticated
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = client.post(
        "/ansatt/logg-inn/kode/", {"token": f"{totp.token():06d}", "next": "/ansatt/"}
    )
    assert accepted.status_code == 302
    assert client.get("/ansatt/").wsgi_request.user == staff


def test_it_hashes_passwords_with_argon2(staff):
    assert staff.password.startswith("argon2")
