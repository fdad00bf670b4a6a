from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Life situations that group the services on a municipality's front page."""

    FAMILY = "family", _("Children and family")
    HOUSING = "housing", _("Housing and property")
    ROADS_WATER = "roads-water", _("Roads, water and sewage")
    CULTURE = "culture", _("Culture and leisure")
    BUSINESS = "business", _("Business")
    HEALTH = "health", _("Health and care")
    NATURE = "nature", _("Nature and outdoor life")
    TRANSPORT = "transport", _("Transport and parking")
