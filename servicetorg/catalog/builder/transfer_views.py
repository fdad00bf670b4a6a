"""Moving a service between installations: export the draft to a file, import one as a new service."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.builder import actions, transfer
from servicetorg.catalog.builder.queries import get_service_for_builder
from servicetorg.catalog.builder.transfer_forms import (
    IMPORT_MAX_BYTES,
    RESERVED_SLUGS,
    ImportForm,
    reserved_message,
)
from servicetorg.catalog.models import ServiceDraft

CONTENT_TYPES = {"json": "application/json", "yaml": "application/yaml"}


@require_GET
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The working document (the draft, or the published version when there is none)."""
    service = get_service_for_builder(request.municipality, slug)
    draft = ServiceDraft.objects.filter(service=service).first()
    document = draft.document if draft else service.published_version.document
    response = HttpResponse(
        transfer.export_document({**document, "slug": service.slug}, fmt),
        content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{service.slug}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def import_file(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[tuple[str, str]] = []
    if posted and form.is_valid():
        content = form.content()
        slug = form.cleaned_data["slug"]
        # Keep what was sent, as editable text, so a correction does not start from nothing.
        kept = {"text": _as_text(content), "slug": slug}
        try:
            document = transfer.import_document(content, max_bytes=IMPORT_MAX_BYTES)
            document["slug"] = slug or document["slug"]
            if document["slug"] in RESERVED_SLUGS:
                raise actions.SlugTaken(document["slug"])
            service = actions.import_service(municipality, document, actor=request.user)
        except transfer.ImportProblems as error:
            problems = list(error.problems)
            form = ImportForm(initial=kept)
        except actions.SlugTaken:
            form = ImportForm(kept)
            form.is_valid()
            form.add_error("slug", _slug_taken(municipality.name, document["slug"]))
        else:
            messages.success(
                request, _("The service is imported as a draft. Check it and publish it.")
            )
            return redirect("builder:overview", municipality=municipality.slug, slug=service.slug)
    context = {"form": form, "problems": problems, "max_bytes": IMPORT_MAX_BYTES}
    return render(request, "builder/import.html", context)


def _slug_taken(name: str, slug: str) -> str:
    if slug in RESERVED_SLUGS:
        return reserved_message(slug)
    return _(
        "%(municipality)s already has a service with the URL name “%(slug)s”. Choose another URL "
        "name below."
    ) % {"municipality": name, "slug": slug}


def _as_text(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ""
