from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff member may do in one municipality."""

    CASEWORKER = "caseworker", _("Caseworker")
    SERVICE_OWNER = "service_owner", _("Service owner")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


class ClientAuth(models.TextChoices):
    """How Servicetorg proves itself at a staff login provider's token endpoint."""

    CLIENT_SECRET_BASIC = "client_secret_basic", _("Client secret (HTTP Basic)")
    CLIENT_SECRET_POST = "client_secret_post", _("Client secret (form field)")
