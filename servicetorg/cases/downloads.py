"""Files handed out by the case pages: always a download, never shown in the browser."""

from django.http import FileResponse

from servicetorg.cases.models import MessageAttachment
from servicetorg.submissions.models import Attachment


def file_response(found: Attachment | MessageAttachment) -> FileResponse:
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
