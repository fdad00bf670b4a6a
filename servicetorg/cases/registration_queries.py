"""Reads for registering applications on someone's behalf: services and registrations.

A caseworker registers for the services of their own departments only (the case they create
must be one they may see), and sees only their own unfinished registrations. Anything else
answers 404, like a case that is not theirs.
"""

from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from servicetorg.accounts.constants import Role
from servicetorg.accounts.queries import list_memberships_for_user
from servicetorg.cases.models import Case
from servicetorg.cases.queries import StaffScope
from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.models import Service
from servicetorg.lib.access import parse_uuid, refused
from servicetorg.municipalities.models import Municipality

REGISTER_ROLES = (Role.CASEWORKER, Role.ADMIN)


def may_register(user: AbstractBaseUser | AnonymousUser, municipality: Municipality) -> bool:
    """True for staff who register applications here (a caseworker, or an administrator)."""
    memberships = list_memberships_for_user(user, municipality)
    return any(m.role in REGISTER_ROLES for m in memberships)


def _covers(scope: StaffScope, definition: Definition) -> bool:
    department = definition.data["department"]
    return scope.departments is None or department in scope.departments


def list_services_for_registration(scope: StaffScope) -> list[Service]:
    services = Service.objects.filter(
        municipality=scope.municipality, published_version__isnull=False
    ).select_related("published_version")
    return [s for s in services if _covers(scope, s.definition)]


def get_service_for_registration(scope: StaffScope, slug: str) -> Service:
    service = (
        Service.objects.filter(
            municipality=scope.municipality, slug=slug, published_version__isnull=False
        )
        .select_related("published_version", "municipality")
        .first()
    )
    if service is None or not _covers(scope, service.definition):
        raise refused("service")
    assert service.municipality_id == scope.municipality.pk
    return service


def _registrations(scope: StaffScope) -> QuerySet[StaffRegistration]:
    return StaffRegistration.objects.filter(
        municipality=scope.municipality, staff=scope.user, expires_at__gt=timezone.now()
    ).select_related("service", "service_version", "municipality")


def list_registrations_for_staff(scope: StaffScope) -> list[StaffRegistration]:
    """The staff member's own unfinished registrations here, latest first."""
    return list(_registrations(scope).filter(submitted_at=None))


def get_registration_for_staff(scope: StaffScope, registration_id: str) -> StaffRegistration:
    registration = (
        _registrations(scope).filter(id=parse_uuid(registration_id, "registration")).first()
    )
    if registration is None or not _covers(scope, registration.definition):
        raise refused("registration")
    return registration


def get_case_id_for_registration(registration: StaffRegistration) -> UUID:
    """The case a submitted registration became (the registration is already checked)."""
    return (
        Case.objects.filter(submission__draft_key=registration.pk)
        .values_list("pk", flat=True)
        .get()
    )
