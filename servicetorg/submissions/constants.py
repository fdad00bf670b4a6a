from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How an application reached the municipality."""

    DIGITAL = "digital", _("Digital")
    PAPER = "paper", _("Paper")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")


class ScanStatus(models.TextChoices):
    """Where an uploaded file stands with the virus scanner; only some statuses are served."""

    PENDING = "pending", _("Being checked for viruses")
    CLEAN = "clean", _("No virus found")
    INFECTED = "infected", _("Virus found: held back")
    FAILED = "failed", _("Could not be checked for viruses")
    # The demo's scanner only knows the EICAR test file: it never calls a file clean.
    UNSCANNED = "unscanned", _("Not checked for viruses")


# Files in these states are handed out; the others are held back (see cases/downloads.py).
SERVED_STATUSES = (ScanStatus.CLEAN, ScanStatus.UNSCANNED)
