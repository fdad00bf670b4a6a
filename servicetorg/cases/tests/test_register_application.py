"""Submitting a registration: the applicant's submission and case, with the channel recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicetorg.cases.constants import AccessAction, ActorKind, EventKind
from servicetorg.cases.models import Case, CaseAccess, CaseEvent
from servicetorg.cases.registration_actions import MissingScan, register_application
from servicetorg.cases.registration_models import SCAN_KEY, StaffRegistration
from servicetorg.cases.tests.registering import STEP_1, STEP_2, fill_in, register, start, url
from servicetorg.submissions.actions import IncompleteDraft
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Attachment, Draft

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_with_the_channel_and_both_events(sara, sara_client, service, kari):
    case = register(sara_client, kari)
    submission = case.submission
    assert (submission.channel, submission.applicant_pid, submission.applicant_name) == (
        Channel.PAPER,
        kari.pid,
        kari.name,
    )
    assert submission.answers["comment"] == "Fra papirskjema."
    assert (case.applicant_pid, case.department, case.language) == (kari.pid, "Oppvekst", "nb")
    submitted, registered = CaseEvent.objects.filter(case=case).order_by("at", "id")
    assert (submitted.kind, submitted.actor_kind, submitted.actor_name) == (
        EventKind.SUBMITTED,
        ActorKind.RESIDENT,
        kari.name,
    )
    assert submitted.data == {"channel": "paper"}
    assert (registered.kind, registered.actor_user, registered.actor_name) == (
        EventKind.REGISTERED_BY_STAFF,
        sara,
        "Sara Testesen",
    )
    assert registered.data == {"channel": "paper"}
    access = CaseAccess.objects.get(case=case)
    assert (access.action, access.target, access.user) == (
        AccessAction.CHANGE,
        EventKind.REGISTERED_BY_STAFF,
        sara,
    )


def test_it_attaches_the_scan_to_the_submission(sara_client, service, kari):
    case = register(sara_client, kari)
    scan = Attachment.objects.get(submission=case.submission)
    assert (scan.field_key, scan.name, scan.owner_pid) == (SCAN_KEY, "skjema.pdf", kari.pid)
    assert scan.file.open("rb").read().startswith(b"%PDF")
    body = sara_client.get(f"/molde/saksbehandling/sak/{case.pk}/").content.decode()
    assert "Original application (scan)" in body
    assert "skjema.pdf" in body
    assert "Registered by staff from an application on paper" in body
    assert "(Paper)" in body  # the channel next to the time received


def test_the_applicant_fetches_the_scan_only_once_it_is_submitted(
    sara_client, kari_client, service, kari
):
    registration = start(sara_client, kari)
    fill_in(sara_client, registration)
    scan = Attachment.objects.get()
    assert kari_client.get(f"/vedlegg/{scan.pk}/").status_code == 404
    sara_client.post(url(registration, "oppsummering/"))
    response = kari_client.get(f"/vedlegg/{scan.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_it_counts_the_deadline_from_the_day_it_was_received(sara_client, service, kari):
    received_on = timezone.localdate() - timedelta(days=5)
    case = register(sara_client, kari, received_on=received_on.isoformat())
    assert timezone.localdate(case.received_at) == received_on
    assert case.due_date == received_on + timedelta(days=30)  # the service's handling days


def test_it_writes_to_the_applicant_in_their_language(sara_client, service, kari):
    case = register(sara_client, kari, language="nn")
    assert case.language == "nn"


def test_it_registers_once_however_often_it_is_submitted(sara, sara_client, service, kari):
    case = register(sara_client, kari)
    registration = StaffRegistration.objects.get()
    again = sara_client.post(url(registration, "oppsummering/"))
    assert again["Location"] == f"/molde/saksbehandling/sak/{case.pk}/"
    assert register_application(registration, actor=sara) == case
    assert Case.objects.count() == 1


def test_it_refuses_an_incomplete_registration(sara, sara_client, service, kari):
    registration = start(sara_client, kari)
    with pytest.raises(IncompleteDraft):
        register_application(registration, actor=sara)
    assert sara_client.post(url(registration, "steg/1/"), STEP_1).status_code == 302
    assert sara_client.post(url(registration, "steg/2/"), STEP_2).status_code == 302
    with pytest.raises(MissingScan):
        register_application(registration, actor=sara)
    assert not Case.objects.exists()


def test_the_review_sends_back_to_what_is_missing(sara_client, service, kari):
    registration = start(sara_client, kari)
    fill_in(sara_client, registration)
    StaffRegistration.objects.filter(pk=registration.pk).update(scan=[])
    response = sara_client.post(url(registration, "oppsummering/"), follow=True)
    assert response.redirect_chain[-1][0] == url(registration, "skanning/")
    assert "Attach the scan of the application." in response.content.decode()
    assert not Case.objects.exists()


def test_it_registers_a_phone_application_without_a_scan(sara_client, service, kari):
    registration = start(sara_client, kari, channel="phone")
    fill_in(sara_client, registration, scan=False)
    sara_client.post(url(registration, "oppsummering/"))
    case = Case.objects.get()
    assert case.submission.channel == Channel.PHONE
    assert not Attachment.objects.exists()


def test_the_applicant_sees_the_case_in_my_cases(sara_client, kari_client, service, kari):
    case = register(sara_client, kari)
    body = kari_client.get("/mine-saker/").content.decode()
    assert case.number in body
    assert f"/mine-saker/{case.pk}/" in body
    detail = kari_client.get(f"/mine-saker/{case.pk}/")
    assert detail.status_code == 200
    assert "Application received" in detail.content.decode()
    receipt = kari_client.get(f"/molde/kvittering/{case.submission_id}/")
    assert "Fra papirskjema." in receipt.content.decode()


def test_the_registration_never_shows_as_the_applicants_draft(
    sara_client, kari_client, service, kari
):
    registration = start(sara_client, kari)
    sara_client.post(url(registration, "steg/1/"), {**{"_action": "save"}, "_shown": ""})
    body = kari_client.get("/mine-saker/").content.decode()
    assert "You have no unfinished applications." in body
    assert "You have not submitted anything yet." in body
    assert not Draft.objects.exists()
    fill_in(sara_client, registration)
    sara_client.post(url(registration, "oppsummering/"))
    body = kari_client.get("/mine-saker/").content.decode()
    assert "You have no unfinished applications." in body


def test_another_resident_does_not_see_it(sara_client, ola_client, service, kari):
    case = register(sara_client, kari)
    assert case.number not in ola_client.get("/mine-saker/").content.decode()
    assert ola_client.get(f"/mine-saker/{case.pk}/").status_code == 404


def test_it_refuses_the_wrong_role(sara_client, tone_client, liv_client, service, kari):
    registration = start(sara_client, kari)
    fill_in(sara_client, registration)
    for client in (tone_client, liv_client):
        assert client.post(url(registration, "oppsummering/")).status_code == 404
    assert not Case.objects.exists()


def test_it_refuses_another_caseworkers_registration(sara_client, service, kari, molde):
    from servicetorg.accounts.constants import Role
    from servicetorg.cases.tests.conftest import staff, staff_client

    registration = start(sara_client, kari)
    fill_in(sara_client, registration)
    other = staff_client(staff(molde, "siri", Role.CASEWORKER, ["Oppvekst"]))
    assert other.get(url(registration, "oppsummering/")).status_code == 404
    assert other.post(url(registration, "oppsummering/")).status_code == 404
    assert not Case.objects.exists()


def test_it_refuses_another_municipality(sara_client, aud_client, service, kari):
    registration = start(sara_client, kari)
    fill_in(sara_client, registration)
    assert aud_client.post(url(registration, "oppsummering/")).status_code == 404
    aukra_url = url(registration, "oppsummering/").replace("/molde/", "/aukra/")
    assert aud_client.post(aukra_url).status_code == 404
    assert not Case.objects.exists()
