"""Demo staff: one person per role in each demo municipality, with a printed password."""

from django.contrib.auth import get_user_model
from django.db import transaction

from servicetorg.accounts.constants import Role
from servicetorg.accounts.models import Membership
from servicetorg.municipalities.models import Municipality

DEMO_STAFF = [
    ("saksbehandler", Role.CASEWORKER, "Sara", "Saksbehandler"),
    ("tjenesteeier", Role.SERVICE_OWNER, "Tore", "Tjenesteeier"),
    ("leder", Role.LEADER, "Liv", "Leder"),
    ("admin", Role.ADMIN, "Anders", "Admin"),
]


def demo_password(slug: str) -> str:
    return f"demo-{slug}-2026"


@transaction.atomic
def create_demo_staff(municipality: Municipality) -> list[str]:
    """Create (or reset) the demo staff of one municipality; return their user names."""
    names = []
    for prefix, role, first, last in DEMO_STAFF:
        username = f"{prefix}.{municipality.slug}"
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        user.set_password(demo_password(municipality.slug))
        user.save()
        Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
        names.append(username)
    return names
