"""The isolation matrix: every staff and resident URL, requested as every role, in the own and in
another municipality, and as another resident.

Only those allowed get the data; the others get 404 (or the status a rule names, e.g. 403 where
the object's existence is public), or the login page when they are not logged in as the right kind
of person, and a refused write changes nothing. Every text answer (pages, search results, counts,
JSON, CSV) is searched for the strings of rows the actor may not see: case numbers, names,
identity numbers, ids, file names, answers, message and note texts of other municipalities' and
other residents' cases, drafts, and other municipalities' staff.

Adding a URL: add a `Rule` to MATRIX. It names the URL, who it is for (STAFF or RESIDENT), how its
arguments are filled (`targets`: reuse `staff_cases`, `staff_case_files`, … or write a generator
like them), who may use it (`may`: `case_staff`, `admin`, `applicant`, …), the method, the status
the allowed get, and for a POST the form data. A URL that shows no personal data at all goes in
PUBLIC, with the reason. `test_it_covers_every_url` fails naming any URL pattern in neither.

A leak found and not fixed yet: add `(rule id, actor key): "LEAK: …"` to KNOWN_LEAKS. That pair is
then expected to fail (xfail, strict), so the fix makes it fail until the entry is removed.

The cast, built once for the module and rolled back after it (each test rolls back its own writes):
- molde, aukra: the two municipalities
- kari: applicant in Molde (Oppvekst): an attachment, messages both ways with files, a note,
  a decision letter; a second case of hers is decided, so she may appeal it
- per: another applicant in Molde, in another department (Teknisk), overdue
- ola: applicant in Aukra, with the same as Kari; two more Aukra cases, so that counts differ
- kari and ola: a draft each in their municipality
- molde-caseworker-oppvekst, molde-admin and aukra-caseworker-all: an unfinished registration
  of a paper application each (only its author may see it)
- in each municipality: caseworker-oppvekst (limited to Oppvekst), caseworker-all,
  service-owner, leader and admin
- shared-caseworker: one person working for both, caseworker for Teknisk in Molde and
  leader in Aukra (intermunicipal cooperation): each municipality's pages show only its own
- anonymous: nobody logged in
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, unquote_plus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import login, small_definition
from servicetorg.accounts.constants import Role
from servicetorg.accounts.models import Membership
from servicetorg.cases import actions
from servicetorg.cases.constants import OPEN_STATUSES, CaseStatus, MessageKind
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseAccess, CaseEvent, Message, MessageAttachment, Note
from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.cases.tests.conftest import ANSWERS, make_case
from servicetorg.catalog.actions import publish_service
from servicetorg.catalog.models import Service, ServiceDraft
from servicetorg.identity.demo import demo_people
from servicetorg.identity.residents import Resident
from servicetorg.municipalities.actions import add_municipality
from servicetorg.submissions.actions import start_draft
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.models import Attachment, Draft, Submission
from servicetorg.submissions.uploads import CheckedFile

pytestmark = pytest.mark.django_db

STAFF, RESIDENT = "staff", "resident"
LOGIN = {STAFF: "/ansatt/logg-inn/", RESIDENT: "/logg-inn/"}
PLACES = ("molde", "aukra")
# The policy under test, written out here rather than taken from the code it tests.
CASE_ROLES = (Role.CASEWORKER, Role.LEADER, Role.ADMIN)
STAFF_KINDS = {
    "caseworker-oppvekst": (Role.CASEWORKER, ("Oppvekst",)),
    "caseworker-all": (Role.CASEWORKER, ()),
    "service-owner": (Role.SERVICE_OWNER, ()),
    "leader": (Role.LEADER, ()),
    "admin": (Role.ADMIN, ()),
}
RESIDENTS = {"kari": 0, "ola": 1, "per": 2}  # index in demo_people()


Grant = tuple[str, str, tuple[str, ...]]  # (municipality, role, departments)


@dataclass(frozen=True)
class Actor:
    key: str
    memberships: tuple[Grant, ...] = ()  # staff: the roles, per municipality
    resident: str = ""  # residents: which one

    def __repr__(self) -> str:
        return self.key

    @property
    def is_staff(self) -> bool:
        return bool(self.memberships)

    def roles(self, place: str | None, among: tuple[str, ...]) -> list[Grant]:
        return [m for m in self.memberships if m[0] == place and m[1] in among]

    @property
    def places(self) -> set[str]:
        return {m[0] for m in self.memberships}


ACTORS = [
    Actor("anonymous"),
    *(Actor(key, resident=key) for key in RESIDENTS),
    *(
        Actor(f"{place}-{kind}", memberships=((place, role, departments),))
        for place in PLACES
        for kind, (role, departments) in STAFF_KINDS.items()
    ),
    Actor(
        "shared-caseworker",
        memberships=(("molde", Role.CASEWORKER, ("Teknisk",)), ("aukra", Role.LEADER, ())),
    ),
]
STAFF_ACTORS = {actor.key: actor for actor in ACTORS if actor.is_staff}


# The cast


@dataclass(eq=False)
class Seeded:
    """One case with what hangs on it, and the strings that give it away."""

    key: str
    case: Case
    place: str
    department: str
    applicant: str
    attachments: list[Attachment] = field(default_factory=list)
    message_files: list[MessageAttachment] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    note: str = ""
    tokens: set[str] = field(default_factory=set)


@dataclass
class World:
    residents: dict[str, Resident]
    users: dict[str, object]  # staff actor key -> user
    services: list
    cases: list[Seeded]  # the full cases: every URL is tried with each
    counted: list[Seeded]  # every case, for listings and counts
    drafts: dict[str, Draft]  # resident key -> draft
    files: dict[str, bytes]  # attachment id -> content
    draft_tokens: dict[str, set[str]] = field(default_factory=dict)
    staff_tokens: dict[str, set[str]] = field(default_factory=dict)
    registrations: dict[str, StaffRegistration] = field(default_factory=dict)  # by staff key
    registration_tokens: dict[str, set[str]] = field(default_factory=dict)


def pdf(token: str) -> bytes:
    return f"%PDF-1.4\n% {token}\n%%EOF\n".encode()


def seed_case(world: World, service, key: str, resident: str, sequence: int, **fields) -> Seeded:
    person = world.residents[resident]
    answers = {**ANSWERS, "name": person.name, "comment": f"SVAR-{key}"}
    case = make_case(service, person, answers=answers, sequence=sequence, **fields)
    seeded = Seeded(key, case, service.municipality.slug, case.department, resident)
    seeded.tokens = {
        case.number,
        str(case.pk),
        str(case.submission_id),
        person.name,
        person.pid,
        f"SVAR-{key}",
    }
    world.counted.append(seeded)
    return seeded


def furnish(world: World, seeded: Seeded, writer, leader) -> None:
    """An attachment, a message each way with a file, and an internal note."""
    key, case = seeded.key, seeded.case
    person = world.residents[seeded.applicant]
    content = pdf(f"soknad {key}")
    attachment = Attachment(
        submission=case.submission,
        owner_pid=person.pid,
        field_key="document",
        name=f"{key}-soknad.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        scan_status=ScanStatus.CLEAN,
    )
    attachment.file.save(attachment.id.hex, ContentFile(content), save=False)
    attachment.save()
    seeded.attachments.append(attachment)
    letter = CheckedFile(f"{key}-brev.pdf", "application/pdf", pdf(f"brev {key}"))
    actions.send_message(
        case, MessageKind.MESSAGE, f"MELDING-TIL-{key}", [letter], actor=writer, version=1
    )
    reply = CheckedFile(f"{key}-svar.pdf", "application/pdf", pdf(f"svar {key}"))
    actions.write_to_caseworker(case, f"SVAR-FRA-{key}", [reply], actor=person)
    seeded.note = f"NOTAT-{key}"
    version = Case.objects.get(pk=case.pk).version
    actions.add_note(case, seeded.note, actor=leader, version=version)
    case.refresh_from_db()
    seeded.message_files = list(MessageAttachment.objects.filter(message__case=case))
    for found in [attachment, *seeded.message_files]:
        with found.file.open("rb") as handle:
            world.files[str(found.pk)] = handle.read()
        seeded.tokens |= {str(found.pk), found.name}
    seeded.tokens |= {f"MELDING-TIL-{key}", f"SVAR-FRA-{key}", seeded.note}
    world.cases.append(seeded)


def decide(world: World, seeded: Seeded, author) -> None:
    """A decision letter on the case (stored directly: the status is the caller's business)."""
    key = seeded.key
    decision = Decision(
        case=seeded.case,
        outcome="approve",
        title=f"VEDTAK-{key}",
        body=f"VEDTAKSTEKST-{key}",
        language="nb",
        sent_at=timezone.now(),
        sent_by=author,
        sent_by_name=author.get_full_name(),
        appeal_deadline=timezone.localdate() + timedelta(days=21),
    )
    decision.letter.save("vedtak.pdf", ContentFile(pdf(f"vedtak {key}")), save=False)
    decision.save()
    seeded.decisions.append(decision)
    world.files[str(decision.pk)] = pdf(f"vedtak {key}")
    seeded.tokens |= {str(decision.pk), decision.title, decision.body}


def seed_registration(world: World, service, staff_key: str) -> None:
    """A registration of a phone application, filled in up to the review."""
    registration = StaffRegistration.objects.create(
        municipality=service.municipality,
        service=service,
        service_version=service.published_version,
        staff=world.users[staff_key],
        channel="phone",
        applicant_pid=demo_people()[3].pid,
        applicant_name=f"Ringt Inn {staff_key}",
        language="nb",
        received_on=timezone.localdate(),
        answers={**ANSWERS, "comment": f"REGISTRERING-{staff_key}"},
    )
    registration.step = registration.scan_step + 1
    registration.save()
    world.registrations[staff_key] = registration
    world.registration_tokens[staff_key] = {
        str(registration.pk),
        f"REGISTRERING-{staff_key}",
        f"Ringt Inn {staff_key}",
    }


def seed_staff(world: World, places: dict) -> None:
    for key, actor in STAFF_ACTORS.items():
        first = key.split("-", 1)[1].replace("-", " ").title().replace(" ", "")
        last = "".join(sorted(place.capitalize() for place in actor.places)) + "sen"
        user = get_user_model().objects.create_user(username=key, first_name=first, last_name=last)
        for place, role, departments in actor.memberships:
            Membership.objects.create(
                user=user, municipality=places[place], role=role, departments=list(departments)
            )
        world.users[key] = user
        world.staff_tokens[key] = {key, user.get_full_name()}


def seed_draft(world: World, service, resident: str) -> None:
    draft = start_draft(service, actor=world.residents[resident])
    draft.answers = {**ANSWERS, "name": world.residents[resident].name}
    draft.answers["comment"] = f"UTKAST-{resident}"
    draft.step = 1
    draft.save()
    world.drafts[resident] = draft
    world.draft_tokens[resident] = {str(draft.pk), f"UTKAST-{resident}"}


def build_world() -> World:
    places = {
        "molde": add_municipality(number="1506", name="Molde", slug="molde"),
        "aukra": add_municipality(number="1547", name="Aukra", slug="aukra", default_language="nn"),
    }
    grave = small_definition("grave")
    grave["department"] = "Teknisk"
    services = [
        publish_service(places["molde"], small_definition()).service,
        publish_service(places["molde"], grave).service,
        publish_service(places["aukra"], small_definition()).service,
    ]
    services[1].shared = True  # offered in the shared library, for Aukra to adopt
    services[1].save(update_fields=["shared"])
    people = demo_people()
    world = World(
        residents={key: people[index] for key, index in RESIDENTS.items()},
        users={},
        services=services,
        cases=[],
        counted=[],
        drafts={},
        files={},
    )
    seed_staff(world, places)
    users = world.users
    long_ago = timezone.localdate() - timedelta(days=3)
    kari = seed_case(world, services[0], "kari", "kari", 1101)
    per = seed_case(world, services[1], "per", "per", 1202, due_date=long_ago)
    ola = seed_case(world, services[2], "ola", "ola", 2303)
    furnish(world, kari, users["molde-caseworker-oppvekst"], users["molde-leader"])
    furnish(world, per, users["molde-caseworker-all"], users["molde-leader"])
    furnish(world, ola, users["aukra-caseworker-all"], users["aukra-leader"])
    decided = seed_case(world, services[0], "kari-vedtak", "kari", 1303)
    furnish(world, decided, users["molde-caseworker-all"], users["molde-leader"])
    for seeded, author in ((kari, "molde-leader"), (per, "molde-leader"), (ola, "aukra-leader")):
        decide(world, seeded, users[author])
    decide(world, decided, users["molde-leader"])
    Case.objects.filter(pk__in=[kari.case.pk, per.case.pk, ola.case.pk]).update(
        status=CaseStatus.IN_PROGRESS
    )
    Case.objects.filter(pk=decided.case.pk).update(status=CaseStatus.DECIDED)
    Case.objects.filter(pk=kari.case.pk).update(assignee=users["molde-caseworker-oppvekst"])
    Case.objects.filter(pk=ola.case.pk).update(assignee=users["aukra-caseworker-all"])
    for seeded in world.cases:
        seeded.case.refresh_from_db()
    seed_case(world, services[2], "ola-closed", "ola", 2404, status=CaseStatus.CLOSED)
    seed_case(world, services[2], "ola-overdue", "ola", 2505, due_date=long_ago)
    seed_draft(world, services[0], "kari")
    seed_draft(world, services[2], "ola")
    seed_registration(world, services[0], "molde-caseworker-oppvekst")
    seed_registration(world, services[1], "molde-admin")
    seed_registration(world, services[2], "aukra-caseworker-all")
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    location = tmp_path_factory.mktemp("isolation-files")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storages, NOTIFY_ON_COMMIT=False):
        # One transaction around the module; each test runs in a savepoint inside it.
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media() -> None:
    """The files stay where `world` stored them (this replaces the per-test folder)."""


