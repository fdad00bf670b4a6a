"""Send a decision letter, and open an appeal (klage) against one as a case of its own.

Both write their CaseEvent and access rows in the same transaction as the change, through the
helpers of `actions.py`. The letter is rendered before the transaction starts: the case row is
not locked while WeasyPrint works, and a rendering failure leaves nothing behind.
"""

import logging
from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from servicetorg.cases.actions import (
    CaseConflict,
    IllegalTransition,
    lock_case,
    move_status,
    record_access,
    record_change,
    save_case,
    staff_name,
    take_case_number,
)
from servicetorg.cases.constants import AccessAction, CaseStatus, EventKind
from servicetorg.cases.decision_models import Decision, Outcome
from servicetorg.cases.decision_queries import latest_decision
from servicetorg.cases.decision_templates import LANGUAGES, letter_language
from servicetorg.cases.models import Case
from servicetorg.cases.notifications import queue_notification
from servicetorg.documents.letters import decision_letter_pdf
from servicetorg.identity.residents import Resident
from servicetorg.insights.aggregation import mark_for_refresh
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Attachment, Submission
from servicetorg.submissions.scanning import queue_scan
from servicetorg.submissions.uploads import CheckedFile

log = logging.getLogger("servicetorg.cases")
# A decision is written while the case is being handled, never straight from the inbox.
DECIDABLE = (CaseStatus.IN_PROGRESS, CaseStatus.WAITING)
APPEALABLE = (CaseStatus.DECIDED, CaseStatus.CLOSED)
APPEAL_FILE_KEY = "appeal"


class NotDecidable(IllegalTransition):
    """The case is not in progress or waiting, so it cannot be decided now."""


class AppealRefused(Exception):
    """The applicant cannot appeal this case now; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "no-decision", "too-late" or "already-appealed"


def appeal_deadline(municipality: Municipality, sent_on: date) -> date:
    """The last day to appeal a decision sent that day, by the municipality's setting."""
    return sent_on + timedelta(days=municipality.appeal_days)


def prepare_decision(
    case: Case, *, outcome: str, title: str, body: str, language: str, actor: AbstractUser
) -> Decision:
    """The decision as it would be sent now, not saved: for the preview and for sending."""
    if outcome not in Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if not title.strip() or not body.strip():
        raise ValueError("a decision needs a title and a text")
    now = timezone.now()
    return Decision(
        case=case,
        outcome=outcome,
        title=title.strip(),
        body=body.strip(),
        language=language,
        sent_at=now,
        sent_by=actor,
        sent_by_name=staff_name(actor),
        appeal_deadline=appeal_deadline(case.municipality, timezone.localdate(now)),
    )


def send_decision(
    case: Case,
    *,
    outcome: str,
    title: str,
    body: str,
    version: int,
    actor: AbstractUser,
    language: str | None = None,
) -> Decision:
    """Send the decision: the letter in "Mine saker", an e-mail notice, the case decided."""
    # Checked here too, so a stale form or a wrong status costs no rendering.
    if case.version != version:
        raise CaseConflict(version)
    if case.status not in DECIDABLE:
        raise NotDecidable(case.status)
    decision = prepare_decision(
        case,
        outcome=outcome,
        title=title,
        body=body,
        language=language or letter_language(case),
        actor=actor,
    )
    pdf = decision_letter_pdf(decision)
    try:
        return _store_decision(decision, pdf, version=version, actor=actor)
    except BaseException:
        # The rollback removes the row, not the file written inside the transaction.
        if decision.letter.name:
            decision.letter.storage.delete(decision.letter.name)
        raise


@transaction.atomic
def _store_decision(
    decision: Decision, pdf: bytes, *, version: int, actor: AbstractUser
) -> Decision:
    case = lock_case(decision.case, version)
    if case.status not in DECIDABLE:
        raise NotDecidable(case.status)
    decision.case = case
    decision.letter.save("vedtak.pdf", ContentFile(pdf), save=False)
    decision.save()
    save_case(case, answered_at=timezone.now())
    record_change(
        case,
        EventKind.DECISION_SENT,
        actor,
        {"decision": str(decision.pk), "outcome": decision.outcome},
    )
    move_status(case, CaseStatus.DECIDED, actor)
    # The e-mail says only that there is a decision to read in "Mine saker".
    queue_notification(case)
    mark_for_refresh(case)
    log.info("decision sent case=%s decision=%s", case.pk, decision.pk)
    return decision


def record_read(case: Case, *, actor: AbstractUser) -> None:
    """Log a read of the case outside the case page: the decision page, a preview."""
    record_access(case, AccessAction.VIEW, actor)


def can_appeal(case: Case, decision: Decision | None, today: date | None = None) -> bool:
    """Whether the applicant may still appeal the case's decision (the page's question)."""
    return _appeal_refusal(case, decision, today or timezone.localdate()) is None


def _appeal_refusal(case: Case, decision: Decision | None, today: date) -> str | None:
    if decision is None or case.status not in APPEALABLE:
        return "no-decision"
    if today > decision.appeal_deadline:
        return "too-late"
    if case.appeals.exists():
        return "already-appealed"
    return None


@transaction.atomic
def submit_appeal(
    case: Case, *, text: str, attachments: list[CheckedFile], actor: Resident
) -> Case:
    """Open the appeal as a new case for the same service, linked to the appealed one.

    The appeal is stored as the new case's submission (pinned to the appealed application's
    service version, like any application): it is the incoming document that starts the case.
    """
    case = lock_case(case, None)  # a double submit waits here, then finds the appeal made
    if case.applicant_pid != actor.pid:
        raise PermissionError("not the applicant")
    refusal = _appeal_refusal(case, latest_decision(case), timezone.localdate())
    if refusal:
        raise AppealRefused(refusal)
    submission = _appeal_submission(case, text, attachments, actor)
    appeal = _open_appeal_case(case, submission, actor)
    record_change(appeal, EventKind.APPEAL_RECEIVED, actor, {"appeal_of": case.number})
    save_case(case)
    record_change(case, EventKind.APPEAL_RECEIVED, actor, {"appeal": appeal.number})
    log.info("appeal received case=%s appeal=%s", case.pk, appeal.pk)
    return appeal


def _appeal_submission(
    case: Case, text: str, files: list[CheckedFile], actor: Resident
) -> Submission:
    submission = Submission.objects.create(
        municipality=case.municipality,
        service=case.service,
        service_version=case.submission.service_version,
        applicant_pid=actor.pid,
        applicant_name=actor.name,
        answers={"appeal_text": text, "appeal_of": case.number},
        channel=Channel.DIGITAL,
    )
    for checked in files:
        attachment = Attachment(
            submission=submission,
            owner_pid=actor.pid,
            field_key=APPEAL_FILE_KEY,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
        )
        attachment.file.save(attachment.id.hex, ContentFile(checked.content), save=False)
        attachment.save()
        queue_scan(attachment, checked.content)
    return submission


def _open_appeal_case(appealed: Case, submission: Submission, actor: Resident) -> Case:
    received = submission.submitted_at
    local = timezone.localtime(received)
    handling_days = submission.service_version.definition.data["handling_days"]
    return Case.objects.create(
        municipality=appealed.municipality,
        year=local.year,
        sequence=take_case_number(appealed.municipality, local.year),
        service=appealed.service,
        department=appealed.department,
        submission=submission,
        applicant_pid=actor.pid,
        applicant_name=actor.name,
        language=get_language() or appealed.language,
        received_at=received,
        due_date=(local + timedelta(days=handling_days)).date(),
        appeal_of=appealed,
    )
