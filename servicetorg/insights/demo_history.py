"""Two years of made-up case history for the demo municipalities, so the dashboard has a story.

Every case is written as the case actions would have left it: a submission and a case numbered in
the municipality's yearly sequence, the timeline (received, registered by staff for paper, e-mail
and phone, assigned, questions and answers, interim reply, decision, closed), the messages, the
decision and the access rows of every change. Nothing is rendered: a historic decision has no
stored letter (`Decision.letter` is empty), and the letter views render it from the decision
when it is asked for.

What the figures show, and why:
- volumes follow the population, with each service's season (kindergarten before the main
  intake's deadline 1 March, SFO before April, snowmobile permits in winter, licences to serve
  alcohol before summer and Christmas, road digging in the building season, culture grants before
  the spring and autumn rounds), a weekly rhythm, holidays and the July lull;
- the digital share climbs along an S-curve, from about 40 % two years ago to 75-85 % now, with
  Molde ahead and Aukra behind; paper, e-mail and phone arrive only on working days;
- handling gets better over time: more decisions within the service's handling time, more interim
  replies sent in time; paper and e-mail applications need more questions than digital ones.

The numbers behind this are in `demo_profiles` (services and municipalities) and the holidays
and working days in `demo_calendar`.

The generation is deterministic: one `random.Random` per municipality, seeded from the seed and
the municipality's number, and identifiers drawn from it. Applicants are synthetic people of their
own (synthetic identity numbers, month + 80), never anyone in the demo's population register, so a
demo resident's "Mine saker" is not filled with history.

A historic submission is marked with the answer key `_demo_history` (field keys start with a
letter, so no form can have it): that is how `has_history` knows not to generate again.
"""

import math
import random
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from servicetorg.accounts.constants import Role
from servicetorg.accounts.models import Membership
from servicetorg.cases.constants import (
    AccessAction,
    ActorKind,
    CaseStatus,
    EventKind,
    MessageKind,
)
from servicetorg.cases.deadlines import interim_reply_body, one_month_after
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseAccess, CaseEvent, CaseNumberSequence, Message
from servicetorg.catalog.models import Service
from servicetorg.identity.population import (
    ADULT_NAMES,
    FAMILY_NAMES,
    FOREIGN_FAMILY_NAMES,
    FOREIGN_NAMES,
    demo_population,
)
from servicetorg.insights.demo_calendar import Calendar
from servicetorg.insights.demo_profiles import (
    DEFAULT_PLACE,
    DIGITAL_HOURS,
    DIGITAL_WEEK,
    EMAIL_HOURS,
    OFFLINE_WEEK,
    PLACES,
    PROFILES,
    PlaceProfile,
    ServiceProfile,
)
from servicetorg.lib.idnumbers import generate_synthetic_fnr
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Submission

HISTORY_MARK = "_demo_history"
HISTORY_DAYS = 730
SEED = 2026
BATCH = 2000
# All the services' rates (demo_profiles) times this: about 25,000 cases for the five
# municipalities in two years.
VOLUME = 1.45

# ---------------------------------------------------------------------------------------------
# Texts