# Targets: the ways to fill a URL's arguments, and what the URL then points at


@dataclass(frozen=True)
class Target:
    label: str
    kwargs: dict
    place: str | None = None  # the municipality in the URL
    case: Seeded | None = None
    owner: str | None = None  # the resident whose object it is
    member: str | None = None  # the staff member an admin page is about
    fits: bool = True  # the ids belong together (this case's file, a draft of this municipality)
    file: bytes | None = None  # what an allowed download must return
    department: str | None = None  # a service's department (registering on paper)


def nowhere(w: World) -> list[Target]:
    return [Target("-", {})]


def places(w: World) -> list[Target]:
    return [Target(p, {"municipality": p}, place=p) for p in PLACES]


def staff_cases(w: World) -> list[Target]:
    return [
        Target(f"{p}/{c.key}", {"municipality": p, "case_id": str(c.case.pk)}, place=p, case=c)
        for p in PLACES
        for c in w.cases
    ]


def _staff_files(w: World, files: Callable[[Seeded], list]) -> list[Target]:
    return [
        Target(
            f"{p}/{c.key}/{f.name}",
            {"municipality": p, "case_id": str(c.case.pk), "attachment_id": str(f.pk)},
            place=p,
            case=c,
            fits=f in files(c),
            file=w.files[str(f.pk)],
        )
        for p in PLACES
        for c in w.cases
        for holder in w.cases
        for f in files(holder)
    ]


