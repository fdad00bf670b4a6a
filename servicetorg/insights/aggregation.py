"""Recompute a municipality's daily figures from its cases, events, messages and decisions.

A day's rows are always rebuilt from the raw rows of that day, never incremented: refreshing
twice gives the same rows, and a refresh that was missed is repaired by the next one. The case
actions only mark the days they change (`mark_for_refresh`); the periodic `refresh_insights`
rebuilds the marked days, and yesterday and today. docs/insights.md defines
every figure; `figures.raw_figures` computes the same definitions straight from the cases.
"""

import logging
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from servicetorg.cases.constants import WAITING_KINDS, ActorKind, EventKind
from servicetorg.cases.deadlines import one_month_after
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseEvent, Message
from servicetorg.insights.models import (
    DailyFigures,
    DailyStaffWork,
    MonthlyFigures,
    PendingRefresh,
)
from servicetorg.municipalities.models import Municipality

log = logging.getLogger("servicetorg.insights")

COUNT_FIELDS = [
    "received_digital",
    "received_paper",
    "received_email",
    "received_phone",
    "decided",
    "decided_in_time",
    "needed_information",
    "decided_messages",
    "interim_needed",
    "interim_in_time",
    "messages_from_staff",
    "messages_from_applicants",
    "letters_digital",
]


def day_start(day: date) -> datetime:
    """Midnight at the start of the local day, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time()))


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start of `start`, start of the day after `end`): the local days as a time range."""
    return day_start(start), day_start(end + timedelta(days=1))


def original_due_date(case_due: date, interim_events: list[CaseEvent]) -> date:
    """The due date set at receipt: an interim reply moves the case's due date to the date
    promised, and its event keeps the date before."""
    for event in interim_events:
        if "due_before" in event.data:
            return date.fromisoformat(event.data["due_before"])
    return case_due


def decision_facts(case: Case, decided_at: datetime, interim_events: list[CaseEvent]) -> dict:
    """What one decided case adds to its decision day's figures.

    Shared with `figures.raw_figures`, so both sides read the same rules: in time means on or
    before the due date set at receipt (the service's handling time), and an interim reply was
    needed when the decision came later than one month after receipt (forvaltningsloven § 11 a).
    """
    received_on = timezone.localdate(case.received_at)
    decided_on = timezone.localdate(decided_at)
    interim_due = one_month_after(received_on)
    needed = decided_on > interim_due
    first_interim = min((timezone.localdate(e.at) for e in interim_events), default=None)
    return {
        "days": (decided_on - received_on).days,
        "in_time": decided_on <= original_due_date(case.due_date, interim_events),
        "interim_needed": needed,
        "interim_in_time": needed and first_interim is not None and first_interim <= interim_due,
    }


def refresh_day(municipality: Municipality, day: date) -> int:
    """Rebuild the municipality's DailyFigures and DailyStaffWork rows of one day.

    Returns the number of DailyFigures rows written.
    """
    return refresh_range(municipality, day, day)


def refresh_range(municipality: Municipality, start: date, end: date) -> int:
    """Rebuild every day from start to end, both included; returns the DailyFigures rows written.

    A month at a time: the same handful of queries serve every day of the chunk, which keeps
    rebuilding years of history fast and the rows held in memory bounded.
    """
    written = 0
    while start <= end:
        chunk_end = min(end, start + timedelta(days=CHUNK_DAYS - 1))
        written += _refresh_chunk(municipality, start, chunk_end)
        start = chunk_end + timedelta(days=1)
    return written


CHUNK_DAYS = 31
Key = tuple[date, int]  # (day, service id) or (day, user id)


def _refresh_chunk(municipality: Municipality, start: date, end: date) -> int:
    since, until = day_range(start, end)
    # Per (day, service): the counts, and the histogram of days to decision.
    rows: dict[Key, Counter] = defaultdict(Counter)
    histograms: dict[Key, Counter] = defaultdict(Counter)
    _add_received(rows, municipality, since, until)
    _add_decisions(rows, histograms, municipality, since, until)
    _add_messages(rows, municipality, since, until)
    work = _staff_work(municipality, since, until)
    with transaction.atomic():
        _store_figures(municipality, start, end, rows, histograms)
        _store_staff_work(municipality, start, end, work)
        refresh_months(municipality, start, end)
    return len(rows)


