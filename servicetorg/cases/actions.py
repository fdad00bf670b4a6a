"""Writes to cases. Each action writes its CaseEvent and access row in the same transaction.

Staff actions take the case version their form was shown with: the case row is locked, and
if anyone changed the case in between, `CaseConflict` is raised and nothing is saved.
"""

import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language

from servicetorg.cases.constants import (
    TRANSITIONS,
    WAITING_KINDS,
    AccessAction,
    ActorKind,
    CaseStatus,
    EventKind,
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
from servicetorg.cases.notifications import queue_notification
from servicetorg.cases.queries import list_assignable_staff
from servicetorg.identity.residents import Resident
from servicetorg.insights.aggregation import mark_for_refresh
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.models import Submission
from servicetorg.submissions.scanning import queue_scan
from servicetorg.submissions.uploads import CheckedFile

log = logging.getLogger("servicetorg.cases")
Actor = AbstractUser | Resident


class CaseConflict(Exception):
    """Someone else changed the case after the form was shown."""

    def __init__(self, seen_version: int) -> None:
        super().__init__(f"case changed since version {seen_version}")
        self.seen_version = seen_version


class IllegalTransition(Exception):
    """The workflow does not allow this status change."""


class NotAssignable(Exception):
    """The chosen person may not handle this case."""


class CaseNotOpen(Exception):
    """The case is finished; it takes no more messages."""


def take_case_number(municipality: Municipality, year: int) -> int:
    """The next number in the municipality's yearly sequence: unique and without gaps.

    One statement creates the year's row or counts it up, and returns the number. The row
    stays locked until the surrounding transaction ends (PostgreSQL's row lock; SQLite's
    write lock, taken when the transaction began), so concurrent submits queue here and a
    rolled-back submit gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    table = CaseNumberSequence._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (municipality_id, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [municipality.pk, year],
        )
        return cursor.fetchone()[0]


@transaction.atomic(savepoint=False)
def open_case(submission: Submission, *, actor: Resident) -> Case:
    received = submission.submitted_at
    local = timezone.localtime(received)
    data = submission.service_version.definition.data
    case = Case.objects.create(
        municipality=submission.municipality,
        year=local.year,
        sequence=take_case_number(submission.municipality, local.year),
        service=submission.service,
        department=data["department"],
        channel=submission.channel,
        submission=submission,
        applicant_pid=submission.applicant_pid,
        applicant_name=submission.applicant_name,
        language=get_language() or submission.municipality.default_language,
        received_at=received,
        due_date=(local + timedelta(days=data["handling_days"])).date(),
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.SUBMITTED,
        at=received,
        actor_kind=ActorKind.RESIDENT,
        actor_name=actor.name,
        case_version=case.version,
        data={"channel": submission.channel},
    )
    mark_for_refresh(case)
    return case


# Who did it, as stored on events, messages and access rows


def staff_name(user: AbstractUser) -> str:
    return user.get_full_name() or user.get_username()


def _actor_fields(actor: Actor) -> dict:
    if isinstance(actor, Resident):
        return {"actor_kind": ActorKind.RESIDENT, "actor_name": actor.name}
    return {"actor_kind": ActorKind.STAFF, "actor_user": actor, "actor_name": staff_name(actor)}


def _access_fields(actor: Actor) -> dict:
    fields = _actor_fields(actor)
    fields["user"] = fields.pop("actor_user", None)
    return fields


def lock_case(case: Case, seen_version: int | None) -> Case:
    """The case row, locked until the transaction ends; refuse if it changed since it was seen."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if seen_version is not None and locked.version != seen_version:
        raise CaseConflict(seen_version)
    return locked


def save_case(case: Case, **changes) -> None:
    """Store the changed fields of a locked case and raise its version."""
    for name, value in changes.items():
        setattr(case, name, value)
    case.version += 1
    Case.objects.filter(pk=case.pk).update(version=case.version, **changes)


def record_change(case: Case, kind: str, actor: Actor, data: dict | None = None) -> CaseEvent:
    """The timeline entry and the access row of one change, in the change's transaction."""
    now = timezone.now()
    CaseAccess.objects.create(
        case=case,
        municipality_id=case.municipality_id,
        action=AccessAction.CHANGE,
        target=kind,
        at=now,
        **_access_fields(actor),
    )
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=now,
        case_version=case.version,
        data=data or {},
        **_actor_fields(actor),
    )


def move_status(case: Case, status: str, actor: Actor) -> None:
    if status not in TRANSITIONS[case.status]:
        raise IllegalTransition(f"{case.status} -> {status}")
    before = case.status
    save_case(case, status=status)
    record_change(case, EventKind.STATUS_CHANGED, actor, {"from": before, "to": status})


# Staff actions


