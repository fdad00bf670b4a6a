"""Who may do what: every staff view asks here, and answers 404 when the answer is no."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from servicetorg.accounts.constants import Role
from servicetorg.accounts.models import Membership
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


def list_staff_municipalities(user: AbstractBaseUser) -> list[tuple[Municipality, list[str]]]:
    """Each municipality where the user has a role, with the roles."""
    places: dict[int, tuple[Municipality, list[str]]] = {}
    for membership in Membership.objects.filter(user=user).select_related("municipality"):
        entry = places.setdefault(membership.municipality_id, (membership.municipality, []))
        entry[1].append(membership.get_role_display())
    return list(places.values())


def list_staff_for_admin(municipality: Municipality) -> list[tuple[AbstractBaseUser, list[Membership]]]:
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
