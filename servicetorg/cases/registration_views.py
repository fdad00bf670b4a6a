"""Registering an application that came on paper, by e-mail or by phone.

The caseworker chooses the service, says how and when the application came and from whom,
fills in the service's own form step by step (the resident's form engine), attaches the scan,
reviews and submits. The case then follows the same flow as a digital one.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.cases import registration_actions as actions
from servicetorg.cases.queries import staff_scope
from servicetorg.cases.registration_forms import (
    SCAN_FIELD,
    RegistrationStartForm,
    applicant_initial,
)
from servicetorg.cases.registration_models import SCAN_KEY, StaffRegistration
from servicetorg.cases.registration_queries import (
    get_case_id_for_registration,
    get_registration_for_staff,
    get_service_for_registration,
    list_registrations_for_staff,
    list_services_for_registration,
)
from servicetorg.catalog.engine import answer_sections, error_summary_items, read_step
from servicetorg.catalog.fieldtypes import Ctx, field_type
from servicetorg.submissions.actions import IncompleteDraft
from servicetorg.submissions.steps import change_rows, step_context
from servicetorg.submissions.uploads import check_upload

register_staff = staff_required(Role.CASEWORKER)
SAVED = gettext_noop("The registration is saved. You find it again under Register an application.")


def _url(name: str, registration: StaffRegistration, **kwargs) -> str:
    return reverse(
        f"casework:{name}",
        kwargs={
            "municipality": registration.municipality.slug,
            "registration_id": registration.pk,
            **kwargs,
        },
    )


def _start_url(registration: StaffRegistration) -> str:
    return reverse("casework:register", kwargs={"municipality": registration.municipality.slug})


def resume_url(registration: StaffRegistration, index: int | None = None) -> str:
    """The page of step `index` (the furthest reached by default): form, scan or review."""
    index = registration.step if index is None else index
    if index < registration.scan_step:
        return _url("register_step", registration, number=index + 1)
    if index == registration.scan_step:
        return _url("register_scan", registration)
    return _url("register_review", registration)


def _title(registration: StaffRegistration) -> str:
    return registration.definition.t("title", get_language())


@require_GET
@register_staff
def start(request: HttpRequest) -> HttpResponse:
    """Choose the service; or go on with a registration left unfinished."""
    scope = staff_scope(request)
    lang = get_language()
    services = sorted(
        (
            {"service": s, "title": s.definition.t("title", lang)}
            for s in list_services_for_registration(scope)
        ),
        key=lambda item: item["title"].lower(),
    )
    unfinished = [
        {"registration": r, "title": _title(r), "url": resume_url(r)}
        for r in list_registrations_for_staff(scope)
    ]
    context = {"services": services, "unfinished": unfinished}
    return render(request, "cases/registration_start.html", context)


@require_http_methods(["GET", "POST"])
@register_staff
def applicant(request: HttpRequest, slug: str) -> HttpResponse:
    """How and when the application came, and the applicant's identity.

    A valid identity number is shown back first: the registers are asked about the person
    only once the caseworker confirms it, so a typing error looks up nobody.
    """
    scope = staff_scope(request)
    service = get_service_for_registration(scope, slug)
    initial = applicant_initial(scope.municipality.default_language)
    posted = request.POST if request.method == "POST" else None
    form = RegistrationStartForm(posted, initial=initial)
    valid = form.is_valid()
    if valid and form.confirmed:
        data = form.registration_data()
        registration = actions.start_registration(service, **data, actor=scope.user)
        return redirect(resume_url(registration, 0))
    context = {
        "service": service,
        "service_title": service.definition.t("title", get_language()),
        "form": form,
        "confirm_pid": form.cleaned_data["applicant_pid"] if valid else "",
    }
    if valid:
        pid = context["confirm_pid"]
        context["pid_shown"] = f"{pid[:6]} {pid[6:]}"  # birth date, then personal number
    return render(request, "cases/registration_applicant.html", context)


def _live(request: HttpRequest, registration_id: str) -> StaffRegistration:
    return get_registration_for_staff(staff_scope(request), registration_id)


def _submitted(registration: StaffRegistration) -> HttpResponse:
    """A registration already submitted: its case (a replayed form lands there too)."""
    case_id = get_case_id_for_registration(registration)
    return redirect("casework:case", municipality=registration.municipality.slug, case_id=case_id)


@require_http_methods(["GET", "POST"])
@register_staff
def step(request: HttpRequest, registration_id: str, number: int) -> HttpResponse:
    registration = _live(request, registration_id)
    if registration.submitted_at is not None:
        return _submitted(registration)
    index = number - 1
    if not 0 <= index < registration.scan_step:
        raise Http404("No such step")
    if index > registration.step:
        return redirect(resume_url(registration))
    if request.method == "POST":
        return _post_step(request, registration, index)
    context = step_context(registration.definition, index, registration.answers)
    return _render_step(request, registration, context)


def _post_step(request: HttpRequest, registration: StaffRegistration, index: int) -> HttpResponse:
    """The resident's step logic, on the caseworker's registration."""
    action, _sep, argument = request.POST.get("_action", "next").partition(":")
    files, upload_errors = _files_for_step(request, registration, index, action, argument)
    result = read_step(registration.definition, index, registration.answers, request.POST, files)
    result.errors.update(upload_errors)
    for key in result.appeared:
        result.errors.pop(key, None)
    if action in ("add-row", "remove-row"):
        change_rows(result, action, argument)
    if action == "next" and result.valid:
        actions.save_registration_step(registration, result.answers, index + 1, actor=request.user)
        return redirect(resume_url(registration, index + 1))
    actions.save_registration_step(registration, result.answers, index, actor=request.user)
    if action == "back":
        return redirect(resume_url(registration, index - 1) if index else _start_url(registration))
    if action == "save":
        messages.success(request, _(SAVED))
        return redirect(_start_url(registration))
    context = step_context(
        registration.definition, index, result.answers, result.raw, result.errors
    )
    context["appeared"] = bool(result.appeared) and action == "next"
    return _render_step(request, registration, context)


def _files_for_step(
    request: HttpRequest, registration: StaffRegistration, index: int, action: str, argument: str
) -> tuple[dict[str, list], dict[str, str]]:
    """Store new files at once, so a later error on the page never loses them."""
    files: dict[str, list] = {}
    errors: dict[str, str] = {}
    for field in registration.definition.steps[index]["fields"]:
        if field["type"] == "file":
            current = list(registration.answers.get(field["key"]) or [])
            files[field["key"]] = _take_files(
                request, registration, field, current, action, argument, errors
            )
    return files, errors


def _take_files(
    request: HttpRequest,
    registration: StaffRegistration,
    field: dict,
    current: list[dict],
    action: str,
    argument: str,
    errors: dict[str, str],
) -> list[dict]:
    """A file field's attachments after this post: removed, replaced or added to."""
    key = field["key"]
    if action == "remove-file" and argument.startswith(f"{key}:"):
        removed = argument.split(":", 1)[1]
        # Only ids in the field's own answer are acted on; anything else is ignored.
        if any(a["id"] == removed for a in current):
            actions.remove_registration_file(registration, removed, actor=request.user)
            current = [a for a in current if a["id"] != removed]
    for upload in request.FILES.getlist(key):
        try:
            checked = check_upload(upload, field)
        except ValidationError as error:
            errors[key] = error.messages[0]
            continue
        if not field.get("multiple"):
            for old in current:
                actions.remove_registration_file(registration, old["id"], actor=request.user)
            current = []
        stored = actions.add_registration_file(registration, key, checked, actor=request.user)
        current.append(stored.as_answer())
    return current


