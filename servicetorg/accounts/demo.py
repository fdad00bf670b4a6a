"""Demo staff: one person per role in each demo municipality, with a printed password.

Each also has an e-mail address, so TestID can log them in through OpenID Connect too: every demo
municipality gets the login provider "TestID (demo)", this installation's own TestID.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from servicetorg.accounts.constants import ClientAuth, Role
from servicetorg.accounts.models import Membership, StaffLoginProvider
from servicetorg.identity.testid.clients import STAFF_CLIENT_ID
from servicetorg.municipalities.models import Municipality

DEMO_STAFF = [
    ("saksbehandler", Role.CASEWORKER, "Sara", "Saksbehandler"),
    ("tjenesteeier", Role.SERVICE_OWNER, "Tore", "Tjenesteeier"),
    ("leder", Role.LEADER, "Liv", "Leder"),
    ("admin", Role.ADMIN, "Anders", "Admin"),
]
DEMO_EMAIL_DOMAIN = "example.no"
DEMO_PROVIDER_NAME = "TestID (demo)"


@dataclass(frozen=True)
class DemoStaffMember:
    username: str
    name: str
    email: str
    municipality: str


def demo_password(slug: str) -> str:
    return f"demo-{slug}-2026"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def create_demo_staff(municipality: Municipality) -> list[str]:
    """Create (or reset) the demo staff of one municipality; return their user names."""
    names = []
    for prefix, role, first, last in DEMO_STAFF:
        username = f"{prefix}.{municipality.slug}"
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        user.email = demo_email(username)
        user.set_password(demo_password(municipality.slug))
        user.save()
        Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
        names.append(username)
    return names


@transaction.atomic
def create_demo_login_provider(municipality: Municipality) -> StaffLoginProvider:
    """Create (or reset) "TestID (demo)": the empty issuer means this installation's TestID."""
    provider, _ = StaffLoginProvider.objects.update_or_create(
        municipality=municipality,
        name=DEMO_PROVIDER_NAME,
        defaults={
            "issuer": "",
            "client_id": STAFF_CLIENT_ID,
            "client_secret": settings.TESTID_DEMO_SECRET,
            "client_auth": ClientAuth.CLIENT_SECRET_BASIC,
            "scope": "openid profile email",
            "acr_values": "",
            "enabled": True,
        },
    )
    return provider


def list_demo_staff() -> list[DemoStaffMember]:
    """The demo staff of every municipality, for TestID's login page: by municipality, by role.

    Found by their user names, so one whose roles were taken away is still there to try.
    """
    places = dict(Municipality.objects.values_list("slug", "name"))
    wanted = {
        f"{prefix}.{slug}": (name, order)
        for slug, name in places.items()
        for order, (prefix, *_rest) in enumerate(DEMO_STAFF)
    }
    users = get_user_model().objects.filter(username__in=wanted)
    found = sorted(users, key=lambda user: wanted[user.username])
    return [
        DemoStaffMember(u.username, u.get_full_name(), u.email, wanted[u.username][0])
        for u in found
    ]
