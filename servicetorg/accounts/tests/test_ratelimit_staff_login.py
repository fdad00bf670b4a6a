"""Rate limits on the staff login, on top of axes' lock-out of one user name."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicetorg.accounts.demo import create_demo_staff, demo_password
from servicetorg.accounts.tests.test_login import log_in
from servicetorg.lib.tests.ratelimit_helpers import assert_limited, set_limits, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(molde, settings):
    set_limits(settings, "login", ip="3/m", person="3/m")
    create_demo_staff(molde)
    return get_user_model().objects.get(username="saksbehandler.molde")


def test_it_limits_password_attempts_per_address_and_resets(client, staff, monkeypatch):
    for name in ("a.one", "b.two", "c.three"):  # three names: axes locks none of them
        assert log_in(client, "wrong", username=name).status_code == 200
    limited = log_in(client, demo_password("molde"))
    assert_limited(limited, within=60)
    body = limited.content.decode()
    assert 'value="saksbehandler.molde"' in body  # the name stays; the password is not shown
    assert demo_password("molde") not in body
    assert not client.get("/ansatt/").wsgi_request.user.is_authenticated
    # Not even tried: axes counted no failure for the limited request.
    assert not AccessAttempt.objects.filter(username="saksbehandler.molde").exists()
    travel(monkeypatch, 61)
    assert log_in(client, demo_password("molde")).status_code == 302


def test_it_limits_codes_per_staff_member(client, staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    assert log_in(client, demo_password("molde")).status_code == 302
    for n in range(3):
        address = f"10.0.0.{n}"  # from any address: the count is the staff member's
        response = client.post("/ansatt/logg-inn/kode/", {"token": "000000"}, REMOTE_ADDR=address)
        assert response.status_code == 200
    assert_limited(client.post("/ansatt/logg-inn/kode/", {"token": "000000"}), within=60)
