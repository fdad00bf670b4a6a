"""Reads of the identity app: the trail of staff look-ups in the registers."""

from servicetorg.identity.models import RegisterLookup
from servicetorg.municipalities.models import Municipality


def list_register_lookups_for_person(municipality: Municipality, pid: str) -> list[RegisterLookup]:
    """Every look-up of this person in the registers made in this municipality, oldest first.

    Another municipality's look-ups are never included, whoever asks.
    """
    return list(
        RegisterLookup.objects.filter(municipality=municipality, pid=pid)
        .select_related("user")
        .order_by("at", "id")
    )
