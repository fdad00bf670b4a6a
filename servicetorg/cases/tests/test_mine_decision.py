"""The applicant reads the decision in "Mine saker" and downloads the letter."""

import pytest

from servicetorg.cases.constants import AccessAction, ActorKind
from servicetorg.cases.models import CaseAccess
from servicetorg.cases.tests.decision_helpers import case_in_progress, decide, letter_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(service, kari, sara):
    return decide(case_in_progress(service, kari), sara)


def mine(case, tail: str = "") -> str:
    return f"/mine-saker/{case.pk}/{tail}"


def letter_url(decision) -> str:
    return mine(decision.case, f"vedtak/{decision.pk}/")


def test_it_shows_the_decision_with_its_letter(kari_client, decision):
    body = kari_client.get(mine(decision.case)).content.decode()
    assert "Du har fått barnehageplass" in body
    assert "Kari får plass i Bekkestua barnehage." in body
    assert letter_url(decision) in body
    assert "Decided" in body
    assert "Decision sent" in body  # the timeline
    deadline = letter_date(decision.appeal_deadline, "en")
    assert f"you can appeal (klage) until {deadline}" in body
    assert 'action="/mine-saker/' in body and '/klage/"' in body


def test_it_sends_the_letter_to_the_applicant_and_logs_it(kari_client, decision):
    response = kari_client.get(letter_url(decision))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment;" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == decision.letter.open("rb").read()
    access = CaseAccess.objects.get(action=AccessAction.DOWNLOAD)
    assert (access.target, access.actor_kind, access.user) == (
        str(decision.pk),
        ActorKind.RESIDENT,
        None,
    )


def test_it_refuses_another_resident(ola_client, decision):
    assert ola_client.get(letter_url(decision)).status_code == 404
    assert ola_client.get(mine(decision.case)).status_code == 404
    assert not CaseAccess.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_it_refuses_a_decision_of_another_case(kari_client, decision, service, kari):
    other = case_in_progress(service, kari)
    assert kari_client.get(mine(other, f"vedtak/{decision.pk}/")).status_code == 404
    assert kari_client.get(mine(other, "vedtak/x/")).status_code == 404


def test_it_sends_the_logged_out_to_the_login(client, decision):
    response = client.get(letter_url(decision))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


def test_a_case_without_a_decision_shows_none(kari_client, service, kari):
    case = case_in_progress(service, kari)
    body = kari_client.get(mine(case)).content.decode()
    assert "Appeal the decision" not in body
    assert "/vedtak/" not in body
