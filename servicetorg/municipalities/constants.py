from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageForm(models.TextChoices):
    NB = "nb", _("Bokmål")
    NN = "nn", _("Nynorsk")
