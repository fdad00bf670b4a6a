"""Which cases need an interim reply (forvaltningsloven § 11 a), and the inbox's flag for them."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from servicetorg.cases.constants import ActorKind, CaseStatus, EventKind
from servicetorg.cases.deadline_actions import send_interim_reply
from servicetorg.cases.deadlines import one_month_after
from servicetorg.cases.models import Case, CaseEvent
from servicetorg.cases.queries import _due_beyond_a_month, needs_interim_reply
from servicetorg.cases.tests.conftest import case_url, make_case
from servicetorg.cases.tests.decision_helpers import decide

pytestmark = pytest.mark.django_db
INBOX = "/molde/saksbehandling/"


def received(service, resident, days_ago: int, due_in_days: int, **fields) -> Case:
    """A case received `days_ago` days ago, due `due_in_days` days after it was received."""
    at = timezone.now() - timedelta(days=days_ago)
    due = timezone.localdate(at) + timedelta(days=due_in_days)
    return make_case(service, resident, received_at=at, due_date=due, **fields)


def flagged() -> set:
    return set(Case.objects.filter(needs_interim_reply(timezone.localdate())))


def test_it_flags_a_case_from_21_days_after_receipt(service, kari):
    day_21 = received(service, kari, days_ago=21, due_in_days=25)
    received(service, kari, days_ago=20, due_in_days=25)
    assert flagged() == {day_21}


def test_it_follows_the_setting(settings, service, kari):
    settings.INTERIM_REPLY_WARN_DAYS = 10
    day_10 = received(service, kari, days_ago=10, due_in_days=25)
    received(service, kari, days_ago=9, due_in_days=25)
    assert flagged() == {day_10}


def test_it_flags_at_once_when_the_due_date_is_beyond_a_month(service, kari):
    beyond = received(service, kari, days_ago=0, due_in_days=45)
    received(service, kari, days_ago=0, due_in_days=27)
    assert flagged() == {beyond}


def test_it_keeps_flagging_after_the_month(service, kari):
    late = received(service, kari, days_ago=40, due_in_days=30)
    assert flagged() == {late}


@pytest.mark.parametrize(
    ("received_local", "due"),
    [
        (datetime(2026, 1, 31, 10), date(2026, 2, 28)),  # 31 January: one month is 28 February
        (datetime(2028, 1, 31, 10), date(2028, 2, 29)),  # a leap year
        (datetime(2026, 3, 15, 23, 30), date(2026, 4, 15)),  # late evening, local time
        (datetime(2026, 3, 16, 0, 30), date(2026, 4, 16)),  # just after local midnight
        (datetime(2025, 12, 20, 9), date(2026, 1, 20)),  # over the new year
        (datetime(2026, 5, 31, 9), date(2026, 6, 30)),
    ],
)
def test_the_month_is_a_calendar_month_in_local_time(service, kari, received_local, due):
    at = timezone.make_aware(received_local)
    assert one_month_after(received_local.date()) == due
    make_case(service, kari, received_at=at, due_date=due)  # due on the day a month later
    beyond = make_case(service, kari, received_at=at, due_date=due + timedelta(days=1))
    # Only the due date rule: these cases are old, so the warning days flag them all anyway.
    assert set(Case.objects.filter(_due_beyond_a_month())) == {beyond}


def test_it_does_not_flag_a_decided_or_finished_case(service, kari):
    for status in (CaseStatus.DECIDED, CaseStatus.REJECTED, CaseStatus.CLOSED):
        received(service, kari, days_ago=25, due_in_days=45, status=status)
    assert flagged() == set()


def answered(case: Case, kind: str) -> None:
    """What sending a decision or an interim reply leaves: the event and the case's answer time."""
    now = timezone.now()
    CaseEvent.objects.create(case=case, kind=kind, at=now, actor_kind=ActorKind.STAFF)
    Case.objects.filter(pk=case.pk).update(answered_at=now)


def test_it_does_not_flag_a_case_whose_decision_is_sent(service, kari):
    answered(received(service, kari, days_ago=25, due_in_days=45), EventKind.DECISION_SENT)
    assert flagged() == set()


def test_it_does_not_flag_a_case_with_an_interim_reply(service, kari):
    answered(received(service, kari, days_ago=25, due_in_days=45), EventKind.INTERIM_REPLY_SENT)
    assert flagged() == set()


# The inbox


def numbers(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a [^>]*>(\d{4}/\d{5})</a>', response.content.decode())


def test_the_inbox_filters_counts_and_marks_them(sara_client, service, kari, ola):
    needed = received(service, kari, days_ago=22, due_in_days=25)
    received(service, ola, days_ago=1, due_in_days=20)
    response = sara_client.get(INBOX, {"interim": "on"})
    assert numbers(response) == [needed.number]
    body = sara_client.get(INBOX).content.decode()
    assert re.search(r'>Interim reply needed <span class="count">1</span>', body)
    assert body.count('data-color="warning">Interim reply needed</span>') == 1
    assert 'href="?interim=on"' in body


def test_the_inbox_query_count_does_not_grow_with_the_rows(
    sara_client, service, kari, django_assert_max_num_queries
):
    received(service, kari, days_ago=22, due_in_days=25)
    with django_assert_max_num_queries(20) as few:
        sara_client.get(INBOX, {"interim": "on"})
    for _ in range(10):
        received(service, kari, days_ago=22, due_in_days=25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        sara_client.get(INBOX, {"interim": "on"})


def test_the_case_page_tells_it_is_needed_and_by_when(sara_client, service, kari):
    case = received(service, kari, days_ago=22, due_in_days=25)
    body = sara_client.get(case_url(case)).content.decode()
    assert "Interim reply needed" in body
    due = one_month_after(timezone.localdate(case.received_at))
    with translation.override("en"):
        assert f"due by {date_format(due, 'DATE_FORMAT')}" in body
    assert case_url(case, "forelopig-svar/") in body


def test_the_case_page_says_not_yet_for_a_new_case(sara_client, case):
    body = sara_client.get(case_url(case)).content.decode()
    assert "Not needed yet" in body
    assert "Interim reply needed" not in body


def test_the_actions_mark_the_case_answered(sara, service, kari):
    replied = received(service, kari, days_ago=25, due_in_days=45)
    send_interim_reply(
        replied,
        reason="Vi venter på politiet.",
        expected_by=timezone.localdate() + timedelta(days=30),
        version=replied.version,
        actor=sara,
    )
    decided = received(service, kari, days_ago=25, due_in_days=45, status=CaseStatus.IN_PROGRESS)
    assert flagged() == {decided}
    decide(decided, sara)
    assert flagged() == set()
    assert Case.objects.filter(answered_at=None).count() == 0
