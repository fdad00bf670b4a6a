"""The service builder's editing pages: the overview of a draft, and one form per part of it.

Every change is a POST that names the draft revision it was made on; `change` handles the
structural buttons (add, move, duplicate, remove, undo) so they all work without JavaScript.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.builder import actions, edits
from servicetorg.catalog.builder.field_forms import FieldForm
from servicetorg.catalog.builder.forms import LettersForm, NewServiceForm, ServiceForm, StepForm
from servicetorg.catalog.builder.overview import overview_context
from servicetorg.catalog.builder.queries import get_service_for_builder, list_services_for_builder
from servicetorg.catalog.models import Service

OWNERS = (Role.SERVICE_OWNER, Role.ADMIN)


def overview_url(service: Service, anchor: str = "") -> str:
    url = reverse(
        "builder:overview", kwargs={"municipality": service.municipality.slug, "slug": service.slug}
    )
    return f"{url}#{anchor}" if anchor else url


def report_conflict(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "Someone else changed this service while you were working. Your last change was "
            "not saved; the page now shows the newest draft."
        ),
    )


@require_GET
@staff_required(*OWNERS)
def services(request: HttpRequest, form: NewServiceForm | None = None) -> HttpResponse:
    context = {
        "services": list_services_for_builder(request.municipality),
        "form": form or NewServiceForm(),
    }
    return render(request, "builder/services.html", context)


@require_POST
@staff_required(*OWNERS)
def new_service(request: HttpRequest) -> HttpResponse:
    form = NewServiceForm(request.POST)
    if not form.is_valid():
        request.method = "GET"
        return services(request, form=form)
    data = form.cleaned_data
    service = actions.create_service(
        request.municipality,
        title={"nb": data["title"]},
        category=data["category"],
        department=data["department"],
        actor=request.user,
    )
    return redirect(overview_url(service))


@require_GET
@staff_required(*OWNERS)
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_builder(request.municipality, slug)
    draft = actions.draft_for(service)
    return render(
        request, "builder/overview.html", overview_context(service, draft, get_language())
    )


def _edit_page(
    request: HttpRequest,
    slug: str,
    make_form: Callable,
    edit: Callable,
    template: str,
    anchor: str = "",
    **context,
) -> HttpResponse:
    """Show a form on the draft; on a valid POST apply its edit and go back to the overview."""
    service = get_service_for_builder(request.municipality, slug)
    draft = actions.draft_for(service)
    form = make_form(draft, request.POST or None, initial={"revision": draft.revision})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_draft(
                service, form.cleaned_data["revision"], edit(form), actor=request.user
            )
        except actions.DraftConflict:
            report_conflict(request)
            form.add_error(None, _("Not saved: the draft changed in the meantime."))
        except edits.EditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(overview_url(service, anchor))
    context |= {"service": service, "draft": draft, "form": form}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_required(*OWNERS)
def edit_service(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit_page(
        request,
        slug,
        lambda draft, *a, **k: ServiceForm(draft.document, *a, **k),
        lambda form: lambda doc: edits.update_service(doc, form.values()),
        "builder/service_form.html",
        "service",
    )


@require_http_methods(["GET", "POST"])
@staff_required(*OWNERS)
def edit_step(request: HttpRequest, slug: str, step_key: str) -> HttpResponse:
    def make_form(draft, *args, **kwargs):
        step = draft.document["steps"][_step_or_404(draft.document, step_key)]
        return StepForm(step, *args, **kwargs)

    def edit(form):
        return lambda doc: edits.update_step(doc, step_key, form.text("title"), form.text("intro"))

    return _edit_page(request, slug, make_form, edit, "builder/step_form.html", f"step-{step_key}")


def _step_or_404(document: dict, step_key: str) -> int:
    try:
        return edits.step_index(document, step_key)
    except edits.EditError:
        raise Http404("No such step") from None


@require_http_methods(["GET", "POST"])
@staff_required(*OWNERS)
def edit_field(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    def make_form(draft, *args, **kwargs):
        document = draft.document
        field = _field_or_404(document, key)
        return FieldForm(document, field, earlier_fields(document, key), *args, **kwargs)

    return _edit_page(
        request, slug, make_form, field_edit, "builder/field_form.html", f"field-{key}", key=key
    )


def _field_or_404(document: dict, key: str) -> dict:
    try:
        return edits.find_field(document, key)
    except edits.EditError:
        raise Http404("No such field") from None


def earlier_fields(document: dict, key: str) -> list[dict]:
    """The questions before this one that a "show when" rule may read."""
    earlier = []
    for step in document["steps"]:
        for field in step["fields"]:
            if field["key"] == key:
                return earlier
            if field["type"] not in ("info", "group", "file"):
                earlier.append(field)
    return earlier


def field_edit(form: FieldForm) -> Callable[[dict], dict]:
    key = form.field["key"]

    def edit(doc: dict) -> dict:
        doc = edits.update_field(doc, key, form.values())
        if form.field["type"] in edits.CHOICE_TYPES:
            doc = edits.set_options(doc, key, form.options())
        if form.rule_chosen():
            doc = edits.set_condition(doc, key, form.condition())
        new_key = form.cleaned_data["key"]
        if new_key != key:
            if new_key in edits.all_keys(doc):
                raise edits.EditError(_("Another question already has this technical name."))
            doc = edits.rename_key(doc, key, new_key)
        return doc

    return edit


@require_http_methods(["GET", "POST"])
@staff_required(*OWNERS)
def edit_letters(request: HttpRequest, slug: str) -> HttpResponse:
    def edit(form):
        def apply(doc):
            for outcome in LettersForm.OUTCOMES:
                doc = edits.set_decision_template(doc, outcome, *form.template(outcome))
            return doc

        return apply

    return _edit_page(
        request,
        slug,
        lambda draft, *a, **k: LettersForm(draft.document, *a, **k),
        edit,
        "builder/letters_form.html",
        "letters",
    )


@require_POST
@staff_required(*OWNERS)
def change(request: HttpRequest, slug: str) -> HttpResponse:
    """The structural buttons of the overview."""
    service = get_service_for_builder(request.municipality, slug)
    post = request.POST
    try:
        revision = int(post.get("revision", ""))
    except ValueError:
        return redirect(overview_url(service))
    name = post.get("action", "")
    if name == "undo":
        return _run(request, service, lambda: actions.undo(service, revision, actor=request.user))
    edit, anchor = structural_edit(name, post)
    if edit is None:
        return redirect(overview_url(service))
    if name == "add_field":
        return _add_field(request, service, revision, edit)
    return _run(
        request,
        service,
        lambda: actions.change_draft(service, revision, edit, actor=request.user),
        anchor,
    )


def _add_field(request: HttpRequest, service: Service, revision: int, edit) -> HttpResponse:
    """Add a question, then open its form: the next thing to do is to fill it in."""
    before = edits.all_keys(actions.draft_for(service).document)
    try:
        draft = actions.change_draft(service, revision, edit, actor=request.user)
    except actions.DraftConflict:
        report_conflict(request)
        return redirect(overview_url(service))
    except edits.EditError:
        messages.error(request, _("That change cannot be made."))
        return redirect(overview_url(service))
    added = edits.all_keys(draft.document) - before
    if not added:
        return redirect(overview_url(service))
    kwargs = {"municipality": service.municipality.slug, "slug": service.slug, "key": added.pop()}
    return redirect(reverse("builder:field", kwargs=kwargs))


def _run(request: HttpRequest, service: Service, work: Callable, anchor: str = "") -> HttpResponse:
    try:
        work()
    except actions.DraftConflict:
        report_conflict(request)
    except edits.EditError:
        messages.error(request, _("That change cannot be made."))
    return redirect(overview_url(service, anchor))


def structural_edit(name: str, post) -> tuple[Callable[[dict], dict] | None, str]:
    """The edit a button asks for, and where on the overview to land afterwards."""
    key, step = post.get("key", ""), post.get("step", "")
    delta = -1 if post.get("direction") == "up" else 1
    label = {"nb": post.get("label", "").strip()[:200]} if post.get("label", "").strip() else {}
    table: dict[str, tuple[Callable[[dict], dict], str]] = {
        "add_step": (lambda d: edits.add_step(d, label), "steps"),
        "remove_step": (lambda d: edits.remove_step(d, step), "steps"),
        "move_step": (lambda d: edits.move_step(d, step, delta), f"step-{step}"),
        "add_field": (
            lambda d: edits.add_field(
                d, step, post.get("type", ""), label, post.get("group") or None
            )[0],
            f"step-{step}",
        ),
        "remove_field": (lambda d: edits.remove_field(d, key), f"step-{step}"),
        "move_field": (lambda d: edits.move_field(d, key, delta), f"field-{key}"),
        "move_to_step": (
            lambda d: edits.move_field_to_step(d, key, post.get("target", "")),
            f"field-{key}",
        ),
        "duplicate_field": (lambda d: edits.duplicate_field(d, key)[0], f"field-{key}"),
    }
    return table.get(name, (None, ""))


@require_POST
@staff_required(*OWNERS)
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_builder(request.municipality, slug)
    try:
        version = actions.publish(
            service, int(request.POST.get("revision", "0")), actor=request.user
        )
    except actions.DraftConflict:
        report_conflict(request)
    except actions.NotPublishable:
        messages.error(request, _("Not published: fix the problems listed below first."))
    else:
        messages.success(
            request, _("Version %(number)s is published.") % {"number": version.number}
        )
    return redirect(overview_url(service))
