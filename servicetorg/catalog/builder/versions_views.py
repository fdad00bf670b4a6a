"""The service owner's version pages: history, the difference between two versions, restoring
an older version as the draft, and offering the service to the shared library."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.builder import actions, diff
from servicetorg.catalog.builder.queries import get_service_for_builder, get_version, list_versions
from servicetorg.catalog.models import Service, ServiceDraft

DRAFT = "utkast"  # the draft's name in the compare form's query string


class CompareForm(forms.Form):
    """Two versions to compare, by number, or the draft."""

    fra = forms.ChoiceField(
        label=gettext_lazy("From"), widget=forms.Select(attrs={"class": "ds-input"})
    )
    til = forms.ChoiceField(
        label=gettext_lazy("To"), widget=forms.Select(attrs={"class": "ds-input"})
    )

    def __init__(self, data, *, numbers: list[int], has_draft: bool) -> None:
        super().__init__(data)
        choices = [(DRAFT, _("The draft"))] if has_draft else []
        choices += [(str(n), _("Version %(number)s") % {"number": n}) for n in numbers]
        self.fields["fra"].choices = self.fields["til"].choices = choices


class RestoreForm(forms.Form):
    revision = forms.IntegerField(min_value=0)


def _draft(service: Service) -> ServiceDraft | None:
    return ServiceDraft.objects.filter(service=service).first()


def _default_pair(numbers: list[int], draft: ServiceDraft | None) -> dict[str, str]:
    """Compare the published version with the draft, or the two newest versions."""
    if draft is not None and numbers:
        return {"fra": str(numbers[0]), "til": DRAFT}
    if len(numbers) >= 2:
        return {"fra": str(numbers[1]), "til": str(numbers[0])}
    return {}


def _document(service: Service, draft: ServiceDraft | None, which: str) -> dict:
    if which == DRAFT:
        return draft.document if draft else service.published_version.document
    return get_version(service, int(which)).document


@require_GET
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_builder(request.municipality, slug)
    found = list(list_versions(service))
    draft = _draft(service)
    numbers = [v.number for v in found]
    compare = CompareForm(None, numbers=numbers, has_draft=draft is not None)
    compare.initial = _default_pair(numbers, draft)
    context = {
        "service": service,
        "versions": found,
        "draft": draft,
        # Without a draft, restoring starts one at revision 1 (see actions.draft_for).
        "revision": draft.revision if draft else 1,
        "compare": compare,
        "can_compare": len(numbers) + (draft is not None) >= 2,
    }
    return render(request, "builder/versions.html", context)


@require_GET
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def version_diff(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_builder(request.municipality, slug)
    draft = _draft(service)
    numbers = [v.number for v in list_versions(service)]
    compare = CompareForm(request.GET or None, numbers=numbers, has_draft=draft is not None)
    context: dict = {"service": service, "compare": compare, "changes": None}
    if compare.is_valid():
        old, new = compare.cleaned_data["fra"], compare.cleaned_data["til"]
        context["changes"] = diff.compare(
            _document(service, draft, old), _document(service, draft, new), get_language()
        )
        context["old_label"] = _label(old)
        context["new_label"] = _label(new)
    return render(request, "builder/version_diff.html", context)


def _label(which: str) -> str:
    """The version's name in the middle of a sentence: "From version 1 to the draft"."""
    return _("the draft") if which == DRAFT else _("version %(number)s") % {"number": which}


@require_POST
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    municipality = request.municipality
    service = get_service_for_builder(municipality, slug)
    get_version(service, number)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return redirect("builder:versions", municipality=municipality.slug, slug=slug)
    try:
        actions.restore_version(service, number, form.cleaned_data["revision"], actor=request.user)
    except actions.DraftConflict:
        messages.error(
            request,
            _(
                "The draft was changed by someone else after you opened this page. Look at the "
                "versions again before you restore one."
            ),
        )
        return redirect("builder:versions", municipality=municipality.slug, slug=slug)
    messages.success(
        request,
        _("Version %(number)s is now the draft. Publish it to make it the version in use.")
        % {"number": number},
    )
    return redirect("builder:overview", municipality=municipality.slug, slug=slug)


@require_POST
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def share(request: HttpRequest, slug: str) -> HttpResponse:
    """Offer the service to the shared library, or stop offering it.

    `shared=1` or `shared=0` says which; without it the button toggles.
    """
    municipality = request.municipality
    service = get_service_for_builder(municipality, slug)
    wanted = request.POST.get("shared")
    shared = not service.shared if wanted not in ("0", "1") else wanted == "1"
    if shared and service.published_version is None:
        messages.error(request, _("Publish the service before you offer it to others."))
    elif shared != service.shared:
        actions.set_shared(service, shared, actor=request.user)
        if shared:
            messages.success(
                request,
                _("Other municipalities can now find the service in the shared library."),
            )
        else:
            messages.success(request, _("The service is no longer offered to others."))
    return redirect("builder:overview", municipality=municipality.slug, slug=slug)
