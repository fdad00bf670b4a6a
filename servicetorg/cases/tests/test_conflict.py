"""Two caseworkers change the same case at once: the second is told, nothing is overwritten."""

import pytest

from servicetorg.cases.actions import CaseConflict, add_note
from servicetorg.cases.constants import CaseStatus, EventKind
from servicetorg.cases.models import Case, CaseEvent, Note
from servicetorg.cases.tests.conftest import case_url

pytestmark = pytest.mark.django_db
CONFLICT = "Someone else changed the case while you were working; see what changed."


def test_it_refuses_the_second_of_two_forms_with_the_same_version(
    sara, sara_client, liv_client, case
):
    seen = case.version  # both opened the page at this version
    first = sara_client.post(case_url(case, "ta/"), {"version": seen})
    second = liv_client.post(case_url(case, "status/"), {"version": seen, "status": "rejected"})
    assert first.status_code == 302
    assert second.status_code == 302
    assert second["Location"] == case_url(case) + f"?since={seen}#changes"
    case.refresh_from_db()
    assert case.assignee == sara
    assert case.status == CaseStatus.RECEIVED
    assert case.version == seen + 1
    assert not CaseEvent.objects.filter(kind=EventKind.STATUS_CHANGED).exists()


def test_it_shows_what_changed(sara_client, liv_client, case):
    sara_client.post(case_url(case, "status/"), {"version": 1, "status": "in_progress"})
    response = liv_client.post(case_url(case, "notat/"), {"version": 1, "body": "Ring søker"})
    page = liv_client.get(response["Location"]).content.decode()
    assert CONFLICT in page
    changes = page.split('id="changes"')[1].split("</div>")[0]
    assert "Status changed from Received to In progress" in changes
    assert "Sara Testesen" in changes
    assert "Application received" not in changes
    assert not Note.objects.exists()


def test_it_keeps_the_first_of_two_notes(sara, liv, case):
    add_note(case, "Først", actor=sara, version=1)
    with pytest.raises(CaseConflict):
        add_note(case, "Andre", actor=liv, version=1)
    assert list(Note.objects.values_list("body", flat=True)) == ["Først"]
    assert Case.objects.get(pk=case.pk).version == 2


def test_it_treats_a_message_from_the_applicant_as_a_change(sara, kari, case):
    from servicetorg.cases.actions import change_status, write_to_caseworker

    write_to_caseworker(case, "Jeg har nytt å fortelle", [], actor=kari)
    with pytest.raises(CaseConflict):
        change_status(case, CaseStatus.REJECTED, actor=sara, version=1)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_it_does_not_treat_a_view_as_a_change(sara_client, liv_client, case):
    liv_client.get(case_url(case))
    sara_client.post(case_url(case, "ta/"), {"version": 1})
    assert Case.objects.get(pk=case.pk).version == 2


def test_it_lets_only_one_of_two_simultaneous_changes_through(transactional_db, sara, liv, case):
    """Two requests at the same moment, each on its own database connection."""
    import threading

    from django.db import connection

    from servicetorg.cases.actions import change_status

    start = threading.Barrier(2)
    outcomes: list[str] = []

    def change(actor, status):
        try:
            start.wait(timeout=10)
            change_status(case, status, actor=actor, version=1)
            outcomes.append(status)
        except CaseConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=change, args=(sara, CaseStatus.IN_PROGRESS)),
        threading.Thread(target=change, args=(liv, CaseStatus.REJECTED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "conflict" and len(outcomes) == 2
    winner = next(o for o in outcomes if o != "conflict")
    saved = Case.objects.get(pk=case.pk)
    assert (saved.status, saved.version) == (winner, 2)
    assert CaseEvent.objects.filter(kind=EventKind.STATUS_CHANGED).count() == 1
