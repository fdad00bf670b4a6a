"""Reads of cases with their access rules.

A resident sees only the cases where they are the applicant. A caseworker sees the cases of
their municipality, and of their departments only when their role is limited to some. Both
get the same 404 for a case that is missing and one that is not theirs.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, TruncDate
from django.db.models.lookups import Exact, GreaterThan
from django.http import HttpRequest
from django.utils import timezone

from servicetorg.accounts.constants import Role
from servicetorg.accounts.models import Membership
from servicetorg.accounts.queries import departments_for_caseworker, list_memberships_for_user
from servicetorg.cases.constants import (
    OPEN_STATUSES,
    RESIDENT_EVENTS,
    ActorKind,
    CaseStatus,
)
from servicetorg.cases.models import (
    Case,
    CaseAccess,
    CaseEvent,
    CaseNumberSequence,
    Message,
    MessageAttachment,
    Note,
)
from servicetorg.catalog.models import Service
from servicetorg.identity.residents import Resident
from servicetorg.lib.access import parse_uuid, refused
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Attachment

CASE_ROLES = (Role.CASEWORKER, Role.LEADER, Role.ADMIN)
CASE_NUMBER = re.compile(r"^(?:(\d{4})\s*/\s*)?0*(\d{1,9})$")

# The resident's side


def list_cases_for_resident(resident: Resident) -> QuerySet[Case]:
    unread = Message.objects.filter(
        case=OuterRef("pk"), author_kind=ActorKind.STAFF, read_by_resident_at=None
    )
    return (
        Case.objects.filter(applicant_pid=resident.pid)
        .select_related("municipality", "submission__service_version")
        .defer("submission__service_version__document")  # kept parsed: catalog.models
        .annotate(has_news=Exists(unread))
    )


def get_case_for_resident(resident: Resident, case_id: str) -> Case:
    key = parse_uuid(case_id, "case")
    shown = CaseEvent.objects.filter(kind__in=RESIDENT_EVENTS)
    case = (
        list_cases_for_resident(resident)
        .filter(id=key)
        .prefetch_related(Prefetch("events", queryset=shown))
        .first()
    )
    if case is None:
        raise refused("case")
    return case


def list_messages(case: Case) -> list[Message]:
    """The case's messages, both ways, with their attachments (the case is already checked)."""
    return list(case.messages.prefetch_related("attachments"))


def get_message_attachment(case: Case, attachment_id: str) -> MessageAttachment:
    """An attachment of one of the case's messages; 404 for anything else."""
    found = (
        MessageAttachment.objects.filter(
            id=parse_uuid(attachment_id, "attachment"), message__case=case
        )
        .select_related("message")
        .first()
    )
    if found is None:
        raise refused("attachment")
    return found


# The caseworker's side


@dataclass(frozen=True)
class StaffScope:
    """What one staff member may see in one municipality."""

    user: AbstractUser
    municipality: Municipality
    departments: list[str] | None  # None: every department


def staff_scope(request: HttpRequest) -> StaffScope:
    """The scope of a request that `staff_required` has let through."""
    memberships = [
        m
        for m in list_memberships_for_user(request.user, request.municipality)  # type: ignore[attr-defined]
        if m.role in CASE_ROLES
    ]
    if not memberships:
        raise refused("staff-role")
    return StaffScope(
        user=request.user,  # type: ignore[arg-type]
        municipality=request.municipality,  # type: ignore[attr-defined]
        departments=departments_for_caseworker(memberships),
    )


def list_cases_for_staff(scope: StaffScope) -> QuerySet[Case]:
    cases = Case.objects.filter(municipality=scope.municipality)
    if scope.departments is not None:
        cases = cases.filter(department__in=scope.departments)
    return cases


def get_case_for_staff(scope: StaffScope, case_id: str) -> Case:
    case = (
        list_cases_for_staff(scope)
        .filter(id=parse_uuid(case_id, "case"))
        .select_related("municipality", "service", "submission__service_version", "assignee")
        .first()
    )
    if case is None:
        raise refused("case")
    assert case.municipality_id == scope.municipality.pk
    return case


def list_submission_attachments_for_staff(case: Case) -> list[Attachment]:
    return list(Attachment.objects.filter(submission_id=case.submission_id).order_by("created_at"))


def get_submission_attachment_for_staff(case: Case, attachment_id: str) -> Attachment:
    found = Attachment.objects.filter(
        id=parse_uuid(attachment_id, "attachment"), submission_id=case.submission_id
    ).first()
    if found is None:
        raise refused("attachment")
    return found


