"""The shared library: Molde offers its service, Aukra adopts it, adjusts it and takes over
Molde's version 2."""

import copy

import pytest

from conftest import small_definition
from servicetorg.catalog.actions import publish_service
from servicetorg.catalog.builder import actions
from servicetorg.catalog.models import Service, ServiceDraft

pytestmark = pytest.mark.django_db
LIBRARY = "/aukra/tjenestebygger/bibliotek/"
ADOPTED = "/aukra/tjenestebygger/test-soknad/"


@pytest.fixture
def offered(service, tone):
    actions.set_shared(service, True, actor=tone)
    return Service.objects.get(pk=service.pk)


@pytest.fixture
def adopted(offered, aukra, siri):
    """Aukra's copy, with its own department, fee and wording of the first question."""
    service = actions.adopt(offered, aukra, actor=siri)

    def adjust(document: dict) -> dict:
        document = copy.deepcopy(document)
        document["department"] = "Helse og omsorg"
        document["fee"] = {"amount_nok": 250, "text": {"nb": "Gebyr", "nn": "Gebyr", "en": "Fee"}}
        document["steps"][0]["fields"][0]["label"]["nn"] = "Fullt namn"
        return document

    actions.change_draft(service, actions.draft_for(service).revision, adjust, actor=siri)
    return service


def version_2(tone, **changes) -> dict:
    """Molde's version 2: a new step with one question, and any other changes asked for."""
    document = {**small_definition(), **changes}
    document["steps"].append(
        {
            "key": "contact",
            "title": {"nb": "Kontakt", "nn": "Kontakt", "en": "Contact"},
            "fields": [
                {
                    "key": "phone",
                    "type": "phone",
                    "label": {"nb": "Telefon", "nn": "Telefon", "en": "Phone"},
                }
            ],
        }
    )
    return document


