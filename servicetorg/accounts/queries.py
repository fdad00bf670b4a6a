"""Who may do what: every staff view asks here, and answers 404 when the answer is no."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from servicetorg.accounts.constants import Role
from servicetorg.accounts.models import (
    AccessReportRequest,
    Membership,
    StaffIdentity,
    StaffLoginProvider,
)
from servicetorg.lib.access import refused
from servicetorg.municipalities.models import Municipality


def list_memberships_for_user(
    user: AbstractBaseUser | AnonymousUser, municipality: Municipality
) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(Membership.objects.filter(user=user, municipality=municipality))


def get_membership_for_user(
    user: AbstractBaseUser | AnonymousUser, municipality: Municipality, roles: set[str]
) -> Membership:
    """The user's membership with one of these roles here (admin counts for every role)."""
    for membership in list_memberships_for_user(user, municipality):
        if membership.role in roles or membership.role == Role.ADMIN:
            return membership
    raise refused("staff-role")


def departments_for_caseworker(memberships: list[Membership]) -> list[str] | None:
    """The departments a caseworker may see, or None for all of them."""
    chosen: set[str] = set()
    for membership in memberships:
        if membership.role in (Role.ADMIN, Role.LEADER) or not membership.departments:
            return None
        chosen.update(membership.departments)
    return sorted(chosen)


def list_staff_municipalities(user: AbstractBaseUser) -> list[dict]:
    """Each municipality where the user has a role: the roles, and which workspaces they open."""
    places: dict[int, dict] = {}
    for membership in Membership.objects.filter(user=user).select_related("municipality"):
        entry = places.setdefault(
            membership.municipality_id,
            {"municipality": membership.municipality, "roles": [], "values": set()},
        )
        entry["roles"].append(membership.get_role_display())
        entry["values"].add(membership.role)
    for entry in places.values():
        values = entry.pop("values")
        entry["cases"] = bool(values & {Role.CASEWORKER, Role.LEADER, Role.ADMIN})
        entry["builder"] = bool(values & {Role.SERVICE_OWNER, Role.ADMIN})
        entry["staff"] = Role.ADMIN in values
        entry["insights"] = bool(values & {Role.LEADER, Role.ADMIN})
    return list(places.values())


def list_staff_for_admin(
    municipality: Municipality,
) -> list[tuple[AbstractBaseUser, list[Membership]]]:
    """Every staff member with a role here, with those roles."""
    people: dict[int, tuple[AbstractBaseUser, list[Membership]]] = {}
    memberships = Membership.objects.filter(municipality=municipality).select_related("user")
    for membership in memberships.order_by("user__last_name", "user__first_name", "role"):
        people.setdefault(membership.user_id, (membership.user, []))[1].append(membership)
    return list(people.values())


def get_staff_member_for_admin(municipality: Municipality, user_id: int) -> AbstractBaseUser:
    """A staff member of this municipality; another municipality's staff answer 404."""
    membership = (
        Membership.objects.filter(municipality=municipality, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise refused("staff-member")
    return membership.user


def _usable_providers() -> QuerySet:
    """Enabled providers of active municipalities; this installation's TestID only when it runs."""
    providers = StaffLoginProvider.objects.filter(enabled=True, municipality__active=True)
    if not settings.TESTID_ENABLED:
        providers = providers.exclude(issuer="")
    return providers.select_related("municipality")


def list_login_providers_for_login_page() -> list[StaffLoginProvider]:
    return list(_usable_providers())


def get_login_provider_for_login(provider_id: int) -> StaffLoginProvider:
    """An enabled provider; a disabled or unknown one answers 404."""
    provider = _usable_providers().filter(pk=provider_id).first()
    if provider is None:
        raise refused("staff-login-provider")
    return provider


def _staff_of(municipality: Municipality) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__municipality=municipality)
        .distinct()
    )


def get_identity_for_login(issuer: str, subject: str) -> StaffIdentity | None:
    return (
        StaffIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user").first()
    )


def get_staff_user_for_login(municipality: Municipality, user_id: int) -> AbstractBaseUser | None:
    """The active user, if they have a role in this municipality."""
    return _staff_of(municipality).filter(pk=user_id).first()


def get_staff_user_for_email(municipality: Municipality, email: str) -> AbstractBaseUser | None:
    """The one active user here with this e-mail address; None when none or several have it."""
    found = list(_staff_of(municipality).filter(email__iexact=email.strip())[:2]) if email else []
    return found[0] if len(found) == 1 else None


def list_access_reports_for_admin(
    municipality: Municipality, limit: int = 20
) -> list[AccessReportRequest]:
    """The municipality's latest access reports, newest first."""
    return list(AccessReportRequest.objects.filter(municipality=municipality)[:limit])
