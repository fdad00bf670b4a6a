"""Virus scanning of stored files: decided at once or asked after commit, retried, recorded.

A file is stored as pending and is not handed out until the scanner has answered. The demo's
in-process scanner decides at once; clamd is asked once the upload's transaction has committed,
and `manage.py scan_attachments` retries what is left, with backoff. A scanner that is down
never blocks or loses an upload: the file stays pending, and after SCAN_MAX_ATTEMPTS it is
marked failed (still kept, still not served; `scan_attachments --again failed` tries anew).
A row is claimed before it is scanned, like a notification, so two scanners never race.
"""

import io
import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from servicetorg.cases.constants import ActorKind, EventKind
from servicetorg.cases.models import Case, CaseEvent, MessageAttachment
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.models import Attachment, ScannedFile
from servicetorg.submissions.scanners import (
    ScannerUnavailable,
    ScanRefused,
    Verdict,
    configured_scanner,
)

log = logging.getLogger("servicetorg.scanning")
# Longer than one scan can take (connect and read timeouts), so a claim outlives its scanner.
CLAIM_SECONDS = 300
LONGEST_WAIT = timedelta(hours=6)
KINDS: dict[str, type[ScannedFile]] = {"attachment": Attachment, "message": MessageAttachment}


def kind_of(found: ScannedFile) -> str:
    return "message" if isinstance(found, MessageAttachment) else "attachment"


def queue_scan(found: ScannedFile, content: bytes) -> None:
    """Call right after storing a file, in the caller's transaction."""
    scanner = configured_scanner()
    if scanner.local:
        _finish(found, scanner.scan(io.BytesIO(content)), timezone.now())
    elif settings.SCAN_ON_COMMIT:
        transaction.on_commit(partial(scan_file, kind_of(found), found.pk))


def scan_due_files(now: datetime | None = None) -> dict[str, int]:
    """Scan every pending file whose time has come; count the outcomes."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    for kind, model in KINDS.items():
        due = model.objects.filter(scan_status=ScanStatus.PENDING, scan_next_at__lte=now)
        for pk in list(due.order_by("scan_next_at").values_list("pk", flat=True)[:1000]):
            outcome = scan_file(kind, pk, now=now) or "busy"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def scan_again(statuses: list[str], now: datetime | None = None) -> int:
    """Put files back in the queue, e.g. failed ones once clamd takes larger files."""
    now = now or timezone.now()
    fields = {"scan_status": ScanStatus.PENDING, "scan_attempts": 0, "scan_next_at": now}
    return sum(m.objects.filter(scan_status__in=statuses).update(**fields) for m in KINDS.values())


def scan_file(kind: str, pk: object, now: datetime | None = None) -> str | None:
    """Scan one stored file. Never raises: the upload that queued it must not fail."""
    try:
        return _scan(KINDS[kind], pk, now or timezone.now())
    except Exception:
        log.exception("scan failed unexpectedly kind=%s file=%s", kind, pk)
        return None


def _scan(model: type[ScannedFile], pk: object, now: datetime) -> str | None:
    found = _claim(model, pk, now)
    if found is None:
        return None  # decided, not due yet, or another scanner has it
    try:
        with found.file.open("rb") as stream:
            verdict = configured_scanner().scan(stream)
    except ScanRefused as error:
        return _finish(found, Verdict(ScanStatus.FAILED, str(error)), now)
    except (ScannerUnavailable, OSError) as error:  # OSError: the storage, not the scanner
        return _retry(found, now, str(error) or type(error).__name__)
    return _finish(found, verdict, now)


def _claim(model: type[ScannedFile], pk: object, now: datetime) -> ScannedFile | None:
    claimed = model.objects.filter(
        pk=pk, scan_status=ScanStatus.PENDING, scan_next_at__lte=now
    ).update(
        scan_attempts=F("scan_attempts") + 1,
        scan_next_at=now + timedelta(seconds=CLAIM_SECONDS),
    )
    return model.objects.get(pk=pk) if claimed else None


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … times the base wait, at most six hours."""
    wait = timedelta(seconds=settings.SCAN_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_WAIT)


def _retry(found: ScannedFile, now: datetime, error: str) -> str:
    log.warning(
        "scan not done kind=%s file=%s attempt=%d error=%s",
        kind_of(found),
        found.pk,
        found.scan_attempts,
        error,
    )
    if found.scan_attempts >= settings.SCAN_MAX_ATTEMPTS:
        return _finish(found, Verdict(ScanStatus.FAILED, error), now)
    type(found).objects.filter(pk=found.pk).update(
        scan_next_at=now + backoff(found.scan_attempts), scan_result=error[:200]
    )
    return "retry"


@transaction.atomic
def _finish(found: ScannedFile, verdict: Verdict, now: datetime) -> str:
    """Record the verdict on the row, and a found virus on the case's timeline, together."""
    found.scan_status, found.scan_result, found.scanned_at = verdict.status, verdict.detail, now
    type(found).objects.filter(pk=found.pk).update(
        scan_status=verdict.status, scan_result=verdict.detail[:200], scanned_at=now
    )
    if verdict.status == ScanStatus.INFECTED:
        # The file stays stored but is never served again (see cases/downloads.py).
        log.warning(
            "virus found kind=%s file=%s signature=%s", kind_of(found), found.pk, verdict.detail
        )
        _note_on_case(found, verdict, now)
    else:
        log.info("scanned kind=%s file=%s status=%s", kind_of(found), found.pk, verdict.status)
    return str(verdict.status)


def _note_on_case(found: ScannedFile, verdict: Verdict, now: datetime) -> None:
    """A staff-only timeline entry, when the file already belongs to a case."""
    if isinstance(found, MessageAttachment):
        case = Case.objects.filter(messages__attachments=found).first()
    else:
        case = Case.objects.filter(submission_id=found.submission_id).first()  # type: ignore[attr-defined]
    if case is None:
        return  # still in a draft or a registration: the case page shows its status later
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.ATTACHMENT_INFECTED,
        at=now,
        actor_kind=ActorKind.SYSTEM,
        # Not a change of the case: its version stays, so no caseworker's form goes stale.
        case_version=case.version,
        data={"attachment": str(found.pk), "signature": verdict.detail[:100]},
    )