def _local(moment: datetime) -> date:
    return timezone.localdate(moment)


def _add_received(rows: dict, municipality: Municipality, since: datetime, until: datetime) -> None:
    received = Case.objects.filter(
        municipality=municipality, appeal_of=None, received_at__gte=since, received_at__lt=until
    ).values_list("service_id", "channel", "received_at")
    for service_id, channel, at in received:
        rows[_local(at), service_id][f"received_{channel}"] += 1


def _add_decisions(
    rows: dict, histograms: dict, municipality: Municipality, since: datetime, until: datetime
) -> None:
    sent = Decision.objects.filter(
        case__municipality=municipality, sent_at__gte=since, sent_at__lt=until
    )
    # Every letter is delivered in "Mine saker", appeals' decisions included.
    for service_id, at in sent.values_list("case__service_id", "sent_at"):
        rows[_local(at), service_id]["letters_digital"] += 1
    earlier = Decision.objects.filter(case=OuterRef("case"), sent_at__lt=OuterRef("sent_at"))
    first = list(
        sent.filter(case__appeal_of=None)
        .exclude(Exists(earlier))
        .select_related("case")
        .only("sent_at", "case__service_id", "case__received_at", "case__due_date")
    )
    if not first:
        return
    ids = [d.case_id for d in first]
    interim = defaultdict(list)
    for event in CaseEvent.objects.filter(case__in=ids, kind=EventKind.INTERIM_REPLY_SENT):
        interim[event.case_id].append(event)
    asked = Q(author_kind=ActorKind.STAFF, kind__in=WAITING_KINDS)
    messages = {
        case_id: (n, questions)
        for case_id, n, questions in Message.objects.filter(case__in=ids)
        .values_list("case_id")
        .annotate(n=Count("pk"), questions=Count("pk", filter=asked))
        .order_by()
    }
    for decision in first:
        facts = decision_facts(decision.case, decision.sent_at, interim[decision.case_id])
        n, questions = messages.get(decision.case_id, (0, 0))
        key = (_local(decision.sent_at), decision.case.service_id)
        histograms[key][facts["days"]] += 1
        rows[key].update(
            decided=1,
            decided_in_time=facts["in_time"],
            interim_needed=facts["interim_needed"],
            interim_in_time=facts["interim_in_time"],
            needed_information=questions > 0,
            decided_messages=n,
        )


def _add_messages(rows: dict, municipality: Municipality, since: datetime, until: datetime) -> None:
    messages = Message.objects.filter(
        case__municipality=municipality, created_at__gte=since, created_at__lt=until
    ).values_list("case__service_id", "author_kind", "created_at")
    for service_id, author_kind, at in messages:
        staff = author_kind == ActorKind.STAFF
        rows[_local(at), service_id][
            "messages_from_staff" if staff else "messages_from_applicants"
        ] += 1


def _staff_work(municipality: Municipality, since: datetime, until: datetime) -> dict[Key, int]:
    """Distinct cases each staff member changed, wrote on or decided, per day."""
    events = CaseEvent.objects.filter(
        case__municipality=municipality,
        at__gte=since,
        at__lt=until,
        actor_kind=ActorKind.STAFF,
        actor_user__isnull=False,
    ).values_list("actor_user_id", "case_id", "at")
    handled = {(_local(at), user_id, case_id) for user_id, case_id, at in events}
    return dict(Counter((day, user_id) for day, user_id, _case in handled))


def _store_figures(
    municipality: Municipality, start: date, end: date, rows: dict, histograms: dict
) -> None:
    # An upsert rather than delete-and-insert: two refreshes of the same day running at once
    # (an action's on-commit and the periodic task) cannot collide on the unique constraint.
    # Counts a row does not mention are zero, and the update resets them too.
    objects = [
        DailyFigures(
            municipality=municipality,
            service_id=service_id,
            day=day,
            decision_days={str(k): v for k, v in sorted(histograms[day, service_id].items())},
            **{name: int(n) for name, n in row.items()},
        )
        for (day, service_id), row in rows.items()
    ]
    DailyFigures.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["municipality", "service", "day"],
        update_fields=[*COUNT_FIELDS, "decision_days", "refreshed_at"],
    )
    existing = DailyFigures.objects.filter(municipality=municipality, day__gte=start, day__lte=end)
    stale = [
        pk for pk, *key in existing.values_list("pk", "day", "service_id") if tuple(key) not in rows
    ]
    DailyFigures.objects.filter(pk__in=stale).delete()