def staff_case_files(w: World) -> list[Target]:
    return _staff_files(w, lambda c: c.attachments)


def staff_message_files(w: World) -> list[Target]:
    return _staff_files(w, lambda c: c.message_files)


def staff_decisions(w: World) -> list[Target]:
    return [
        Target(
            f"{p}/{c.key}/{d.title}",
            {"municipality": p, "case_id": str(c.case.pk), "decision_id": str(d.pk)},
            place=p,
            case=c,
            fits=d in c.decisions,
            file=w.files[str(d.pk)],
        )
        for p in PLACES
        for c in w.cases
        for holder in w.cases
        for d in holder.decisions
    ]


def registration_services(w: World) -> list[Target]:
    """Every service slug in every municipality: a slug is a service only where it is offered."""
    offered = {(s.municipality.slug, s.slug): s for s in w.services}
    return [
        Target(
            f"{p}/{slug}",
            {"municipality": p, "slug": slug},
            place=p,
            fits=(p, slug) in offered,
            department=(
                offered[p, slug].published_version.definition.data["department"]
                if (p, slug) in offered
                else None
            ),
        )
        for p in PLACES
        for slug in sorted({s.slug for s in w.services})
    ]


def registrations(w: World, **extra) -> list[Target]:
    return [
        Target(
            f"{p}/{key}",
            {"municipality": p, "registration_id": str(r.pk), **extra},
            place=p,
            member=key,
            fits=r.municipality.slug == p,
        )
        for p in PLACES
        for key, r in w.registrations.items()
    ]


def registration_steps(w: World) -> list[Target]:
    return registrations(w, number=1)


def staff_members(w: World) -> list[Target]:
    return [
        Target(f"{p}/{key}", {"municipality": p, "user_id": user.pk}, place=p, member=key)
        for p in PLACES
        for key, user in w.users.items()
    ]


def people_per_place(w: World) -> list[Target]:
    return [
        Target(f"{p}/{r}", {"municipality": p}, place=p, owner=r) for p in PLACES for r in RESIDENTS
    ]


def resident_cases(w: World) -> list[Target]:
    return [Target(c.key, {"case_id": str(c.case.pk)}, case=c, owner=c.applicant) for c in w.cases]


def resident_message_files(w: World) -> list[Target]:
    return [
        Target(
            f"{c.key}/{f.name}",
            {"case_id": str(c.case.pk), "attachment_id": str(f.pk)},
            case=c,
            owner=c.applicant,
            fits=f in c.message_files,
            file=w.files[str(f.pk)],
        )
        for c in w.cases
        for holder in w.cases
        for f in holder.message_files
    ]


def resident_decisions(w: World) -> list[Target]:
    return [
        Target(
            f"{c.key}/{d.title}",
            {"case_id": str(c.case.pk), "decision_id": str(d.pk)},
            case=c,
            owner=c.applicant,
            fits=d in c.decisions,
            file=w.files[str(d.pk)],
        )
        for c in w.cases
        for holder in w.cases
        for d in holder.decisions
    ]


