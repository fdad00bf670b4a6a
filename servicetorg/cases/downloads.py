"""Files handed out by the case pages: always a download, never shown in the browser.

Only files the virus check has passed (or, in the demo, marked "not checked") are handed out.
A pending, infected or failed file gets a page saying why instead, and the attempt is logged.
Infected files are quarantined in place: kept in storage, so nothing the applicant sent is lost,
but no view serves them; they go when their case or draft is deleted.
"""

import logging

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from servicetorg.cases import actions
from servicetorg.cases.models import Case, MessageAttachment
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.models import Attachment, ScannedFile

log = logging.getLogger("servicetorg.security")


def serve(
    request: HttpRequest,
    case: Case,
    found: Attachment | MessageAttachment,
    *,
    actor: actions.Actor,
) -> HttpResponse:
    """The file as a download, or the page saying why it is held back; both in the access log."""
    if not found.may_be_served:
        actions.record_refused_download(case, str(found.pk), actor=actor)
        return held_back(request, found)
    actions.record_download(case, str(found.pk), actor=actor)
    return file_response(found)


def held_back(request: HttpRequest, found: ScannedFile) -> HttpResponse:
    """403 for a file with a virus; 409 for one not yet (or not) checked: it may pass later."""
    log.warning("attachment held back file=%s status=%s", found.pk, found.scan_status)
    status = 403 if found.scan_status == ScanStatus.INFECTED else 409
    context = {"file": found, "statuses": ScanStatus}
    return render(request, "cases/attachment_held_back.html", context, status=status)


def file_response(found: Attachment | MessageAttachment) -> FileResponse:
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
