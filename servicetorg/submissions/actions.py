"""Writes to drafts and submissions."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from servicetorg.cases.actions import open_case
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.engine import first_incomplete_step, prune
from servicetorg.catalog.models import Service, ServiceVersion
from servicetorg.identity.residents import Resident
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Attachment, Draft, Submission
from servicetorg.submissions.prefill import fetch_prefill
from servicetorg.submissions.scanning import queue_scan
from servicetorg.submissions.uploads import CheckedFile

if TYPE_CHECKING:
    from servicetorg.cases.models import Case

log = logging.getLogger("servicetorg.submissions")


class IncompleteDraft(Exception):
    def __init__(self, step: int) -> None:
        super().__init__(f"step {step} is incomplete")
        self.step = step


class FilledForm(Protocol):
    """What a resident's draft and a caseworker's registration share: a filled-in form."""

    pk: Any
    municipality: Municipality
    service: Service
    service_version: ServiceVersion
    answers: dict[str, Any]
    prefill: dict[str, Any]

    @property
    def definition(self) -> Definition: ...


def start_draft(service: Service, *, actor: Resident) -> Draft:
    """Start a draft with what the registers already know filled in."""
    version = service.published_version
    assert version is not None
    prefill = fetch_prefill(version.definition, actor.pid)
    return Draft.objects.create(
        municipality=service.municipality,
        service=service,
        service_version=version,
        owner_pid=actor.pid,
        prefill=prefill,
        answers=dict(prefill["values"]),
    )


def save_step(draft: Draft, answers: dict[str, Any], step: int, *, actor: Resident) -> None:
    """Store the answers so far and how far the resident has come."""
    draft.answers = answers
    draft.step = max(draft.step, step)
    draft.touch()
    draft.save(update_fields=["answers", "step", "expires_at", "updated_at"])


def add_attachment(
    draft: Draft, field_key: str, checked: CheckedFile, *, actor: Resident
) -> Attachment:
    attachment = Attachment(
        draft=draft,
        owner_pid=actor.pid,
        field_key=field_key,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
    )
    attachment.file.save(attachment.id.hex, ContentFile(checked.content), save=False)
    attachment.save()
    queue_scan(attachment, checked.content)
    return attachment


def remove_attachment(draft: Draft, attachment_id: str, *, actor: Resident) -> None:
    attachment = draft.attachments.filter(id=attachment_id, submission=None).first()
    if attachment is None:
        return
    storage_name = attachment.file.name
    attachment.delete()
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(storage_name))


@transaction.atomic
def submit_application(draft: Draft, *, actor: Resident) -> Submission:
    """Freeze the draft as a submission and open its case, once, however often it is called.

    The draft row is locked first, so a double click or a replayed POST waits here and then
    finds the submission the first one made.
    """
    draft = (
        Draft.objects.select_for_update(of=("self",))
        .select_related("service_version", "service", "municipality")
        .defer("service_version__document")
        .get(pk=draft.pk)
    )
    if draft.submitted_at is not None:
        return Submission.objects.get(draft_key=draft.pk)
    check_complete(draft)
    case = file_application(draft, draft.attachments.all(), applicant=actor)
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["submitted_at", "updated_at"])
    log.info("application submitted submission=%s", case.submission_id)
    return case.submission


def check_complete(filled: FilledForm) -> None:
    """Raise `IncompleteDraft` with the first step that still lacks an answer."""
    missing = first_incomplete_step(filled.definition, filled.answers)
    if missing is not None:
        raise IncompleteDraft(missing)


def file_application(
    filled: FilledForm,
    attachments: QuerySet[Attachment],
    *,
    applicant: Resident,
    channel: str = Channel.DIGITAL,
    submitted_at: datetime | None = None,
    language: str | None = None,
    also_kept: Iterable[str] = (),
) -> "Case":
    """Freeze the answers as the applicant's submission and open its case.

    Of `attachments`, those the answers refer to (and `also_kept`) go with the submission and
    become the applicant's. The caller holds `filled` locked, inside its transaction.
    """
    definition = filled.definition
    answers = prune(definition, filled.answers)
    submission = Submission.objects.create(
        draft_key=filled.pk,
        municipality=filled.municipality,
        service=filled.service,
        service_version=filled.service_version,
        applicant_pid=applicant.pid,
        applicant_name=applicant.name,
        answers=answers,
        prefill=filled.prefill,
        channel=channel,
        submitted_at=submitted_at or timezone.now(),
    )
    kept = {*attachment_ids(definition, answers), *also_kept}
    attachments.filter(id__in=kept, submission=None).update(
        submission=submission, owner_pid=applicant.pid
    )
    # The case's e-mails and letters go out in the applicant's language.
    with translation.override(language or translation.get_language()):
        return open_case(submission, actor=applicant)


def attachment_ids(definition: Definition, answers: dict[str, Any]) -> list[str]:
    """The attachments the submitted answers refer to."""
    files = [k for k, f in definition.fields.items() if f["type"] == "file"]
    return [item["id"] for key in files for item in answers.get(key, [])]


@transaction.atomic
def delete_draft(draft: Draft, *, actor: Resident) -> None:
    _delete_drafts(Draft.objects.filter(pk=draft.pk))


def _delete_drafts(drafts) -> int:
    """Delete drafts and the files only they hold; the files go once the rows are gone."""
    orphans = Attachment.objects.filter(draft__in=drafts, submission=None)
    names = list(orphans.values_list("file", flat=True))
    orphans.delete()
    count, _ = drafts.delete()
    storage = Attachment.file.field.storage
    transaction.on_commit(lambda: [storage.delete(n) for n in names])
    return count


# An upload stores its file before its row (the row must never point at a missing file); a file
# younger than this may belong to an upload whose row is not committed yet.
ORPHAN_GRACE = timedelta(hours=1)
UPLOAD_FOLDERS = ("attachments", "messages")


def delete_orphan_files(now: datetime | None = None, grace: timedelta = ORPHAN_GRACE) -> int:
    """Delete stored uploads that no row refers to; return how many.

    A server killed between storing an upload and committing its row (or between deleting a
    row and its file) leaves such a file behind: personal data nobody can reach.
    """
    from servicetorg.cases.models import MessageAttachment

    storage = Attachment.file.field.storage
    cutoff = (now or timezone.now()) - grace
    known = set(Attachment.objects.values_list("file", flat=True))
    known |= set(MessageAttachment.objects.values_list("file", flat=True))
    orphans = [
        name
        for name in _stored_names(storage, UPLOAD_FOLDERS)
        if name not in known and storage.get_modified_time(name) < cutoff
    ]
    for name in orphans:
        storage.delete(name)
    log.info("orphan files deleted count=%d", len(orphans))
    return len(orphans)


def _stored_names(storage, folders: Iterable[str]) -> list[str]:
    names = []
    for folder in folders:
        if not storage.exists(folder):
            continue
        subfolders, files = storage.listdir(folder)
        names += [f"{folder}/{name}" for name in files]
        names += _stored_names(storage, [f"{folder}/{sub}" for sub in subfolders])
    return names


@transaction.atomic
def delete_expired_drafts(now=None) -> int:
    """Delete drafts past their expiry, and submitted drafts (the submission holds the answers)."""
    now = now or timezone.now()
    expired = Draft.objects.filter(Q(expires_at__lt=now) | Q(submitted_at__isnull=False))
    count = _delete_drafts(expired)
    log.info("expired drafts deleted count=%d", count)
    return count