def resident_files(w: World) -> list[Target]:
    return [
        Target(f.name, {"attachment_id": str(f.pk)}, owner=c.applicant, file=w.files[str(f.pk)])
        for c in w.cases
        for f in c.attachments
    ]


def drafts(w: World, **extra) -> list[Target]:
    return [
        Target(
            f"{p}/{r}",
            {"municipality": p, "draft_id": str(d.pk), **extra},
            place=p,
            owner=r,
            fits=d.municipality.slug == p,
        )
        for p in PLACES
        for r, d in w.drafts.items()
    ]


def draft_steps(w: World) -> list[Target]:
    return drafts(w, number=1)


def submissions(w: World) -> list[Target]:
    return [
        Target(
            f"{p}/{c.key}",
            {"municipality": p, "submission_id": str(c.case.submission_id)},
            place=p,
            case=c,
            owner=c.applicant,
            fits=c.place == p,
        )
        for p in PLACES
        for c in w.cases
    ]


def services(w: World) -> list[Target]:
    return [
        Target(
            f"{s.municipality.slug}/{s.slug}", {"municipality": s.municipality.slug, "slug": s.slug}
        )
        for s in w.services
    ]


def preview_services(w: World) -> list[Target]:
    """The builder's preview of every service slug in every municipality."""
    return registration_services(w)


def preview_steps(w: World) -> list[Target]:
    return [
        Target(t.label, {**t.kwargs, "index": 1}, place=t.place, fits=t.fits)
        for t in registration_services(w)
    ]


def builder_versions(w: World) -> list[Target]:
    """Version 1 of every service slug in every municipality (each service has a version 1)."""
    return [
        Target(t.label, {**t.kwargs, "number": 1}, place=t.place, fits=t.fits)
        for t in registration_services(w)
    ]


def _first_of(w: World, slug: str, part: str) -> str:
    """The key of the first step, or of its first field, of a service slug's definition."""
    service = next(s for s in w.services if s.slug == slug)
    step = service.published_version.definition.steps[0]
    return step["key"] if part == "step_key" else step["fields"][0]["key"]


def builder_parts(part: str):
    """Every service slug in every municipality, with its first step's or field's key."""

    def targets(w: World) -> list[Target]:
        return [
            Target(
                t.label,
                {**t.kwargs, part: _first_of(w, t.kwargs["slug"], part)},
                place=t.place,
                fits=t.fits,
            )
            for t in registration_services(w)
        ]

    return targets


def library_services(w: World) -> list[Target]:
    """Every service by id, in every municipality: one may adopt what another municipality shares."""
    return [
        Target(
            f"{p}/{s.municipality.slug}/{s.slug}",
            {"municipality": p, "service_id": s.pk},
            place=p,
            fits=s.shared and s.municipality.slug != p,
        )
        for p in PLACES
        for s in w.services
    ]


def insight_exports(w: World) -> list[Target]:
    return [
        Target(f"{p}/{table}.{fmt}", {"municipality": p, "table": table, "fmt": fmt}, place=p)
        for p in PLACES
        for table in ("channels", "trend", "services", "open", "adoption", "gains", "neighbours")
        for fmt in ("csv", "xlsx")
    ]


# Who may: the policy, one function per access rule


def covers(roles: list[Grant], department: str) -> bool:
    """Some role reaches the department: a caseworker's list, or any other case role."""
    return any(
        role != Role.CASEWORKER or not deps or department in deps for _p, role, deps in roles
    )


def case_staff(w: World, actor: Actor, t: Target) -> bool:
    """Caseworkers (of the case's department), leaders and admins of the URL's municipality."""
    roles = actor.roles(t.place, CASE_ROLES)
    if not roles:
        return False
    if t.case is None:
        return True
    return t.fits and t.case.place == t.place and covers(roles, t.case.department)


def admin(w: World, actor: Actor, t: Target) -> bool:
    """Administrators of the URL's municipality, about that municipality's own staff."""
    if not actor.roles(t.place, (Role.ADMIN,)):
        return False
    return t.member is None or t.place in STAFF_ACTORS[t.member].places


def registrar(w: World, actor: Actor, t: Target) -> bool:
    """Caseworkers and admins of the URL's municipality, for their departments' services;
    a registration only for the staff member who started it."""
    if not actor.roles(t.place, (Role.CASEWORKER, Role.ADMIN)):
        return False
    if t.member is not None:
        return t.fits and actor.key == t.member
    roles = actor.roles(t.place, CASE_ROLES)
    return t.fits and (t.department is None or covers(roles, t.department))


def builder_staff(w: World, actor: Actor, t: Target) -> bool:
    """Service owners and admins of the URL's municipality, for its own services."""
    return bool(actor.roles(t.place, (Role.SERVICE_OWNER, Role.ADMIN))) and t.fits


def leaders(w: World, actor: Actor, t: Target) -> bool:
    """Leaders and administrators of the URL's municipality (the insights dashboard)."""
    return bool(actor.roles(t.place, (Role.LEADER, Role.ADMIN)))


def applicant(w: World, actor: Actor, t: Target) -> bool:
    """The resident whose case, draft, submission or file it is (in its municipality)."""
    return bool(actor.resident) and actor.resident == t.owner and t.fits


def any_resident(w: World, actor: Actor, t: Target) -> bool:
    return bool(actor.resident)


def any_staff(w: World, actor: Actor, t: Target) -> bool:
    return actor.is_staff


def sees_cases(w: World, actor: Actor, t: Target) -> list[Seeded]:
    """The cases whose strings an allowed answer may hold: the actor's own view of them."""
    if actor.resident:
        return [c for c in w.counted if c.applicant == actor.resident]
    if t.place is None:
        return []
    return [c for c in w.counted if case_staff(w, actor, Target("", {}, place=t.place, case=c))]


def sees_the_persons_cases_here(w: World, actor: Actor, t: Target) -> list[Seeded]:
    """The access report: the cases in the URL's municipality where the person is applicant."""
    return [c for c in w.counted if c.place == t.place and c.applicant == t.owner]


# Form data for POSTs


def version(t: Target) -> int:
    return Case.objects.get(pk=t.case.case.pk).version if t.case else 1


