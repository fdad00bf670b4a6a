"""Deadlines of a case in plain dates, and the interim reply's text (forvaltningsloven § 11 a).

The inbox finds the cases that need an interim reply in SQL (`queries.needs_interim_reply`);
this module holds what the pages and the action need around it.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from servicetorg.cases.constants import EventKind
from servicetorg.cases.models import Case, CaseEvent
from servicetorg.cases.queries import case_needs_interim_reply

LANGUAGES = {code for code, _name in settings.LANGUAGES}
# The interim reply form suggests at least this much time from today for the answer.
SUGGESTED_DAYS = 14


def one_month_after(day: date) -> date:
    """The same day next month, or that month's last day (31 January -> 28 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interim_reply_due(case: Case) -> date:
    """The last day the case can be answered without an interim reply."""
    return one_month_after(timezone.localdate(case.received_at))


def suggested_expected_by(case: Case, today: date) -> date:
    return max(case.due_date, today + timedelta(days=SUGGESTED_DAYS))


def case_language(case: Case) -> str:
    """The applicant's language: what they used, else the municipality's language form."""
    return case.language if case.language in LANGUAGES else case.municipality.default_language


def default_reason(case: Case) -> str:
    """The reason the form offers, in the applicant's language, for the caseworker to edit."""
    with translation.override(case_language(case)):
        return _(
            "We have many applications to handle at the moment, and we handle them in the "
            "order they arrived."
        )


def interim_reply_body(case: Case, reason: str, expected_by: date) -> str:
    """The interim reply as the applicant reads it, in their language.

    The reason is the caseworker's; the date of receipt, the expected answer date and the legal
    basis are always written from the case, so the letter always says what the law asks.
    """
    with translation.override(case_language(case)):
        received = date_format(timezone.localtime(case.received_at), "DATE_FORMAT")
        parts = [
            _(
                "We received your application on %(received)s (case %(number)s). We cannot "
                "answer it within one month."
            )
            % {"received": received, "number": case.number},
            _("Why it takes longer: %(reason)s") % {"reason": reason.strip()},
            _("We expect to answer by %(date)s.")
            % {"date": date_format(expected_by, "DATE_FORMAT")},
            _(
                "This interim reply is sent because the Public Administration Act "
                "(forvaltningsloven) section 11 a requires it when an answer takes longer "
                "than one month."
            ),
        ]
    return "\n\n".join(parts)


def interim_reply_state(case: Case, events: list[CaseEvent], today: date) -> dict:
    """What the case page says about the interim reply: needed, by when, and any sent."""
    sent = [e for e in events if e.kind == EventKind.INTERIM_REPLY_SENT]
    due = interim_reply_due(case)
    return {
        "needed": case.is_open and case_needs_interim_reply(case, today),
        "due": due,
        "late": today > due,
        "sent": sent[-1] if sent else None,
    }
