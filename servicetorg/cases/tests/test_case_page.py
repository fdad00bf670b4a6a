"""The case page: the submission as submitted, the applicant, the timeline and the history."""

import re

import pytest
from django.test import Client

from conftest import small_definition
from servicetorg.cases.constants import AccessAction
from servicetorg.cases.models import Case, CaseAccess
from servicetorg.cases.tests.conftest import case_url
from servicetorg.catalog.actions import publish_service

pytestmark = pytest.mark.django_db


def test_it_shows_every_answer(sara_client, case):
    body = sara_client.get(case_url(case)).content.decode()
    for label, value in [
        ("Name", "Kari Nordmann"),
        ("E-mail", "kari@example.no"),
        ("Do you have children?", "Yes"),
        ("Number of children", "2"),
        ("Comment", "Vi flytter i august."),
        ("I confirm", "Confirmed"),
    ]:
        assert re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>{re.escape(value)}</dd>", body), label
    assert "<li>Per</li>" in body  # the household group
    assert "vedtak.pdf" in body


def test_it_shows_the_service_version_it_was_submitted_with(sara_client, case, molde):
    definition = small_definition()
    definition["steps"][0]["fields"][0]["label"]["en"] = "Full name (new wording)"
    publish_service(molde, definition)
    body = sara_client.get(case_url(case)).content.decode()
    assert "Version 1, published" in body
    assert "<dt>Name</dt>" in body
    assert "new wording" not in body


def test_it_shows_the_applicant_and_the_status(sara_client, case, kari):
    body = sara_client.get(case_url(case)).content.decode()
    assert kari.name in body
    assert kari.pid in body
    assert case.number in body
    assert "Received" in body


def test_it_links_the_attachments(sara_client, case):
    attachment = case.submission.attachments.get()
    body = sara_client.get(case_url(case)).content.decode()
    assert case_url(case, f"vedlegg/{attachment.pk}/") in body


def test_it_shows_the_timeline(sara_client, case, kari):
    body = sara_client.get(case_url(case)).content.decode()
    assert re.search(r"– Application received \(" + re.escape(kari.name), body)


def test_it_logs_every_view_and_shows_it(sara, sara_client, case):
    sara_client.get(case_url(case))
    response = sara_client.get(case_url(case))
    views = CaseAccess.objects.filter(case=case, action=AccessAction.VIEW)
    assert views.count() == 2
    assert {(a.user, a.municipality_id) for a in views} == {(sara, case.municipality_id)}
    body = response.content.decode()
    assert body.count("Viewed the case") == 2
    assert "Access history" in body


def test_it_escapes_what_the_applicant_wrote(sara_client, service, kari):
    from servicetorg.cases.tests.conftest import ANSWERS, make_case

    hostile = make_case(service, kari, answers={**ANSWERS, "comment": "<script>x()</script>"})
    body = sara_client.get(case_url(hostile)).content.decode()
    assert "<script>x()</script>" not in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body


def test_it_refuses_the_wrong_role(tone_client, case):
    assert tone_client.get(case_url(case)).status_code == 404
    assert not CaseAccess.objects.exists()


def test_it_refuses_another_department(tor_client, case):
    assert tor_client.get(case_url(case)).status_code == 404


def test_it_refuses_another_municipality(aud_client, case):
    assert aud_client.get(case_url(case)).status_code == 404
    # Through the caseworker's own municipality, too: the case is not there.
    assert aud_client.get(f"/aukra/saksbehandling/sak/{case.pk}/").status_code == 404
    assert not CaseAccess.objects.exists()


def test_it_answers_404_for_a_missing_or_malformed_case(sara_client, case):
    assert sara_client.get("/molde/saksbehandling/sak/not-a-uuid/").status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert sara_client.get(f"/molde/saksbehandling/sak/{missing}/").status_code == 404


def test_it_lets_a_leader_see_every_department(liv_client, case):
    assert liv_client.get(case_url(case)).status_code == 200


def test_it_sends_the_logged_out_to_the_login(case):
    response = Client().get(case_url(case))
    assert response.status_code == 302


def test_it_marks_the_applicants_messages_read(sara_client, case, kari):
    from servicetorg.cases.actions import write_to_caseworker

    message = write_to_caseworker(case, "Hei", [], actor=kari)
    assert Case.objects.get(pk=case.pk).staff_unread
    body = sara_client.get(case_url(case)).content.decode()
    assert ">New</span>" in body
    message.refresh_from_db()
    assert message.read_by_staff_at is not None
    assert not Case.objects.get(pk=case.pk).staff_unread
    assert ">New</span>" not in sara_client.get(case_url(case)).content.decode()
