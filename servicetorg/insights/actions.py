"""The leader's estimates for the gains: the municipality's costs and each service's minutes."""

import logging
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import transaction

from servicetorg.catalog.models import Service
from servicetorg.insights.models import MunicipalityGains, ServiceGains
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel

log = logging.getLogger("servicetorg.insights")


@transaction.atomic
def set_costs(
    municipality: Municipality,
    *,
    hourly_cost_nok: int,
    letter_cost_nok: Decimal,
    actor: AbstractUser,
) -> MunicipalityGains:
    row, _created = MunicipalityGains.objects.update_or_create(
        municipality=municipality,
        defaults={"hourly_cost_nok": hourly_cost_nok, "letter_cost_nok": letter_cost_nok},
    )
    log.info(
        "gain costs set municipality=%s hourly=%s letter=%s by=%s",
        municipality.slug,
        hourly_cost_nok,
        letter_cost_nok,
        actor.pk,
    )
    return row


@transaction.atomic
def set_service_minutes(
    service: Service, minutes: dict[str, int], *, actor: AbstractUser
) -> ServiceGains:
    """Store the minutes of one application by each channel (every channel required)."""
    if set(minutes) != set(Channel.values):
        raise ValueError(f"minutes for every channel needed, got {sorted(minutes)}")
    row, _created = ServiceGains.objects.update_or_create(
        service=service, defaults={f"minutes_{c}": int(n) for c, n in minutes.items()}
    )
    log.info("gain minutes set service=%s minutes=%s by=%s", service.pk, minutes, actor.pk)
    return row
