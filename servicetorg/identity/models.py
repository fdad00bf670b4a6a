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
