"""Writes to cases. Each action writes its CaseEvent in the same transaction."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from servicetorg.cases.constants import ActorKind, EventKind
from servicetorg.cases.models import Case, CaseEvent, CaseNumberSequence
from servicetorg.identity.residents import Resident
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.models import Submission


def take_case_number(municipality: Municipality, year: int) -> int:
    """The next number in the municipality's yearly sequence: unique and without gaps.

    The sequence row is locked until the surrounding transaction ends, so concurrent
    submits queue here; a rolled-back submit gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(municipality=municipality, year=year)], ignore_conflicts=True
    )
    sequence = CaseNumberSequence.objects.select_for_update().get(
        municipality=municipality, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def open_case(submission: Submission, *, actor: Resident) -> Case:
    received = submission.submitted_at
    local = timezone.localtime(received)
    handling_days = submission.service_version.definition.data["handling_days"]
    case = Case.objects.create(
        municipality=submission.municipality,
        year=local.year,
        sequence=take_case_number(submission.municipality, local.year),
        service=submission.service,
        submission=submission,
        applicant_pid=submission.applicant_pid,
        applicant_name=submission.applicant_name,
        received_at=received,
        due_date=(local + timedelta(days=handling_days)).date(),
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.SUBMITTED,
        at=received,
        actor_kind=ActorKind.RESIDENT,
        actor_name=actor.name,
        data={"channel": submission.channel},
    )
    return case
