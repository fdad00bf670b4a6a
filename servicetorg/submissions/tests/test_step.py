import pytest

from servicetorg.submissions.models import Draft

pytestmark = pytest.mark.django_db


def start(client, service) -> Draft:
    response = client.post(f"/{service.municipality.slug}/tjenester/{service.slug}/start/")
    assert response.status_code == 302
    return Draft.objects.get()


def step_url(draft: Draft, number: int) -> str:
    return f"/{draft.municipality.slug}/soknad/{draft.id}/steg/{number}/"


def test_it_requires_login_to_start(client, service):
    response = client.post("/molde/tjenester/test-soknad/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    assert not Draft.objects.exists()


def test_it_shows_the_first_step_with_progress(kari_client, service):
    draft = start(kari_client, service)
    response = kari_client.get(step_url(draft, 1))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Steg 1 av 2" in body
    assert 'name="name"' in body
    # The conditional field is hidden until "yes" is answered.
    assert 'name="children"' not in body


def test_it_saves_a_valid_step_and_moves_on(kari_client, service):
    draft = start(kari_client, service)
    data = {
        "_shown": "name,email,has_children",
        "name": "Kari",
        "email": "kari@example.no",
        "has_children": "no",
    }
    response = kari_client.post(step_url(draft, 1), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, 2)
    draft.refresh_from_db()
    assert draft.answers == {"name": "Kari", "email": "kari@example.no", "has_children": False}
    assert draft.step == 1


def test_it_keeps_what_was_entered_when_a_value_is_wrong(kari_client, service):
    draft = start(kari_client, service)
    data = {
        "_shown": "name,email,has_children",
        "name": "Kari <b>N</b>",
        "email": "not-an-address",
        "has_children": "no",
    }
    response = kari_client.post(step_url(draft, 1), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skriv en e-postadresse" in body or "e-post" in body.lower()
    assert 'value="not-an-address"' in body
    assert "Kari &lt;b&gt;N&lt;/b&gt;" in body
    assert 'href="#id_email"' in body
    assert 'aria-invalid="true"' in body


def test_it_shows_a_field_that_a_same_step_answer_opens(kari_client, service):
    draft = start(kari_client, service)
    data = {
        "_shown": "name,email,has_children",
        "name": "Kari",
        "email": "kari@example.no",
        "has_children": "yes",
    }
    response = kari_client.post(step_url(draft, 1), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="children"' in body
    assert "ds-error-summary" not in body


def test_it_refuses_someone_elses_draft(kari_client, ola_client, service):
    draft = start(kari_client, service)
    assert ola_client.get(step_url(draft, 1)).status_code == 404
    assert ola_client.get(f"/molde/soknad/{draft.id}/oppsummering/").status_code == 404


def test_it_refuses_the_draft_under_another_municipality(kari_client, service, aukra):
    draft = start(kari_client, service)
    assert kari_client.get(f"/aukra/soknad/{draft.id}/steg/1/").status_code == 404


def test_it_refuses_a_forged_draft_id(kari_client, service):
    assert kari_client.get("/molde/soknad/not-a-uuid/steg/1/").status_code == 404
    assert (
        kari_client.get("/molde/soknad/00000000-0000-0000-0000-000000000000/steg/1/").status_code
        == 404
    )


def test_it_does_not_skip_ahead(kari_client, service):
    draft = start(kari_client, service)
    response = kari_client.get(step_url(draft, 2))
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, 1)
