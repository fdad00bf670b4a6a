"""Version history, differences, restoring an older version, and offering a service to others."""

import copy

import pytest

from conftest import small_definition
from servicetorg.catalog.actions import publish_service
from servicetorg.catalog.builder import actions
from servicetorg.catalog.models import Service, ServiceDraft

pytestmark = pytest.mark.django_db
BASE = "/molde/tjenestebygger/test-soknad/"


@pytest.fixture
def two_versions(service, tone):
    """Version 2 moves the service to another department and adds a question."""
    document = small_definition()
    document["department"] = "Helse"
    document["steps"][1]["fields"].append(
        {
            "key": "phone",
            "type": "phone",
            "label": {"nb": "Telefon", "nn": "Telefon", "en": "Phone"},
        }
    )
    publish_service(service.municipality, document, actor=tone)
    return Service.objects.get(pk=service.pk)


def test_it_lists_the_versions(tone_client, two_versions):
    response = tone_client.get(f"{BASE}versjoner/")
    assert response.status_code == 200
    body = response.content.decode()
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert "Tone" in body  # who published version 2
    assert f'action="{BASE}versjoner/1/gjenopprett/"' in body
    assert 'name="fra"' in body and 'method="get"' in body


def test_it_shows_a_readable_difference(tone_client, two_versions):
    response = tone_client.get(f"{BASE}versjoner/sammenlign/?fra=1&til=2")
    assert response.status_code == 200
    body = response.content.decode()
    assert "From version 1 to version 2" in body
    assert "Department" in body and "Oppvekst" in body and "Helse" in body
    assert "Phone" in body
    assert "steps/" not in body  # places in words, not JSON paths
    kinds = {(c.kind, c.what) for c in response.context["changes"]}
    assert ("changed", "Department") in kinds and ("added", "Field") in kinds


def test_it_compares_the_draft_with_the_published_version(tone_client, service, tone):
    draft = actions.draft_for(service)
    actions.change_draft(service, draft.revision, lambda d: {**d, "handling_days": 12}, actor=tone)
    response = tone_client.get(f"{BASE}versjoner/sammenlign/?fra=1&til=utkast")
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [(c.before, c.after) for c in changes] == [("30", "12")]
    assert "The draft" in response.content.decode()


def test_it_says_when_nothing_differs(tone_client, service):
    response = tone_client.get(f"{BASE}versjoner/sammenlign/?fra=1&til=1")
    assert response.status_code == 200
    assert "No differences." in response.content.decode()


def test_it_refuses_a_version_that_does_not_exist_in_the_form(tone_client, service):
    response = tone_client.get(f"{BASE}versjoner/sammenlign/?fra=7&til=1")
    assert response.status_code == 200
    assert response.context["changes"] is None
    assert response.context["compare"].errors["fra"]


def test_it_restores_an_older_version_as_the_draft(tone_client, two_versions):
    draft = actions.draft_for(two_versions)
    response = tone_client.post(f"{BASE}versjoner/1/gjenopprett/", {"revision": draft.revision})
    assert response.status_code == 302
    assert response["Location"] == BASE
    draft.refresh_from_db()
    assert draft.document == two_versions.versions.get(number=1).document
    assert draft.history[-1]["department"] == "Helse"  # the restore can be undone
    assert two_versions.versions.count() == 2  # nothing is published by restoring


def test_it_restores_without_a_draft(tone_client, two_versions):
    assert not ServiceDraft.objects.filter(service=two_versions).exists()
    page = tone_client.get(f"{BASE}versjoner/")
    response = tone_client.post(
        f"{BASE}versjoner/1/gjenopprett/", {"revision": page.context["revision"]}
    )
    assert response.status_code == 302
    assert ServiceDraft.objects.get(service=two_versions).document["department"] == "Oppvekst"


def test_it_refuses_to_restore_over_a_changed_draft(tone_client, two_versions, tone):
    draft = actions.draft_for(two_versions)
    shown = draft.revision
    actions.change_draft(two_versions, shown, lambda d: {**d, "handling_days": 9}, actor=tone)
    response = tone_client.post(f"{BASE}versjoner/1/gjenopprett/", {"revision": shown}, follow=True)
    assert "changed by someone else" in response.content.decode()
    draft.refresh_from_db()
    assert draft.document["handling_days"] == 9
    assert draft.document["department"] == "Helse"


def test_it_answers_404_for_a_missing_version(tone_client, service):
    response = tone_client.post(f"{BASE}versjoner/5/gjenopprett/", {"revision": 1})
    assert response.status_code == 404


def test_it_offers_and_withdraws_a_published_service(tone_client, service):
    response = tone_client.post(f"{BASE}del/", {"shared": "1"})
    assert response.status_code == 302
    assert Service.objects.get(pk=service.pk).shared
    tone_client.post(f"{BASE}del/")  # without a value the button toggles
    assert not Service.objects.get(pk=service.pk).shared


def test_it_does_not_offer_an_unpublished_service(tone_client, molde, tone):
    new = actions.create_service(
        molde, title={"nb": "Båtplass"}, category="nature", department="Teknisk", actor=tone
    )
    response = tone_client.post(f"/molde/tjenestebygger/{new.slug}/del/", follow=True)
    assert "Publish the service before" in response.content.decode()
    assert not Service.objects.get(pk=new.pk).shared


def test_it_answers_404_for_another_municipalitys_service(tone_client, siri_client, aukra, service):
    other = copy.deepcopy(small_definition("bare-aukra"))
    publish_service(aukra, other)
    assert tone_client.get("/molde/tjenestebygger/bare-aukra/versjoner/").status_code == 404
    assert tone_client.get("/aukra/tjenestebygger/bare-aukra/versjoner/").status_code == 404
    assert siri_client.get(f"{BASE}versjoner/sammenlign/?fra=1&til=1").status_code == 404
    assert siri_client.post(f"{BASE}del/", {"shared": "1"}).status_code == 404
    assert siri_client.post(f"{BASE}versjoner/1/gjenopprett/", {"revision": 1}).status_code == 404
    assert not Service.objects.get(pk=service.pk).shared


def test_it_refuses_a_caseworker(sara_client, service):
    assert sara_client.get(f"{BASE}versjoner/").status_code == 404
    assert sara_client.get(f"{BASE}versjoner/sammenlign/?fra=1&til=1").status_code == 404
    assert sara_client.post(f"{BASE}versjoner/1/gjenopprett/", {"revision": 1}).status_code == 404
    assert sara_client.post(f"{BASE}del/", {"shared": "1"}).status_code == 404
    assert not ServiceDraft.objects.exists()
