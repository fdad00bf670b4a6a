"""The service's own form, filled in by the caseworker step by step, as the resident would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.cases.tests.conftest import png_bytes
from servicetorg.cases.tests.registering import BASE, STEP_1, STEP_2, start, url
from servicetorg.submissions.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(sara_client, service, kari) -> StaffRegistration:
    return start(sara_client, kari)


def test_it_shows_the_first_step_of_the_services_form(sara_client, registration, kari):
    response = sara_client.get(url(registration, "steg/1/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Step 1 of 3" in body  # two steps of the form, and the scan
    assert 'name="name"' in body
    assert f"Registering for {kari.name}" in body
    assert 'name="children"' not in body  # shown only when "yes" is answered


def test_it_shows_the_errors_as_the_resident_gets_them(sara_client, registration):
    data = {**STEP_1, "name": "", "email": "not-an-address"}
    response = sara_client.post(url(registration, "steg/1/"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Correct the following to continue" in body
    assert 'href="#id_name"' in body
    assert 'href="#id_email"' in body
    assert "Fill in this field." in body
    assert 'value="not-an-address"' in body
    assert 'aria-invalid="true"' in body
    assert body.count("<title>Error: ") == 1
    registration.refresh_from_db()
    assert registration.step == 0


def test_it_shows_a_field_that_an_answer_opens(sara_client, registration):
    response = sara_client.post(url(registration, "steg/1/"), {**STEP_1, "has_children": "yes"})
    body = response.content.decode()
    assert 'name="children"' in body
    assert "ds-error-summary" not in body


def test_it_saves_a_valid_step_and_moves_on(sara_client, registration):
    response = sara_client.post(url(registration, "steg/1/"), STEP_1)
    assert response["Location"] == url(registration, "steg/2/")
    registration.refresh_from_db()
    assert registration.answers == {
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "has_children": False,
    }
    assert registration.step == 1


def test_it_does_not_skip_ahead(sara_client, registration):
    assert sara_client.get(url(registration, "steg/2/"))["Location"] == url(registration, "steg/1/")
    assert sara_client.get(url(registration, "skanning/"))["Location"] == url(
        registration, "steg/1/"
    )
    review = sara_client.get(url(registration, "oppsummering/"))
    assert review["Location"] == url(registration, "steg/1/")
    assert sara_client.get(url(registration, "steg/9/")).status_code == 404


def test_it_saves_for_later(sara_client, registration):
    response = sara_client.post(url(registration, "steg/1/"), {**STEP_1, "_action": "save"})
    assert response["Location"] == BASE
    registration.refresh_from_db()
    assert registration.answers["name"] == "Kari Nordmann"


def test_it_stores_a_file_of_the_form_for_staff_only(sara_client, registration, kari):
    sara_client.post(url(registration, "steg/1/"), STEP_1)
    upload = SimpleUploadedFile("bilde.png", png_bytes(), "image/png")
    response = sara_client.post(url(registration, "steg/2/"), {**STEP_2, "document": upload})
    assert response["Location"] == url(registration, "skanning/")
    attachment = Attachment.objects.get()
    assert (attachment.owner_pid, attachment.field_key, attachment.draft) == (
        "",  # the applicant's once submitted
        "document",
        None,
    )
    registration.refresh_from_db()
    assert registration.answers["document"] == [attachment.as_answer()]
    assert registration.attachment_ids == [str(attachment.pk)]


def test_it_refuses_a_file_of_the_wrong_type(sara_client, registration):
    sara_client.post(url(registration, "steg/1/"), STEP_1)
    upload = SimpleUploadedFile("evil.pdf", b"<html></html>", "application/pdf")
    response = sara_client.post(url(registration, "steg/2/"), {**STEP_2, "document": upload})
    assert response.status_code == 200
    assert "is not of an allowed type" in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_asks_for_the_scan_of_a_paper_application(sara_client, registration):
    sara_client.post(url(registration, "steg/1/"), STEP_1)
    sara_client.post(url(registration, "steg/2/"), STEP_2)
    response = sara_client.post(url(registration, "skanning/"), {"_action": "next"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attach the scan of the application." in body
    assert 'href="#id__scan"' in body
    registration.refresh_from_db()
    assert registration.step == 2


def test_it_removes_a_scan_it_was_given(sara_client, registration):
    sara_client.post(url(registration, "steg/1/"), STEP_1)
    sara_client.post(url(registration, "steg/2/"), STEP_2)
    upload = SimpleUploadedFile("skjema.png", png_bytes(), "image/png")
    sara_client.post(url(registration, "skanning/"), {"_action": "upload", "_scan": upload})
    attachment = Attachment.objects.get()
    remove = {"_action": f"remove-file:_scan:{attachment.pk}"}
    assert sara_client.post(url(registration, "skanning/"), remove).status_code == 200
    assert not Attachment.objects.exists()
    registration.refresh_from_db()
    assert registration.scan == []


def test_deleting_it_deletes_its_files(sara_client, registration, media):
    sara_client.post(url(registration, "steg/1/"), STEP_1)
    upload = SimpleUploadedFile("bilde.png", png_bytes(), "image/png")
    sara_client.post(url(registration, "steg/2/"), {**STEP_2, "document": upload})
    response = sara_client.post(url(registration, "slett/"))
    assert response["Location"] == BASE
    assert not StaffRegistration.objects.exists()
    assert not Attachment.objects.exists()


def test_it_refuses_another_caseworker_and_municipality(tor_client, aud_client, registration):
    for client in (tor_client, aud_client):
        assert client.get(url(registration, "steg/1/")).status_code == 404
        assert client.post(url(registration, "steg/1/"), STEP_1).status_code == 404
        assert client.post(url(registration, "slett/")).status_code == 404
    assert StaffRegistration.objects.get().answers == {}
