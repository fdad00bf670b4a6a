"""Internal notes: on the case page for staff, never shown to the applicant."""

import pytest

from servicetorg.cases.constants import EventKind
from servicetorg.cases.models import CaseEvent, Note
from servicetorg.cases.tests.conftest import case_url

pytestmark = pytest.mark.django_db
SECRET = "Søker har ringt tre ganger"


def test_it_saves_a_note(sara, sara_client, case):
    response = sara_client.post(case_url(case, "notat/"), {"version": 1, "body": SECRET})
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.case, note.author, note.body) == (case, sara, SECRET)
    event = CaseEvent.objects.get(kind=EventKind.NOTE_ADDED)
    assert event.data == {"note": note.pk}  # the text stays in the note, not the timeline
    body = sara_client.get(case_url(case)).content.decode()
    assert SECRET in body
    assert "Internal note" in body


def test_it_hides_the_note_from_the_applicant(sara_client, kari_client, case):
    sara_client.post(case_url(case, "notat/"), {"version": 1, "body": SECRET})
    body = kari_client.get(f"/mine-saker/{case.pk}/").content.decode()
    assert SECRET not in body
    assert "Internal note" not in body


def test_it_refuses_an_empty_note(sara_client, case):
    response = sara_client.post(case_url(case, "notat/"), {"version": 1, "body": ""})
    assert response.status_code == 200
    assert 'id="note_body_error"' in response.content.decode()
    assert 'aria-describedby="note_body_error"' in response.content.decode()
    assert not Note.objects.exists()


def test_it_refuses_the_wrong_role(tone_client, case):
    response = tone_client.post(case_url(case, "notat/"), {"version": 1, "body": SECRET})
    assert response.status_code == 404
    assert not Note.objects.exists()


def test_it_refuses_another_municipality(aud_client, case):
    response = aud_client.post(case_url(case, "notat/"), {"version": 1, "body": SECRET})
    assert response.status_code == 404
    assert not Note.objects.exists()
