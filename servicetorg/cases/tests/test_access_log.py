"""The access log: every view, download and change, with who and when, shown on the case page."""

import pytest
from django.db import transaction

from servicetorg.cases import actions
from servicetorg.cases.constants import AccessAction, ActorKind
from servicetorg.cases.models import Case, CaseAccess, CaseEvent
from servicetorg.cases.tests.conftest import case_url

pytestmark = pytest.mark.django_db


def test_it_logs_a_view_a_download_and_a_change(sara, sara_client, case):
    attachment = case.submission.attachments.get()
    sara_client.get(case_url(case))
    sara_client.get(case_url(case, f"vedlegg/{attachment.pk}/"))
    sara_client.post(case_url(case, "ta/"), {"version": 1})
    rows = list(CaseAccess.objects.order_by("at", "id"))
    assert [(r.action, r.target) for r in rows] == [
        (AccessAction.VIEW, ""),
        (AccessAction.DOWNLOAD, str(attachment.pk)),
        (AccessAction.CHANGE, "assigned"),
    ]
    for row in rows:
        assert (row.user, row.actor_kind, row.actor_name) == (
            sara,
            ActorKind.STAFF,
            "Sara Testesen",
        )
        assert row.municipality_id == case.municipality_id
        assert row.at is not None


def test_it_shows_the_history_on_the_case_page(sara_client, liv_client, case):
    attachment = case.submission.attachments.get()
    liv_client.get(case_url(case, f"vedlegg/{attachment.pk}/"))
    liv_client.post(case_url(case, "status/"), {"version": 1, "status": "in_progress"})
    body = sara_client.get(case_url(case)).content.decode()
    history = body.split("Access history")[1]
    assert "Liv Testesen" in history
    assert "Downloaded vedtak.pdf" in history
    assert "Changed the case: Status changed" in history
    assert "Sara Testesen" in history and "Viewed the case" in history


def test_it_writes_the_change_and_its_log_together(sara, case, monkeypatch):
    """A change that fails leaves neither the event nor the access row behind."""

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CaseEvent.objects, "create", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.take_case(case, actor=sara, version=1)
    assert not CaseAccess.objects.exists()
    assert Case.objects.get(pk=case.pk).assignee is None
    assert Case.objects.get(pk=case.pk).version == 1


def test_it_logs_nothing_for_a_refused_view(tor_client, aud_client, tone_client, case):
    for client in (tor_client, aud_client, tone_client):
        assert client.get(case_url(case)).status_code == 404
    assert not CaseAccess.objects.exists()