def new_staff(w: World, actor: Actor, t: Target) -> dict:
    username = re.sub(r"[^a-z0-9.-]", "-", f"ny-{actor.key}-{t.label}")[:60]
    return {"username": username, "first_name": "Ny", "last_name": "Person", "email": "n@e.no"}


def same_roles(w: World, actor: Actor, t: Target) -> dict:
    kept = STAFF_ACTORS[t.member].roles(t.place, tuple(Role.values)) or [("", Role.CASEWORKER, ())]
    return {"roles": [r for _p, r, _d in kept], "departments": ", ".join(kept[0][2])}


def assign_to_self(w: World, actor: Actor, t: Target) -> dict:
    user = w.users.get(actor.key)
    return {"version": version(t), "assignee": user.pk if user else ""}


def assign_abroad(w: World, actor: Actor, t: Target) -> dict:
    """Assign the case to the other municipality's administrator: never allowed."""
    other = next(p for p in PLACES if p != t.place)
    return {"version": version(t), "assignee": w.users[f"{other}-admin"].pk}


def person(fmt: str) -> Callable[[World, Actor, Target], dict]:
    return lambda w, actor, t: {"pid": w.residents[t.owner].pid, "format": fmt}


# Searches, filters and pages of the inbox


def inbox_queries(w: World) -> list[str]:
    asked = ["", "?status=all", "?status=closed", "?overdue=on", "?unread=on"]
    asked += ["?assignee=none", "?assignee=me", "?status=all&sort=-received", "?page=2"]
    asked += [f"?status=all&q={quote(c.case.number)}" for c in w.counted]
    asked += [f"?status=all&q={c.case.sequence}" for c in w.counted]
    asked += [f"?status=all&q={quote(r.name)}" for r in w.residents.values()]
    asked += [f"?status=all&service={s.pk}" for s in w.services]
    asked += [f"?status=all&assignee={u.pk}" for u in w.users.values()]
    return asked


# Checks of an allowed answer beyond its status and its strings


def inbox_rows_and_counts(w: World, actor: Actor, t: Target, response) -> list[str]:
    """Rows and counts come only from the cases the actor may see."""
    visible = sees_cases(w, actor, t)
    allowed = {c.case.pk for c in visible}
    shown = {row["case"].pk for row in response.context["rows"]}
    problems = []
    if not shown <= allowed:
        problems.append(f"rows of cases not the actor's: {sorted(map(str, shown - allowed))}")
    if response.context["page"].paginator.count > len(visible):
        problems.append(f"{response.context['page'].paginator.count} cases counted")
    # The inbox counts open cases only (finished ones are not counted at all).
    still_open = Case.objects.filter(pk__in=allowed, status__in=OPEN_STATUSES).count()
    total = [f["count"] for group in response.context["quick"] for f in group if f["href"] == "?"]
    if total != [still_open]:
        problems.append(f"the count of open cases is {total}, not [{still_open}]")
    return problems


def not_assigned_abroad(w: World, actor: Actor, t: Target, response) -> list[str]:
    assignee = Case.objects.get(pk=t.case.case.pk).assignee
    foreign = assignee is not None and t.place not in STAFF_ACTORS[assignee.username].places
    return [f"assigned to {assignee.username}"] if foreign else []


def names_the_case(w: World, actor: Actor, t: Target, response) -> list[str]:
    """An allowed page shows the case it is about (so the matrix is not passing on empty pages)."""
    return [] if t.case.case.number in response.content.decode() else ["the case is not shown"]


def names_the_cases(w: World, actor: Actor, t: Target, response) -> list[str]:
    body = response.content.decode()
    wanted = [c.case.number for c in sees_the_persons_cases_here(w, actor, t) if c in w.cases]
    return [f"{number} is missing" for number in wanted if number not in body]


# The matrix


@dataclass(frozen=True)
class Rule:
    name: str  # the URL's name
    audience: str  # STAFF or RESIDENT: who is sent to the login page otherwise
    targets: Callable[[World], list[Target]]
    may: Callable[[World, Actor, Target], bool]
    method: str = "GET"
    ok: int | Callable[[World, Target], int] = 200  # the status the allowed get
    denied: int = 404
    data: Callable[[World, Actor, Target], dict] | None = None
    queries: Callable[[World], list[str]] = lambda w: [""]
    shows: Callable[[World, Actor, Target], list[Seeded]] = sees_cases
    check: Callable | None = None
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}:{self.method}{'.' + self.variant if self.variant else ''}"


def version_only(w: World, actor: Actor, t: Target) -> dict:
    return {"version": version(t)}


def to_waiting(w: World, actor: Actor, t: Target) -> dict:
    return {"version": version(t), "status": CaseStatus.WAITING}


def a_note(w: World, actor: Actor, t: Target) -> dict:
    return {"version": version(t), "body": "NYTT-NOTAT"}


def a_message(w: World, actor: Actor, t: Target) -> dict:
    return {"version": version(t), "kind": "message", "body": "NY-MELDING"}


def interim_preview(w: World, actor: Actor, t: Target) -> dict:
    return {"version": version(t), "_action": "preview"}


def save(w: World, actor: Actor, t: Target) -> dict:
    return {"_action": "save"}


def a_reply(w: World, actor: Actor, t: Target) -> dict:
    return {"body": "NY-MELDING-FRA-SOKER"}


def an_appeal(w: World, actor: Actor, t: Target) -> dict:
    return {"text": "KLAGE-TEKST"}


def decision_form(w: World, actor: Actor, t: Target) -> dict:
    return {
        "version": version(t),
        "outcome": "approve",
        "language": "nb",
        "title": "NYTT-VEDTAK",
        "body": "Søknaden er innvilget.",
    }


def draft_revision(w: World, actor: Actor, t: Target) -> dict:
    place, slug = t.place, t.kwargs["slug"]
    draft = ServiceDraft.objects.filter(service__municipality__slug=place, service__slug=slug)
    return {"revision": draft.first().revision if draft.exists() else 1}


def new_service(w: World, actor: Actor, t: Target) -> dict:
    return {"title": f"Ny tjeneste {actor.key}", "category": "nature", "department": "Teknisk"}