DECISION_TEXTS = {
    "nb": {
        "approve": ("Søknaden er innvilget", "Vi har behandlet søknaden din og innvilger den."),
        "partial": (
            "Søknaden er delvis innvilget",
            "Vi har behandlet søknaden din og innvilger den delvis. Begrunnelsen står nedenfor.",
        ),
        "reject": (
            "Søknaden er avslått",
            "Vi har behandlet søknaden din og må dessverre gi avslag. Begrunnelsen står nedenfor.",
        ),
    },
    "nn": {
        "approve": ("Søknaden er innvilga", "Vi har handsama søknaden din og innvilgar han."),
        "partial": (
            "Søknaden er delvis innvilga",
            "Vi har handsama søknaden din og innvilgar han delvis. Grunngjevinga står nedanfor.",
        ),
        "reject": (
            "Søknaden er avslått",
            "Vi har handsama søknaden din og må diverre gje avslag. Grunngjevinga står nedanfor.",
        ),
    },
    "en": {
        "approve": (
            "Your application is approved",
            "We have processed your application and approve it.",
        ),
        "partial": (
            "Your application is partly approved",
            "We have processed your application and approve part of it. The reasons follow below.",
        ),
        "reject": (
            "Your application is rejected",
            "We have processed your application and must reject it. The reasons follow below.",
        ),
    },
}
QUESTIONS = {
    "nb": (
        "Kan du gi oss litt mer informasjon om hva søknaden gjelder?",
        "Vi mangler opplysninger om tidspunkt. Kan du svare på dette?",
        "Gjelder søknaden hele perioden, eller bare deler av den?",
    ),
    "nn": (
        "Kan du gje oss litt meir informasjon om kva søknaden gjeld?",
        "Vi manglar opplysningar om tidspunkt. Kan du svare på dette?",
        "Gjeld søknaden heile perioden, eller berre delar av han?",
    ),
    "en": (
        "Could you give us some more information about what the application concerns?",
        "We are missing information about the dates. Could you answer this?",
        "Does the application cover the whole period, or only part of it?",
    ),
}
DOCUMENT_REQUESTS = {
    "nb": ("Vi trenger dokumentasjon før vi kan behandle søknaden. Last opp dokumentet her.",),
    "nn": ("Vi treng dokumentasjon før vi kan handsame søknaden. Last opp dokumentet her.",),
    "en": ("We need documentation before we can process the application. Please upload it here.",),
}
ANSWERS = {
    "nb": (
        "Takk, her er svaret mitt.",
        "Se opplysningene under. Gi beskjed om noe mangler.",
        "Dokumentet er lastet opp nå.",
    ),
    "nn": (
        "Takk, her er svaret mitt.",
        "Sjå opplysningane under. Gje beskjed om noko manglar.",
        "Dokumentet er lasta opp no.",
    ),
    "en": (
        "Thank you, here is my answer.",
        "Please see the details below. Let me know if anything is missing.",
    ),
}
INTERIM_REASONS = {
    "nb": "Vi har mange søknader til behandling nå, og behandler dem i den rekkefølgen de kom inn.",
    "nn": "Vi har mange søknader til handsaming no, og handsamar dei i den rekkjefølgja dei kom inn.",
    "en": "We have many applications to handle at the moment, and we handle them in the order "
    "they arrived.",
}


# ---------------------------------------------------------------------------------------------
# The generator


