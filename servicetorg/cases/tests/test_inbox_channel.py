"""The inbox by channel: how the applications came, filtered and counted."""

import re

import pytest

from servicetorg.cases.constants import CaseStatus
from servicetorg.cases.models import Case
from servicetorg.cases.tests.conftest import make_case
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Submission

pytestmark = pytest.mark.django_db
INBOX = "/molde/saksbehandling/"


def by(channel: str, case):
    """The case as opened from a submission that came this way (the channel is copied)."""
    Submission.objects.filter(pk=case.submission_id).update(channel=channel)
    Case.objects.filter(pk=case.pk).update(channel=channel)
    return case


def numbers(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a [^>]*>(\d{4}/\d{5})</a>', response.content.decode())


@pytest.fixture
def cases(service, kari, ola) -> dict:
    return {
        "digital": make_case(service, kari),
        "paper": by(Channel.PAPER, make_case(service, ola)),
        "closed_paper": by(Channel.PAPER, make_case(service, kari, status=CaseStatus.CLOSED)),
        "phone": by(Channel.PHONE, make_case(service, ola)),
    }


def test_it_counts_the_open_cases_by_channel(sara_client, cases):
    body = sara_client.get(INBOX).content.decode()

    def count(label: str) -> int:
        found = re.search(rf">{label} <span class=\"count\">(\d+)</span>", body)
        assert found, label
        return int(found.group(1))

    assert count("Arrived digitally") == 1
    assert count("Arrived on paper") == 1  # the closed one is not counted
    assert count("Arrived by e-mail") == 0
    assert count("Arrived by phone") == 1


def test_it_filters_by_channel(sara_client, cases):
    paper = sorted([cases["paper"].number, cases["closed_paper"].number])
    assert sorted(numbers(sara_client.get(INBOX, {"channel": "paper", "status": "all"}))) == paper
    assert numbers(sara_client.get(INBOX, {"channel": "paper"})) == [cases["paper"].number]
    assert numbers(sara_client.get(INBOX, {"channel": "phone"})) == [cases["phone"].number]


def test_the_quick_filter_keeps_the_channel(sara_client, cases):
    body = sara_client.get(INBOX, {"channel": "paper"}).content.decode()
    assert re.search(r'href="\?channel=paper" aria-current="true"', body)


def test_it_names_the_channel_of_a_case_not_sent_digitally(sara_client, cases):
    body = sara_client.get(INBOX).content.decode()
    assert body.count('data-color="neutral">Paper</span>') == 1
    assert body.count('data-color="neutral">Phone</span>') == 1
    assert 'data-color="neutral">Digital</span>' not in body


def test_it_ignores_a_channel_it_does_not_know(sara_client, cases):
    assert len(numbers(sara_client.get(INBOX, {"channel": "pigeon"}))) == 3


def test_it_refuses_the_wrong_role_and_municipality(tone_client, aud_client, cases):
    assert tone_client.get(INBOX, {"channel": "paper"}).status_code == 404
    assert aud_client.get(INBOX, {"channel": "paper"}).status_code == 404
