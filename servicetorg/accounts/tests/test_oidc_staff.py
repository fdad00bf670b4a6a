"""Staff login through a municipality's OpenID Connect provider: the real TestID over HTTP.

- site: this installation on a live server, TestID on, demo staff in Molde and Aukra
- provider: Molde's "TestID (demo)" staff login provider, as load_demo makes it
- browser: one person's browser (cookies kept, redirects followed by hand)
"""

import base64
import io
import json
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from lxml import html

from servicetorg.accounts.constants import Role
from servicetorg.accounts.demo import create_demo_login_provider, create_demo_staff
from servicetorg.accounts.models import Membership, StaffIdentity, StaffLoginProvider
from servicetorg.accounts.oidc import LOGIN_KEY, MODEL_BACKEND, find_staff_user
from servicetorg.identity.testid import people
from servicetorg.identity.testid.clients import STAFF_CLIENT_ID
from servicetorg.identity.tests.conftest import Browser, Page

USER_KEY = "_auth_user_id"


@pytest.fixture
def site(live_server, settings, molde, aukra) -> str:
    settings.SITE_URL = live_server.url
    settings.TESTID_ENABLED = True
    settings.TESTID_FAULT = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    create_demo_staff(molde)
    create_demo_staff(aukra)
    return live_server.url


@pytest.fixture
def provider(site, molde) -> StaffLoginProvider:
    return create_demo_login_provider(molde)


@pytest.fixture
def browser(site) -> Browser:
    return Browser(site)


def user(username: str):
    return get_user_model().objects.get(username=username)


def start(browser: Browser, provider: StaffLoginProvider, next_url: str = "/ansatt/") -> Page:
    """Press "Log in with …" on the staff login page; return TestID's page."""
    to_provider = browser.get(f"/ansatt/logg-inn/oidc/{provider.pk}/", next=next_url)
    assert to_provider.status == 302, to_provider.response.text[:500]
    return browser.follow(to_provider)


def choose(browser: Browser, testid_page: Page, username: str, **extra: str) -> Page:
    """Pick a staff member on TestID's page; return the redirect back to the app."""
    fields = testid_page.form_fields("/testid/authorize")
    return browser.post("/testid/authorize", {**fields, "staff": username, **extra})


def log_in(browser: Browser, provider: StaffLoginProvider, username: str) -> Page:
    return browser.follow(choose(browser, start(browser, provider), username))


def log_out(browser: Browser) -> Page:
    token = browser.get("/ansatt/").form_fields("/ansatt/logg-ut/")["csrfmiddlewaretoken"]
    return browser.post("/ansatt/logg-ut/", {"csrfmiddlewaretoken": token})


