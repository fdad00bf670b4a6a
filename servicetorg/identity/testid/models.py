"""TestID's state in the database, so that several app processes share it."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """An RSA key that signs ID tokens; its public half is published in the JWKS."""

    kid = models.CharField(_("key id"), max_length=100, unique=True)
    private_jwk = models.JSONField(_("private key (JWK)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("TestID signing key")
        verbose_name_plural = _("TestID signing keys")

    def __str__(self) -> str:
        return self.kid


class AuthorizationCodeQuerySet(models.QuerySet):
    def use(
        self, code_hash: str, *, issued_after: datetime, now: datetime
    ) -> "AuthorizationCode | None":
        """Mark a code used and return it; None if unknown, expired or used before.

        One conditional UPDATE: of two processes racing with the same code, exactly one wins.
        """
        won = self.filter(
            code_hash=code_hash, used_at__isnull=True, created_at__gt=issued_after
        ).update(used_at=now)
        return self.get(code_hash=code_hash) if won else None


class AuthorizationCode(models.Model):
    """A one-time code from /testid/authorize, exchanged at /testid/token within 60 seconds."""

    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)  # never the code
    client_id = models.CharField(_("client id"), max_length=200)
    redirect_uri = models.CharField(_("redirect URI"), max_length=500)
    code_challenge = models.CharField(_("code challenge"), max_length=128)
    nonce = models.CharField(_("nonce"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=200)
    pid = models.CharField(_("identity number"), max_length=11)  # empty for a staff login
    staff_username = models.CharField(_("staff user name"), max_length=150, blank=True)
    acr = models.CharField(_("assurance level"), max_length=50)
    sid = models.CharField(_("session id"), max_length=100)
    locale = models.CharField(_("locale"), max_length=10)
    created_at = models.DateTimeField(_("created at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = AuthorizationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("TestID authorization code")
        verbose_name_plural = _("TestID authorization codes")

    def __str__(self) -> str:
        return f"{self.client_id} {self.created_at:%Y-%m-%d %H:%M:%S}"
