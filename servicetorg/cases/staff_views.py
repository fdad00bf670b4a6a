"""The caseworker's workspace: the inbox, the case page, and the changes made from it."""

import logging
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.cases import actions, downloads
from servicetorg.cases.forms import (
    AssignForm,
    NoteForm,
    StaffMessageForm,
    StatusForm,
    TakeForm,
)
from servicetorg.cases.models import Case
from servicetorg.cases.pages import case_context, inbox_context
from servicetorg.cases.queries import (
    StaffScope,
    get_case_for_staff,
    get_message_attachment,
    get_submission_attachment_for_staff,
    list_assignable_staff,
    staff_scope,
)
from servicetorg.cases.registration_queries import may_register
from servicetorg.cases.timeline import status_label
from servicetorg.lib.ratelimits import hit_message, mark_limited, say_limited

log = logging.getLogger("servicetorg.cases")
CONFLICT = gettext_noop("Someone else changed the case while you were working; see what changed.")
case_staff = staff_required(Role.CASEWORKER, Role.LEADER)


@require_GET
@case_staff
def inbox(request: HttpRequest) -> HttpResponse:
    context = inbox_context(request, staff_scope(request))
    context["can_register"] = may_register(request.user, request.municipality)  # type: ignore[attr-defined]
    return render(request, "cases/inbox.html", context)


@require_GET
@case_staff
def case_page(request: HttpRequest, case_id: str) -> HttpResponse:
    scope = staff_scope(request)
    return _render_case(request, scope, get_case_for_staff(scope, case_id))


def _render_case(
    request: HttpRequest, scope: StaffScope, case: Case, bound: forms.Form | None = None
) -> HttpResponse:
    # The view is logged, and the applicant's messages marked read, with the reads it shows.
    with transaction.atomic():
        new_ids = actions.record_case_view(case, actor=scope.user)
        context = case_context(request, scope, case, bound)
    context["new_ids"] = new_ids
    log.info("case viewed case=%s user=%s", case.pk, scope.user.pk)
    return render(request, "cases/case.html", context)


def _case_url(case: Case) -> str:
    return reverse(
        "casework:case", kwargs={"municipality": case.municipality.slug, "case_id": case.pk}
    )


MakeForm = Callable[[Case], forms.Form]
Perform = Callable[[Case, forms.Form, StaffScope], str]


def _change(
    request: HttpRequest, case_id: str, make_form: MakeForm, perform: Perform
) -> HttpResponse:
    """Check the form, run the action, and say how it went: the shape of every change view."""
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    form = make_form(case)
    if not form.is_valid():
        return _render_case(request, scope, case, form)
    try:
        done = perform(case, form, scope)
    except actions.CaseConflict as conflict:
        messages.error(request, _(CONFLICT))
        return redirect(f"{_case_url(case)}?since={conflict.seen_version}#changes")
    except actions.IllegalTransition:
        messages.error(request, _("The case cannot get that status now."))
    except actions.NotAssignable:
        messages.error(request, _("That person cannot handle cases of this department."))
    except actions.CaseNotOpen:
        messages.error(request, _("The case is finished, so no more messages can be sent."))
    else:
        messages.success(request, done)
    return redirect(_case_url(case))


@require_POST
@case_staff
def take(request: HttpRequest, case_id: str) -> HttpResponse:
    def perform(case: Case, form: forms.Form, scope: StaffScope) -> str:
        actions.take_case(case, actor=scope.user, version=form.cleaned_data["version"])
        return _("You have taken the case.")

    return _change(request, case_id, lambda case: TakeForm(request.POST), perform)


@require_POST
@case_staff
def assign(request: HttpRequest, case_id: str) -> HttpResponse:
    def make_form(case: Case) -> AssignForm:
        staff = list_assignable_staff(case.municipality, case.department)
        return AssignForm(request.POST, staff=staff)

    def perform(case: Case, form: AssignForm, scope: StaffScope) -> str:
        version = form.cleaned_data["version"]
        actions.assign_case(case, form.chosen(), actor=scope.user, version=version)
        return _("The case is assigned.")

    return _change(request, case_id, make_form, perform)


@require_POST
@case_staff
def change_status(request: HttpRequest, case_id: str) -> HttpResponse:
    def perform(case: Case, form: forms.Form, scope: StaffScope) -> str:
        status, version = form.cleaned_data["status"], form.cleaned_data["version"]
        actions.change_status(case, status, actor=scope.user, version=version)
        return _("The status is now: %(status)s.") % {"status": status_label(status)}

    return _change(request, case_id, lambda case: StatusForm(request.POST), perform)


@require_POST
@case_staff
def add_note(request: HttpRequest, case_id: str) -> HttpResponse:
    def perform(case: Case, form: forms.Form, scope: StaffScope) -> str:
        body, version = form.cleaned_data["body"], form.cleaned_data["version"]
        actions.add_note(case, body, actor=scope.user, version=version)
        return _("The note is saved.")

    return _change(request, case_id, lambda case: NoteForm(request.POST), perform)


@require_POST
@case_staff
def send_message(request: HttpRequest, case_id: str) -> HttpResponse:
    if limited := hit_message(request, "caseworker"):
        # Not sent; the case page again with the text still in the box.
        scope = staff_scope(request)
        case = get_case_for_staff(scope, case_id)
        say_limited(request, limited)
        form = StaffMessageForm(request.POST, request.FILES)
        return mark_limited(_render_case(request, scope, case, form), limited)

    def perform(case: Case, form: forms.Form, scope: StaffScope) -> str:
        data = form.cleaned_data
        actions.send_message(
            case,
            data["kind"],
            data["body"],
            data["files"],
            actor=scope.user,
            version=data["version"],
        )
        return _("The message is sent. The applicant is told by e-mail to log in and read it.")

    return _change(
        request, case_id, lambda case: StaffMessageForm(request.POST, request.FILES), perform
    )


@require_GET
@case_staff
def attachment(request: HttpRequest, case_id: str, attachment_id: str) -> HttpResponse:
    """An attachment of the application; every download is logged."""
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    found = get_submission_attachment_for_staff(case, attachment_id)
    return downloads.serve(request, case, found, actor=scope.user)


@require_GET
@case_staff
def message_attachment(request: HttpRequest, case_id: str, attachment_id: str) -> HttpResponse:
    scope = staff_scope(request)
    case = get_case_for_staff(scope, case_id)
    found = get_message_attachment(case, attachment_id)
    return downloads.serve(request, case, found, actor=scope.user)
