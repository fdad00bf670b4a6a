"""The interim reply page: a template in the applicant's language, a preview, and the send."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicetorg.cases import actions
from servicetorg.cases.constants import AccessAction
from servicetorg.cases.deadline_actions import ExpectedDateNotLater, send_interim_reply
from servicetorg.cases.deadline_forms import InterimReplyForm
from servicetorg.cases.deadlines import (
    case_language,
    default_reason,
    interim_reply_body,
    interim_reply_due,
    suggested_expected_by,
)
from servicetorg.cases.models import Case
from servicetorg.cases.queries import get_case_for_staff, staff_scope
from servicetorg.cases.staff_views import CONFLICT, case_staff


def _case_url(case: Case) -> str:
    return reverse(
        "casework:case", kwargs={"municipality": case.municipality.slug, "case_id": case.pk}
    )


@require_http_methods(["GET", "POST"])
@case_staff
def interim_reply(request: HttpRequest, case_id: str) -> HttpResponse:
    """Offer the interim reply template (GET), show it as it will be sent, or send it."""
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    if not case.is_open:
        messages.error(request, _("The case is finished, so no interim reply can be sent."))
        return redirect(_case_url(case))
    if request.method == "GET":
        initial = {
            "version": case.version,
            "reason": default_reason(case),
            "expected_by": suggested_expected_by(case, timezone.localdate()),
        }
        return _render(request, case, InterimReplyForm(initial=initial), scope.user)
    form = InterimReplyForm(request.POST)
    if not form.is_valid() or request.POST.get("_action") == "preview":
        return _render(request, case, form, scope.user)
    data = form.cleaned_data
    try:
        send_interim_reply(
            case,
            reason=data["reason"],
            expected_by=data["expected_by"],
            version=data["version"],
            actor=scope.user,
        )
    except actions.CaseConflict as conflict:
        messages.error(request, _(CONFLICT))
        return redirect(f"{_case_url(case)}?since={conflict.seen_version}#changes")
    except actions.CaseNotOpen:
        messages.error(request, _("The case is finished, so no interim reply can be sent."))
    except ExpectedDateNotLater:
        messages.error(request, _("Choose a date after today."))
    else:
        messages.success(
            request,
            _("The interim reply is sent. The applicant is told by e-mail to log in and read it."),
        )
    return redirect(_case_url(case))


def _render(request: HttpRequest, case: Case, form: InterimReplyForm, user) -> HttpResponse:
    # The page shows the applicant and the case: a read of the case, logged like the case page.
    actions.record_access(case, AccessAction.VIEW, user)
    values = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
    preview = ""
    if values.get("reason") and values.get("expected_by"):
        preview = interim_reply_body(case, values["reason"], values["expected_by"])
    language = case_language(case)
    today = timezone.localdate()
    context = {
        "case": case,
        "form": form,
        "preview": preview,
        "language": language,
        "language_name": get_language_info(language)["name_translated"],
        "due": interim_reply_due(case),
        "late": today > interim_reply_due(case),
        "overdue": case.is_overdue(today),
    }
    return render(request, "cases/interim_reply.html", context)