def test_it_lists_services_other_municipalities_offer(siri_client, offered):
    response = siri_client.get(LIBRARY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Test application" in body and "Try the form." in body
    assert "Molde" in body
    assert f'action="/aukra/tjenestebygger/bibliotek/{offered.pk}/ta-i-bruk/"' in body


def test_it_does_not_list_own_or_unshared_services(tone_client, siri_client, offered, aukra):
    publish_service(aukra, small_definition("aukra-eigen"))
    assert (
        "Test application"
        not in tone_client.get("/molde/tjenestebygger/bibliotek/").content.decode()
    )
    Service.objects.filter(pk=offered.pk).update(shared=False)
    assert "Test application" not in siri_client.get(LIBRARY).content.decode()


def test_it_adopts_a_service(siri_client, offered, aukra):
    response = siri_client.post(f"{LIBRARY}{offered.pk}/ta-i-bruk/")
    assert response.status_code == 302
    assert response["Location"] == ADOPTED
    copy_ = Service.objects.get(municipality=aukra, slug="test-soknad")
    assert copy_.origin == offered and copy_.origin_number == 1
    assert copy_.published_version is None
    assert ServiceDraft.objects.get(service=copy_).document == offered.published_version.document
    listed = siri_client.get(LIBRARY).content.decode()
    assert "Adopted: go to your copy" in listed


def test_it_explains_a_taken_url_name(siri_client, offered, aukra_service):
    response = siri_client.post(f"{LIBRARY}{offered.pk}/ta-i-bruk/", follow=True)
    assert "Aukra already has a service with the URL name" in response.content.decode()
    assert not Service.objects.filter(origin=offered).exists()


def test_it_does_not_adopt_an_unshared_or_own_service(siri_client, tone_client, service):
    assert siri_client.post(f"{LIBRARY}{service.pk}/ta-i-bruk/").status_code == 404
    Service.objects.filter(pk=service.pk).update(shared=True)
    own = tone_client.post(f"/molde/tjenestebygger/bibliotek/{service.pk}/ta-i-bruk/")
    assert own.status_code == 404
    assert Service.objects.count() == 1


def test_it_says_when_there_is_nothing_to_take_over(siri_client, tone_client, adopted, service):
    response = siri_client.get(f"{ADOPTED}oppstrom/")
    assert response.status_code == 200
    assert "You have the newest version from Molde" in response.content.decode()
    mine = tone_client.get("/molde/tjenestebygger/test-soknad/oppstrom/")
    assert "was not adopted" in mine.content.decode()


def test_it_shows_what_the_origin_changed(siri_client, adopted, offered, tone):
    publish_service(offered.municipality, version_2(tone), actor=tone)
    response = siri_client.get(f"{ADOPTED}oppstrom/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Molde has published version 2" in body
    assert ("added", "Step") in {(c.kind, c.what) for c in response.context["changes"]}
    assert "Contact" in body
    assert "Take over version 2" in body


def test_it_takes_over_a_new_version_and_keeps_local_adjustments(
    siri_client, adopted, offered, tone
):
    publish_service(offered.municipality, version_2(tone), actor=tone)
    revision = ServiceDraft.objects.get(service=adopted).revision
    response = siri_client.post(f"{ADOPTED}oppstrom/", {"revision": revision})
    assert response.status_code == 302
    assert response["Location"] == f"{ADOPTED}oppstrom/"
    document = ServiceDraft.objects.get(service=adopted).document
    assert [s["key"] for s in document["steps"]] == ["about", "details", "contact"]
    assert document["department"] == "Helse og omsorg"
    assert document["fee"]["amount_nok"] == 250
    assert document["steps"][0]["fields"][0]["label"]["nn"] == "Fullt namn"
    assert Service.objects.get(pk=adopted.pk).origin_number == 2

    page = siri_client.get(f"{ADOPTED}oppstrom/")
    result = page.context["result"]
    assert result["number"] == 2
    assert result["taken"] and result["kept"] and result["conflicts"] == []
    body = page.content.decode()
    assert "Taken from the origin" in body and "Your local adjustments, kept" in body
    # The summary is shown once.
    assert siri_client.get(f"{ADOPTED}oppstrom/").context["result"] is None


def test_it_keeps_the_local_value_where_both_changed_it(siri_client, adopted, offered, tone):
    publish_service(offered.municipality, version_2(tone, department="Skule"), actor=tone)
    revision = ServiceDraft.objects.get(service=adopted).revision
    preview = siri_client.get(f"{ADOPTED}oppstrom/")
    assert [c.what for c in preview.context["preview"].conflicts] == ["Department"]
    response = siri_client.post(f"{ADOPTED}oppstrom/", {"revision": revision}, follow=True)
    body = response.content.decode()
    assert "Yours (kept)" in body and "Skule" in body and "Helse og omsorg" in body
    document = ServiceDraft.objects.get(service=adopted).document
    assert document["department"] == "Helse og omsorg"
    assert document["steps"][-1]["key"] == "contact"


def test_it_refuses_to_take_over_into_a_changed_draft(siri_client, adopted, offered, tone, siri):
    publish_service(offered.municipality, version_2(tone), actor=tone)
    shown = ServiceDraft.objects.get(service=adopted).revision
    actions.change_draft(adopted, shown, lambda d: {**d, "handling_days": 5}, actor=siri)
    response = siri_client.post(f"{ADOPTED}oppstrom/", {"revision": shown}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert Service.objects.get(pk=adopted.pk).origin_number == 1
    assert len(ServiceDraft.objects.get(service=adopted).document["steps"]) == 2


def test_it_answers_404_for_another_municipality(tone_client, siri_client, adopted, offered):
    assert tone_client.get(LIBRARY).status_code == 404
    assert tone_client.get(f"{ADOPTED}oppstrom/").status_code == 404
    assert tone_client.post(f"{ADOPTED}oppstrom/", {"revision": 1}).status_code == 404
    assert tone_client.post(f"{LIBRARY}{offered.pk}/ta-i-bruk/").status_code == 404
    assert siri_client.get("/molde/tjenestebygger/bibliotek/").status_code == 404


def test_it_refuses_a_caseworker(sara_client, offered):
    assert sara_client.get("/molde/tjenestebygger/bibliotek/").status_code == 404
    assert sara_client.get("/molde/tjenestebygger/test-soknad/oppstrom/").status_code == 404
    assert (
        sara_client.post(f"/molde/tjenestebygger/bibliotek/{offered.pk}/ta-i-bruk/").status_code
        == 404
    )