@dataclass
class _Plan:
    """One case as generated, before it is written."""

    submission: Submission
    case: Case
    events: list[tuple[CaseEvent, Message | None]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    decision: Decision | None = None
    # Interim replies, written once the case has its number: (message, language, expected by)
    interim: list[tuple[Message, str, date]] = field(default_factory=list)


def has_history(municipality: Municipality) -> bool:
    return Submission.objects.filter(
        municipality=municipality, answers__has_key=HISTORY_MARK
    ).exists()


def _ramp(start: float, end: float, t: float, middle: float = 0.5) -> float:
    """An S-curve from start (t=0) to end (t=1), steepest at `middle`."""

    def s(x: float) -> float:
        return 1 / (1 + math.exp(-7 * (x - middle)))

    low, high = s(0), s(1)
    return start + (end - start) * (s(t) - low) / (high - low)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class _Generator:
    def __init__(
        self,
        municipality: Municipality,
        *,
        start: date,
        end: date,
        ramp_start: date,
        ramp_end: date,
        now: datetime,
        seed: int,
        scale: float,
    ) -> None:
        self.m = municipality
        self.start, self.end = start, end
        self.ramp_start, self.ramp_days = ramp_start, max(1, (ramp_end - ramp_start).days)
        self.now = now
        self.scale = scale
        self.rng = random.Random(f"{seed}-{municipality.number}-{start.isoformat()}")
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.cal = Calendar()
        self.place = PLACES.get(municipality.slug, DEFAULT_PLACE)
        self.population = municipality.population or 5000
        self.services = [
            s
            for s in Service.objects.filter(municipality=municipality)
            .exclude(published_version=None)
            .select_related("published_version")
            .order_by("slug")
            if s.slug in PROFILES
        ]
        self.staff = _historic_staff(municipality, self.place)
        self.applicants = self._applicants()
        self.default_language = municipality.default_language or "nb"

    # -- the people ---------------------------------------------------------------------------

    def _applicants(self) -> list[tuple[str, str]]:
        """A pool of synthetic adults (pid, name) for this municipality's history."""
        rng = random.Random(f"applicants-{self.m.number}")
        taken = set(demo_population().by_pid)
        count = max(40, self.population // 8)
        people = []
        while len(people) < count:
            foreign = rng.random() < 0.07
            male = rng.random() < 0.5
            names = (FOREIGN_NAMES if foreign else ADULT_NAMES)["m" if male else "f"].split()
            family = FOREIGN_FAMILY_NAMES if foreign else FAMILY_NAMES
            born = date(rng.randint(1940, 1999), rng.randint(1, 12), rng.randint(1, 28))
            individual = rng.randint(0, 249) * 2 + (1 if male else 0)
            pid = generate_synthetic_fnr(born, individual, d_number=foreign)
            if pid is None or pid in taken:
                continue
            taken.add(pid)
            people.append((pid, f"{rng.choice(names)} {rng.choice(family)}"))
        return people

    def caseworker(self, department: str):
        # The department's own caseworkers mostly; those who cover every department now and then.
        own = self.staff.get(department, [])
        if own and self.rng.random() < 0.85:
            return self.rng.choice(own)
        return self.rng.choice(self.staff[""] or own)

    # -- shares that change over the two years ------------------------------------------------

    def t(self, day: date) -> float:
        return min(1.0, max(0.0, (day - self.ramp_start).days / self.ramp_days))

    def digital_share(self, day: date, profile: ServiceProfile) -> float:
        p = self.place
        share = _ramp(p.digital_from, p.digital_to, self.t(day), p.ramp_middle)
        return min(0.97, max(0.05, share + profile.digital_bias))

    # -- when things happen -------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int | None = None) -> datetime:
        minute = self.rng.randint(0, 59) if minute is None else minute
        return datetime(
            day.year, day.month, day.day, hour, minute, self.rng.randint(0, 59), tzinfo=self.tz
        )

    def office_time(self, day: date) -> datetime:
        """A moment in office hours on the first working day on or after `day`."""
        day = self.cal.working_day_on_or_after(day)
        hour = self.rng.choices(range(8, 16), (6, 9, 9, 7, 6, 8, 7, 4))[0]
        return self.at(day, hour)

    def received_time(self, day: date, channel: str) -> datetime:
        if channel == Channel.DIGITAL:
            return self.at(day, self.rng.choices(range(24), DIGITAL_HOURS)[0])
        if channel == Channel.PAPER:
            # As a caseworker registers it: noon of the day it arrived (registration_actions).
            return datetime(day.year, day.month, day.day, 12, tzinfo=self.tz)
        if channel == Channel.EMAIL:
            return self.at(day, self.rng.choices(range(24), EMAIL_HOURS)[0])
        return self.at(day, self.rng.randint(8, 15))

    # -- the days' applications ---------------------------------------------------------------

    def daily_rate(self, day: date, service: Service, profile: ServiceProfile) -> float:
        months = profile.months
        yearly = profile.per_1000 * VOLUME * self.population / 1000 * self.scale
        yearly *= self.place.service_factors.get(service.slug, 1.0)
        per_day = yearly * months[day.month - 1] / sum(months) * 12 / 365.25
        for month, last_day, boost in profile.deadlines:
            if day.month == month:
                per_day *= boost if day.day <= last_day else 0.6
        return per_day

    def generate(self) -> list[_Plan]:
        plans: list[_Plan] = []
        day = self.start
        while day <= self.end:
            holiday = self.cal.is_holiday(day)
            for service in self.services:
                profile = PROFILES[service.slug]
                rate = self.daily_rate(day, service, profile)
                digital = self.digital_share(day, profile)
                week = day.weekday()
                lam_digital = rate * digital * DIGITAL_WEEK[week] * (0.5 if holiday else 1)
                lam_offline = rate * (1 - digital) * OFFLINE_WEEK[week] * (0.05 if holiday else 1)
                channels = [Channel.DIGITAL] * _poisson(self.rng, lam_digital)
                for _ in range(_poisson(self.rng, lam_offline)):
                    if week >= 5 or holiday:
                        channels.append(Channel.EMAIL)  # only e-mail comes when offices are shut
                    else:
                        channels.append(
                            _pick(
                                self.rng,
                                zip(
                                    (Channel.PAPER, Channel.EMAIL, Channel.PHONE),
                                    profile.offline,
                                    strict=True,
                                ),
                            )
                        )
                for channel in channels:
                    received = self.received_time(day, channel)
                    if received < self.now:
                        plans.append(self.plan_case(service, profile, channel, received))
            day += timedelta(days=1)
        plans.sort(key=lambda p: p.case.received_at)
        return plans

    # -- one case's life ----------------------------------------------------------------------

    def language(self) -> str:
        r = self.rng.random()
        if r < 0.03:
            return "en"
        if r < 0.06:
            return "nb" if self.default_language == "nn" else "nn"
        return self.default_language

    def plan_case(
        self, service: Service, profile: ServiceProfile, channel: str, received: datetime
    ) -> _Plan:
        rng = self.rng
        version = service.published_version
        data = version.document
        handling_days = int(data.get("handling_days", 30))
        department = data.get("department", "")
        pid, name = rng.choice(self.applicants)
        language = self.language()
        received_on = received.astimezone(self.tz).date()
        submission = Submission(
            id=_uuid(rng),
            municipality=self.m,
            service=service,
            service_version=version,
            applicant_pid=pid,
            applicant_name=name,
            answers={HISTORY_MARK: True},
            channel=channel,
            submitted_at=received,
        )
        case = Case(
            id=_uuid(rng),
            municipality=self.m,
            year=received_on.year,
            sequence=0,  # numbered when the municipality's cases are in order
            service=service,
            department=department,
            submission=submission,
            applicant_pid=pid,
            applicant_name=name,
            language=language,
            status=CaseStatus.RECEIVED,
            channel=channel,
            received_at=received,
            due_date=received_on + timedelta(days=handling_days),
        )
        plan = _Plan(submission, case)
        life = _Life(self, plan, profile, handling_days, received_on)
        life.run()
        return plan


def _historic_staff(municipality: Municipality, place: PlaceProfile) -> dict[str, list]:
    """The caseworkers who handled the history, by department ("" = any department).

    The demo caseworker (saksbehandler.<slug>) and a few more per municipality, who cannot log in
    (no usable password) but are listed, assignable and counted like any colleague.
    """
    User = get_user_model()
    people: dict[str, list] = {"": []}
    demo = User.objects.filter(username=f"saksbehandler.{municipality.slug}").first()
    if demo is not None:
        people[""].append(demo)
    for index, (first, last, departments) in enumerate(place.caseworkers, start=1):
        user, created = User.objects.get_or_create(
            username=f"historikk{index}.{municipality.slug}",
            defaults={"first_name": first, "last_name": last},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            municipality=municipality,
            role=Role.CASEWORKER,
            defaults={"departments": list(departments)},
        )
        for department in departments or ("",):
            people.setdefault(department, []).append(user)
    if not people[""]:
        people[""] = [user for users in people.values() for user in users][:1]
    if not people[""]:
        raise ValueError(f"{municipality.slug} has no caseworker to handle its history")
    return people


def _staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


class _Life:
    """Walks one case from receipt to its decision (or to now, if it is still open)."""

    def __init__(
        self,
        gen: _Generator,
        plan: _Plan,
        profile: ServiceProfile,
        handling_days: int,
        received_on: date,
    ):
        self.g, self.plan, self.profile = gen, plan, profile
        self.case = plan.case
        self.h = handling_days
        self.received_on = received_on
        self.version = 1

    def event(
        self,
        kind: str,
        at: datetime,
        actor=None,
        data: dict | None = None,
        message=None,
        resident=False,
    ) -> bool:
        """Add a timeline entry; False (and nothing added) when `at` is still in the future."""
        if at >= self.g.now:
            return False
        if kind != EventKind.SUBMITTED:
            self.version += 1
        fields = {"actor_kind": ActorKind.SYSTEM, "actor_name": ""}
        if resident:
            fields = {"actor_kind": ActorKind.RESIDENT, "actor_name": self.case.applicant_name}
        elif actor is not None:
            fields = {
                "actor_kind": ActorKind.STAFF,
                "actor_user_id": actor.pk,
                "actor_name": _staff_name(actor),
            }
        self.plan.events.append(
            (
                CaseEvent(
                    case_id=self.case.id,
                    kind=kind,
                    at=at,
                    case_version=self.version,
                    data=data or {},
                    **fields,
                ),
                message,
            )
        )
        return True

    def status(self, to: str, at: datetime, actor=None, resident=False) -> bool:
        before = self.case.status
        if not self.event(
            EventKind.STATUS_CHANGED, at, actor, {"from": before, "to": to}, resident=resident
        ):
            return False
        self.case.status = to
        return True

    def message(self, at: datetime, kind: str, body: str, actor=None) -> Message:
        message = Message(
            case_id=self.case.id,
            author_kind=ActorKind.STAFF if actor else ActorKind.RESIDENT,
            author_user_id=actor.pk if actor else None,
            author_name=_staff_name(actor) if actor else self.case.applicant_name,
            kind=kind,
            body=body,
            created_at=at,
        )
        reader = self.g.rng.uniform(0.05, 2.5 if self.case.channel == Channel.DIGITAL else 6)
        read = at + timedelta(days=reader)
        if actor:
            message.read_by_resident_at = read if read < self.g.now else None
        else:
            message.read_by_staff_at = read if read < self.g.now else None
        self.plan.messages.append(message)
        return message

    def run(self) -> None:
        g, rng, case, profile = self.g, self.g.rng, self.case, self.profile
        lang = case.language if case.language in DECISION_TEXTS else "nb"
        t = g.t(self.received_on)
        self.event(
            EventKind.SUBMITTED, case.received_at, data={"channel": case.channel}, resident=True
        )
        if case.channel != Channel.DIGITAL:
            registrar = g.caseworker(case.department)
            self.event(
                EventKind.REGISTERED_BY_STAFF,
                case.received_at + timedelta(minutes=rng.randint(3, 40)),
                registrar,
                {"channel": case.channel},
            )
        # Assigned and taken up within a few working days.
        worker = g.caseworker(case.department)
        taken = g.office_time(
            self.received_on + timedelta(days=rng.choice((0, 1, 1, 1, 2, 2, 3, 4)))
        )
        if taken < case.received_at + timedelta(minutes=30):
            taken = g.office_time(self.received_on + timedelta(days=1))
        if not self.event(EventKind.ASSIGNED, taken, worker, {"to": _staff_name(worker)}):
            return
        case.assignee = worker
        if not self.status(
            CaseStatus.IN_PROGRESS, taken + timedelta(minutes=rng.randint(1, 20)), worker
        ):
            return

        # How it ends, and after how many days.
        ending = rng.random()
        if ending < 0.012:
            self.finish_without_decision(CaseStatus.WITHDRAWN, taken, worker, rng.randint(2, 20))
            return
        if ending < 0.018:
            self.finish_without_decision(CaseStatus.REJECTED, taken, worker, rng.randint(1, 10))
            return
        in_time_share = _ramp(g.place.in_time_from, g.place.in_time_to, t, 0.5)
        if profile.months[self.received_on.month - 1] >= 2.0:
            in_time_share -= 0.06  # the season's rush
        if case.channel != Channel.DIGITAL:
            in_time_share -= 0.03
        in_time = rng.random() < in_time_share
        if in_time:
            days = max(
                1, round(self.h * min(1.0, rng.betavariate(2.2, 2.2 / profile.speed - 2.2 + 0.01)))
            )
        else:
            days = self.h + 1 + int(rng.expovariate(1 / max(3, self.h * 0.25)))
        stuck = (g.now.date() - self.received_on).days > 40 and rng.random() < 0.0025

        # Some need more from the applicant: a question or a document request, and an answer.
        base_rate = {
            Channel.DIGITAL: 0.10,
            Channel.PAPER: 0.30,
            Channel.EMAIL: 0.26,
            Channel.PHONE: 0.22,
        }[case.channel]
        asks = rng.random() < min(0.9, base_rate * profile.info_rate * (1.05 - 0.2 * t))
        if asks:
            asked = g.office_time(
                taken.astimezone(g.tz).date()
                + timedelta(days=rng.randint(0, max(1, min(days, self.h) // 3)))
            )
            kind = MessageKind.DOCUMENT_REQUEST if rng.random() < 0.4 else MessageKind.QUESTION
            texts = DOCUMENT_REQUESTS if kind == MessageKind.DOCUMENT_REQUEST else QUESTIONS
            if asked < g.now:
                question = self.message(asked, kind, rng.choice(texts[lang]), worker)
                self.event(EventKind.MESSAGE_SENT, asked, worker, {"kind": kind}, message=question)
                self.status(CaseStatus.WAITING, asked + timedelta(seconds=1), worker)
            else:
                return
            wait = rng.choice((0, 1, 1, 2, 3, 4, 6, 9, 14)) + (
                0 if case.channel == Channel.DIGITAL else 3
            )
            if rng.random() < 0.05:
                return  # never answered: still waiting
            answered = asked + timedelta(days=wait, hours=rng.uniform(1, 10))
            if answered >= g.now:
                return
            answer = self.message(answered, MessageKind.MESSAGE, rng.choice(ANSWERS[lang]))
            self.event(EventKind.MESSAGE_RECEIVED, answered, data={}, message=answer, resident=True)
            self.status(CaseStatus.IN_PROGRESS, answered + timedelta(seconds=1), resident=True)
            if answer.read_by_staff_at is None:
                case.staff_unread = True
            days = max(
                days, (answered.astimezone(g.tz).date() - self.received_on).days + rng.randint(1, 5)
            )

        decided_at = g.office_time(self.received_on + timedelta(days=days))
        decided_on = decided_at.astimezone(g.tz).date()

        # An interim reply is owed when the answer comes later than one month after receipt.
        interim_due = one_month_after(self.received_on)
        if decided_on > interim_due or stuck:
            sent_share = _ramp(g.place.interim_from, g.place.interim_to, t, 0.5)
            if rng.random() < sent_share:
                if rng.random() < 0.82:
                    reply_day = interim_due - timedelta(days=rng.randint(0, 9))
                else:
                    reply_day = interim_due + timedelta(days=rng.randint(1, 12))
                reply_at = g.office_time(max(reply_day, self.received_on + timedelta(days=7)))
                if reply_at < decided_at and reply_at < g.now:
                    self.interim_reply(reply_at, decided_on, worker, in_time)
        if stuck:
            return
        if decided_at >= g.now:
            return
        self.decide(decided_at, worker, lang)

    def interim_reply(self, at: datetime, decided_on: date, worker, in_time: bool) -> None:
        g, case = self.g, self.case
        rng = g.rng
        expected = (
            decided_on + timedelta(days=rng.randint(0, 6))
            if in_time or rng.random() < 0.5
            else decided_on - timedelta(days=rng.randint(1, 8))
        )
        expected = max(expected, at.astimezone(g.tz).date() + timedelta(days=1))
        lang = case.language if case.language in INTERIM_REASONS else g.default_language
        message = self.message(at, MessageKind.MESSAGE, "", worker)
        self.plan.interim.append((message, lang, expected))
        due_before = case.due_date
        case.due_date = expected
        case.answered_at = at
        self.event(
            EventKind.INTERIM_REPLY_SENT,
            at,
            worker,
            {"expected_by": expected.isoformat(), "due_before": due_before.isoformat()},
            message=message,
        )

    def decide(self, at: datetime, worker, lang: str) -> None:
        g, case = self.g, self.case
        rng = g.rng
        outcome = _pick(rng, self.profile.outcomes)
        title, body = DECISION_TEXTS[lang][outcome]
        decision = Decision(
            id=_uuid(rng),
            case_id=case.id,
            outcome=outcome,
            title=title,
            body=body,
            language=lang,
            sent_at=at,
            sent_by_id=worker.pk,
            sent_by_name=_staff_name(worker),
            letter="",  # not rendered; the letter views render it on demand
            appeal_deadline=at.astimezone(g.tz).date() + timedelta(days=g.m.appeal_days),
        )
        self.plan.decision = decision
        case.answered_at = at
        self.event(
            EventKind.DECISION_SENT, at, worker, {"decision": str(decision.id), "outcome": outcome}
        )
        self.status(CaseStatus.DECIDED, at + timedelta(seconds=1), worker)
        case.staff_unread = False
        # Most are closed once the appeal deadline has passed.
        if rng.random() < 0.7:
            closed = g.office_time(decision.appeal_deadline + timedelta(days=rng.randint(1, 20)))
            self.status(CaseStatus.CLOSED, closed, worker)

    def finish_without_decision(self, status: str, taken: datetime, worker, days: int) -> None:
        at = self.g.office_time(taken.astimezone(self.g.tz).date() + timedelta(days=days))
        self.status(status, at, worker)


# ---------------------------------------------------------------------------------------------
# Writing


def _number(municipality: Municipality, plans: list[_Plan]) -> dict[int, int]:
    """Give the cases their numbers, year by year in order of receipt, after the numbers taken.

    The sequence rows are locked and moved on, so a case submitted afterwards takes the next.
    """
    years = sorted({p.case.year for p in plans})
    last_used: dict[int, int] = {}
    for year in years:
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(municipality=municipality, year=year)], ignore_conflicts=True
        )
        sequence = CaseNumberSequence.objects.select_for_update().get(
            municipality=municipality, year=year
        )
        last_used[year] = sequence.last
    for plan in plans:
        last_used[plan.case.year] += 1
        plan.case.sequence = last_used[plan.case.year]
    for year, last in last_used.items():
        CaseNumberSequence.objects.filter(municipality=municipality, year=year).update(last=last)
    return last_used


def _write(municipality: Municipality, plans: list[_Plan]) -> dict[str, int]:
    for plan in plans:
        plan.case.version = max(e.case_version for e, _m in plan.events)
    Submission.objects.bulk_create([p.submission for p in plans], batch_size=BATCH)
    Case.objects.bulk_create([p.case for p in plans], batch_size=BATCH)
    messages = [m for p in plans for m in p.messages]
    Message.objects.bulk_create(messages, batch_size=BATCH)
    decisions = [p.decision for p in plans if p.decision]
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    events, accesses = [], []
    for plan in plans:
        for event, message in plan.events:
            if message is not None:
                event.data = {"message": message.pk, **event.data}
            events.append(event)
            if event.kind != EventKind.SUBMITTED:
                accesses.append(
                    CaseAccess(
                        case_id=plan.case.id,
                        municipality_id=municipality.pk,
                        actor_kind=event.actor_kind,
                        user_id=event.actor_user_id,
                        actor_name=event.actor_name,
                        action=AccessAction.CHANGE,
                        target=event.kind,
                        at=event.at,
                    )
                )
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    CaseAccess.objects.bulk_create(accesses, batch_size=BATCH)
    return {
        "cases": len(plans),
        "events": len(events),
        "messages": len(messages),
        "decisions": len(decisions),
        "open": sum(
            1
            for p in plans
            if p.case.status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING)
        ),
    }


def generate_history(
    municipality: Municipality,
    *,
    start: date,
    end: date,
    ramp_start: date | None = None,
    ramp_end: date | None = None,
    now: datetime | None = None,
    seed: int = SEED,
    scale: float = 1.0,
) -> dict[str, int]:
    """Generate and store the municipality's cases received from `start` to `end` (local days).

    The channel mix and the handling follow where each day lies between `ramp_start` (two years
    ago: mostly paper) and `ramp_end` (now: mostly digital); by default the span itself. Nothing
    happens after `now`: cases whose decision would come later are still open. Returns counts.
    Does not check for history already there: see `load_demo_history`.
    """
    now = now or timezone.now()
    generator = _Generator(
        municipality,
        start=start,
        end=end,
        ramp_start=ramp_start or start,
        ramp_end=ramp_end or end,
        now=now,
        seed=seed,
        scale=scale,
    )
    plans = generator.generate()
    with transaction.atomic():
        _number(municipality, plans)
        for plan in plans:
            for message, language, expected in plan.interim:
                message.body = interim_reply_body(plan.case, INTERIM_REASONS[language], expected)
        return _write(municipality, plans)


def load_demo_history(
    municipality: Municipality,
    *,
    days: int = HISTORY_DAYS,
    scale: float = 1.0,
    today: date | None = None,
    now: datetime | None = None,
    refresh: bool = True,
    write: Callable[[str], None] | None = None,
) -> dict[str, int] | None:
    """Two years (`days`) of history up to yesterday, unless the municipality has some already.

    Then the daily figures of the whole span are recomputed. Returns the counts, or None when
    the history was there already.
    """
    if has_history(municipality):
        return None
    write = write or (lambda text: None)
    today = today or timezone.localdate()
    start, end = today - timedelta(days=days), today - timedelta(days=1)
    began = clock.monotonic()
    counts = generate_history(
        municipality, start=start, end=end, ramp_end=today, now=now, scale=scale
    )
    generated = clock.monotonic() - began
    write(
        f"{municipality.name}: {counts['cases']} historic cases ({counts['open']} still open), "
        f"{counts['messages']} messages, {counts['decisions']} decisions in {generated:.1f} s"
    )
    if refresh:
        from servicetorg.insights.aggregation import refresh_range

        began = clock.monotonic()
        with transaction.atomic():  # one commit, not one a day: 20 times faster on SQLite
            rows = refresh_range(municipality, start, today)
        write(
            f"{municipality.name}: {rows} rows of daily figures in {clock.monotonic() - began:.1f} s"
        )
    return counts