def _render_step(
    request: HttpRequest, registration: StaffRegistration, context: dict
) -> HttpResponse:
    context.update(
        registration=registration,
        service_title=_title(registration),
        step_count=registration.scan_step + 1,
    )
    return render(request, "cases/registration_step.html", context)


@require_http_methods(["GET", "POST"])
@register_staff
def scan(request: HttpRequest, registration_id: str) -> HttpResponse:
    """The scan of the paper form or the e-mail: the last step before the review."""
    registration = _live(request, registration_id)
    if registration.submitted_at is not None:
        return _submitted(registration)
    index = registration.scan_step
    if registration.step < index:
        return redirect(resume_url(registration))
    if request.method == "GET":
        return _render_scan(request, registration, registration.scan, {})
    action, _sep, argument = request.POST.get("_action", "next").partition(":")
    errors: dict[str, str] = {}
    field = {**SCAN_FIELD, "required": registration.needs_scan}
    current = _take_files(
        request, registration, field, list(registration.scan), action, argument, errors
    )
    if len(current) > SCAN_FIELD["max_files"] and not errors:
        errors[SCAN_KEY] = _("Attach at most %(n)d files.") % {"n": SCAN_FIELD["max_files"]}
    if action == "next" and not errors and registration.needs_scan and not current:
        errors[SCAN_KEY] = _("Attach the scan of the application.")
    done = action == "next" and not errors
    reached = index + 1 if done else index
    actions.save_registration_scan(registration, current, reached, actor=request.user)
    if done:
        return redirect(resume_url(registration, index + 1))
    if action == "back":
        return redirect(resume_url(registration, index - 1))
    if action == "save":
        messages.success(request, _(SAVED))
        return redirect(_start_url(registration))
    return _render_scan(request, registration, current, errors)


