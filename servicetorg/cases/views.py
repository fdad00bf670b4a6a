"""My cases: the resident's drafts and applications across every municipality."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from servicetorg.cases.queries import get_case_for_resident, list_cases_for_resident
from servicetorg.identity.residents import resident_required
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
        for c in list_cases_for_resident(request.resident)
    ]
    return render(request, "cases/mine.html", {"drafts": drafts, "cases": cases})


@require_GET
@resident_required
def mine_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = get_case_for_resident(request.resident, case_id)
    context = {
        "case": case,
        "title": case.submission.service_version.definition.t("title", get_language()),
        "events": list(case.events.all()),
        "overdue": case.is_overdue(timezone.localdate()),
    }
    return render(request, "cases/mine_detail.html", context)