def list_events_for_staff(case: Case) -> list[CaseEvent]:
    return list(case.events.all())


def list_notes_for_staff(case: Case) -> list[Note]:
    return list(case.notes.all())


def list_accesses_for_staff(case: Case, limit: int = 200) -> list[CaseAccess]:
    return list(case.accesses.all()[:limit])


def list_assignable_staff(municipality: Municipality | int, department: str) -> list[AbstractUser]:
    """Active staff who may handle cases of this department here, by name."""
    memberships = Membership.objects.filter(
        municipality=municipality, role__in=CASE_ROLES, user__is_active=True
    ).select_related("user")
    people = {
        m.user.pk: m.user
        for m in memberships
        if m.role != Role.CASEWORKER or m.covers_department(department)
    }
    return sorted(people.values(), key=lambda u: (u.get_full_name() or u.get_username()).lower())


def list_staff_for_inbox(municipality: Municipality) -> list[AbstractUser]:
    """Everyone who may hold cases here, for the inbox's caseworker filter."""
    memberships = Membership.objects.filter(
        municipality=municipality, role__in=CASE_ROLES, user__is_active=True
    ).select_related("user")
    people = {m.user.pk: m.user for m in memberships}
    return sorted(people.values(), key=lambda u: (u.get_full_name() or u.get_username()).lower())


# The inbox


@dataclass(frozen=True)
class InboxFilter:
    query: str = ""
    service: int | None = None
    status: str = "open"  # a CaseStatus, "open" or "all"
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    unread: bool = False
    sort: str = "due"
    interim: bool = False  # only cases that need an interim reply
    channel: str = ""  # a Channel, or "" for every channel


SORTS = {
    "due": ("due_date", "received_at"),
    "-due": ("-due_date", "-received_at"),
    "received": ("received_at",),
    "-received": ("-received_at",),
}


def search_inbox(scope: StaffScope, chosen: InboxFilter, today: date) -> QuerySet[Case]:
    """The scope's cases that match the filter, in the order asked for."""
    cases = _filter_status(list_cases_for_staff(scope), chosen.status)
    if chosen.query:
        cases = cases.filter(_search(chosen.query, scope.municipality))
    if chosen.service:
        cases = cases.filter(service_id=chosen.service)
    if chosen.assignee == "me":
        cases = cases.filter(assignee=scope.user)
    elif chosen.assignee == "none":
        cases = cases.filter(assignee=None)
    elif chosen.assignee:
        cases = cases.filter(assignee_id=int(chosen.assignee))
    if chosen.overdue:
        cases = cases.filter(_overdue(today))
    if chosen.unread:
        cases = cases.filter(staff_unread=True)
    if chosen.interim:
        cases = cases.filter(needs_interim_reply(today))
    if chosen.channel:
        cases = cases.filter(channel=chosen.channel)
    cases = cases.annotate(**inbox_row_flags(today))
    return cases.select_related("assignee").order_by(*SORTS[chosen.sort], "sequence")


def _filter_status(cases: QuerySet[Case], status: str) -> QuerySet[Case]:
    if status == "open":
        return cases.filter(status__in=OPEN_STATUSES)
    if status in CaseStatus.values:
        return cases.filter(status=status)
    return cases


def _search(query: str, municipality: Municipality) -> Q:
    """A case number ("2026/00123", "123") or a part of the applicant's name."""
    number = CASE_NUMBER.match(query.strip())
    if number:
        year, sequence = number.groups()
        # Without a year, each year the municipality has numbered cases in: the case-number
        # index is (municipality, year, sequence), so a number alone would read all of it.
        years = CaseNumberSequence.objects.filter(municipality=municipality).values("year")
        return Q(sequence=int(sequence)) & (Q(year=int(year)) if year else Q(year__in=years))
    # On PostgreSQL a trigram index on UPPER(applicant_name) serves this (migration 0007).
    return Q(applicant_name__icontains=query.strip())


