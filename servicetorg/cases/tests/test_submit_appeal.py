"""The applicant appeals (klager) a decision: a new case, linked to the decided one."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from servicetorg.cases.constants import CaseStatus, EventKind
from servicetorg.cases.decision_actions import AppealRefused, submit_appeal
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseEvent
from servicetorg.cases.tests.conftest import case_url, make_case, pdf_bytes
from servicetorg.cases.tests.decision_helpers import SCRIPT, case_in_progress, decide
from servicetorg.submissions.constants import Channel

pytestmark = pytest.mark.django_db
APPEAL = "Jeg mener barnet har rett til plass fra august."


@pytest.fixture
def decided(service, kari, sara) -> Case:
    decision = decide(case_in_progress(service, kari), sara, outcome="reject")
    return Case.objects.get(pk=decision.case_id)


def appeal_url(case) -> str:
    return f"/mine-saker/{case.pk}/klage/"


def post_appeal(client, case, text: str = APPEAL, **files):
    return client.post(appeal_url(case), {"text": text, **files})


def test_it_opens_a_linked_case_with_its_own_number(kari_client, decided, kari):
    upload = SimpleUploadedFile("legeerklaering.pdf", pdf_bytes(), "application/pdf")
    response = post_appeal(kari_client, decided, files=upload)
    assert response.status_code == 302
    assert response["Location"] == f"/mine-saker/{decided.pk}/"
    appeal = Case.objects.get(appeal_of=decided)
    assert appeal.number != decided.number
    assert appeal.sequence == decided.sequence + 1
    assert (appeal.municipality, appeal.service, appeal.department) == (
        decided.municipality,
        decided.service,
        decided.department,
    )
    assert (appeal.applicant_pid, appeal.status) == (kari.pid, CaseStatus.RECEIVED)
    submission = appeal.submission
    assert submission.answers == {"appeal_text": APPEAL, "appeal_of": decided.number}
    assert submission.service_version == decided.submission.service_version
    assert submission.channel == Channel.DIGITAL
    assert submission.attachments.get().name == "legeerklaering.pdf"
    page = kari_client.get(response["Location"]).content.decode()
    assert f"Your appeal is received. Its case number is {appeal.number}." in page
    assert f'href="/mine-saker/{appeal.pk}/"' in page
    assert "Send the appeal" not in page  # appealed once


def test_it_records_the_appeal_on_both_cases(kari_client, decided):
    post_appeal(kari_client, decided)
    appeal = Case.objects.get(appeal_of=decided)
    on_appeal = CaseEvent.objects.get(case=appeal, kind=EventKind.APPEAL_RECEIVED)
    on_decided = CaseEvent.objects.get(case=decided, kind=EventKind.APPEAL_RECEIVED)
    assert on_appeal.data == {"appeal_of": decided.number}
    assert on_decided.data == {"appeal": appeal.number}
    assert Case.objects.get(pk=decided.pk).version == decided.version + 1


def test_the_caseworker_sees_it_marked_as_an_appeal(kari_client, sara_client, decided):
    post_appeal(kari_client, decided, text=f"Klage {SCRIPT}")
    appeal = Case.objects.get(appeal_of=decided)
    inbox = sara_client.get("/molde/saksbehandling/").content.decode()
    row = inbox.split(appeal.number, 1)[1].split("</th>", 1)[0]
    assert "Appeal (klage)" in row
    page = sara_client.get(case_url(appeal)).content.decode()
    assert "This case is an appeal of the decision in case" in page
    assert case_url(decided) in page
    assert "Klage &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in page
    assert "<dt>Number of children</dt>" not in page  # the appeal, not the form
    assert appeal.number in sara_client.get(case_url(decided)).content.decode()


def test_the_applicant_sees_the_appeal_case(kari_client, decided):
    post_appeal(kari_client, decided)
    appeal = Case.objects.get(appeal_of=decided)
    body = kari_client.get(f"/mine-saker/{appeal.pk}/").content.decode()
    assert "This is your appeal (klage) of the decision in case" in body
    assert APPEAL in body


def test_it_refuses_after_the_deadline(kari_client, decided):
    Decision.objects.filter(case=decided).update(
        appeal_deadline=timezone.localdate() - timedelta(days=1)
    )
    body = kari_client.get(f"/mine-saker/{decided.pk}/").content.decode()
    assert "Send the appeal" not in body
    assert "The deadline for appealing was" in body
    post_appeal(kari_client, decided)
    assert not Case.objects.filter(appeal_of=decided).exists()
    page = kari_client.get(f"/mine-saker/{decided.pk}/").content.decode()
    assert "The deadline for appealing has passed." in page


def test_it_accepts_an_appeal_on_the_last_day(kari, decided):
    Decision.objects.filter(case=decided).update(appeal_deadline=timezone.localdate())
    appeal = submit_appeal(decided, text=APPEAL, attachments=[], actor=kari)
    assert appeal.appeal_of == decided


def test_it_refuses_another_resident(ola_client, ola, decided):
    assert post_appeal(ola_client, decided).status_code == 404
    assert ola_client.get(appeal_url(decided)).status_code == 404
    with pytest.raises(PermissionError):
        submit_appeal(decided, text=APPEAL, attachments=[], actor=ola)
    assert not Case.objects.filter(appeal_of=decided).exists()


def test_it_refuses_a_case_without_a_decision(kari_client, kari, service):
    for status in (CaseStatus.IN_PROGRESS, CaseStatus.DECIDED, CaseStatus.CLOSED):
        case = make_case(service, kari, status=status)
        post_appeal(kari_client, case)
        with pytest.raises(AppealRefused) as refused:
            submit_appeal(case, text=APPEAL, attachments=[], actor=kari)
        assert refused.value.reason == "no-decision"
    assert not Case.objects.filter(appeal_of__isnull=False).exists()


def test_it_accepts_an_appeal_after_the_case_is_closed(kari, decided):
    Case.objects.filter(pk=decided.pk).update(status=CaseStatus.CLOSED)
    assert submit_appeal(decided, text=APPEAL, attachments=[], actor=kari).appeal_of == decided


def test_it_takes_one_appeal_per_decision(kari_client, kari, decided):
    post_appeal(kari_client, decided)
    post_appeal(kari_client, decided)
    assert Case.objects.filter(appeal_of=decided).count() == 1
    with pytest.raises(AppealRefused):
        submit_appeal(decided, text=APPEAL, attachments=[], actor=kari)


def test_it_shows_the_errors_on_the_appeal_page(kari_client, decided):
    response = post_appeal(kari_client, decided, text="")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The appeal was not sent." in body
    assert "This field is required." in body
    upload = SimpleUploadedFile("x.pdf", b"<html><script></script></html>", "application/pdf")
    response = post_appeal(kari_client, decided, files=upload)
    assert "is not of an allowed type" in response.content.decode()
    assert not Case.objects.filter(appeal_of=decided).exists()


def test_the_appeal_page_shows_the_form_while_an_appeal_is_possible(kari_client, decided):
    response = kari_client.get(appeal_url(decided))
    assert response.status_code == 200
    assert "Deadline for appealing" in response.content.decode()
    post_appeal(kari_client, decided)
    assert kari_client.get(appeal_url(decided)).status_code == 302


def test_it_sends_the_logged_out_to_the_login(client, decided):
    assert post_appeal(client, decided).status_code == 302
    assert not Case.objects.filter(appeal_of=decided).exists()