def _store_staff_work(municipality: Municipality, start: date, end: date, work: dict) -> None:
    DailyStaffWork.objects.bulk_create(
        [
            DailyStaffWork(municipality=municipality, user_id=user_id, day=day, cases=n)
            for (day, user_id), n in work.items()
        ],
        update_conflicts=True,
        unique_fields=["municipality", "user", "day"],
        update_fields=["cases"],
    )
    existing = DailyStaffWork.objects.filter(
        municipality=municipality, day__gte=start, day__lte=end
    )
    stale = [
        pk for pk, *key in existing.values_list("pk", "day", "user_id") if tuple(key) not in work
    ]
    DailyStaffWork.objects.filter(pk__in=stale).delete()


def refresh_months(municipality: Municipality, start: date, end: date) -> int:
    """Rebuild the MonthlyFigures of every month from start's to end's from the daily rows
    (sums, and the merged histograms); returns the months written."""
    first = start.replace(day=1)
    following = (end.replace(day=1) + timedelta(days=31)).replace(day=1)
    counts: dict[date, Counter] = defaultdict(Counter)
    histograms: dict[date, Counter] = defaultdict(Counter)
    daily = DailyFigures.objects.filter(
        municipality=municipality, day__gte=first, day__lt=following
    )
    for day, days, *values in daily.values_list("day", "decision_days", *COUNT_FIELDS):
        month = day.replace(day=1)
        counts[month].update(dict(zip(COUNT_FIELDS, values, strict=True)))
        histograms[month].update({int(d): n for d, n in days.items()})
    MonthlyFigures.objects.bulk_create(
        [
            MonthlyFigures(
                municipality=municipality,
                month=month,
                decision_days={str(k): v for k, v in sorted(histograms[month].items())},
                **{name: int(counts[month][name]) for name in COUNT_FIELDS},
            )
            for month in counts
        ],
        update_conflicts=True,
        unique_fields=["municipality", "month"],
        update_fields=[*COUNT_FIELDS, "decision_days", "refreshed_at"],
    )
    MonthlyFigures.objects.filter(
        municipality=municipality, month__gte=first, month__lt=following
    ).exclude(month__in=list(counts)).delete()
    return len(counts)


def refresh_for_case(case: Case) -> None:
    """Refresh the days a change to the case touches: the day it was received and today."""
    municipality = Municipality.objects.get(pk=case.municipality_id)
    for day in touched_days(case):
        refresh_day(municipality, day)


def touched_days(case: Case) -> list[date]:
    return sorted({timezone.localdate(case.received_at), timezone.localdate()})


def mark_for_refresh(case: Case) -> None:
    """Called by the case actions inside their transaction: one small insert, so the request
    that submits, writes or decides does no aggregation. The days are marked in the same
    transaction as the change, so a crash right after commit loses no refresh; a rolled-back
    action marks nothing. `refresh_pending` (the periodic task) rebuilds them."""
    PendingRefresh.objects.bulk_create(
        PendingRefresh(municipality_id=case.municipality_id, day=day) for day in touched_days(case)
    )


def refresh_pending(limit: int = 10_000) -> int:
    """Rebuild the marked days, oldest marks first; returns the days rebuilt.

    Marks up to the highest id seen at the start are consumed; one made meanwhile stays for the
    next round, and a day marked many times is rebuilt once.
    """
    marks = list(
        PendingRefresh.objects.order_by("id").values_list("id", "municipality_id", "day")[:limit]
    )
    if not marks:
        return 0
    last = marks[-1][0]
    days = sorted({(municipality_id, day) for _id, municipality_id, day in marks})
    places = Municipality.objects.in_bulk({municipality for municipality, _day in days})
    for municipality_id, day in days:
        refresh_day(places[municipality_id], day)
    PendingRefresh.objects.filter(id__lte=last).delete()
    return len(days)
