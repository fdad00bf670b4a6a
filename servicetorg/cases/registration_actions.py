"""Writes for applications that came on paper, by e-mail or by phone, entered by a caseworker.

The caseworker fills in the service's own form for the applicant; submitting makes the same
Submission and Case a resident's submit makes, with the channel recorded, so the case follows
the same flow and is counted by how it came.
"""

import logging
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from servicetorg.cases.actions import record_change
from servicetorg.cases.constants import EventKind
from servicetorg.cases.models import Case
from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.catalog.models import Service
from servicetorg.identity.actions import record_register_lookup
from servicetorg.identity.models import LookupPurpose
from servicetorg.identity.residents import Resident
from servicetorg.submissions.actions import check_complete, file_application
from servicetorg.submissions.models import Attachment
from servicetorg.submissions.prefill import fetch_prefill
from servicetorg.submissions.scanning import queue_scan
from servicetorg.submissions.uploads import CheckedFile

log = logging.getLogger("servicetorg.cases")


class MissingScan(Exception):
    """A paper or e-mail application is registered only with its scan."""


def start_registration(
    service: Service,
    *,
    channel: str,
    applicant_pid: str,
    applicant_name: str,
    language: str,
    received_on: date,
    actor: AbstractUser,
) -> StaffRegistration:
    """Start entering an application for the applicant the caseworker confirmed.

    Looking the applicant up in the registers is an access to their data: it is recorded,
    with who and why, and committed before the registers are asked (no transaction is held
    open while they answer), so even a look-up that fails is on record.
    """
    version = service.published_version
    assert version is not None
    record_register_lookup(
        applicant_pid,
        municipality=service.municipality,
        purpose=LookupPurpose.REGISTRATION,
        actor=actor,
    )
    # Once only: what the registers know about the applicant is filled in, as for a resident.
    prefill = fetch_prefill(version.definition, applicant_pid)
    registration = StaffRegistration.objects.create(
        municipality=service.municipality,
        service=service,
        service_version=version,
        staff=actor,
        channel=channel,
        applicant_pid=applicant_pid,
        applicant_name=applicant_name,
        language=language,
        received_on=received_on,
        prefill=prefill,
        answers=dict(prefill["values"]),
    )
    log.info("registration started registration=%s channel=%s", registration.pk, channel)
    return registration


def save_registration_step(
    registration: StaffRegistration, answers: dict[str, Any], step: int, *, actor: AbstractUser
) -> None:
    """Store the answers so far and how far the caseworker has come."""
    registration.answers = answers
    registration.step = max(registration.step, step)
    registration.touch()
    registration.save(update_fields=["answers", "step", "expires_at", "updated_at"])


def save_registration_scan(
    registration: StaffRegistration, scan: list[dict], step: int, *, actor: AbstractUser
) -> None:
    registration.scan = scan
    registration.step = max(registration.step, step)
    registration.touch()
    registration.save(update_fields=["scan", "step", "expires_at", "updated_at"])


@transaction.atomic
def add_registration_file(
    registration: StaffRegistration, field_key: str, checked: CheckedFile, *, actor: AbstractUser
) -> Attachment:
    """Store a file at once, for staff only: submitting makes it the applicant's.

    Until then it has no owner, so nobody can fetch it as a resident, not even the applicant
    whose number the caseworker typed (and may have mistyped).
    """
    locked = StaffRegistration.objects.select_for_update().get(pk=registration.pk)
    attachment = Attachment(
        owner_pid="",
        field_key=field_key,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
    )
    attachment.file.save(attachment.id.hex, ContentFile(checked.content), save=False)
    attachment.save()
    queue_scan(attachment, checked.content)
    locked.attachment_ids.append(str(attachment.id))
    locked.save(update_fields=["attachment_ids", "updated_at"])
    registration.attachment_ids = locked.attachment_ids
    return attachment


@transaction.atomic
def remove_registration_file(
    registration: StaffRegistration, attachment_id: str, *, actor: AbstractUser
) -> None:
    locked = StaffRegistration.objects.select_for_update().get(pk=registration.pk)
    # Only the registration's own files, and never one that is already submitted.
    if attachment_id in locked.attachment_ids:
        _delete_files(Attachment.objects.filter(id=attachment_id, submission=None))


def received_at(received_on: date) -> datetime:
    """When the application arrived: now if it came today, else noon of that day.

    The hour a letter arrived is not known; noon keeps the date the same in any time zone
    the time is read in.
    """
    now = timezone.localtime()
    if received_on >= now.date():
        return now
    return timezone.make_aware(datetime.combine(received_on, time(12)))


@transaction.atomic
def register_application(registration: StaffRegistration, *, actor: AbstractUser) -> Case:
    """Make the registration the applicant's submission and open its case, once.

    The registration row is locked first, so a double click waits here and then finds the
    case the first one made.
    """
    registration = StaffRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.submitted_at is not None:
        return Case.objects.get(submission__draft_key=registration.pk)
    check_complete(registration)
    if registration.needs_scan and not registration.scan:
        raise MissingScan()
    own = Attachment.objects.filter(id__in=registration.attachment_ids)
    case = file_application(
        registration,
        own,
        applicant=Resident(pid=registration.applicant_pid, name=registration.applicant_name),
        channel=registration.channel,
        submitted_at=received_at(registration.received_on),
        language=registration.language,  # not the caseworker's
        also_kept=[a["id"] for a in registration.scan],
    )
    record_change(case, EventKind.REGISTERED_BY_STAFF, actor, {"channel": registration.channel})
    registration.submitted_at = timezone.now()
    registration.save(update_fields=["submitted_at", "updated_at"])
    _delete_files(own.filter(submission=None))
    log.info("application registered case=%s channel=%s", case.pk, registration.channel)
    return case


@transaction.atomic
def delete_registration(registration: StaffRegistration, *, actor: AbstractUser) -> None:
    _delete_registrations(StaffRegistration.objects.filter(pk=registration.pk))


@transaction.atomic
def delete_expired_registrations(now: datetime | None = None) -> int:
    """Delete registrations past their expiry, and submitted ones (the case holds the answers)."""
    now = now or timezone.now()
    done = StaffRegistration.objects.filter(Q(expires_at__lt=now) | Q(submitted_at__isnull=False))
    count = _delete_registrations(done)
    log.info("expired registrations deleted count=%d", count)
    return count


def _delete_registrations(registrations) -> int:
    ids = [i for row in registrations.values_list("attachment_ids", flat=True) for i in row]
    _delete_files(Attachment.objects.filter(id__in=ids, submission=None))
    count, _ = registrations.delete()
    return count


def _delete_files(attachments) -> None:
    """Delete the rows now and their files once the transaction commits."""
    names = list(attachments.values_list("file", flat=True))
    attachments.delete()
    storage = Attachment.file.field.storage
    transaction.on_commit(lambda: [storage.delete(n) for n in names])