def id_token_claims(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def refused(browser: Browser, page: Page, reason: str, caplog, status: int) -> None:
    assert page.status == status, page.response.text[:300]
    assert page.reason() == reason
    assert USER_KEY not in browser.session()
    assert f"reason={reason}" in caplog.text and "staff login refused method=oidc" in caplog.text
    assert "@example.no" not in caplog.text


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_lists_the_enabled_providers_on_the_login_page(browser, provider, aukra):
    entra = StaffLoginProvider.objects.create(
        municipality=provider.municipality,
        name="Molde kommune Entra ID",
        issuer="https://login.microsoftonline.com/tenant/v2.0",
        client_id="molde",
    )
    off = create_demo_login_provider(aukra)
    off.enabled = False
    off.save()
    browser.http.cookies.set("servicetorg_language", "en")
    page = browser.get("/ansatt/logg-inn/", next="/ansatt/")
    tree = html.fromstring(page.response.text)
    links = {a.text_content(): a.get("href") for a in tree.xpath("//a[@data-provider]")}
    assert links == {
        "Log in with TestID (demo)": f"/ansatt/logg-inn/oidc/{provider.pk}/?next=/ansatt/",
        "Log in with Molde kommune Entra ID": f"/ansatt/logg-inn/oidc/{entra.pk}/?next=/ansatt/",
    }
    assert tree.xpath("//h3/text()") == ["Molde"]
    assert tree.xpath("//form//input[@name='password']")  # the password form is still there


def test_it_offers_the_demo_staff_at_testid_not_residents(browser, provider):
    page = start(browser, provider)
    assert page.status == 200
    assert "Sara Saksbehandler (Molde)" in page.response.text
    assert "Anders Admin (Aukra)" in page.response.text
    assert people.testid_people()[0].name not in page.response.text
    assert 'name="pid"' not in page.response.text


def test_it_logs_a_staff_member_in_with_a_new_session_key(browser, provider, caplog):
    testid_page = start(browser, provider)
    key_before = browser.session_key
    done = browser.follow(choose(browser, testid_page, "saksbehandler.molde"))
    assert done.status == 302 and done.location == "/ansatt/"
    assert browser.session_key and browser.session_key != key_before
    session = browser.session()
    sara = user("saksbehandler.molde")
    assert session[USER_KEY] == str(sara.pk)
    assert session[LOGIN_KEY]["method"] == "oidc"
    assert session[LOGIN_KEY]["provider"] == provider.pk
    assert session[LOGIN_KEY]["logout_origin"] == browser.base
    identity = StaffIdentity.objects.get(user=sara)
    assert identity.issuer == f"{browser.base}/testid" == provider.identity_issuer()
    assert "Molde" in browser.get("/ansatt/").response.text
    assert f"staff login method=oidc provider={provider.pk} user={sara.pk}" in caplog.text
    assert "@example.no" not in caplog.text and session[LOGIN_KEY]["id_token"] not in caplog.text


def test_it_gets_email_and_name_but_no_pid_from_testid(browser, provider):
    log_in(browser, provider, "saksbehandler.molde")
    claims = id_token_claims(browser.session()[LOGIN_KEY]["id_token"])
    assert claims["email"] == "saksbehandler.molde@example.no"
    assert claims["email_verified"] is True
    assert claims["name"] == "Sara Saksbehandler"
    assert claims["aud"] == STAFF_CLIENT_ID
    assert "pid" not in claims
    assert claims["sub"] == StaffIdentity.objects.get().subject


def test_it_matches_the_second_login_by_the_linked_identity(browser, provider):
    log_in(browser, provider, "saksbehandler.molde")
    log_out(browser)
    sara = user("saksbehandler.molde")
    sara.email = "sara.ny@example.no"  # the account's address changed; the link holds
    sara.save()
    done = log_in(browser, provider, "saksbehandler.molde")
    assert done.status == 302
    assert browser.session()[USER_KEY] == str(sara.pk)
    assert StaffIdentity.objects.filter(user=sara).count() == 1


def test_it_logs_out_here_and_at_the_provider(browser, provider, caplog):
    log_in(browser, provider, "leder.molde")
    id_token = browser.session()[LOGIN_KEY]["id_token"]
    to_provider = log_out(browser)
    assert USER_KEY not in browser.session()
    assert to_provider.location.startswith(f"{browser.base}/testid/logout?")
    assert to_provider.query()["id_token_hint"] == id_token
    assert (
        to_provider.query()["post_logout_redirect_uri"] == f"{browser.base}/ansatt/logg-ut/ferdig/"
    )
    back = browser.follow(to_provider)
    assert back.location.startswith(f"{browser.base}/ansatt/logg-ut/ferdig/?state=")
    assert browser.follow(back).status == 200
    assert browser.get("/ansatt/").status == 302
    assert "staff logout" in caplog.text and id_token not in caplog.text


def test_it_logs_out_here_only_when_the_provider_has_no_logout_endpoint(browser, provider):
    from servicetorg.identity import oidc as oidc_client

    oidc_client._clients.clear()
    log_in(browser, provider, "leder.molde")
    (staff_client,) = [
        app for key, (_t, app) in oidc_client._clients.items() if key.name == "staff"
    ]
    staff_client.server_metadata.pop("end_session_endpoint")
    try:
        done = log_out(browser)
    finally:
        oidc_client._clients.clear()
    assert done.location == "/ansatt/logg-inn/"
    assert USER_KEY not in browser.session()


@pytest.mark.django_db
def test_it_lets_the_logout_form_go_on_to_the_providers_logout_page(client, molde, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_staff(molde)
    client.force_login(user("leder.molde"), backend=MODEL_BACKEND)
    session = client.session
    origin = "https://login.ansattporten.example"
    session[LOGIN_KEY] = {"method": "oidc", "provider": 1, "id_token": "", "logout_origin": origin}
    session.save()
    policy = client.get("/ansatt/").headers["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", origin]


def test_it_refuses_a_person_without_a_role_in_the_providers_municipality(
    browser, provider, caplog
):
    browser.http.cookies.set("servicetorg_language", "en")
    page = log_in(browser, provider, "saksbehandler.aukra")
    refused(browser, page, "unknown-person", caplog, status=403)
    assert "Your administrator must add you first" in page.response.text
    assert not StaffIdentity.objects.exists()


def test_it_refuses_a_linked_identity_whose_role_was_removed(browser, provider, molde, caplog):
    log_in(browser, provider, "saksbehandler.molde")
    log_out(browser)
    Membership.objects.filter(user=user("saksbehandler.molde"), municipality=molde).delete()
    refused(
        browser, log_in(browser, provider, "saksbehandler.molde"), "unknown-person", caplog, 403
    )


def test_it_refuses_a_deactivated_account(browser, provider, caplog):
    sara = user("saksbehandler.molde")
    sara.is_active = False
    sara.save()
    refused(
        browser, log_in(browser, provider, "saksbehandler.molde"), "unknown-person", caplog, 403
    )


def test_it_is_a_404_for_a_disabled_provider(browser, provider):
    provider.enabled = False
    provider.save()
    assert browser.get(f"/ansatt/logg-inn/oidc/{provider.pk}/", next="/ansatt/").status == 404
    assert f"/oidc/{provider.pk}/" not in browser.get("/ansatt/logg-inn/").response.text


def test_it_refuses_a_tampered_state(browser, provider, caplog):
    back = choose(browser, start(browser, provider), "saksbehandler.molde")
    tampered = back.location.replace("state=", "state=x")
    refused(browser, browser.get(tampered), "state", caplog, status=400)


def test_it_keeps_staff_and_resident_logins_apart(browser, provider, caplog):
    back = choose(browser, start(browser, provider), "saksbehandler.molde")
    at_residents = browser.get("/logg-inn/ferdig/", **back.query())
    assert at_residents.status == 400 and at_residents.reason() == "state"
    assert USER_KEY not in browser.session()


def test_it_refuses_an_acr_lower_than_the_provider_asks_for(browser, provider, caplog):
    provider.acr_values = "idporten-loa-high"
    provider.save()
    testid_page = start(browser, provider)
    back = choose(browser, testid_page, "saksbehandler.molde", acr="idporten-loa-substantial")
    refused(browser, browser.follow(back), "assurance", caplog, status=403)


def test_it_refuses_a_faulty_id_token(browser, provider, settings, caplog):
    back = choose(browser, start(browser, provider), "saksbehandler.molde")
    settings.TESTID_FAULT = "wrong-key"
    refused(browser, browser.follow(back), "signature", caplog, status=400)


def test_it_shows_a_clear_page_when_the_provider_is_down(browser, provider, caplog):
    provider.issuer = f"http://127.0.0.1:{closed_port()}/idp"
    provider.save()
    page = browser.get(f"/ansatt/logg-inn/oidc/{provider.pk}/", next="/ansatt/")
    refused(browser, page, "unavailable", caplog, status=503)
    assert "/ansatt/logg-inn/" in page.response.text


def test_it_works_at_another_address_of_the_demo(site, provider):
    other = Browser(site.replace("localhost", "127.0.0.1"))
    assert other.base != site
    done = log_in(other, provider, "saksbehandler.molde")
    assert done.status == 302 and USER_KEY in other.session()
    assert StaffIdentity.objects.get().issuer == f"{site}/testid"


def test_testid_refuses_an_account_that_is_not_demo_staff(browser, provider, molde):
    root = get_user_model().objects.create(username="root", email="root@example.no")
    Membership.objects.create(user=root, municipality=molde, role=Role.ADMIN)
    page = choose(browser, start(browser, provider), "root")
    assert page.status == 400 and not page.location


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "saksbehandler.molde@example.no", "email_verified": False}, "email"),
        ({"email": "saksbehandler.molde@example.no", "email_verified": "false"}, "email"),
        ({}, "unknown-person"),
        ({"email": "nobody@example.no"}, "unknown-person"),
    ],
)
def test_it_matches_only_a_verified_email(molde, settings, claims, reason):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_staff(molde)
    found = find_staff_user(create_demo_login_provider(molde), {"sub": "s1", **claims})
    assert found == (None, reason)
    assert not StaffIdentity.objects.exists()


