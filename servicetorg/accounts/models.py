"""Staff and their roles per municipality. Residents are not users: see identity/residents.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicetorg.accounts.constants import Role
from servicetorg.municipalities.models import Municipality


class Membership(models.Model):
    """One role for one staff member in one municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        Municipality, models.CASCADE, related_name="memberships", verbose_name=_("municipality")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # A caseworker sees the cases of these departments only; empty means all of them.
    departments = models.JSONField(_("departments"), default=list, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.municipality.slug}"

    def covers_department(self, department: str) -> bool:
        return not self.departments or department in self.departments
