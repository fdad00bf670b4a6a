"""Writes to staff accounts and roles. Only administrators of the municipality call these."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from servicetorg.accounts.models import AccessReportRequest, Membership, StaffIdentity
from servicetorg.municipalities.models import Municipality

log = logging.getLogger("servicetorg.accounts")


@transaction.atomic
def add_staff_member(
    municipality: Municipality,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    actor: AbstractUser,
) -> AbstractUser:
    """Create the account (without a usable password: the person sets one or logs in with OIDC)."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": email},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    log.info("staff member added municipality=%s by=%s", municipality.slug, actor.pk)
    return user


@transaction.atomic
def set_roles(
    user: AbstractUser,
    municipality: Municipality,
    roles: dict[str, list[str]],
    *,
    actor: AbstractUser,
) -> None:
    """Replace the user's roles in this municipality: {role: departments}; other places untouched."""
    Membership.objects.filter(user=user, municipality=municipality).exclude(role__in=roles).delete()
    for role, departments in roles.items():
        Membership.objects.update_or_create(
            user=user, municipality=municipality, role=role, defaults={"departments": departments}
        )
    log.info("staff roles set municipality=%s user=%s by=%s", municipality.slug, user.pk, actor.pk)


@transaction.atomic
def link_staff_identity(user: AbstractUser, *, issuer: str, subject: str) -> StaffIdentity:
    """From now on this provider identity logs in as this user, whatever its e-mail becomes."""
    identity, created = StaffIdentity.objects.get_or_create(
        issuer=issuer, subject=subject, defaults={"user": user}
    )
    if created:
        log.info("staff identity linked user=%s", user.pk)
    return identity


def record_access_report(
    municipality: Municipality, pid: str, *, file_format: str, rows: int, actor: AbstractUser
) -> AccessReportRequest:
    """Keep who produced an access report for whom, before the file leaves the server."""
    return AccessReportRequest.objects.create(
        municipality=municipality,
        requested_by=actor,
        requested_by_name=actor.get_full_name() or actor.get_username(),
        subject_pid=pid,
        format=file_format,
        rows=rows,
    )
