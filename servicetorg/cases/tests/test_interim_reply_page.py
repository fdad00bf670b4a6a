"""The interim reply page: the template, the preview, the send, and what the applicant sees."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from servicetorg.cases.constants import CaseStatus, EventKind
from servicetorg.cases.models import Case, CaseEvent, Message, Notification
from servicetorg.cases.tests.conftest import case_url

pytestmark = pytest.mark.django_db
REASON = "We wait for a statement from the police."


def later(days: int = 30):
    return timezone.localdate() + timedelta(days=days)


def post(client, case, action="send", reason=REASON, expected_by=None, version=1):
    data = {
        "version": version,
        "reason": reason,
        "expected_by": (expected_by or later()).isoformat(),
        "_action": action,
    }
    return client.post(case_url(case, "forelopig-svar/"), data)


def english(day) -> str:
    with translation.override("en"):
        return date_format(day, "DATE_FORMAT")


def test_it_offers_the_template_in_the_applicants_language(sara_client, case):
    Case.objects.filter(pk=case.pk).update(language="en")
    response = sara_client.get(case_url(case, "forelopig-svar/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "We have many applications to handle at the moment" in body  # the reason, editable
    assert '<textarea name="reason"' in body
    suggested = max(case.due_date, later(14))
    assert f'value="{suggested.isoformat()}"' in body
    assert 'lang="en"' in body  # the preview is marked with the language it is written in
    assert f"We expect to answer by {english(suggested)}." in body
    assert 'name="version" value="1"' in body


def test_it_shows_the_reply_with_the_changes_and_sends_nothing(sara_client, case):
    Case.objects.filter(pk=case.pk).update(language="en")
    response = post(sara_client, case, action="preview", expected_by=later(40))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Why it takes longer: {REASON}" in body
    assert f"We expect to answer by {english(later(40))}." in body
    assert not Message.objects.exists()


def test_it_sends_the_reply(sara_client, case):
    response = post(sara_client, case, expected_by=later(45))
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert REASON in Message.objects.get(case=case).body
    assert Notification.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).due_date == later(45)
    body = sara_client.get(case_url(case)).content.decode()
    assert "The interim reply is sent." in body
    assert f"Sent {english(timezone.localdate())}" in body
    assert f"Interim reply sent: an answer is expected by {english(later(45))}" in body


def test_it_refuses_a_date_that_is_not_after_today(sara_client, case):
    response = post(sara_client, case, expected_by=timezone.localdate())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose a date after today." in body
    assert 'href="#interim_expected_by"' in body
    assert not Message.objects.exists()


def test_it_refuses_a_stale_version(sara_client, sara, case):
    response = post(sara_client, case, version=5)
    assert response.status_code == 302
    assert response["Location"] == case_url(case) + "?since=5#changes"
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.INTERIM_REPLY_SENT).exists()


def test_it_sends_nothing_on_a_finished_case(sara_client, case):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    assert sara_client.get(case_url(case, "forelopig-svar/"))["Location"] == case_url(case)
    post(sara_client, case)
    assert not Message.objects.exists()


def test_it_refuses_the_wrong_role(tone_client, case):
    assert tone_client.get(case_url(case, "forelopig-svar/")).status_code == 404
    assert post(tone_client, case).status_code == 404
    assert not Message.objects.exists()


def test_it_refuses_another_department(tor_client, case):
    assert tor_client.get(case_url(case, "forelopig-svar/")).status_code == 404
    assert post(tor_client, case).status_code == 404
    assert not Message.objects.exists()


def test_it_refuses_another_municipality(aud_client, case):
    assert aud_client.get(case_url(case, "forelopig-svar/")).status_code == 404
    assert post(aud_client, case).status_code == 404
    aukra_url = case_url(case, "forelopig-svar/").replace("/molde/", "/aukra/")
    assert aud_client.get(aukra_url).status_code == 404
    assert not Message.objects.exists()


def test_the_applicant_sees_it_in_my_cases(sara_client, kari_client, case):
    case.language = "en"  # the reply is written in the applicant's language
    case.save(update_fields=["language"])
    post(sara_client, case, expected_by=later(50))
    assert "New message" in kari_client.get("/mine-saker/").content.decode()
    body = kari_client.get(f"/mine-saker/{case.pk}/").content.decode()
    assert f"Why it takes longer: {REASON}" in body
    assert f"Interim reply sent: an answer is expected by {english(later(50))}" in body
    assert f"<dd>{english(later(50))}</dd>" in body  # "Expected answer by"


def test_the_flag_goes_once_it_is_sent(sara_client, service, kari):
    from servicetorg.cases.tests.conftest import make_case

    at = timezone.now() - timedelta(days=25)
    case = make_case(
        service, kari, received_at=at, due_date=timezone.localdate(at) + timedelta(days=28)
    )
    inbox = "/molde/saksbehandling/"
    assert "Interim reply needed</span>" in sara_client.get(inbox).content.decode()
    post(sara_client, case)
    assert "Interim reply needed</span>" not in sara_client.get(inbox).content.decode()
