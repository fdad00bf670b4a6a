"""Status changes through the workflow; anything else is refused and changes nothing."""

import pytest

from servicetorg.cases.actions import IllegalTransition, change_status
from servicetorg.cases.constants import TRANSITIONS, CaseStatus, EventKind
from servicetorg.cases.models import Case, CaseEvent
from servicetorg.cases.tests.conftest import case_url

pytestmark = pytest.mark.django_db


def status_of(case) -> str:
    return Case.objects.get(pk=case.pk).status


def test_it_follows_the_workflow(sara, sara_client, case):
    for version, status in enumerate(
        ["in_progress", "waiting", "in_progress", "decided", "closed"]
    ):
        response = sara_client.post(
            case_url(case, "status/"), {"version": version + 1, "status": status}
        )
        assert response.status_code == 302
        assert status_of(case) == status
    events = CaseEvent.objects.filter(kind=EventKind.STATUS_CHANGED)
    assert [(e.data["from"], e.data["to"]) for e in events][:2] == [
        ("received", "in_progress"),
        ("in_progress", "waiting"),
    ]
    body = sara_client.get(case_url(case)).content.decode()
    assert "Status changed from Decided to Closed" in body
    assert "The case is closed: its status cannot change." in body


def test_it_refuses_an_illegal_transition(sara_client, case):
    response = sara_client.post(case_url(case, "status/"), {"version": 1, "status": "closed"})
    assert response.status_code == 302
    assert status_of(case) == CaseStatus.RECEIVED
    assert Case.objects.get(pk=case.pk).version == 1
    assert not CaseEvent.objects.filter(kind=EventKind.STATUS_CHANGED).exists()
    body = sara_client.get(case_url(case)).content.decode()
    assert "The case cannot get that status now." in body


@pytest.mark.parametrize("start", CaseStatus.values)
def test_it_refuses_every_move_outside_the_table(sara, case, start):
    Case.objects.filter(pk=case.pk).update(status=start)
    for target in set(CaseStatus.values) - set(TRANSITIONS[start]):
        case.refresh_from_db()
        with pytest.raises(IllegalTransition):
            change_status(case, target, actor=sara, version=case.version)
        assert status_of(case) == start


def test_it_refuses_an_unknown_status(sara_client, case):
    response = sara_client.post(case_url(case, "status/"), {"version": 1, "status": "done"})
    assert response.status_code == 200
    assert status_of(case) == CaseStatus.RECEIVED


def test_it_offers_only_the_allowed_statuses(sara_client, case):
    body = sara_client.get(case_url(case)).content.decode()
    select = body.split('id="status_status"')[1].split("</select>")[0]
    assert 'value="in_progress"' in select
    assert 'value="closed"' not in select
    assert 'value="decided"' not in select


def test_it_refuses_the_wrong_role(tone_client, case):
    response = tone_client.post(case_url(case, "status/"), {"version": 1, "status": "in_progress"})
    assert response.status_code == 404
    assert status_of(case) == CaseStatus.RECEIVED


def test_it_refuses_another_municipality(aud_client, case):
    response = aud_client.post(case_url(case, "status/"), {"version": 1, "status": "in_progress"})
    assert response.status_code == 404
    assert status_of(case) == CaseStatus.RECEIVED
