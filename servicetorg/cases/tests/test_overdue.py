"""Overdue cases: counted in the inbox and marked there and on the case page, not by colour alone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from servicetorg.cases.constants import CaseStatus
from servicetorg.cases.tests.conftest import case_url, make_case

pytestmark = pytest.mark.django_db
INBOX = "/molde/saksbehandling/"


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_it_counts_the_open_overdue_cases(sara_client, service, kari, ola):
    make_case(service, kari, due_date=yesterday())
    make_case(service, ola, due_date=yesterday(), status=CaseStatus.IN_PROGRESS)
    make_case(service, ola, due_date=yesterday(), status=CaseStatus.DECIDED)
    make_case(service, kari)
    body = sara_client.get(INBOX).content.decode()
    assert re.search(r'href="\?overdue=on">Overdue <span class="count">2</span>', body)


def test_it_marks_an_overdue_row_with_a_class_and_a_word(sara_client, service, kari, ola):
    late = make_case(service, kari, due_date=yesterday())
    on_time = make_case(service, ola)
    body = sara_client.get(INBOX).content.decode()
    row = r'<tr([^>]*)>\s*<th scope="row"><a [^>]*>(\d{4}/\d{5})</a>'
    rows = {number: attrs for attrs, number in re.findall(row, body)}
    assert rows[late.number] == ' class="overdue"'
    assert rows[on_time.number] == ""
    assert body.count('data-color="danger">Overdue</span>') == 1


def test_a_decided_case_past_its_date_is_not_overdue(sara_client, service, kari):
    make_case(service, kari, due_date=yesterday(), status=CaseStatus.DECIDED)
    body = sara_client.get(INBOX, {"status": "all"}).content.decode()
    assert 'class="overdue"' not in body


def test_the_case_page_marks_it(sara_client, service, kari):
    late = make_case(service, kari, due_date=yesterday())
    body = sara_client.get(case_url(late)).content.decode()
    assert re.search(
        r'<dd class="overdue">[^<]+<span class="ds-tag" data-color="danger">Overdue</span>', body
    )
