"""Realistic random cases, written fast with bulk inserts: for the insights tests and the demo.

Each case goes the way a real one does: received on some channel at any hour (midnight
included, so day boundaries are exercised), assigned, sometimes asked for more information,
sometimes given an interim reply (in time or late), decided after a spread of days or still
open, now and then withdrawn, and a few decisions appealed. Digital applications grow from
`digital_share[0]` at `start` to `digital_share[1]` at `end`.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from servicetorg.cases.constants import ActorKind, CaseStatus, EventKind, MessageKind
from servicetorg.cases.deadlines import one_month_after
from servicetorg.cases.decision_models import Decision, Outcome
from servicetorg.cases.models import Case, CaseEvent, CaseNumberSequence, Message
from servicetorg.catalog.models import Service
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Submission

FIRST_NAMES = ["Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Anders", "Nora", "Jonas", "Aisha"]
LAST_NAMES = ["Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Ali"]
# How a non-digital application arrived.
OTHER_CHANNELS = [(Channel.PAPER, 5), (Channel.EMAIL, 3), (Channel.PHONE, 2)]


@dataclass
class _Batch:
    """The rows of one generation run, inserted together."""

    submissions: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    events: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    decisions: list = field(default_factory=list)


def generate_cases(
    services: list[Service],
    *,
    start: date,
    end: date,
    count: int,
    staff: list,
    seed: int = 0,
    now: datetime | None = None,
    digital_share: tuple[float, float] = (0.4, 0.8),
) -> list[Case]:
    """`count` cases spread over the services (all of one municipality) from start to end.

    Nothing happens after `now` (default: the real now): later steps are left undone, so the
    recent cases are still open.
    """
    rng = random.Random(seed)
    now = now or timezone.now()
    municipality = services[0].municipality
    sequences = dict(
        CaseNumberSequence.objects.filter(municipality=municipality).values_list("year", "last")
    )
    batch = _Batch()
    span = max((end - start).days, 1)
    for _ in range(count):
        offset = rng.randint(0, span)
        share = digital_share[0] + (digital_share[1] - digital_share[0]) * offset / span
        received = _at(start + timedelta(days=offset), rng, any_hour=True)
        if received > now:
            continue
        channel = Channel.DIGITAL if rng.random() < share else _weighted(rng, OTHER_CHANNELS)
        _one_case(batch, rng, rng.choice(services), channel, received, staff, now, sequences)
    with transaction.atomic():
        _insert(batch, municipality, sequences)
    return batch.cases


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _at(day: date, rng: random.Random, any_hour: bool = False) -> datetime:
    """A local time on the day: office hours, or any minute (residents apply at night)."""
    minute = rng.randrange(24 * 60) if any_hour else rng.randrange(8 * 60, 16 * 60)
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _number(sequences: dict, year: int) -> int:
    sequences[year] = sequences.get(year, 0) + 1
    return sequences[year]


def _one_case(batch, rng, service, channel, received, staff, now, sequences, appeal_of=None):
    definition = service.published_version.definition.data
    local = timezone.localtime(received)
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    submission = Submission(
        municipality=service.municipality,
        service=service,
        service_version=service.published_version,
        applicant_pid=f"{rng.randrange(10**10, 10**11)}",
        applicant_name=name,
        answers={},
        channel=channel,
        submitted_at=received,
    )
    case = Case(
        municipality=service.municipality,
        year=local.year,
        sequence=_number(sequences, local.year),
        service=service,
        department=definition.get("department", ""),
        submission=submission,
        applicant_pid=submission.applicant_pid,
        applicant_name=name,
        language="nb",
        channel=channel,
        received_at=received,
        due_date=local.date() + timedelta(days=definition["handling_days"]),
        appeal_of=appeal_of,
        status=CaseStatus.RECEIVED,
    )
    batch.submissions.append(submission)
    batch.cases.append(case)
    kind = EventKind.APPEAL_RECEIVED if appeal_of else EventKind.SUBMITTED
    _event(batch, case, kind, received, None)
    worker = rng.choice(staff)
    decided_on = local.date() + timedelta(days=int(rng.gammavariate(2.0, 11.0)))
    decided_at = _at(decided_on, rng)
    withdrawn = rng.random() < 0.05
    assigned = _at(local.date() + timedelta(days=rng.randint(0, 2)), rng)
    if assigned > now:
        return
    case.assignee, case.status = worker, CaseStatus.IN_PROGRESS
    _event(batch, case, EventKind.ASSIGNED, assigned, worker)
    if rng.random() < 0.3:
        _ask(batch, rng, case, worker, assigned, min(decided_at, now))
    if decided_on > one_month_after(local.date()) and rng.random() < 0.75:
        _interim(batch, rng, case, worker, local.date(), decided_on, now)
    if withdrawn:
        if decided_at <= now:
            case.status = CaseStatus.WITHDRAWN
            _event(batch, case, EventKind.STATUS_CHANGED, decided_at, worker)
        return
    if decided_at > now:
        return
    _decide(batch, rng, case, worker, decided_at)
    if appeal_of is None and rng.random() < 0.04:
        appealed = decided_at + timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 5))
        if appealed <= now:
            _one_case(batch, rng, service, Channel.DIGITAL, appealed, staff, now, sequences, case)


def _ask(batch, rng, case, worker, after: datetime, before: datetime) -> None:
    """A question or a document request, and usually the applicant's answer."""
    asked = after + timedelta(hours=rng.randint(1, 72))
    if asked >= before:
        return
    kind = rng.choice([MessageKind.QUESTION, MessageKind.DOCUMENT_REQUEST])
    _message(batch, case, worker, kind, asked)
    answered = asked + timedelta(hours=rng.randint(2, 120))
    if answered < before and rng.random() < 0.85:
        _message(batch, case, None, MessageKind.MESSAGE, answered)


