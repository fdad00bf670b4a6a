"""A refused login: one clear page for the person, one log line for the operators."""

import logging
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicetorg.identity.assurance import SUBSTANTIAL
from servicetorg.identity.residents import login_url

log = logging.getLogger("servicetorg.identity")


@dataclass(frozen=True)
class Reason:
    status: int
    title: Promise
    text: Promise


START_AGAIN = _("Log in again to continue.")
REASONS = {
    "state": Reason(
        400,
        _("The login could not be completed"),
        _(
            "The answer from the login service did not match a login started in this browser. "
            "This can happen if you used the back button, opened the link in another browser, "
            "or waited too long."
        ),
    ),
    "code": Reason(
        400,
        _("The login could not be completed"),
        _("The answer from the login service had already been used or had expired."),
    ),
    "nonce": Reason(
        400,
        _("The login could not be completed"),
        _("The answer from the login service did not belong to this login attempt."),
    ),
    "signature": Reason(
        400,
        _("The login could not be completed"),
        _("The answer from the login service was not signed by the login service."),
    ),
    "expired": Reason(
        400,
        _("The login could not be completed"),
        _("The answer from the login service had expired."),
    ),
    "audience": Reason(
        400,
        _("The login could not be completed"),
        _("The answer from the login service was meant for another service."),
    ),
    "issuer": Reason(
        400,
        _("The login could not be completed"),
        _("The answer came from a login service this site does not use."),
    ),
    "claims": Reason(
        400,
        _("The login could not be completed"),
        _("The answer from the login service was incomplete."),
    ),
    "provider": Reason(
        400,
        _("The login could not be completed"),
        _("The login service stopped the login."),
    ),
    "cancelled": Reason(
        400,
        _("The login was cancelled"),
        _("You are not logged in."),
    ),
    "assurance": Reason(
        403,
        _("This service needs a higher security level"),
        _(
            "You logged in with a security level that is too low for this service. "
            "Log in again with BankID, Buypass or Commfides."
        ),
    ),
    "unavailable": Reason(
        503,
        _("The login service is not answering"),
        _("The login service is not available right now. Please try again in a few minutes."),
    ),
}


def refuse(
    request: HttpRequest, reason: str, *, next_url: str = "", level: str = SUBSTANTIAL
) -> HttpResponse:
    """Log the refusal (never identity numbers or tokens) and show what to do next."""
    log.warning("resident login refused method=oidc reason=%s", reason)
    found = REASONS[reason]
    context = {
        "reason": reason,
        "title": found.title,
        "text": found.text,
        "again": START_AGAIN,
        "retry_url": login_url(next_url or "/", level=level),
    }
    return render(request, "identity/refused.html", context, status=found.status)