def _render_scan(
    request: HttpRequest, registration: StaffRegistration, current: list, errors: dict
) -> HttpResponse:
    lang = get_language()
    label = _("Scan of the application") if registration.needs_scan else _("Scan or note")
    field = {**SCAN_FIELD, "required": registration.needs_scan, "label": {lang: label}}
    ctx = Ctx(field, SCAN_KEY, current, errors.get(SCAN_KEY), lang)
    context = {
        "registration": registration,
        "service_title": _title(registration),
        "step_number": registration.scan_step + 1,
        "step_count": registration.scan_step + 1,
        "field_html": field_type(field).render(ctx),
        "error_items": error_summary_items([field], errors, lang),
    }
    return render(request, "cases/registration_scan.html", context)


@require_http_methods(["GET", "POST"])
@register_staff
def review(request: HttpRequest, registration_id: str) -> HttpResponse:
    registration = _live(request, registration_id)
    if registration.submitted_at is not None:
        return _submitted(registration)
    if registration.step <= registration.scan_step:
        return redirect(resume_url(registration))
    if request.method == "POST":
        return _submit(request, registration)
    lang = get_language()
    context = {
        "registration": registration,
        "service_title": _title(registration),
        "language_name": get_language_info(registration.language)["name_translated"],
        "sections": [
            {**s, "url": resume_url(registration, s["number"] - 1)}
            for s in answer_sections(registration.definition, registration.answers, lang)
        ],
        "scan_url": resume_url(registration, registration.scan_step),
    }
    return render(request, "cases/registration_review.html", context)


def _submit(request: HttpRequest, registration: StaffRegistration) -> HttpResponse:
    try:
        case = actions.register_application(registration, actor=request.user)
    except IncompleteDraft as incomplete:
        messages.error(request, _("Some answers are missing. Fill them in and continue."))
        return redirect(resume_url(registration, incomplete.step))
    except actions.MissingScan:
        messages.error(request, _("Attach the scan of the application."))
        return redirect(resume_url(registration, registration.scan_step))
    messages.success(
        request, _("The application is registered as case %(number)s.") % {"number": case.number}
    )
    return redirect("casework:case", municipality=registration.municipality.slug, case_id=case.pk)


@require_POST
@register_staff
def discard(request: HttpRequest, registration_id: str) -> HttpResponse:
    registration = _live(request, registration_id)
    if registration.submitted_at is None:
        actions.delete_registration(registration, actor=request.user)
        messages.success(request, _("The registration is deleted."))
    return redirect(_start_url(registration))
