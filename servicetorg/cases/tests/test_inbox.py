"""The inbox: the caseworker's cases, filtered, searched, sorted, paged and counted."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import small_definition
from servicetorg.cases import pages
from servicetorg.cases.constants import CaseStatus
from servicetorg.cases.tests.conftest import ANSWERS, make_case
from servicetorg.catalog.actions import publish_service

pytestmark = pytest.mark.django_db
INBOX = "/molde/saksbehandling/"


def numbers(response) -> list[str]:
    """The case numbers in the table, in the order shown."""
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a [^>]*>(\d{4}/\d{5})</a>', response.content.decode())


def number(case) -> str:
    return case.number


@pytest.fixture
def teknisk_service(molde):
    definition = small_definition("grave")
    definition["department"] = "Teknisk"
    return publish_service(molde, definition).service


def test_it_lists_the_cases_of_the_caseworkers_department(sara_client, case, service, ola):
    other = make_case(service, ola)
    assert sorted(numbers(sara_client.get(INBOX))) == sorted([case.number, other.number])


def test_it_leaves_out_other_departments(sara_client, tor_client, case, teknisk_service, ola):
    dug = make_case(teknisk_service, ola)
    assert numbers(sara_client.get(INBOX)) == [case.number]
    assert numbers(tor_client.get(INBOX)) == [dug.number]


def test_it_shows_a_leader_every_department(liv_client, case, teknisk_service, ola):
    dug = make_case(teknisk_service, ola)
    assert sorted(numbers(liv_client.get(INBOX))) == sorted([case.number, dug.number])


def test_it_refuses_the_wrong_role(tone_client, case):
    assert tone_client.get(INBOX).status_code == 404


def test_it_refuses_another_municipalitys_caseworker(aud_client, case, aukra_case):
    assert aud_client.get(INBOX).status_code == 404
    assert numbers(aud_client.get("/aukra/saksbehandling/")) == [aukra_case.number]


def test_it_sends_the_logged_out_to_the_login(case):
    response = Client().get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/ansatt/logg-inn/")


def test_it_shows_open_cases_by_default(sara_client, service, kari, ola):
    open_case = make_case(service, kari)
    make_case(service, ola, status=CaseStatus.CLOSED)
    assert numbers(sara_client.get(INBOX)) == [open_case.number]


def test_it_filters_by_status(sara_client, service, kari, ola):
    make_case(service, kari)
    closed = make_case(service, ola, status=CaseStatus.CLOSED)
    assert numbers(sara_client.get(INBOX, {"status": "closed"})) == [closed.number]
    assert len(numbers(sara_client.get(INBOX, {"status": "all"}))) == 2


def test_it_filters_by_service(sara_client, liv_client, service, teknisk_service, kari, ola):
    make_case(service, kari)
    dug = make_case(teknisk_service, ola)
    response = liv_client.get(INBOX, {"service": teknisk_service.pk})
    assert numbers(response) == [dug.number]


def test_it_filters_by_assignee(sara, sara_client, liv, service, kari, ola):
    mine = make_case(service, kari, assignee=sara)
    theirs = make_case(service, ola, assignee=liv)
    nobodys = make_case(service, kari)
    assert numbers(sara_client.get(INBOX, {"assignee": "me"})) == [mine.number]
    assert numbers(sara_client.get(INBOX, {"assignee": "none"})) == [nobodys.number]
    assert numbers(sara_client.get(INBOX, {"assignee": str(liv.pk)})) == [theirs.number]


def test_it_filters_overdue_cases(sara_client, service, kari, ola):
    late = make_case(service, kari, due_date=timezone.localdate() - timedelta(days=1))
    make_case(service, ola)
    make_case(service, ola, status=CaseStatus.DECIDED, due_date=late.due_date)
    response = sara_client.get(INBOX, {"overdue": "on"})
    assert numbers(response) == [late.number]
    assert "Overdue" in response.content.decode()


def test_it_filters_unread_messages(sara_client, service, kari, ola):
    unread = make_case(service, kari, staff_unread=True)
    make_case(service, ola)
    response = sara_client.get(INBOX, {"unread": "on"})
    assert numbers(response) == [unread.number]
    assert ">Unread</span>" in response.content.decode()


def test_it_sorts_by_deadline(sara_client, service, kari):
    today = timezone.localdate()
    later = make_case(service, kari, due_date=today + timedelta(days=20))
    sooner = make_case(service, kari, due_date=today + timedelta(days=2))
    middle = make_case(service, kari, due_date=today + timedelta(days=9))
    expected = [sooner.number, middle.number, later.number]
    assert numbers(sara_client.get(INBOX)) == expected
    assert numbers(sara_client.get(INBOX, {"sort": "-due"})) == expected[::-1]


def test_it_searches_by_case_number(sara_client, service, kari):
    cases = [make_case(service, kari) for _ in range(3)]
    second = cases[1]
    for query in (second.number, str(second.sequence), f"{second.sequence:05d}"):
        assert numbers(sara_client.get(INBOX, {"q": query})) == [second.number]


def test_it_searches_by_applicant_name(sara_client, service, kari, ola):
    found = make_case(service, kari)
    make_case(service, ola)
    part = kari.name.split()[-1][:4].lower()
    assert numbers(sara_client.get(INBOX, {"q": part})) == [found.number]


def test_it_pages(sara_client, service, kari):
    for _ in range(30):
        make_case(service, kari, answers=ANSWERS)
    first = sara_client.get(INBOX)
    second = sara_client.get(INBOX, {"page": "2"})
    assert len(numbers(first)) == 25
    assert len(numbers(second)) == 5
    assert not set(numbers(first)) & set(numbers(second))
    assert "page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_it_keeps_the_filter_when_paging(sara_client, service, kari):
    for _ in range(26):
        make_case(service, kari)
    body = sara_client.get(INBOX, {"status": "received"}).content.decode()
    assert 'href="?status=received&amp;page=2"' in body


def test_it_counts_per_filter(sara, sara_client, service, kari, ola):
    late = timezone.localdate() - timedelta(days=3)
    make_case(service, kari, due_date=late)
    make_case(service, kari, assignee=sara, status=CaseStatus.IN_PROGRESS, staff_unread=True)
    make_case(service, ola, status=CaseStatus.CLOSED)
    body = sara_client.get(INBOX).content.decode()

    def count(label: str) -> int:
        found = re.search(rf">{label} <span class=\"count\">(\d+)</span>", body)
        assert found, label
        return int(found.group(1))

    assert count("Open") == 2
    assert count("Received") == 1
    assert count("In progress") == 1
    assert count("Overdue") == 1
    assert count("Unread messages") == 1
    assert count("Mine") == 1
    assert count("Not assigned") == 1
    assert "Test application (2)" in body  # open cases per service
    # Finished cases grow without end: not counted, so the inbox never reads them all.
    assert re.search(r'href="\?status=closed">Closed</a>', body)
    assert re.search(r'href="\?status=all">All</a>', body)


def test_it_pages_only_so_deep_and_asks_to_narrow_the_search(
    monkeypatch, sara_client, service, kari
):
    monkeypatch.setattr(pages, "MAX_PAGES", 2)
    for _ in range(51):
        make_case(service, kari)
    body = sara_client.get(INBOX).content.decode()
    assert "More than 50 cases" in body
    assert "Narrow the search to find the others." in body
    assert 'href="?page=2"' in body and 'href="?page=3"' not in body
    deep = sara_client.get(INBOX, {"page": "30"})
    assert len(numbers(deep)) == 25  # the last page it shows
    assert "page 2 of 2" in deep.content.decode()


def test_it_counts_all_cases_below_the_cap(monkeypatch, sara_client, service, kari):
    monkeypatch.setattr(pages, "MAX_PAGES", 2)
    for _ in range(50):
        make_case(service, kari)
    body = sara_client.get(INBOX).content.decode()
    assert "50 cases" in body and "More than" not in body and "Narrow the search" not in body


def test_it_marks_the_current_filter(sara_client, case):
    body = sara_client.get(INBOX, {"status": "received"}).content.decode()
    assert re.search(r'href="\?status=received" aria-current="true"', body)
    assert not re.search(r'href="\?" aria-current="true"', body)


def test_it_ignores_a_filter_it_does_not_know(sara_client, case):
    response = sara_client.get(INBOX, {"status": "nonsense", "sort": "x", "assignee": "99"})
    assert numbers(response) == [case.number]


def test_it_keeps_the_number_of_queries_bounded(
    sara_client, service, kari, django_assert_max_num_queries
):
    make_case(service, kari)
    with django_assert_max_num_queries(14) as few:
        sara_client.get(INBOX)
    for _ in range(25):
        make_case(service, kari)
    with django_assert_max_num_queries(len(few.captured_queries)):
        sara_client.get(INBOX)
