from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How an application reached the municipality."""

    DIGITAL = "digital", _("Digital")
    PAPER = "paper", _("Paper")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
