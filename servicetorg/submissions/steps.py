"""One step of the resident's path: read what was posted, act on the button, build the page."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language

from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.engine import (
    StepResult,
    error_summary_items,
    raw_from_answers,
    read_step,
    render_fields,
    visible_fields,
)
from servicetorg.identity.residents import Resident
from servicetorg.submissions.actions import add_attachment, remove_attachment
from servicetorg.submissions.models import Draft
from servicetorg.submissions.uploads import check_upload


@dataclass
class Posted:
    """A posted step after its uploads were stored and its button understood."""

    result: StepResult
    action: str
    argument: str = ""


def read_posted_step(request: HttpRequest, draft: Draft, index: int, resident: Resident) -> Posted:
    definition = draft.definition
    action, _, argument = request.POST.get("_action", "next").partition(":")
    attachments, upload_errors = _attachments_for_step(
        request, draft, index, resident, action, argument
    )
    result = read_step(definition, index, draft.answers, request.POST, attachments)
    result.errors.update(upload_errors)
    for key in result.appeared:
        result.errors.pop(key, None)
    if action in ("add-row", "remove-row"):
        change_rows(result, action, argument)
    return Posted(result=result, action=action, argument=argument)


def _attachments_for_step(
    request: HttpRequest, draft: Draft, index: int, resident: Resident, action: str, argument: str
) -> tuple[dict[str, list], dict[str, str]]:
    """Store new files at once, so a later error on the page never loses them."""
    attachments: dict[str, list] = {}
    errors: dict[str, str] = {}
    for field in draft.definition.steps[index]["fields"]:
        if field["type"] != "file":
            continue
        key = field["key"]
        current = list(draft.answers.get(key) or [])
        if action == "remove-file" and argument.startswith(f"{key}:"):
            removed = argument.split(":", 1)[1]
            # Only ids in the draft's own answer are acted on; anything else is ignored.
            if any(a["id"] == removed for a in current):
                remove_attachment(draft, removed, actor=resident)
                current = [a for a in current if a["id"] != removed]
        for upload in request.FILES.getlist(key):
            try:
                checked = check_upload(upload, field)
            except ValidationError as error:
                errors[key] = error.messages[0]
                continue
            if not field.get("multiple"):
                for old in current:
                    remove_attachment(draft, old["id"], actor=resident)
                current = []
            current.append(add_attachment(draft, key, checked, actor=resident).as_answer())
        attachments[key] = current
    return attachments, errors


def change_rows(result: StepResult, action: str, argument: str) -> None:
    """Add an empty row to a repeating group, or remove one; nothing else changes."""
    key, _, position = argument.partition(":")
    rows = result.raw.get(key)
    if not isinstance(rows, list):
        return
    if action == "add-row":
        rows.append({})
    elif position.isdigit() and int(position) < len(rows):
        rows.pop(int(position))
    result.errors = {}


def step_context(
    definition: Definition,
    index: int,
    answers: dict[str, Any],
    raw: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    lang = get_language() or "nb"
    step = definition.steps[index]
    fields = step["fields"]
    raw = raw if raw is not None else raw_from_answers(fields, answers)
    errors = errors or {}
    shown = [f["key"] for f in visible_fields(fields, answers)]
    return {
        "step_title": definition.text(step["title"], lang),
        "step_intro": definition.text(step.get("intro"), lang),
        "step_number": index + 1,
        "step_count": len(definition.steps),
        "fields_html": render_fields(fields, answers, raw, errors, lang),
        "error_items": error_summary_items(fields, errors, lang),
        "shown": ",".join(shown),
        "has_files": any(f["type"] == "file" for f in fields),
    }
