"""Decisions: the caseworker writes, previews and sends the letter; the applicant reads it.

The applicant may appeal (klage) from "Mine saker". Letters are served only by these views,
each download logged.
"""

import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicetorg.cases import actions, decision_actions
from servicetorg.cases.decision_forms import AppealForm, DecisionForm, TemplateChoiceForm
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.decision_pages import write_context
from servicetorg.cases.decision_queries import get_decision, latest_decision
from servicetorg.cases.decision_templates import fill_template, letter_language
from servicetorg.cases.models import Case
from servicetorg.cases.queries import (
    StaffScope,
    get_case_for_resident,
    get_case_for_staff,
    staff_scope,
)
from servicetorg.cases.staff_views import CONFLICT, case_staff
from servicetorg.documents.letters import decision_letter_pdf
from servicetorg.identity.residents import resident_required

APPEAL_REFUSALS = {
    "no-decision": gettext_lazy("This case has no decision that can be appealed."),
    "too-late": gettext_lazy("The deadline for appealing has passed. Contact the municipality."),
    "already-appealed": gettext_lazy("You have already appealed this decision."),
}


# The caseworker's side


@require_GET
@case_staff
def write_decision(request: HttpRequest, case_id: str) -> HttpResponse:
    """Choose a template; its text, filled in from the case, is ready to edit."""
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    chooser = TemplateChoiceForm(request.GET or None)
    outcome, language = chooser.chosen(letter_language(case))
    if not chooser.is_bound:
        chooser = TemplateChoiceForm(initial={"outcome": outcome, "language": language})
    filled = fill_template(case, outcome, language)
    form = DecisionForm(
        initial={
            "version": case.version,
            "outcome": outcome,
            "language": language,
            "title": filled.title,
            "body": filled.body,
        }
    )
    return _render_write(request, scope, case, chooser, form)


def _render_write(
    request: HttpRequest,
    scope: StaffScope,
    case: Case,
    chooser: TemplateChoiceForm,
    form: DecisionForm,
    since: int | None = None,
) -> HttpResponse:
    # The page shows the applicant's answers in the text: a read of the case, logged.
    decision_actions.record_read(case, actor=scope.user)
    context = write_context(case, chooser, form, since)
    return render(request, "cases/decision_write.html", context)


def _chooser_for(form: DecisionForm) -> TemplateChoiceForm:
    """The template chooser showing what a posted decision form was written from."""
    return TemplateChoiceForm(
        initial={"outcome": form["outcome"].value(), "language": form["language"].value()}
    )


@require_POST
@case_staff
def preview_decision(request: HttpRequest, case_id: str) -> HttpResponse:
    """The letter as it would be sent now, marked as a preview; nothing is stored."""
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_write(request, scope, case, _chooser_for(form), form)
    data = form.cleaned_data
    decision = decision_actions.prepare_decision(
        case,
        outcome=data["outcome"],
        title=data["title"],
        body=data["body"],
        language=data["language"],
        actor=scope.user,
    )
    pdf = decision_letter_pdf(decision, preview=True)
    decision_actions.record_read(case, actor=scope.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"forhandsvisning-{decision.letter_filename}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@case_staff
def send_decision(request: HttpRequest, case_id: str) -> HttpResponse:
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_write(request, scope, case, _chooser_for(form), form)
    data = form.cleaned_data
    try:
        decision_actions.send_decision(
            case,
            outcome=data["outcome"],
            title=data["title"],
            body=data["body"],
            language=data["language"],
            version=data["version"],
            actor=scope.user,
        )
    except actions.CaseConflict as conflict:
        # The text stays; the form now carries the current version, so sending again
        # after reading what changed is a deliberate choice.
        messages.error(request, _(CONFLICT))
        fresh = DecisionForm({**request.POST.dict(), "version": str(case.version)})
        fresh.is_valid()
        since = conflict.seen_version
        return _render_write(request, scope, case, _chooser_for(form), fresh, since)
    except decision_actions.NotDecidable:
        messages.error(
            request,
            _("A decision can be sent only while the case is in progress or waiting."),
        )
        return _render_write(request, scope, case, _chooser_for(form), form)
    messages.success(
        request, _("The decision is sent. The applicant is told by e-mail to log in and read it.")
    )
    return redirect("casework:case", municipality=case.municipality.slug, case_id=case.pk)


@require_GET
@case_staff
def decision_letter(request: HttpRequest, case_id: str, decision_id: str) -> HttpResponse:
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    decision = get_decision(case, decision_id)
    actions.record_download(case, str(decision.pk), actor=scope.user)
    return letter_response(decision)


def letter_response(decision: Decision) -> FileResponse:
    # The demo's generated history stores no letters: those are rendered from the decision.
    stored = decision.letter.open("rb") if decision.letter else None
    response = FileResponse(
        stored or io.BytesIO(decision_letter_pdf(decision)),
        as_attachment=True,
        filename=decision.letter_filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The applicant's side


@require_GET
@resident_required
def mine_decision_letter(request: HttpRequest, case_id: str, decision_id: str) -> HttpResponse:
    """The letter of a decision on the resident's own case; every download is logged."""
    case = get_case_for_resident(request.resident, case_id)  # type: ignore[attr-defined]
    decision = get_decision(case, decision_id)
    actions.record_download(case, str(decision.pk), actor=request.resident)  # type: ignore[attr-defined]
    return letter_response(decision)


@require_http_methods(["GET", "POST"])
@resident_required
def mine_appeal(request: HttpRequest, case_id: str) -> HttpResponse:
    """Appeal the decision: the form on its own page, for a direct link and for its errors."""
    resident = request.resident  # type: ignore[attr-defined]
    case = get_case_for_resident(resident, case_id)
    detail = reverse("cases:mine_detail", kwargs={"case_id": case.pk})
    form = AppealForm(request.POST, request.FILES) if request.method == "POST" else AppealForm()
    if form.is_bound and form.is_valid():
        try:
            appeal = decision_actions.submit_appeal(
                case,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["files"],
                actor=resident,
            )
        except decision_actions.AppealRefused as refusal:
            messages.error(request, APPEAL_REFUSALS[refusal.reason])
            return redirect(detail)
        messages.success(
            request,
            _("Your appeal is received. Its case number is %(number)s.")
            % {"number": appeal.number},
        )
        return redirect(detail)
    decision = latest_decision(case)
    if not decision_actions.can_appeal(case, decision):
        return redirect(detail)
    context = {"case": case, "decision": decision, "form": form}
    return render(request, "cases/mine_appeal.html", context)
