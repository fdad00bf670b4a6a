"""Reads of cases: a resident sees only the cases where they are the applicant."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from servicetorg.cases.models import Case
from servicetorg.identity.residents import Resident


def list_cases_for_resident(resident: Resident) -> QuerySet[Case]:
    return Case.objects.filter(applicant_pid=resident.pid).select_related(
        "municipality", "submission__service_version"
    )


def get_case_for_resident(resident: Resident, case_id: str) -> Case:
    try:
        key = uuid.UUID(str(case_id))
    except ValueError:
        raise Http404("Not found") from None
    case = (
        list_cases_for_resident(resident)
        .filter(id=key)
        .prefetch_related("events")
        .first()
    )
    if case is None:
        raise Http404("Not found")
    return case