def added_step(w: World, actor: Actor, t: Target) -> dict:
    return {**draft_revision(w, actor, t), "action": "add_step", "label": "NYTT-STEG"}


def definition_text(w: World, actor: Actor, t: Target) -> dict:
    return {"text": json.dumps(small_definition(f"import-{actor.key}"))}


def phone_application(w: World, actor: Actor, t: Target) -> dict:
    pid = demo_people()[3].pid
    return {
        "channel": "phone",
        "received_on": timezone.localdate().isoformat(),
        "applicant_pid": pid,
        "applicant_name": "Ringt Inn",
        "language": "nb",
        "confirmed_pid": pid,  # the number shown back and confirmed: the registers are asked
    }


def gain_settings(w: World, actor: Actor, t: Target) -> dict:
    minutes = {"digital": 10, "paper": 30, "email": 25, "phone": 20}
    data = {"hourly_cost_nok": 700, "letter_cost_nok": "25.00"}
    for service in w.services:
        if service.municipality.slug == t.place:
            data |= {f"s{service.pk}_{channel}": n for channel, n in minutes.items()}
    return data


def open_case_page(w: World, t: Target) -> int:
    """A page for open cases only; a finished case sends the caseworker back to its page."""
    return 302 if t.case.case.status == CaseStatus.DECIDED else 200


def decidable(w: World, t: Target) -> int:
    """Sent and back to the case page while in progress; otherwise the form again, refused."""
    return 302 if t.case.case.status == CaseStatus.IN_PROGRESS else 200


def appeal_page(w: World, t: Target) -> int:
    """The appeal form for a decided case; a case that cannot be appealed goes back to its page."""
    return 200 if t.case.case.status == CaseStatus.DECIDED else 302


# One line per URL and method: name, audience, targets, who may, method, status when allowed.
# fmt: off
MATRIX = [
    # Staff: the inbox and the case page
    Rule("casework:inbox", STAFF, places, case_staff, queries=inbox_queries, check=inbox_rows_and_counts),
    Rule("casework:case", STAFF, staff_cases, case_staff, check=names_the_case),
    Rule("casework:attachment", STAFF, staff_case_files, case_staff),
    Rule("casework:message_attachment", STAFF, staff_message_files, case_staff),
    # Staff: changes to a case
    Rule("casework:take", STAFF, staff_cases, case_staff, "POST", 302, data=version_only),
    Rule("casework:assign", STAFF, staff_cases, case_staff, "POST", 302, data=assign_to_self),
    Rule("casework:assign", STAFF, staff_cases, case_staff, "POST", 200, data=assign_abroad, check=not_assigned_abroad, variant="abroad"),
    Rule("casework:status", STAFF, staff_cases, case_staff, "POST", 302, data=to_waiting),
    Rule("casework:note", STAFF, staff_cases, case_staff, "POST", 302, data=a_note),
    Rule("casework:message", STAFF, staff_cases, case_staff, "POST", 302, data=a_message),
    Rule("casework:interim_reply", STAFF, staff_cases, case_staff, ok=open_case_page),
    Rule("casework:interim_reply", STAFF, staff_cases, case_staff, "POST", ok=open_case_page, data=interim_preview),
    # Staff: decisions
    Rule("casework:decision", STAFF, staff_cases, case_staff, check=names_the_case),
    Rule("casework:decision_preview", STAFF, staff_cases, case_staff, "POST", data=decision_form),
    Rule("casework:decision_send", STAFF, staff_cases, case_staff, "POST", ok=decidable, data=decision_form),
    Rule("casework:decision_letter", STAFF, staff_decisions, case_staff),
    # Staff: applications that came on paper, by e-mail or by phone
    Rule("casework:register", STAFF, places, registrar),
    Rule("casework:register_applicant", STAFF, registration_services, registrar),
    Rule("casework:register_applicant", STAFF, registration_services, registrar, "POST", 302, data=phone_application),
    Rule("casework:register_step", STAFF, registration_steps, registrar),
    Rule("casework:register_step", STAFF, registration_steps, registrar, "POST", 302, data=save),
    Rule("casework:register_scan", STAFF, registrations, registrar),
    Rule("casework:register_scan", STAFF, registrations, registrar, "POST", 302, data=save),
    Rule("casework:register_review", STAFF, registrations, registrar),
    Rule("casework:register_review", STAFF, registrations, registrar, "POST", 302),
    Rule("casework:register_discard", STAFF, registrations, registrar, "POST", 302),
    # Staff: the administrator's pages
    Rule("staff:list", STAFF, places, admin),
    Rule("staff:list", STAFF, places, admin, "POST", 302, data=new_staff),
    Rule("staff:edit", STAFF, staff_members, admin),
    Rule("staff:edit", STAFF, staff_members, admin, "POST", 302, data=same_roles),
    Rule("staff:access_report", STAFF, places, admin),
    Rule("staff:access_report", STAFF, people_per_place, admin, "POST", data=person("csv"), shows=sees_the_persons_cases_here, check=names_the_cases, variant="csv"),
    Rule("staff:access_report", STAFF, people_per_place, admin, "POST", data=person("json"), shows=sees_the_persons_cases_here, check=names_the_cases, variant="json"),
    Rule("accounts:home", STAFF, nowhere, any_staff),
    # Staff: the leaders' insights (aggregates only)
    Rule("insights:dashboard", STAFF, places, leaders, queries=lambda w: ["", "?period=month&year=2025&month=3"]),
    Rule("insights:neighbours", STAFF, places, leaders),
    Rule("insights:report", STAFF, places, leaders),
    Rule("insights:gains", STAFF, places, leaders),
    Rule("insights:gains", STAFF, places, leaders, "POST", 302, data=gain_settings),
    Rule("insights:export", STAFF, insight_exports, leaders),
    # Staff: the service builder's preview (answers live in the session only)
    Rule("builder:preview", STAFF, preview_services, builder_staff),
    Rule("builder:preview_step", STAFF, preview_steps, builder_staff),
    Rule("builder:preview_step", STAFF, preview_steps, builder_staff, "POST", 302, data=save),
    # Staff: the service builder's editing pages
    Rule("builder:services", STAFF, places, builder_staff),
    Rule("builder:new", STAFF, places, builder_staff, "POST", 302, data=new_service),
    Rule("builder:overview", STAFF, preview_services, builder_staff),
    Rule("builder:service", STAFF, preview_services, builder_staff),
    Rule("builder:step", STAFF, builder_parts("step_key"), builder_staff),
    Rule("builder:field", STAFF, builder_parts("key"), builder_staff),
    Rule("builder:letters", STAFF, preview_services, builder_staff),
    Rule("builder:translations", STAFF, preview_services, builder_staff),
    Rule("builder:change", STAFF, preview_services, builder_staff, "POST", 302, data=added_step),
    Rule("builder:publish", STAFF, preview_services, builder_staff, "POST", 302, data=draft_revision),
    # Staff: the service builder's versions, shared library and files
    Rule("builder:versions", STAFF, preview_services, builder_staff),
    Rule("builder:version_diff", STAFF, preview_services, builder_staff, queries=lambda w: ["", "?fra=1&til=1", "?fra=1&til=utkast"]),
    Rule("builder:restore", STAFF, builder_versions, builder_staff, "POST", 302, data=draft_revision),
    Rule("builder:share", STAFF, preview_services, builder_staff, "POST", 302),
    Rule("builder:upstream", STAFF, preview_services, builder_staff),
    Rule("builder:upstream", STAFF, preview_services, builder_staff, "POST", 302, data=draft_revision),
    Rule("builder:export_yaml", STAFF, preview_services, builder_staff),
    Rule("builder:export_json", STAFF, preview_services, builder_staff),
    Rule("builder:library", STAFF, places, builder_staff),
    Rule("builder:adopt", STAFF, library_services, builder_staff, "POST", 302),
    Rule("builder:import", STAFF, places, builder_staff),
    Rule("builder:import", STAFF, places, builder_staff, "POST", 302, data=definition_text),
    # Residents: Mine saker, messages, decisions, appeals
    Rule("cases:mine", RESIDENT, nowhere, any_resident),
    Rule("cases:mine_detail", RESIDENT, resident_cases, applicant, check=names_the_case),
    Rule("cases:mine_message", RESIDENT, resident_cases, applicant, "POST", 302, data=a_reply),
    Rule("cases:mine_attachment", RESIDENT, resident_message_files, applicant),
    Rule("cases:mine_decision", RESIDENT, resident_decisions, applicant),
    Rule("cases:mine_appeal", RESIDENT, resident_cases, applicant, ok=appeal_page),
    Rule("cases:mine_appeal", RESIDENT, resident_cases, applicant, "POST", 302, data=an_appeal),
    Rule("attachment", RESIDENT, resident_files, applicant),
    # Residents: drafts, submit and receipts
    Rule("submissions:start", RESIDENT, services, any_resident, "POST", 302),
    Rule("submissions:step", RESIDENT, draft_steps, applicant),
    Rule("submissions:step", RESIDENT, draft_steps, applicant, "POST", 302, data=save),
    Rule("submissions:review", RESIDENT, drafts, applicant),
    Rule("submissions:review", RESIDENT, drafts, applicant, "POST", 302),
    Rule("submissions:discard", RESIDENT, drafts, applicant, "POST", 302),
    Rule("submissions:receipt", RESIDENT, submissions, applicant, check=names_the_case),
    Rule("submissions:receipt_pdf", RESIDENT, submissions, applicant),
]
# fmt: on

