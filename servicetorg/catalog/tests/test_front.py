"""The public catalog: a municipality's front page, the search and one service's page."""

import re

import pytest
from django.conf import settings
from django.test import Client

from conftest import small_definition, text
from servicetorg.catalog.actions import publish_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


@pytest.fixture
def snowmobile(molde):
    document = small_definition("motorferdsel")
    document["title"] = text(
        "Dispensasjon for kjøring i utmark",
        "Dispensasjon for køyring i utmark",
        "Off-road driving permit",
    )
    document["keywords"] = {"nb": ["snøscooter"], "nn": ["snøskuter"], "en": ["snowmobile"]}
    return publish_service(molde, document).service


def test_it_lists_the_services_of_the_municipality(client, service):
    response = client.get("/molde/")
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'href="/molde/tjenester/test-soknad/"[^>]*>Test application</a>', body)


def test_it_does_not_list_another_municipalitys_service(client, service, aukra):
    document = small_definition("bare-aukra")
    document["title"] = text("Bare i Aukra", "Berre i Aukra", "Only in Aukra")
    publish_service(aukra, document)
    body = client.get("/molde/").content.decode()
    assert "Only in Aukra" not in body
    assert "bare-aukra" not in body
    assert "/molde/tjenester/test-soknad/" in body
    assert "/aukra/tjenester/bare-aukra/" in client.get("/aukra/").content.decode()


@pytest.mark.parametrize(
    "query",
    ["snøscooter", "SNOSCOOTER", "Snøscooter", "snowmobile", "snøskuter", "utmark", "OFF-ROAD"],
)
def test_it_finds_a_service_by_keyword_or_title_forgiving_case_and_aeoeaa(
    client, service, snowmobile, query
):
    response = client.get("/molde/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 service found" in body
    assert 'href="/molde/tjenester/motorferdsel/">Off-road driving permit</a>' in body
    assert "/molde/tjenester/test-soknad/" not in body


def test_it_finds_only_services_that_hold_every_word(client, service, snowmobile):
    body = client.get("/molde/", {"q": "snøscooter prøve"}).content.decode()
    assert "0 services found" in body
    assert "/molde/tjenester/" not in body


def test_it_does_not_search_another_municipality(client, aukra, snowmobile):
    body = client.get("/aukra/", {"q": "snøscooter"}).content.decode()
    assert "0 services found" in body
    assert "motorferdsel" not in body


def test_it_shows_a_searched_word_escaped(client, service):
    body = client.get("/molde/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in body
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in body


def test_it_shows_a_service_with_its_handling_time(client, service):
    response = client.get("/molde/tjenester/test-soknad/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="ds-heading" data-size="lg">Test application</h1>' in body
    assert "<dd>30 days</dd>" in body
    assert 'action="/molde/tjenester/test-soknad/start/"' in body


def test_it_does_not_show_a_service_under_another_municipality(client, service, aukra):
    assert client.get("/aukra/tjenester/test-soknad/").status_code == 404


def test_it_answers_404_for_an_unknown_service(client, service):
    assert client.get("/molde/tjenester/unknown/").status_code == 404


def test_it_answers_404_for_an_unknown_municipality(client, molde):
    assert client.get("/nowhere/").status_code == 404
    assert client.get("/nowhere/tjenester/test-soknad/").status_code == 404


def test_it_answers_404_for_an_inactive_municipality(client, service, molde):
    molde.active = False
    molde.save()
    assert client.get("/molde/").status_code == 404
    assert client.get("/molde/tjenester/test-soknad/").status_code == 404