def _overdue(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


@dataclass(frozen=True)
class InboxCounts:
    quick: dict[str, int | None]  # by quick filter; None where finished cases would be counted
    by_service: dict[int, int]  # open cases by service id


def inbox_counts(scope: StaffScope, today: date) -> InboxCounts:
    """How many open cases each quick filter and each service holds, in one grouped query.

    It reads only the open-cases index. Finished cases are not counted: they grow without
    end, and counting them would read every case of the municipality on every visit.
    """
    counts = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=Q(due_date__lt=today)),
        "unread": Count("pk", filter=Q(staff_unread=True)),
        "mine": Count("pk", filter=Q(assignee=scope.user)),
        "none": Count("pk", filter=Q(assignee=None)),
    }
    counts.update({f"status_{s}": Count("pk", filter=Q(status=s)) for s in OPEN_STATUSES})
    counts.update(deadline_and_channel_counts(today))
    rows = list(
        list_cases_for_staff(scope)
        .filter(status__in=OPEN_STATUSES)
        .values("service_id")
        .annotate(**counts)
        .order_by()
    )
    quick: dict[str, int | None] = {key: sum(row[key] for row in rows) for key in counts}
    finished = [f"status_{s}" for s in CaseStatus.values if s not in OPEN_STATUSES]
    quick.update(dict.fromkeys(["all", *finished]))
    return InboxCounts(quick=quick, by_service={row["service_id"]: row["open"] for row in rows})


def list_service_titles_for_inbox(municipality: Municipality, language: str) -> dict[int, str]:
    """Every service of the municipality by id, with its title (its URL name if unpublished)."""
    services = (
        Service.objects.filter(municipality=municipality)
        .select_related("published_version")
        .defer("published_version__document")  # the parsed definitions are kept per process
    )
    titles = {
        s.pk: s.definition.t("title", language) if s.published_version_id else s.slug
        for s in services
    }
    return dict(sorted(titles.items(), key=lambda item: item[1].lower()))


# Deadlines and channels: interim replies (forvaltningsloven § 11 a) and how cases arrived


def needs_interim_reply(today: date) -> Q:
    """Open cases with no decision and no interim reply that will not be decided within a month.

    Flagged `INTERIM_REPLY_WARN_DAYS` days after receipt, or at once when the due date is later
    than one month after receipt, whichever comes first, and until a reply or decision is sent.
    """
    first_unflagged_day = today - timedelta(days=settings.INTERIM_REPLY_WARN_DAYS - 1)
    warned = Q(received_at__lt=timezone.make_aware(datetime.combine(first_unflagged_day, time())))
    unanswered = Q(status__in=OPEN_STATUSES, answered_at=None)
    return unanswered & (warned | _due_beyond_a_month())


class _OneMonthLater(Func):
    """A date plus one calendar month, in PostgreSQL (31 January gives 28 or 29 February)."""

    template = "(%(expressions)s + interval '1 month')::date"
    output_field = DateField()


def _due_beyond_a_month() -> Q:
    """due_date > the day one month after receipt (local time), in SQL any database runs.

    One month after 31 January is 28 (29) February, so a due date one calendar month later
    is beyond the month only when its day of the month is later than the day of receipt.
    """
    if connection.vendor == "postgresql":
        # The same rule with one time zone conversion a row instead of four: the inbox counts
        # evaluate it for every open case (65 of 90 ms at a million cases).
        return Q(GreaterThan(F("due_date"), _OneMonthLater(TruncDate("received_at"))))
    months = (
        (ExtractYear("due_date") - ExtractYear("received_at")) * 12
        + ExtractMonth("due_date")
        - ExtractMonth("received_at")
    )
    later_day = GreaterThan(ExtractDay("due_date"), ExtractDay("received_at"))
    return Q(GreaterThan(months, 1)) | Q(Exact(months, 1), later_day)


def case_needs_interim_reply(case: Case, today: date) -> bool:
    return Case.objects.filter(pk=case.pk).filter(needs_interim_reply(today)).exists()


def inbox_row_flags(today: date) -> dict:
    """What each inbox row shows besides the case itself, computed in the same query."""
    flag = ExpressionWrapper(needs_interim_reply(today), output_field=BooleanField())
    return {"needs_interim_reply": flag}


def deadline_and_channel_counts(today: date) -> dict[str, Count]:
    """The inbox's counts of cases needing an interim reply and of cases by channel."""
    counts = {"interim": Count("pk", filter=needs_interim_reply(today))}
    counts.update({f"channel_{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values})
    return counts


# The administrator's access report (GDPR art. 15)


def list_accesses_for_person(municipality: Municipality, pid: str) -> list[CaseAccess]:
    """Every access to this municipality's cases where the person is the applicant, oldest first.

    Another municipality's cases are never included, whoever asks.
    """
    return list(
        CaseAccess.objects.filter(
            municipality=municipality, case__municipality=municipality, case__applicant_pid=pid
        )
        .select_related("case", "user")
        .order_by("at", "id")
    )