@transaction.atomic
def assign_case(
    case: Case, assignee: AbstractUser | None, *, actor: AbstractUser, version: int
) -> Case:
    """Give the case to a caseworker who may handle it, or to nobody."""
    case = lock_case(case, version)
    staff = list_assignable_staff(case.municipality_id, case.department)
    allowed = {user.pk for user in staff}
    if assignee is not None and assignee.pk not in allowed:
        raise NotAssignable(assignee.pk)
    save_case(case, assignee=assignee)
    record_change(case, EventKind.ASSIGNED, actor, {"to": staff_name(assignee) if assignee else ""})
    return case


def take_case(case: Case, *, actor: AbstractUser, version: int) -> Case:
    return assign_case(case, actor, actor=actor, version=version)


@transaction.atomic
def change_status(case: Case, status: str, *, actor: AbstractUser, version: int) -> Case:
    case = lock_case(case, version)
    move_status(case, status, actor)
    log.info("case status changed case=%s to=%s", case.pk, status)
    return case


@transaction.atomic
def add_note(case: Case, body: str, *, actor: AbstractUser, version: int) -> Note:
    case = lock_case(case, version)
    note = Note.objects.create(case=case, author=actor, author_name=staff_name(actor), body=body)
    save_case(case)
    record_change(case, EventKind.NOTE_ADDED, actor, {"note": note.pk})
    return note


@transaction.atomic
def send_message(
    case: Case,
    kind: str,
    body: str,
    files: list[CheckedFile],
    *,
    actor: AbstractUser,
    version: int,
) -> Message:
    """Write to the applicant; a question or a document request puts the case on hold."""
    case = lock_case(case, version)
    if not case.is_open:
        raise CaseNotOpen(case.status)
    message = create_message(case, actor, body, files, kind=kind)
    save_case(case)
    record_change(case, EventKind.MESSAGE_SENT, actor, {"message": message.pk, "kind": kind})
    if kind in WAITING_KINDS and case.status != CaseStatus.WAITING:
        move_status(case, CaseStatus.WAITING, actor)
    queue_notification(case, message)
    mark_for_refresh(case)
    return message


# The applicant's actions


@transaction.atomic
def write_to_caseworker(
    case: Case, body: str, files: list[CheckedFile], *, actor: Resident
) -> Message:
    """The applicant answers or writes first; the case comes back to the inbox as unread."""
    case = lock_case(case, None)
    if case.applicant_pid != actor.pid:
        raise PermissionError("not the applicant")
    if not case.is_open:
        raise CaseNotOpen(case.status)
    message = create_message(case, actor, body, files)
    save_case(case, staff_unread=True, language=get_language() or case.language)
    record_change(case, EventKind.MESSAGE_RECEIVED, actor, {"message": message.pk})
    if case.status == CaseStatus.WAITING:
        move_status(case, CaseStatus.IN_PROGRESS, actor)
    mark_for_refresh(case)
    return message


def create_message(
    case: Case, actor: Actor, body: str, files: list[CheckedFile], kind: str = "message"
) -> Message:
    message = Message.objects.create(
        case=case,
        author_kind=_actor_fields(actor)["actor_kind"],
        author_user=None if isinstance(actor, Resident) else actor,
        author_name=_actor_fields(actor)["actor_name"],
        kind=kind,
        body=body,
    )
    for checked in files:
        attachment = MessageAttachment(
            message=message,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
        )
        attachment.file.save(attachment.id.hex, ContentFile(checked.content), save=False)
        attachment.save()
        queue_scan(attachment, checked.content)
    return message


# Reads that leave a trace: the access log (and the read marks on messages)


def record_access(case: Case, action: str, actor: Actor, target: str = "") -> None:
    CaseAccess.objects.create(
        case=case,
        municipality_id=case.municipality_id,
        action=action,
        target=target,
        **_access_fields(actor),
    )


@transaction.atomic
def record_case_view(case: Case, *, actor: Actor) -> list[int]:
    """Log the view; the other side's messages count as read. Return the ids newly read."""
    record_access(case, AccessAction.VIEW, actor)
    now = timezone.now()
    if isinstance(actor, Resident):
        unread = case.messages.filter(author_kind=ActorKind.STAFF, read_by_resident_at=None)
        ids = list(unread.values_list("pk", flat=True))
        Message.objects.filter(pk__in=ids).update(read_by_resident_at=now)
        return ids
    unread = case.messages.filter(author_kind=ActorKind.RESIDENT, read_by_staff_at=None)
    ids = list(unread.values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids).update(read_by_staff_at=now)
    # Recomputed rather than set to False: a message that arrived meanwhile stays unread.
    still_unread = Message.objects.filter(
        case=OuterRef("pk"), author_kind=ActorKind.RESIDENT, read_by_staff_at=None
    )
    Case.objects.filter(pk=case.pk, staff_unread=True).update(staff_unread=Exists(still_unread))
    return ids


def record_download(case: Case, attachment_id: str, *, actor: Actor) -> None:
    record_access(case, AccessAction.DOWNLOAD, actor, str(attachment_id))


def record_refused_download(case: Case, attachment_id: str, *, actor: Actor) -> None:
    """A download held back by the virus check: an attempt the access log keeps too."""
    record_access(case, AccessAction.REFUSED, actor, str(attachment_id))
