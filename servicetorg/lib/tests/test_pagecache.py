"""Public pages kept whole for visitors who are not logged in (lib/pagecache.py)."""

import gzip

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from conftest import login, small_definition, text
from servicetorg.catalog.actions import publish_service
from servicetorg.lib.pagecache import PageCacheMiddleware, pages, public_page
from servicetorg.municipalities.models import Municipality
from servicetorg.municipalities.queries import known

pytestmark = pytest.mark.django_db

SERVICE_PAGE = "/molde/tjenester/test-soknad/"


def rename_without_saving(name: str) -> None:
    """Change the row behind the pages' back: the kept pages cannot know (the municipality
    itself is read again)."""
    Municipality.objects.filter(slug="molde").update(name=name)
    known.forget()


def test_a_second_visitor_gets_the_kept_page(client, service):
    first = client.get("/molde/")
    rename_without_saving("Romsdalsbyen")
    second = Client().get("/molde/")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Romsdalsbyen" not in second.content.decode()
    assert second["Content-Language"] == "nb"
    assert second["Cache-Control"] == "no-store"  # browsers still do not keep it


def test_saving_a_municipality_forgets_the_kept_pages(client, service):
    client.get("/molde/")
    molde = Municipality.objects.get(slug="molde")
    molde.name = "Romsdalsbyen"
    molde.save()
    assert "Romsdalsbyen" in Client().get("/molde/").content.decode()


def test_a_published_service_is_in_the_catalog_at_once(client, service, molde):
    assert "Only the new one" not in client.get("/molde/").content.decode()
    document = small_definition("ny-tjeneste")
    document["title"] = text("Bare den nye", "Berre den nye", "Only the new one")
    publish_service(molde, document)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Only the new one" in english.get("/molde/").content.decode()


def test_each_language_has_its_own_page(service):
    bodies = {}
    for code in ("nb", "nn", "en"):
        visitor = Client()
        visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        bodies[code] = visitor.get(SERVICE_PAGE).content.decode()
    assert "Søknad om test" in bodies["nb"] and 'lang="nb"' in bodies["nb"]
    assert 'lang="nn"' in bodies["nn"]
    assert "Test application" in bodies["en"] and 'lang="en"' in bodies["en"]


def test_a_browser_without_gzip_gets_the_page_uncompressed(service):
    packed = Client().get(SERVICE_PAGE, headers={"accept-encoding": "gzip"})
    plain = Client().get(SERVICE_PAGE)
    again = Client().get(SERVICE_PAGE, headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(again.content) == plain.content


def test_the_public_pages_hold_no_csrf_token_and_set_no_cookie(service):
    for path in ("/", "/molde/", "/molde/?q=test", SERVICE_PAGE):
        response = Client().get(path)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode(), path
        assert not response.cookies, path


def test_a_logged_in_resident_never_gets_nor_leaves_a_kept_page(service, kari):
    anonymous = Client().get(SERVICE_PAGE).content.decode()
    assert 'method="get"' in anonymous and "Log out" not in anonymous
    kari_client = login(Client(), kari)
    kari_page = kari_client.get(SERVICE_PAGE).content.decode()
    assert "csrfmiddlewaretoken" in kari_page
    assert kari.name not in anonymous
    after = Client().get(SERVICE_PAGE).content.decode()
    assert "csrfmiddlewaretoken" not in after


def test_a_visitor_with_another_cookie_is_not_answered_from_the_kept_pages(client, service):
    client.get("/molde/")
    rename_without_saving("Romsdalsbyen")
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-session"
    assert "Romsdalsbyen" in visitor.get("/molde/").content.decode()


@pytest.mark.parametrize("setting", ["PAGE_CACHE_SECONDS", "PAGE_CACHE_ENTRIES"])
def test_expired_or_turned_off_pages_are_made_again(client, service, settings, setting):
    setattr(settings, setting, 0)
    client.get("/molde/")
    rename_without_saving("Romsdalsbyen")
    assert "Romsdalsbyen" in Client().get("/molde/").content.decode()


def test_the_least_recently_used_page_goes_first(client, service, settings):
    settings.PAGE_CACHE_ENTRIES = 2
    for path in ("/molde/", SERVICE_PAGE, "/molde/?q=test"):
        client.get(path)
    assert len(pages.kept) == 2
    assert [key[2] for key in pages.kept] == [SERVICE_PAGE, "/molde/?q=test"]


def middleware_around(view):
    return PageCacheMiddleware(public_page(view))


def test_a_page_holding_a_csrf_token_or_setting_a_cookie_is_not_kept(db):
    def with_token(request):
        return HttpResponse(f"token {get_token(request)}")

    def with_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    for view in (with_token, with_cookie):
        middleware_around(view)(RequestFactory().get("/x/"))
        assert not pages.kept


def test_only_successful_get_pages_are_kept(db):
    def missing(request):
        return HttpResponse("gone", status=404)

    middleware_around(missing)(RequestFactory().get("/x/"))
    middleware_around(lambda request: HttpResponse("ok"))(RequestFactory().post("/x/"))
    assert not pages.kept
    middleware_around(lambda request: HttpResponse("ok"))(RequestFactory().get("/x/"))
    assert len(pages.kept) == 1


def test_choosing_a_language_by_get_sets_the_cookie_and_goes_back(client, service):
    response = client.get("/i18n/sprak/", {"language": "nn", "next": SERVICE_PAGE})
    assert response.status_code == 302
    assert response["Location"] == SERVICE_PAGE
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    assert 'lang="nn"' in client.get(SERVICE_PAGE).content.decode()


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"language": "de", "next": "/molde/"}, "/molde/"),
        ({"language": "nn", "next": "https://elsewhere.example/"}, "/"),
        ({"language": "nn", "next": "//elsewhere.example/"}, "/"),
    ],
)
def test_an_unknown_language_or_a_foreign_address_is_refused(client, params, location):
    response = client.get("/i18n/sprak/", params)
    assert response["Location"] == location
    if params["language"] == "de":
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
