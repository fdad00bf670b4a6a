"""Rate limits on messages, from the applicant and from the caseworker; the text is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicetorg.cases.models import Message
from servicetorg.cases.tests.conftest import case_url, png_bytes
from servicetorg.lib.tests.ratelimit_helpers import assert_limited, set_limits, travel

pytestmark = pytest.mark.django_db


def resident_writes(client, case, body: str, **files):
    return client.post(f"/mine-saker/{case.pk}/melding/", {"body": body, **files})


def caseworker_writes(client, case, body: str, version: int):
    data = {"version": version, "kind": "message", "body": body}
    return client.post(case_url(case, "melding/"), data)


def test_it_limits_the_applicants_messages_and_resets(settings, kari_client, case, monkeypatch):
    set_limits(settings, "message", person="1/h")
    assert resident_writes(kari_client, case, "Første").status_code == 302
    response = resident_writes(kari_client, case, "Andre, ikke mist meg")
    assert_limited(response, within=3600)
    assert "Andre, ikke mist meg" in response.content.decode()
    assert Message.objects.count() == 1
    travel(monkeypatch, 3601)
    assert resident_writes(kari_client, case, "Tredje").status_code == 302
    assert Message.objects.count() == 2


def test_it_counts_the_applicants_attachments_as_uploads(settings, kari_client, case):
    set_limits(settings, "upload", person="1/h")
    upload = SimpleUploadedFile("a.png", png_bytes(), "image/png")
    assert resident_writes(kari_client, case, "Vedlegg", files=upload).status_code == 302
    upload = SimpleUploadedFile("b.png", png_bytes(), "image/png")
    assert_limited(resident_writes(kari_client, case, "Til", files=upload), within=3600)
    assert resident_writes(kari_client, case, "Bare tekst").status_code == 302


def test_it_limits_the_caseworkers_messages_and_resets(settings, sara_client, case, monkeypatch):
    set_limits(settings, "message", person="1/h")
    assert caseworker_writes(sara_client, case, "Vi ser på saken.", 1).status_code == 302
    case.refresh_from_db()
    response = caseworker_writes(sara_client, case, "Andre melding", case.version)
    assert_limited(response, within=3600)
    assert "Andre melding" in response.content.decode()
    assert Message.objects.count() == 1
    travel(monkeypatch, 3601)
    assert caseworker_writes(sara_client, case, "Andre melding", case.version).status_code == 302


def test_it_answers_404_for_a_foreign_case_even_when_limited(settings, aud_client, case):
    set_limits(settings, "message", person="0/h")
    assert caseworker_writes(aud_client, case, "Hei", 1).status_code == 404
