"""Which server-side session belongs to which login at the provider (for front-channel logout)."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ResidentSessionQuerySet(models.QuerySet):
    def remember(self, *, issuer: str, sid: str, session_key: str) -> None:
        # Rows outlive sessions that simply expire: drop those past the absolute lifetime.
        cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        self.filter(created_at__lt=cutoff).delete()
        self.create(issuer=issuer, sid=sid, session_key=session_key)

    def forget(self, session_key: str | None) -> None:
        if session_key:
            self.filter(session_key=session_key).delete()

    def end(self, *, issuer: str, sid: str) -> int:
        """Delete every session of this provider login; return how many there were."""
        rows = list(self.filter(issuer=issuer, sid=sid))
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for row in rows:
            store(session_key=row.session_key).delete()
        self.filter(pk__in=[row.pk for row in rows]).delete()
        return len(rows)


class ResidentSession(models.Model):
    """One resident login: the provider's session id (`sid`) and this site's session key."""

    issuer = models.CharField(_("issuer"), max_length=200)
    sid = models.CharField(_("provider session id"), max_length=200)
    session_key = models.CharField(_("session key"), max_length=40, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ResidentSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident session")
        verbose_name_plural = _("resident sessions")
        indexes = [models.Index(fields=["issuer", "sid"])]

    def __str__(self) -> str:
        return f"{self.issuer} {self.created_at:%Y-%m-%d %H:%M}"


class LookupPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registering an application on the person's behalf")


class RegisterLookup(models.Model):
    """A staff member's look-up of one person in the registers: who, whose, why (append only).

    An access to the person's data before any case of theirs exists, so it is kept here and
    not in a case's access log.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality", models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by name"), max_length=200)
    pid = models.CharField(_("identity number"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=20, choices=LookupPurpose.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("register look-up")
        verbose_name_plural = _("register look-ups")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["pid", "-at"], name="register_lookup_pid")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.at:%Y-%m-%d %H:%M}"
