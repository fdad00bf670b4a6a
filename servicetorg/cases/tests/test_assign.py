"""Taking a case and assigning it to someone who may handle it."""

import pytest

from servicetorg.cases.constants import AccessAction, EventKind
from servicetorg.cases.models import Case, CaseAccess, CaseEvent
from servicetorg.cases.tests.conftest import case_url

pytestmark = pytest.mark.django_db


def test_it_lets_a_caseworker_take_the_case(sara, sara_client, case):
    response = sara_client.post(case_url(case, "ta/"), {"version": case.version})
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    case.refresh_from_db()
    assert case.assignee == sara
    assert case.version == 2
    event = CaseEvent.objects.get(kind=EventKind.ASSIGNED)
    assert (event.actor_user, event.data, event.case_version) == (sara, {"to": "Sara Testesen"}, 2)
    assert CaseAccess.objects.filter(action=AccessAction.CHANGE, user=sara).count() == 1
    body = sara_client.get(case_url(case)).content.decode()
    assert "You have taken the case." in body
    assert "Assigned to Sara Testesen" in body
    assert "Take the case" not in body


def test_it_assigns_to_another_caseworker(sara_client, liv, case):
    response = sara_client.post(case_url(case, "tildel/"), {"version": 1, "assignee": liv.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == liv


def test_it_unassigns(sara, sara_client, case):
    Case.objects.filter(pk=case.pk).update(assignee=sara)
    sara_client.post(case_url(case, "tildel/"), {"version": 1, "assignee": ""})
    assert Case.objects.get(pk=case.pk).assignee is None
    assert CaseEvent.objects.get(kind=EventKind.ASSIGNED).data == {"to": ""}


def test_it_refuses_someone_from_another_department(sara_client, tor, case):
    response = sara_client.post(case_url(case, "tildel/"), {"version": 1, "assignee": tor.pk})
    assert response.status_code == 200  # the form says the choice is not valid
    assert Case.objects.get(pk=case.pk).assignee is None
    assert not CaseEvent.objects.filter(kind=EventKind.ASSIGNED).exists()


def test_it_refuses_someone_from_another_municipality(sara_client, aud, case):
    sara_client.post(case_url(case, "tildel/"), {"version": 1, "assignee": aud.pk})
    assert Case.objects.get(pk=case.pk).assignee is None


def test_it_refuses_the_wrong_role(tone_client, case):
    assert tone_client.post(case_url(case, "ta/"), {"version": 1}).status_code == 404
    assert Case.objects.get(pk=case.pk).assignee is None


def test_it_refuses_another_municipality(aud_client, case):
    assert aud_client.post(case_url(case, "ta/"), {"version": 1}).status_code == 404
    url = f"/aukra/saksbehandling/sak/{case.pk}/ta/"
    assert aud_client.post(url, {"version": 1}).status_code == 404
    assert Case.objects.get(pk=case.pk).assignee is None


def test_it_refuses_a_get(sara_client, case):
    assert sara_client.get(case_url(case, "ta/")).status_code == 405
