"""The builder's live preview: the working draft's steps exactly as residents will see them.

The preview page frames the resident's step page at phone or desktop width, in any of the three
languages. Answers typed into the preview live only in the staff member's session, under one key
per service: nothing reaches a resident's draft, a submission or the file storage. A field whose
definition is still incomplete is left out with a note, so a half-built service previews too.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.builder.queries import get_service_for_builder
from servicetorg.catalog.conditions import holds
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.engine import (
    answer_sections,
    first_incomplete_step,
    read_step,
    render_group,
)
from servicetorg.catalog.fieldtypes import Ctx, field_type
from servicetorg.catalog.models import Service, ServiceDraft
from servicetorg.submissions.steps import change_rows, step_context
from servicetorg.submissions.uploads import check_upload

LANGUAGES = ("nb", "nn", "en")
# Frame widths in CSS pixels: a common phone, and a small laptop.
WIDTHS = {"mobil": 375, "desktop": 1024}
CHOICE_TYPES = ("choice", "multichoice")


@dataclass
class Skipped:
    """A field the preview leaves out, and why, in words for the service owner."""

    step: int  # the step's number, counted from 1
    label: str
    reason: str


def working_document(service: Service) -> dict:
    """The builder's draft, or the published version when nobody has started one."""
    draft = ServiceDraft.objects.filter(service=service).first()
    if draft is not None:
        return draft.document
    if service.published_version is None:
        raise Http404("Nothing to preview")
    return service.published_version.document


def previewable(document: dict, lang: str) -> tuple[Definition, list[Skipped]]:
    """A copy of the document without the fields that cannot be shown yet."""
    steps, skipped, seen = [], [], set()
    for number, step in enumerate(document.get("steps") or [], start=1):
        fields = []
        for f in step.get("fields") or []:
            reason = field_problem(f, seen, lang)
            if reason:
                skipped.append(Skipped(number, _field_name(f, lang), reason))
                continue
            seen.add(f["key"])
            fields.append(f)
        steps.append({**step, "title": step.get("title") or {}, "fields": fields})
    return Definition({**document, "steps": steps}), skipped


def _field_name(f: Any, lang: str) -> str:
    if not isinstance(f, dict):
        return "?"
    return Definition.text(f.get("label"), lang) or str(f.get("key") or "?")


def field_problem(f: Any, seen: set[str], lang: str) -> str | None:
    """Why a field cannot be shown in the preview, or None when it can."""
    if not isinstance(f, dict) or not f.get("key") or "type" not in f:
        return _("The field has no key or type yet.")
    if f["key"] in seen:
        return _("Another field has the same key.")
    try:
        ftype = field_type(f)
    except ValueError:
        return _("The field type is unknown.")
    if f["type"] in CHOICE_TYPES and not f.get("options"):
        return _("A choice field needs at least one option.")
    if f["type"] == "group":
        inner = f.get("fields") or []
        if not inner or any(field_problem(s, set(), lang) for s in inner):
            return _("The repeating group has no fields, or one of them is incomplete.")
    if f.get("pattern") and not _compiles(f["pattern"]):
        return _("The pattern is not valid.")
    try:
        holds(f.get("show_if"), {})
        if f["type"] == "group":
            render_group(f, [], {}, lang)
        else:
            ftype.render(Ctx(f, f["key"], ftype.raw_from_value(f, None), None, lang))
    except Exception:  # noqa: BLE001 - an unfinished definition must not break the preview
        return _("The field's settings are incomplete.")
    return None


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, TypeError):
        return False
    return True


def chosen_language(request: HttpRequest) -> str:
    asked = request.GET.get("sprak", "")
    return asked if asked in LANGUAGES else request.municipality.default_language  # type: ignore[attr-defined]


def frame_url(service: Service, number: int, lang: str, **extra: str) -> str:
    url = reverse(
        "builder:preview_step",
        kwargs={"municipality": service.municipality.slug, "slug": service.slug, "index": number},
    )
    return f"{url}?{urlencode({'sprak': lang, **extra})}"


def session_key(service: Service) -> str:
    return f"builder-preview:{service.pk}"


@require_http_methods(["GET"])
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The frame page: choose language, width and step; the step shows in an iframe."""
    service = get_service_for_builder(request.municipality, slug)  # type: ignore[attr-defined]
    lang = chosen_language(request)
    width = request.GET.get("bredde", "mobil")
    width = width if width in WIDTHS else "mobil"
    definition, skipped = previewable(working_document(service), lang)
    count = len(definition.steps)
    try:
        number = min(max(int(request.GET.get("steg", "1")), 1), max(count, 1))
    except ValueError:
        number = 1
    here = {"sprak": lang, "bredde": width, "steg": number}

    def link(**change: Any) -> str:
        return "?" + urlencode({**here, **change})

    context = {
        "service": service,
        "title": definition.t("title", lang) or service.slug,
        "lang": lang,
        "width": width,
        "frame_width": WIDTHS[width],
        "number": number,
        "languages": [(code, name, link(sprak=code)) for code, name in settings.LANGUAGES],
        "widths": [(key, label, link(bredde=key)) for key, label in _width_names()],
        "steps": [
            (i, Definition.text(s.get("title"), lang), link(steg=i))
            for i, s in enumerate(definition.steps, start=1)
        ],
        "frame_src": frame_url(service, number, lang) if count else "",
        "reset_url": frame_url(service, 1, lang),
        "skipped": skipped,
    }
    return render(request, "builder/preview.html", context)


def _width_names() -> list[tuple[str, str]]:
    return [("mobil", _("Phone (375 px)")), ("desktop", _("Desktop"))]


# The framed page. It may be shown in a frame on the same site only; everything else keeps
# X-Frame-Options DENY and frame-ancestors 'none' from the settings.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@require_http_methods(["GET", "POST"])
@staff_required(Role.SERVICE_OWNER, Role.ADMIN)
def preview_step(request: HttpRequest, slug: str, index: int) -> HttpResponse:
    """Step `index` (counted from 1) of the working draft, as the resident's step page."""
    service = get_service_for_builder(request.municipality, slug)  # type: ignore[attr-defined]
    lang = chosen_language(request)
    # Only this response is in the previewed language; the staff member's own choice stays.
    with translation.override(lang):
        definition, skipped = previewable(working_document(service), lang)
        step = PreviewStep(request, service, definition, index - 1, lang, skipped)
        response = step.post() if request.method == "POST" else step.get()
    response["Content-Language"] = lang
    return response


