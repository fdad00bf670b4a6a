"""Reads of cases: a resident sees only the cases where they are the applicant."""

from django.db.models import QuerySet

from servicetorg.cases.models import Case
from servicetorg.identity.residents import Resident
from servicetorg.lib.access import parse_uuid, refused


def list_cases_for_resident(resident: Resident) -> QuerySet[Case]:
    return Case.objects.filter(applicant_pid=resident.pid).select_related(
        "municipality", "submission__service_version"
    )


def get_case_for_resident(resident: Resident, case_id: str) -> Case:
    key = parse_uuid(case_id, "case")
    case = list_cases_for_resident(resident).filter(id=key).prefetch_related("events").first()
    if case is None:
        raise refused("case")
    return case
