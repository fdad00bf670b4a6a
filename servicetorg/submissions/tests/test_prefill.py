import pytest
from django.conf import settings

from conftest import small_definition, text
from servicetorg.catalog.actions import publish_service
from servicetorg.identity import registers
from servicetorg.identity.registers import LocalContactRegister, LocalPersonRegister
from servicetorg.submissions.models import Draft

pytestmark = pytest.mark.django_db


def prefill_definition() -> dict:
    """The small service with register-filled fields on its first step."""
    document = small_definition("prefill-test")
    document["steps"][0]["fields"] = [
        {
            "key": "name",
            "type": "text",
            "label": text("Navn"),
            "required": True,
            "prefill": "person.name",
            "prefill_editable": False,
        },
        {
            "key": "address",
            "type": "address",
            "label": text("Adresse"),
            "required": True,
            "prefill": "person.address",
        },
        {
            "key": "email",
            "type": "email",
            "label": text("E-post"),
            "required": True,
            "prefill": "contact.email",
        },
        {
            "key": "child",
            "type": "choice",
            "label": text("Barn"),
            "required": True,
            "prefill": "household.children",
            "options": [{"value": "other", "label": text("Et annet barn")}],
        },
    ]
    return document


@pytest.fixture
def prefill_service(molde):
    return publish_service(molde, prefill_definition()).service


def start(client, service) -> Draft:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(f"/molde/tjenester/{service.slug}/start/")
    return Draft.objects.get(service=service)


def test_it_fills_in_what_the_registers_know(kari_client, kari, prefill_service):
    draft = start(kari_client, prefill_service)
    person = LocalPersonRegister().person(kari.pid)
    contact = LocalContactRegister().contact(kari.pid)
    assert draft.answers["name"] == person.name
    assert draft.answers["address"]["postal_code"] == person.address.postal_code
    assert draft.answers["email"] == contact.email
    assert draft.prefill["sources"]["name"] == "folkeregisteret"
    assert draft.prefill["sources"]["email"] == "krr"


def test_it_offers_the_households_children_as_choices(kari_client, kari, prefill_service):
    draft = start(kari_client, prefill_service)
    body = kari_client.get(f"/molde/soknad/{draft.id}/steg/1/").content.decode()
    children = LocalPersonRegister().children_under(kari.pid)
    assert children
    for child in children:
        assert f'value="{child.pid}"' in body
        assert child.name in body
    assert 'value="other"' in body
    assert "Fetched from the National Population Register" in body


def test_it_shows_the_chosen_child_by_name_on_the_review(kari_client, kari, prefill_service):
    draft = start(kari_client, prefill_service)
    child = LocalPersonRegister().children_under(kari.pid)[0]
    answers = {**draft.answers, "child": child.pid}
    Draft.objects.filter(pk=draft.pk).update(answers=answers, step=1)
    body = kari_client.get(f"/molde/soknad/{draft.id}/oppsummering/").content.decode()
    assert child.name in body


def test_it_refuses_a_child_that_is_not_in_the_household(kari_client, ola, prefill_service):
    draft = start(kari_client, prefill_service)
    others = LocalPersonRegister().children_under(ola.pid)
    data = {
        "_shown": "name,address,email,child",
        "address-street": "Storgata 1",
        "address-postal_code": "6413",
        "address-place": "Molde",
        "email": "a@example.no",
        "child": others[0].pid,
    }
    response = kari_client.post(f"/molde/soknad/{draft.id}/steg/1/", data)
    assert response.status_code == 200
    assert 'href="#id_child"' in response.content.decode()


def test_it_keeps_a_locked_register_value_whatever_is_posted(kari_client, kari, prefill_service):
    draft = start(kari_client, prefill_service)
    data = {
        "_shown": "name,address,email,child",
        "name": "Someone Else",
        "address-street": "Storgata 1",
        "address-postal_code": "6413",
        "address-place": "Molde",
        "email": "a@example.no",
        "child": "other",
    }
    response = kari_client.post(f"/molde/soknad/{draft.id}/steg/1/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["name"] == LocalPersonRegister().person(kari.pid).name
    body = kari_client.get(f"/molde/soknad/{draft.id}/steg/1/").content.decode()
    assert "readonly" in body


def test_it_works_when_a_register_does_not_answer(kari_client, prefill_service, monkeypatch):
    class Down:
        def person(self, pid):
            raise registers.RegisterUnavailable("Folkeregisteret did not answer")

    monkeypatch.setattr("servicetorg.submissions.prefill.person_register", lambda: Down())
    draft = start(kari_client, prefill_service)
    assert "name" not in draft.answers
    assert draft.prefill["unavailable"] == ["folkeregisteret"]
    assert "email" in draft.answers  # the contact register still answered
    body = kari_client.get(f"/molde/soknad/{draft.id}/steg/1/").content.decode()
    assert "did not answer" in body
    assert 'name="name" value=""' in body
    assert "readonly" not in body