def _interim(batch, rng, case, worker, received_on: date, decided_on: date, now) -> None:
    """An interim reply, mostly within the month (§ 11 a), sometimes late."""
    sent_at = _at(received_on + timedelta(days=rng.randint(20, 38)), rng)
    if sent_at > now or sent_at.date() >= decided_on:
        return
    expected_by = decided_on + timedelta(days=rng.randint(-3, 10))
    expected_by = max(expected_by, timezone.localdate(sent_at) + timedelta(days=1))
    _message(batch, case, worker, MessageKind.MESSAGE, sent_at)
    data = {"expected_by": expected_by.isoformat(), "due_before": case.due_date.isoformat()}
    _event(batch, case, EventKind.INTERIM_REPLY_SENT, sent_at, worker, data)
    case.due_date, case.answered_at = expected_by, sent_at


def _decide(batch, rng, case, worker, at: datetime) -> None:
    outcome = _weighted(rng, [(Outcome.APPROVE, 7), (Outcome.PARTIAL, 1), (Outcome.REJECT, 2)])
    batch.decisions.append(
        Decision(
            case=case,
            outcome=outcome,
            title="Vedtak",
            body="Generert vedtak.",
            language="nb",
            sent_at=at,
            sent_by=worker,
            sent_by_name=worker.get_full_name(),
            letter="",
            appeal_deadline=timezone.localdate(at) + timedelta(days=21),
        )
    )
    _event(batch, case, EventKind.DECISION_SENT, at, worker, {"outcome": outcome})
    case.status, case.answered_at = CaseStatus.DECIDED, at


def _message(batch, case, worker, kind: str, at: datetime) -> None:
    staff = worker is not None
    batch.messages.append(
        Message(
            case=case,
            author_kind=ActorKind.STAFF if staff else ActorKind.RESIDENT,
            author_user=worker,
            author_name=worker.get_full_name() if staff else case.applicant_name,
            kind=kind,
            body="Generert melding.",
            created_at=at,
        )
    )
    event = EventKind.MESSAGE_SENT if staff else EventKind.MESSAGE_RECEIVED
    _event(batch, case, event, at, worker, {"kind": kind})


def _event(batch, case, kind: str, at: datetime, worker, data: dict | None = None) -> None:
    batch.events.append(
        CaseEvent(
            case=case,
            kind=kind,
            at=at,
            actor_kind=ActorKind.STAFF if worker else ActorKind.RESIDENT,
            actor_user=worker,
            actor_name=worker.get_full_name() if worker else case.applicant_name,
            data=data or {},
        )
    )


def _insert(batch: _Batch, municipality, sequences: dict) -> None:
    Submission.objects.bulk_create(batch.submissions)
    # An appeal refers to its appealed case, so the appealed ones go first. Each row takes its
    # submission's new primary key from the object (bulk_create prepares related fields).
    Case.objects.bulk_create([c for c in batch.cases if c.appeal_of is None])
    Case.objects.bulk_create([c for c in batch.cases if c.appeal_of is not None])
    CaseEvent.objects.bulk_create(batch.events)
    Message.objects.bulk_create(batch.messages)
    Decision.objects.bulk_create(batch.decisions)
    for year, last in sequences.items():
        CaseNumberSequence.objects.update_or_create(
            municipality=municipality, year=year, defaults={"last": last}
        )
