"""Choosing the municipality (prefix or host name) and the language of every request."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from servicetorg.catalog.definitions import STARTER_DIR
from servicetorg.catalog.models import Service
from servicetorg.municipalities.actions import load_demo_municipalities
from servicetorg.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

HOST = "tjenester.molde.kommune.no"


@pytest.fixture(autouse=True)
def reset_language():
    """The middleware activates a language for the thread; start and end each test without one."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def molde_host(settings, molde, service) -> Client:
    molde.host = HOST
    molde.save()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    client = Client(HTTP_HOST=HOST)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html_lang(response) -> str:
    match = re.search(r'<html lang="([a-z]+)"', response.content.decode())
    assert match, "no <html lang> in the page"
    return match.group(1)


def test_it_selects_the_municipality_by_prefix(client, service, aukra_service):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    molde = client.get("/molde/").content.decode()
    aukra = client.get("/aukra/").content.decode()
    assert "Molde municipality" in molde
    assert 'href="/molde/tjenester/test-soknad/"' in molde
    assert "Aukra municipality" in aukra
    assert 'href="/aukra/tjenester/test-soknad/"' in aukra
    assert "/molde/" not in aukra


def test_it_serves_a_municipality_at_the_root_of_its_host_name(molde_host, aukra):
    response = molde_host.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Molde municipality" in body
    assert "Test application" in body
    assert molde_host.get("/tjenester/test-soknad/").status_code == 200


def test_it_refuses_an_unknown_host_name(client, molde):
    assert client.get("/molde/", HTTP_HOST="evil.example.com").status_code == 400


def test_it_serves_the_installation_pages_on_a_host_name(molde_host):
    assert molde_host.get("/ansatt/logg-inn/").status_code == 200
    assert molde_host.get("/mine-saker/")["Location"].startswith("/logg-inn/")
    assert molde_host.post("/i18n/sprak/", {"language": "nb", "next": "/"}).status_code == 302


def test_it_follows_a_link_from_the_front_page_on_a_host_name(molde_host):
    body = molde_host.get("/").content.decode()
    link = re.search(r'href="([^"]*/tjenester/test-soknad/)"', body).group(1)
    assert molde_host.get(link).status_code == 200


def test_it_uses_the_municipalitys_language_by_default(client, molde, aukra):
    response = client.get("/aukra/")
    assert html_lang(response) == "nn"
    assert response["Content-Language"] == "nn"
    assert html_lang(client.get("/molde/")) == "nb"


def test_it_uses_bokmal_outside_a_municipality(client, molde):
    assert html_lang(client.get("/")) == "nb"


def test_it_lets_the_language_cookie_override_the_municipality(client, aukra):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/aukra/")
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    assert html_lang(client.get("/aukra/")) == "nb"


def test_it_ignores_an_unknown_language_in_the_cookie(client, aukra):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert html_lang(client.get("/aukra/")) == "nn"


def test_it_sets_the_language_cookie_and_goes_back(client, aukra):
    response = client.post("/i18n/sprak/", {"language": "en", "next": "/aukra/"})
    assert response.status_code == 302
    assert response["Location"] == "/aukra/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get("/aukra/")) == "en"


def test_it_does_not_go_back_to_another_site(client, aukra):
    response = client.post("/i18n/sprak/", {"language": "en", "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_does_not_carry_a_language_over_to_the_next_request(client, aukra):
    assert html_lang(client.get("/aukra/")) == "nn"
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert html_lang(response) == "nb"


def test_it_adds_a_municipality_from_the_command(client):
    load_demo_municipalities()
    assert Municipality.objects.count() == 5
    out = io.StringIO()
    call_command("add_municipality", "1577", "Volda", "volda", "--language", "nn", stdout=out)
    assert out.getvalue() == "Volda added with 0 services\n"
    assert Municipality.objects.count() == 6
    volda = Municipality.objects.get(number="1577")
    assert (volda.name, volda.slug, volda.default_language) == ("Volda", "volda", "nn")
    response = client.get("/volda/")
    assert response.status_code == 200
    assert html_lang(response) == "nn"


def test_it_adds_a_municipality_with_the_starter_services(client):
    if not (STARTER_DIR / "offerings.yaml").exists():
        pytest.skip("servicetorg/catalog/starter/offerings.yaml is not written yet")
    load_demo_municipalities()
    out = io.StringIO()
    call_command(
        "add_municipality",
        "1577",
        "Volda",
        "volda",
        "--language",
        "nn",
        "--with-starter-services",
        stdout=out,
    )
    assert Municipality.objects.count() == 6
    count = Service.objects.filter(
        municipality__slug="volda", published_version__isnull=False
    ).count()
    assert count > 0
    assert out.getvalue() == f"Volda added with {count} services\n"
    response = client.get("/volda/")
    assert response.status_code == 200
    slug = Service.objects.filter(municipality__slug="volda").first().slug
    assert f'href="/volda/tjenester/{slug}/"' in response.content.decode()


def test_it_refuses_a_reserved_slug_from_the_command():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="reserved"):
        call_command("add_municipality", "1577", "Volda", "mine-saker", stdout=io.StringIO())
    assert not Municipality.objects.exists()
