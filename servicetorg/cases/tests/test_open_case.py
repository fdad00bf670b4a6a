"""Opening a case at submit: number, department, deadline, language and the first event."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone, translation

from servicetorg.cases.actions import open_case, take_case_number
from servicetorg.cases.constants import ActorKind, CaseStatus, EventKind
from servicetorg.cases.models import Case, CaseEvent, CaseNumberSequence
from servicetorg.cases.tests.conftest import make_case
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Submission

pytestmark = pytest.mark.django_db


def test_it_copies_the_department_of_the_service(case):
    assert Case.objects.get(pk=case.pk).department == "Oppvekst"


def test_it_starts_at_version_one_unassigned_and_read(case):
    assert (case.version, case.assignee, case.staff_unread, case.status) == (
        1,
        None,
        False,
        CaseStatus.RECEIVED,
    )
    event = case.events.get()
    assert (event.kind, event.case_version) == (EventKind.SUBMITTED, 1)


def test_it_remembers_the_applicants_language(service, kari):
    with translation.override("nn"):
        case = make_case(service, kari)
    assert case.language == "nn"


def test_it_numbers_cases_per_municipality(service, aukra_service, kari, ola):
    first = make_case(service, kari)
    second = make_case(service, ola)
    other = make_case(aukra_service, ola)
    assert (first.sequence, second.sequence, other.sequence) == (1, 2, 1)


def test_a_rolled_back_submit_gives_its_number_back(service, aukra, kari):
    with transaction.atomic():
        assert [take_case_number(service.municipality, 2026) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_case_number(service.municipality, 2026) == 4
        raise RuntimeError("the submit failed after taking its number")
    with transaction.atomic():
        assert take_case_number(service.municipality, 2026) == 4
        assert take_case_number(service.municipality, 2027) == 1
        assert take_case_number(aukra, 2026) == 1
    assert CaseNumberSequence.objects.get(municipality=service.municipality, year=2026).last == 4


def test_its_migration_gives_older_cases_their_department(case):
    Case.objects.filter(pk=case.pk).update(department="")
    migration = importlib.import_module(
        "servicetorg.cases.migrations.0003_case_department_backfill"
    )
    migration.copy_departments(apps, None)
    assert Case.objects.get(pk=case.pk).department == "Oppvekst"


def test_it_copies_the_channel_of_the_submission(service, kari):
    submission = make_case(service, kari).submission
    Case.objects.filter(submission=submission).delete()  # opened again, from paper
    Submission.objects.filter(pk=submission.pk).update(channel=Channel.PAPER)
    submission.refresh_from_db()
    assert open_case(submission, actor=kari).channel == Channel.PAPER


def test_its_migration_gives_older_cases_their_channel_and_answer_time(service, kari):
    paper, answered = make_case(service, kari), make_case(service, kari)
    Submission.objects.filter(pk=paper.submission_id).update(channel=Channel.PAPER)
    at = timezone.now() - timedelta(days=2)
    for kind, when in (
        (EventKind.INTERIM_REPLY_SENT, at - timedelta(days=1)),
        (EventKind.DECISION_SENT, at),
    ):
        CaseEvent.objects.create(case=answered, kind=kind, at=when, actor_kind=ActorKind.STAFF)
    migration = importlib.import_module("servicetorg.cases.migrations.0007_inbox_scale")
    migration.copy_channels_and_answers(apps, None)
    rows = {c.pk: (c.channel, c.answered_at) for c in Case.objects.all()}
    assert rows == {paper.pk: (Channel.PAPER, None), answered.pk: (Channel.DIGITAL, at)}
