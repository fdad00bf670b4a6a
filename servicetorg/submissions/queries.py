"""Reads of drafts, submissions and attachments: a resident sees only their own."""

from django.db.models import QuerySet
from django.utils import timezone

from servicetorg.identity.residents import Resident
from servicetorg.lib.access import parse_uuid, refused
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.models import Attachment, Draft, Submission


def get_draft_for_resident(resident: Resident, municipality: Municipality, draft_id: str) -> Draft:
    """The resident's live draft in this municipality; 404 for missing and not-yours alike."""
    found = list(
        Draft.objects.select_related("service_version", "service")
        .defer("service_version__document")
        .filter(id=parse_uuid(draft_id, "draft"), owner_pid=resident.pid, municipality=municipality)
        .filter(expires_at__gt=timezone.now())
        .order_by()[:1]  # one row by its id: no ORDER BY to build (a measurable part of a step)
    )
    if not found:
        raise refused("draft")
    draft = found[0]
    draft.municipality = municipality  # the request's own: no second copy joined in
    return draft


def list_drafts_for_resident(resident: Resident) -> QuerySet[Draft]:
    return (
        Draft.objects.filter(
            owner_pid=resident.pid, submitted_at=None, expires_at__gt=timezone.now()
        )
        .select_related("service_version", "municipality")
        .defer("service_version__document", "answers", "prefill")  # a list shows neither
    )


def get_submission_for_resident(
    resident: Resident, municipality: Municipality, submission_id: str
) -> Submission:
    submission = (
        Submission.objects.select_related("service_version", "municipality", "case")
        .filter(
            id=parse_uuid(submission_id, "submission"),
            applicant_pid=resident.pid,
            municipality=municipality,
        )
        .first()
    )
    if submission is None:
        raise refused("submission")
    return submission


def get_submission_for_draft(draft: Draft) -> Submission:
    return Submission.objects.get(draft_key=draft.pk)


def get_attachment_for_resident(resident: Resident, attachment_id: str) -> Attachment:
    attachment = Attachment.objects.filter(
        id=parse_uuid(attachment_id, "attachment"), owner_pid=resident.pid
    ).first()
    if attachment is None:
        raise refused("attachment")
    return attachment
