"""Staff and their roles per municipality. Residents are not users: see identity/residents.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from servicetorg.accounts.constants import ClientAuth, Role
from servicetorg.identity import addresses
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


class StaffLoginProvider(models.Model):
    """An OpenID Connect provider a municipality's staff may log in with (Ansattporten, Entra ID).

    An empty issuer means this installation's own TestID (demo only), found at request time, so
    that the demo works at whatever address it is reached.
    """

    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        related_name="staff_login_providers",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown on the login page, e.g. Ansattporten.")
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        blank=True,
        help_text=_(
            "Exactly as the provider writes it, e.g. https://ansattporten.no. "
            "Empty: this installation's TestID (demo only)."
        ),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    # Stored as typed. A production installation should encrypt this at rest (e.g. with a key
    # from the environment) or take it from a secret store; the demo's secret is public anyway.
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    client_auth = models.CharField(
        _("client authentication"),
        max_length=30,
        choices=ClientAuth.choices,
        default=ClientAuth.CLIENT_SECRET_BASIC,
    )
    scope = models.CharField(_("scope"), max_length=200, default="openid profile email")
    acr_values = models.CharField(
        _("acr values"),
        max_length=200,
        blank=True,
        help_text=_(
            "Space-separated; the login is refused unless the provider returns one of them."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("staff login provider")
        verbose_name_plural = _("staff login providers")
        ordering = ["municipality__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="staff_login_provider_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    def clean(self) -> None:
        if "openid" not in self.scope.split():
            raise ValidationError({"scope": _("The scope must include openid.")})
        if not self.issuer and not settings.TESTID_ENABLED:
            raise ValidationError({"issuer": _("Enter the provider's issuer.")})
        if self.issuer and not settings.DEMO and not self.issuer.startswith("https://"):
            raise ValidationError({"issuer": _("The issuer must be an https:// address.")})

    @property
    def is_own_testid(self) -> bool:
        return not self.issuer

    def issuer_for(self, request: HttpRequest | None = None) -> str:
        """The issuer to talk to: this installation's TestID at the address the browser used."""
        return self.issuer or addresses.testid_issuer(request)

    def identity_issuer(self) -> str:
        """The issuer recorded with a StaffIdentity: the same whatever address the demo has."""
        return self.issuer or addresses.testid_issuer()

    def acr_list(self) -> list[str]:
        return self.acr_values.split()


class StaffIdentity(models.Model):
    """An OpenID Connect identity (issuer + sub) that logs in as this staff member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="staff_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject (sub)"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff identity")
        verbose_name_plural = _("staff identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="staff_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"


class AccessReportRequest(models.Model):
    """One access report (GDPR art. 15) produced by an administrator: who, for whom, when.

    The report shows who saw a person's data; producing it is itself such an access, so it is
    kept here for the municipality's own accountability, not only in the log.
    """

    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        related_name="access_report_requests",
        verbose_name=_("municipality"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The name as it was then: the account may later change or be deleted.
    requested_by_name = models.CharField(_("requested by (name)"), max_length=300)
    subject_pid = models.CharField(_("identity number"), max_length=11)
    format = models.CharField(_("file format"), max_length=10)
    rows = models.PositiveIntegerField(_("accesses in the report"))
    created_at = models.DateTimeField(_("produced at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access report request")
        verbose_name_plural = _("access report requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.municipality.slug} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def masked_pid(self) -> str:
        """The birth date only: enough to tell requests apart on a page, not the number."""
        return f"{self.subject_pid[:6]} *****"