# URLs that show nothing personal to anyone, and why. Everything else must be in MATRIX.
PUBLIC = {
    "home": "the list of municipalities",
    "set_language": "sets the language cookie",
    "identity:login": "starts the resident login",
    "identity:callback": "ends the resident login (checked in identity/tests)",
    "identity:keepalive": "an empty 204 for the idle warning",
    "identity:logout": "ends the resident's own session",
    "identity:logged_out": "a static page",
    "identity:frontchannel_logout": "ends a session by the provider's sid (identity/tests)",
    "accounts:login": "the staff login form",
    "accounts:token": "the second factor of a pending login",
    "accounts:oidc_start": "starts a staff OIDC login",
    "accounts:oidc_callback": "ends a staff OIDC login (accounts/tests)",
    "accounts:logout": "ends the staff member's own session",
    "accounts:logged_out": "a static page",
    "testid:discovery": "TestID's public metadata",
    "testid:jwks": "TestID's public keys",
    "testid:authorize": "TestID's login page with synthetic people (demo only)",
    "testid:token": "TestID's token endpoint (client-authenticated; identity/tests)",
    "testid:logout": "TestID's logout",
    "catalog:front": "the public catalog",
    "catalog:theme": "the municipality's colour",
    "catalog:service": "a public service page",
    "admin:login": "Django admin's login form",
    "admin:logout": "Django admin's logout",
}
# Django's admin: every other admin URL is tried by `test_it_keeps_the_django_admin_closed`.
ADMIN = "admin:"

# (rule id, actor key): "LEAK: …" — pairs known to leak, expected to fail until fixed.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}


# Requests and what is expected of them


def client_for(w: World, actor: Actor) -> Client:
    client = Client()
    if actor.is_staff:
        client.force_login(w.users[actor.key], backend="django.contrib.auth.backends.ModelBackend")
    if actor.resident:
        login(client, w.residents[actor.resident])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def expected(w: World, rule: Rule, actor: Actor, t: Target) -> tuple[int, str | None, bool]:
    """The status, where a redirect to a login page must go, and whether the actor may."""
    if rule.audience == STAFF and not actor.is_staff:
        return 302, LOGIN[STAFF], False
    if rule.audience == RESIDENT and not actor.resident:
        return 302, LOGIN[RESIDENT], False
    if rule.may(w, actor, t):
        return (rule.ok(w, t) if callable(rule.ok) else rule.ok), None, True
    return rule.denied, None, False


