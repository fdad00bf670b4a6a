"""Opening a case at submit: number, department, deadline, language and the first event."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from servicetorg.cases.constants import CaseStatus, EventKind
from servicetorg.cases.models import Case
from servicetorg.cases.tests.conftest import make_case

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


def test_its_migration_gives_older_cases_their_department(case):
    Case.objects.filter(pk=case.pk).update(department="")
    migration = importlib.import_module(
        "servicetorg.cases.migrations.0003_case_department_backfill"
    )
    migration.copy_departments(apps, None)
    assert Case.objects.get(pk=case.pk).department == "Oppvekst"
