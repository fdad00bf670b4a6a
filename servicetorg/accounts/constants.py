from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff member may do in one municipality."""

    CASEWORKER = "caseworker", _("Caseworker")
    SERVICE_OWNER = "service_owner", _("Service owner")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")