def forbidden(w: World, rule: Rule, actor: Actor, t: Target, allowed: bool) -> set[str]:
    """The strings this answer must not hold."""
    seen = rule.shows(w, actor, t) if allowed else []
    mine = set().union(*(c.tokens for c in seen))
    hidden = set().union(*(c.tokens for c in w.counted)) - mine
    for resident, tokens in w.draft_tokens.items():
        if not (allowed and rule.audience == RESIDENT and actor.resident == resident):
            hidden |= tokens
    for author, tokens in w.registration_tokens.items():
        if not (allowed and rule.audience == STAFF and actor.key == author):
            hidden |= tokens
    if actor.resident or rule.audience == RESIDENT:
        hidden |= {c.note for c in w.cases}  # internal notes are for staff only
    here = {t.place} if t.place else {c.place for c in seen}
    for key, tokens in w.staff_tokens.items():
        if not STAFF_ACTORS[key].places & here and key != actor.key:
            hidden |= tokens
    return hidden


def fingerprint() -> tuple:
    """What a refused request must leave as it was."""
    return (
        tuple(
            Case.objects.order_by("pk").values_list(
                "pk", "version", "status", "assignee_id", "staff_unread"
            )
        ),
        tuple(Draft.objects.order_by("pk").values_list("pk", "step", "answers", "submitted_at")),
        tuple(Membership.objects.order_by("pk").values_list("pk", "role", "departments")),
        get_user_model().objects.count(),
        tuple(Service.objects.order_by("pk").values_list("pk", "shared", "origin_id")),
        tuple(ServiceDraft.objects.order_by("pk").values_list("pk", "revision")),
        Submission.objects.count(),
        CaseEvent.objects.count(),
        CaseAccess.objects.count(),
        Note.objects.count(),
        Message.objects.count(),
        Message.objects.filter(read_by_staff_at=None).count(),
        Message.objects.filter(read_by_resident_at=None).count(),
        Decision.objects.count(),
        tuple(StaffRegistration.objects.order_by("pk").values_list("pk", "step", "answers")),
    )


TEXT = ("text/html", "text/plain", "text/csv", "application/json")


def try_one(w: World, rule: Rule, actor: Actor, t: Target, query: str, client: Client) -> list[str]:
    url = reverse(rule.name, kwargs=t.kwargs) + query
    data = rule.data(w, actor, t) if rule.data else {}
    status, login_page, allowed = expected(w, rule, actor, t)
    before = None if allowed else fingerprint()
    response = client.post(url, data) if rule.method == "POST" else client.get(url)
    said = f"{rule.method} {url} as {actor.key} ({t.label})"
    problems = []
    if response.status_code != status:
        problems.append(f"{said}: expected {status}, got {response.status_code}")
    elif login_page and not response["Location"].startswith(login_page):
        problems.append(f"{said}: sent to {response['Location']}, not to {login_page}")
    if before is not None and fingerprint() != before:
        problems.append(f"{said}: a refused request changed something")
    if response.status_code != status:
        return problems
    if getattr(response, "streaming", False):
        if allowed and t.file is not None:
            body = b"".join(response.streaming_content)
            if body != t.file or not response["Content-Disposition"].startswith("attachment"):
                problems.append(f"{said}: not the expected file as a download")
        return problems
    if response["Content-Type"].split(";")[0] in TEXT:
        body = response.content.decode()
        sent = unquote_plus(url) + " " + " ".join(map(str, data.values()))
        leaked = sorted(
            s for s in forbidden(w, rule, actor, t, allowed) if s in body and s not in sent
        )
        if leaked:
            problems.append(f"{said}: the answer holds {leaked}")
        if allowed and rule.check and response.status_code == 200:
            problems += [f"{said}: {p}" for p in rule.check(w, actor, t, response)]
    return problems


def matrix() -> Iterator:
    for rule in MATRIX:
        for actor in ACTORS:
            reason = KNOWN_LEAKS.get((rule.id, actor.key))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(rule, actor, id=f"{rule.id}/{actor.key}", marks=marks)


@pytest.mark.parametrize(("rule", "actor"), list(matrix()))
def test_it_gives_each_url_only_to_those_allowed(world, rule, actor):
    client = client_for(world, actor)
    problems = []
    for target in rule.targets(world):
        for query in rule.queries(world):
            problems += try_one(world, rule, actor, target, query, client)
    assert not problems, "\n".join(problems)


# Every URL is in the matrix


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Every URL pattern as (key, route, view); the key is the name, or the route if unnamed."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        else:
            route = prefix + str(entry.pattern)
            key = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed> {route}"
            yield key, route, entry.lookup_str


def test_it_covers_every_url():
    covered = {rule.name for rule in MATRIX} | set(PUBLIC)
    missing = [
        f"  {key}   /{route}   ({view})"
        for key, route, view in url_patterns()
        if key not in covered and not key.startswith(ADMIN)
    ]
    assert not missing, (
        "These URL patterns are not in the isolation matrix. Add a Rule for each to MATRIX in "
        "servicetorg/cases/tests/test_isolation_matrix.py (or, if it shows nothing personal to "
        "anyone, to PUBLIC with the reason):\n" + "\n".join(missing)
    )


def test_it_names_only_urls_that_exist():
    names = {key for key, _route, _view in url_patterns()}
    stale = sorted(({rule.name for rule in MATRIX} | set(PUBLIC)) - names)
    assert not stale, f"The matrix names URLs that no longer exist: {stale}"
    assert not {key for key, _ in KNOWN_LEAKS} - {rule.id for rule in MATRIX}


def admin_path(route: str) -> str:
    """A concrete path for an admin URL pattern: ids filled in, regular expressions resolved."""
    path = re.sub(r"\(\?P<app_label>([a-z_]+)[^)]*\)", r"\1", route)
    path = path.replace("(?P<url>.*)", "nothing/").replace("^", "").replace("$", "")
    return "/" + re.sub(r"<[^>]+>", "1", path)


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.key)
def test_it_keeps_the_django_admin_closed(world, actor):
    """Nobody in the cast is `is_staff`: every admin URL ends on the admin's login page."""
    client = client_for(world, actor)
    problems = []
    for key, route, _view in url_patterns():
        if not key.startswith(ADMIN) or key in PUBLIC:
            continue
        response = client.get(admin_path(route), follow=True)
        where = response.redirect_chain[-1][0] if response.redirect_chain else admin_path(route)
        if response.status_code != 200 or not where.startswith("/admin/login/"):
            problems.append(
                f"GET {admin_path(route)} as {actor.key}: {response.status_code} {where}"
            )
    assert not problems, "\n".join(problems)
