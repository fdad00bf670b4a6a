"""Writes of the identity app: the trail of staff look-ups in the registers."""

from django.contrib.auth.models import AbstractUser

from servicetorg.identity.models import RegisterLookup
from servicetorg.municipalities.models import Municipality


def record_register_lookup(
    pid: str, *, municipality: Municipality, purpose: str, actor: AbstractUser
) -> RegisterLookup:
    """Write who looked up whose identity number in the registers, and why."""
    return RegisterLookup.objects.create(
        municipality=municipality,
        user=actor,
        actor_name=actor.get_full_name() or actor.get_username(),
        pid=pid,
        purpose=purpose,
    )
