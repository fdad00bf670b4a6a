"""My cases: the resident's drafts and applications across every municipality, and messages."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicetorg.cases import actions, downloads
from servicetorg.cases.constants import CaseStatus
from servicetorg.cases.decision_pages import resident_decision_context
from servicetorg.cases.forms import ResidentMessageForm
from servicetorg.cases.models import Case
from servicetorg.cases.queries import (
    get_case_for_resident,
    get_message_attachment,
    list_cases_for_resident,
    list_messages,
)
from servicetorg.cases.timeline import describe_event
from servicetorg.identity.residents import resident_required
from servicetorg.lib.ratelimits import hit_message, mark_limited, say_limited
from servicetorg.submissions.queries import list_drafts_for_resident


@require_GET
@resident_required
def mine(request: HttpRequest) -> HttpResponse:
    lang = get_language()
    drafts = [
        {"draft": d, "title": d.service_version.definition.t("title", lang)}
        for d in list_drafts_for_resident(request.resident)
    ]
    cases = [
        {"case": c, "title": c.submission.service_version.definition.t("title", lang)}
        # The answers are on the receipt, not on the list.
        for c in list_cases_for_resident(request.resident).defer(
            "submission__answers", "submission__prefill"
        )
    ]
    return render(request, "cases/mine.html", {"drafts": drafts, "cases": cases})


@require_GET
@resident_required
def mine_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = get_case_for_resident(request.resident, case_id)
    return _render_detail(request, case, ResidentMessageForm())


def _render_detail(request: HttpRequest, case: Case, form: ResidentMessageForm) -> HttpResponse:
    # The view is logged, and the caseworker's messages marked read, with the reads it shows.
    with transaction.atomic():
        new_ids = actions.record_case_view(case, actor=request.resident)
        thread = list_messages(case)
    context = {
        "case": case,
        "title": case.submission.service_version.definition.t("title", get_language()),
        "events": [{"event": e, "text": describe_event(e)} for e in case.events.all()],
        "thread": thread,
        "new_ids": new_ids,
        "waiting": case.status == CaseStatus.WAITING,
        "form": form,
        "overdue": case.is_overdue(timezone.localdate()),
        **resident_decision_context(case),
    }
    return render(request, "cases/mine_detail.html", context)


@require_POST
@resident_required
def mine_message(request: HttpRequest, case_id: str) -> HttpResponse:
    """The applicant answers the caseworker, or writes first, on an open case."""
    case = get_case_for_resident(request.resident, case_id)
    form = ResidentMessageForm(request.POST, request.FILES)
    if limited := hit_message(request, "resident"):
        # Not sent; the page again with the text still in the box.
        say_limited(request, limited)
        return mark_limited(_render_detail(request, case, form), limited)
    if not form.is_valid():
        return _render_detail(request, case, form)
    body, files = form.cleaned_data["body"], form.cleaned_data["files"]
    try:
        actions.write_to_caseworker(case, body, files, actor=request.resident)
    except actions.CaseNotOpen:
        messages.error(request, _("The case is finished, so no more messages can be sent."))
    else:
        messages.success(request, _("Your message is sent to the caseworker."))
    return redirect("cases:mine_detail", case_id=case.pk)


@require_GET
@resident_required
def mine_attachment(request: HttpRequest, case_id: str, attachment_id: str) -> HttpResponse:
    """An attachment of a message on the resident's own case."""
    case = get_case_for_resident(request.resident, case_id)
    found = get_message_attachment(case, attachment_id)
    return downloads.serve(request, case, found, actor=request.resident)