@pytest.mark.django_db
def test_it_matches_an_email_without_email_verified(molde, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_staff(molde)
    claims = {"sub": "s1", "email": "Saksbehandler.Molde@example.no"}  # Entra ID sends no flag
    found, _reason = find_staff_user(create_demo_login_provider(molde), claims)
    assert found == user("saksbehandler.molde")


@pytest.mark.django_db
def test_load_demo_adds_testid_as_a_staff_login_provider_everywhere(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", history=False, stdout=io.StringIO())
    call_command("load_demo", history=False, stdout=io.StringIO())  # safe to run again
    providers = StaffLoginProvider.objects.all()
    assert providers.count() == 5
    assert {(p.name, p.issuer, p.client_id, p.enabled) for p in providers} == {
        ("TestID (demo)", "", STAFF_CLIENT_ID, True)
    }
    assert user("saksbehandler.molde").email == "saksbehandler.molde@example.no"


@pytest.mark.django_db
def test_an_administrator_sets_up_a_provider_in_the_admin(client, molde, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = get_user_model().objects.create_superuser("root", "root@example.no", "x")
    client.force_login(root, backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = {
        "municipality": molde.pk,
        "name": "Molde kommune Entra ID",
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "molde-app",
        "client_secret": "s3cret",
        "client_auth": "client_secret_post",
        "scope": "openid profile email",
        "acr_values": "",
        "enabled": "on",
    }
    assert client.post("/admin/accounts/staffloginprovider/add/", form).status_code == 302
    provider = StaffLoginProvider.objects.get()
    page = client.get(f"/admin/accounts/staffloginprovider/{provider.pk}/change/")
    assert page.status_code == 200 and "s3cret" not in page.content.decode()
    changed = {**form, "client_secret": "", "scope": "openid email"}
    client.post(f"/admin/accounts/staffloginprovider/{provider.pk}/change/", changed)
    provider.refresh_from_db()
    assert (provider.scope, provider.client_secret) == ("openid email", "s3cret")
    refused = client.post(
        f"/admin/accounts/staffloginprovider/{provider.pk}/change/", {**form, "scope": "email"}
    )
    assert refused.status_code == 200 and "must include openid" in refused.content.decode()
