"""The shared library: adopting another municipality's service, and taking over its new versions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.builder import actions, diff, merge
from servicetorg.catalog.builder.queries import (
    get_service_for_builder,
    get_shared_service,
    list_library,
)
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.models import Service, ServiceDraft
from servicetorg.lib.access import refused

UPSTREAM_RESULT = "builder_upstream_result"  # session key: what the last take-over did


@require_GET
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def library(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality
    language = get_language()
    adopted = {
        s.origin_id: s
        for s in municipality.services.filter(origin__isnull=False).only("slug", "origin")
    }
    rows = [
        {
            "service": service,
            "title": service.title,
            "summary": Definition.text(service.published_version.document.get("summary"), language),
            "adopted": adopted.get(service.pk),
        }
        for service in list_library(municipality)
    ]
    return render(request, "builder/library.html", {"rows": rows})


@require_POST
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def adopt(request: HttpRequest, service_id: int) -> HttpResponse:
    municipality = request.municipality
    origin = get_shared_service(service_id)
    if origin.municipality_id == municipality.pk:
        raise refused("builder-adopt-own")
    try:
        service = actions.adopt(origin, municipality, actor=request.user)
    except actions.SlugTaken:
        messages.error(
            request,
            _(
                "%(municipality)s already has a service with the URL name “%(slug)s”, so this "
                "one cannot be adopted. Rename or remove your own service first."
            )
            % {"municipality": municipality.name, "slug": origin.slug},
        )
        return redirect("builder:library", municipality=municipality.slug)
    messages.success(
        request,
        _(
            "The service is adopted as a draft. Adjust department, fee and texts, and publish it "
            "when it is ready."
        ),
    )
    return redirect("builder:overview", municipality=municipality.slug, slug=service.slug)


def _draft_document(service: Service) -> tuple[dict, int]:
    """The working document and its revision (a draft at revision 1 is made when needed)."""
    draft = ServiceDraft.objects.filter(service=service).first()
    if draft is None:
        return service.published_version.document, 1
    return draft.document, draft.revision


@require_http_methods(["GET", "POST"])
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def upstream(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = request.municipality
    service = get_service_for_builder(municipality, slug)
    if request.method == "POST":
        return _take_over(request, service)
    latest = actions.upstream_version(service)
    context: dict = {
        "service": service,
        "origin": service.origin,
        "latest": latest,
        "result": request.session.pop(UPSTREAM_RESULT, {}).get(str(service.pk)),
    }
    if latest is not None:
        base = service.origin.versions.get(number=service.origin_number).document
        ours, revision = _draft_document(service)
        context["changes"] = diff.compare(base, latest.document, get_language())
        context["preview"] = merge.merge(base, latest.document, ours)
        context["revision"] = revision
    return render(request, "builder/upstream.html", context)


def _take_over(request: HttpRequest, service: Service) -> HttpResponse:
    municipality = request.municipality
    here = redirect("builder:upstream", municipality=municipality.slug, slug=service.slug)
    if actions.upstream_version(service) is None:
        messages.error(request, _("There is no newer version to take over."))
        return here
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        return here
    number = service.origin.published_version.number
    try:
        result = actions.take_upstream(service, revision, actor=request.user)
    except actions.DraftConflict:
        messages.error(
            request,
            _(
                "The draft was changed by someone else after you opened this page. Look at the "
                "difference again before you take it over."
            ),
        )
        return here
    request.session[UPSTREAM_RESULT] = {str(service.pk): summary(result, number)}
    messages.success(
        request,
        _(
            "Version %(number)s from %(origin)s is taken over into the draft. Check it and publish it."
        )
        % {"number": number, "origin": service.origin.municipality.name},
    )
    return here


def summary(result: "merge.MergeResult", number: int) -> dict:
    """What a take-over did, in plain strings that fit in the session."""
    return {
        "number": number,
        "taken": list(result.taken),
        "kept": list(result.kept),
        "conflicts": [
            {"where": c.where, "what": c.what, "base": c.base, "theirs": c.theirs, "ours": c.ours}
            for c in result.conflicts
        ],
    }
