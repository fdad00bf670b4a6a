"""The resident's path: start, step by step, review, submit, receipt."""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from servicetorg.cases.downloads import held_back
from servicetorg.catalog.engine import answer_sections
from servicetorg.catalog.queries import get_service_for_public
from servicetorg.identity.assurance import level_for_service
from servicetorg.identity.residents import current_resident, require_level, resident_required
from servicetorg.lib.ratelimits import hit, mark_limited, say_limited
from servicetorg.submissions.actions import (
    IncompleteDraft,
    delete_draft,
    save_step,
    start_draft,
    submit_application,
)
from servicetorg.submissions.models import Draft
from servicetorg.submissions.queries import (
    get_attachment_for_resident,
    get_draft_for_resident,
    get_submission_for_draft,
    get_submission_for_resident,
)
from servicetorg.submissions.steps import read_posted_step, step_context

log = logging.getLogger("servicetorg.submissions")


def step_url(draft: Draft, index: int):
    return redirect(
        "submissions:step",
        municipality=draft.municipality.slug,
        draft_id=draft.id,
        number=index + 1,
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a new draft (POST). Coming back from the login (GET) lands on the service page."""
    service = get_service_for_public(request.municipality, slug)
    # Not logged in, or logged in at a lower level than the service needs: log in (again).
    if login := require_level(request, level_for_service(service.definition)):
        return login
    if request.method == "GET":
        return redirect(
            "catalog:service", municipality=service.municipality.slug, slug=service.slug
        )
    draft = start_draft(service, actor=current_resident(request))
    return step_url(draft, 0)


def _live_draft(request: HttpRequest, draft_id: str) -> Draft:
    return get_draft_for_resident(request.resident, request.municipality, draft_id)


@require_http_methods(["GET", "POST"])
@resident_required
def step(request: HttpRequest, draft_id: str, number: int) -> HttpResponse:
    draft = _live_draft(request, draft_id)
    if draft.submitted_at is not None:
        return _receipt_redirect(draft)
    definition = draft.definition
    index = number - 1
    if not 0 <= index < len(definition.steps):
        raise Http404("No such step")
    if index > draft.step:
        return step_url(draft, draft.step)
    if request.method == "POST":
        return _post_step(request, draft, index)
    return _render_step(request, draft, step_context(definition, index, draft.answers))


@transaction.atomic
def _post_step(request: HttpRequest, draft: Draft, index: int) -> HttpResponse:
    """Uploads' rows, removed files and the answers are written together or not at all (a file
    stored before a failed transaction is swept by `delete_orphan_files`)."""
    limited = hit(request, "upload", "step") if request.FILES else None
    if limited:
        # The files are refused unread; the typed answers are still saved and shown again.
        request.FILES.clear()
    posted = read_posted_step(request, draft, index, request.resident)
    result = posted.result
    definition = draft.definition
    if limited:
        save_step(draft, result.answers, index, actor=request.resident)
        messages.error(request, _("Your answers are saved, but the files were not uploaded."))
        say_limited(request, limited)
        context = step_context(definition, index, result.answers, result.raw, result.errors)
        return mark_limited(_render_step(request, draft, context), limited)
    if posted.action == "back":
        save_step(draft, result.answers, index, actor=request.resident)
        return step_url(draft, index - 1) if index > 0 else redirect("cases:mine")
    if posted.action == "save":
        save_step(draft, result.answers, index, actor=request.resident)
        messages.success(request, _("Your draft is saved. You find it under My cases."))
        return redirect("cases:mine")
    if posted.action == "next" and result.valid:
        last = index == len(definition.steps) - 1
        save_step(draft, result.answers, index + (0 if last else 1), actor=request.resident)
        return (
            redirect("submissions:review", municipality=draft.municipality.slug, draft_id=draft.id)
            if last
            else step_url(draft, index + 1)
        )
    save_step(draft, result.answers, index, actor=request.resident)
    context = step_context(definition, index, result.answers, result.raw, result.errors)
    context["appeared"] = bool(result.appeared) and posted.action == "next"
    return _render_step(request, draft, context, status=200)


def _render_step(
    request: HttpRequest, draft: Draft, context: dict, status: int = 200
) -> HttpResponse:
    context.update(draft=draft, service_title=draft.definition.t("title", get_language()))
    return render(request, "submissions/step.html", context, status=status)


def _receipt_redirect(draft: Draft) -> HttpResponse:
    submission = get_submission_for_draft(draft)
    return redirect(
        "submissions:receipt", municipality=draft.municipality.slug, submission_id=submission.id
    )


@require_http_methods(["GET", "POST"])
@resident_required
def review(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = _live_draft(request, draft_id)
    if draft.submitted_at is not None:
        return _receipt_redirect(draft)
    definition = draft.definition
    if draft.step < len(definition.steps) - 1:
        return step_url(draft, draft.step)
    # Every answer is already saved in the draft: a limited resident loses nothing by waiting.
    limited = hit(request, "submit", "review") if request.method == "POST" else None
    if limited:
        say_limited(request, limited)
    elif request.method == "POST":
        try:
            submission = submit_application(draft, actor=request.resident)
        except IncompleteDraft as incomplete:
            messages.error(request, _("Some answers are missing. Fill them in and continue."))
            return step_url(draft, incomplete.step)
        return redirect(
            "submissions:receipt", municipality=draft.municipality.slug, submission_id=submission.id
        )
    context = {
        "draft": draft,
        "service_title": definition.t("title", get_language()),
        "sections": answer_sections(definition, draft.answers, get_language()),
    }
    response = render(request, "submissions/review.html", context)
    return mark_limited(response, limited) if limited else response


@require_POST
@resident_required
def discard(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = _live_draft(request, draft_id)
    if draft.submitted_at is None:
        delete_draft(draft, actor=request.resident)
        messages.success(request, _("The draft is deleted."))
    return redirect("cases:mine")


@resident_required
def receipt(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = get_submission_for_resident(request.resident, request.municipality, submission_id)
    definition = submission.definition
    lang = get_language()
    context = {
        "submission": submission,
        "case": submission.case,
        "service_title": definition.t("title", lang),
        "next_text": definition.t("what_happens_next", lang),
        "sections": answer_sections(definition, submission.answers, lang),
    }
    return render(request, "submissions/receipt.html", context)


@resident_required
def receipt_pdf(request: HttpRequest, submission_id: str) -> HttpResponse:
    from servicetorg.documents.receipts import receipt_pdf_bytes

    submission = get_submission_for_resident(request.resident, request.municipality, submission_id)
    pdf = receipt_pdf_bytes(submission, get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"kvittering-{submission.case.number.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@resident_required
def attachment(request: HttpRequest, attachment_id: str) -> HttpResponse:
    found = get_attachment_for_resident(request.resident, attachment_id)
    if not found.may_be_served:
        return held_back(request, found)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