class PreviewStep:
    """One request to the framed step page: the resident's step logic, on session answers."""

    def __init__(
        self,
        request: HttpRequest,
        service: Service,
        definition: Definition,
        index: int,
        lang: str,
        skipped: list[Skipped],
    ) -> None:
        if not 0 <= index < len(definition.steps):
            raise Http404("No such step")
        self.request, self.service, self.definition = request, service, definition
        self.index, self.lang, self.skipped = index, lang, skipped
        self.answers: dict[str, Any] = request.session.get(session_key(service), {})

    def get(self) -> HttpResponse:
        last = self.index == len(self.definition.steps) - 1
        if last and "oppsummering" in self.request.GET:
            sections = answer_sections(self.definition, self.answers, self.lang)
            return self.render({"summary": True, "sections": sections})
        try:
            context = step_context(self.definition, self.index, self.answers)
        except (AttributeError, KeyError, TypeError, ValueError):
            # Answers typed before a field changed type in the draft: start the preview over.
            self.request.session.pop(session_key(self.service), None)
            context = step_context(self.definition, self.index, {})
        context["kept"] = "lagret" in self.request.GET
        return self.render(context)

    def post(self) -> HttpResponse:
        action, _sep, argument = self.request.POST.get("_action", "next").partition(":")
        if action == "reset":
            self.request.session.pop(session_key(self.service), None)
            return self.go(0)
        attachments, upload_errors = self.files(action, argument)
        result = read_step(
            self.definition, self.index, self.answers, self.request.POST, attachments
        )
        result.errors.update(upload_errors)
        for key in result.appeared:
            result.errors.pop(key, None)
        if action in ("add-row", "remove-row"):
            change_rows(result, action, argument)
        self.request.session[session_key(self.service)] = result.answers
        if action == "back":
            return self.go(max(self.index - 1, 0))
        if action == "save":
            return self.go(self.index, lagret="1")
        if action == "next" and result.valid:
            return self.forward(result.answers)
        context = step_context(
            self.definition, self.index, result.answers, result.raw, result.errors
        )
        context["appeared"] = bool(result.appeared) and action == "next"
        return self.render(context)

    def forward(self, answers: dict[str, Any]) -> HttpResponse:
        """The next step; after the last, the summary, or the first step missing answers."""
        if self.index < len(self.definition.steps) - 1:
            return self.go(self.index + 1)
        missing = first_incomplete_step(self.definition, answers)
        if missing is not None:
            messages.error(self.request, _("Some answers are missing. Fill them in and continue."))
            return self.go(missing)
        return self.go(self.index, oppsummering="1")

    def files(self, action: str, argument: str) -> tuple[dict[str, list], dict[str, str]]:
        """Check uploads as for residents, but keep only their names: no file is stored."""
        attachments: dict[str, list] = {}
        errors: dict[str, str] = {}
        for f in self.definition.steps[self.index]["fields"]:
            if f["type"] != "file":
                continue
            key = f["key"]
            current = list(self.answers.get(key) or [])
            if action == "remove-file" and argument.startswith(f"{key}:"):
                removed = argument.split(":", 1)[1]
                current = [a for a in current if a["id"] != removed]
            for upload in self.request.FILES.getlist(key):
                try:
                    checked = check_upload(upload, f)
                except ValidationError as error:
                    errors[key] = error.messages[0]
                    continue
                kept = {"id": uuid.uuid4().hex, "name": checked.name}
                current = [*current, kept] if f.get("multiple") else [kept]
            attachments[key] = current
        return attachments, errors

    def go(self, index: int, **extra: str) -> HttpResponse:
        return redirect(frame_url(self.service, index + 1, self.lang, **extra))

    def render(self, context: dict) -> HttpResponse:
        step = self.definition.steps[self.index]
        context.setdefault("step_title", Definition.text(step.get("title"), self.lang))
        context.setdefault("step_number", self.index + 1)
        context.setdefault("step_count", len(self.definition.steps))
        context.update(
            service=self.service,
            service_title=self.definition.t("title", self.lang),
            lang=self.lang,
            skipped=self.skipped,
            reset_url=frame_url(self.service, 1, self.lang),
            back_url=frame_url(self.service, self.index + 1, self.lang),
        )
        return render(self.request, "builder/preview_step.html", context)
